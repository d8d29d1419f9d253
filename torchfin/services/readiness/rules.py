"""The readiness rules themselves: pure functions from facts to pass / fail / unknown.

Each rule says what it saw (evidence) and what to do next, in Chinese and English, because the
result is stored and shown in either language later. A rule never passes on missing data: a fact
nobody recorded gives UNKNOWN with the next step "record it".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from torchfin.models.enums import GovernanceBody, LegalForm, RuleStatus
from torchfin.services.readiness.facts import ReadinessFacts
from torchfin.services.said import Said

REQUIRED_FISCAL_YEARS = 2


NOTHING_TO_DO = Said("无需处理。", "Nothing to do.")


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule with the evidence used and the next step."""

    code: str
    status: RuleStatus
    evidence: Said
    next_step: Said

    def as_dict(self) -> dict:
        """The stored and served form of the result."""
        return {
            "code": self.code,
            "status": self.status.value,
            "evidence": self.evidence.as_dict(),
            "next_step": self.next_step.as_dict(),
        }


@dataclass(frozen=True)
class Rule:
    """A named rule of a rule set."""

    code: str
    title: Said
    check: Callable[[ReadinessFacts], tuple[RuleStatus, Said, Said]]

    def evaluate(self, facts: ReadinessFacts) -> RuleResult:
        """Apply the rule to `facts`."""
        status, evidence, next_step = self.check(facts)
        return RuleResult(self.code, status, evidence, next_step)


def complete_fiscal_years(start: date, as_of: date) -> int:
    """How many complete fiscal years lie between `start` and `as_of`.

    The fiscal year is the calendar year (China's accounting year, 1 January to 31 December). A
    year counts when the company already existed on its 1 January and the year had ended before
    `as_of` (its 31 December falls before the check date). So a company founded on 2011-01-01
    has two complete years (2011, 2012) on 2013-01-01; one founded on 2011-01-02 has only 2012
    then, and reaches two on 2014-01-01.
    """
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last = as_of.year - 1
    return max(0, last - first + 1)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _legal_form_on(facts: ReadinessFacts) -> LegalForm:
    """The legal form on the check date.

    A recorded conversion is dated, so it decides: a joint-stock company from that day, a limited
    company before it. Without one, the enterprise's legal form (what it is today) holds.
    """
    if facts.converted_on is None:
        return facts.legal_form
    return LegalForm.JSC if facts.converted_on <= facts.as_of else LegalForm.LLC


def _converted(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """The pass of a company converted by the check date."""
    evidence = Said(
        f"股份有限公司，{_iso(facts.converted_on)}由有限责任公司变更设立。",
        f"Joint-stock company, converted from a limited company on {_iso(facts.converted_on)}.",
    )
    if facts.legal_form == LegalForm.JSC:
        return RuleStatus.PASS, evidence, NOTHING_TO_DO
    # The enterprise's own record still reads limited company: the SME keeps that one and may
    # not have changed it after converting, while the conversion is the dated fact recorded
    # for listing (a zone administrator who records it cannot change the enterprise's record).
    # The check goes by the conversion and says which record to bring in line.
    return (
        RuleStatus.PASS,
        Said(
            f"{evidence.zh}企业信息中的企业类型仍为有限责任公司。",
            f"{evidence.en} The enterprise's profile still gives its legal form as a limited "
            "company.",
        ),
        Said(
            "在企业信息中将企业类型改为股份有限公司。",
            "Change the legal form in the enterprise's profile to joint-stock company.",
        ),
    )


def joint_stock_company(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """Only a joint-stock company (股份有限公司) can have its shares transferred."""
    if _legal_form_on(facts) == LegalForm.JSC:
        if facts.converted_on is not None:
            return _converted(facts)
        return RuleStatus.PASS, Said("股份有限公司。", "Joint-stock company."), NOTHING_TO_DO
    if facts.converted_on is not None:
        evidence = Said(
            f"检查日{_iso(facts.as_of)}时仍为有限责任公司（{_iso(facts.converted_on)}方变更）。",
            f"Still a limited company on {_iso(facts.as_of)} "
            f"(converted only on {_iso(facts.converted_on)}).",
        )
    else:
        evidence = Said("有限责任公司。", "Limited liability company.")
    return (
        RuleStatus.FAIL,
        evidence,
        Said(
            "按原账面净资产值折股整体变更为股份有限公司，存续期可自有限公司成立之日起算。",
            "Convert into a joint-stock company at book net assets, so that existence counts "
            "from the limited company's founding.",
        ),
    )


def _existence_from(start: date, facts: ReadinessFacts, counted: Said) -> tuple[RuleStatus, Said]:
    years = complete_fiscal_years(start, facts.as_of)
    status = RuleStatus.PASS if years >= REQUIRED_FISCAL_YEARS else RuleStatus.FAIL
    return status, Said(
        f"自{_iso(start)}（{counted.zh}）起至{_iso(facts.as_of)}有{years}个完整会计年度。",
        f"{years} complete fiscal year(s) from {_iso(start)} ({counted.en}) "
        f"to {_iso(facts.as_of)}.",
    )


_FROM_FOUNDING = Said("原始成立日", "original founding")
_FROM_CONVERSION = Said("变更设立日", "conversion date")


def two_fiscal_years(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """存续满两年: two complete fiscal years, from the original founding for a conversion at
    book net assets, else from the conversion; unknown when the conversion basis is unrecorded
    and the two counts disagree."""
    wait = Said(
        "待满两个完整会计年度后再申请。",
        "Apply once two complete fiscal years have passed.",
    )
    converted = facts.converted_on is not None and facts.converted_on <= facts.as_of
    if not converted or facts.converted_at_book_value:
        status, evidence = _existence_from(facts.founded_on, facts, _FROM_FOUNDING)
        return status, evidence, NOTHING_TO_DO if status == RuleStatus.PASS else wait
    if facts.converted_at_book_value is False:
        status, evidence = _existence_from(facts.converted_on, facts, _FROM_CONVERSION)
        return status, evidence, NOTHING_TO_DO if status == RuleStatus.PASS else wait
    by_founding, founding_said = _existence_from(facts.founded_on, facts, _FROM_FOUNDING)
    by_conversion, conversion_said = _existence_from(facts.converted_on, facts, _FROM_CONVERSION)
    if by_founding == by_conversion:
        return by_founding, founding_said, NOTHING_TO_DO if by_founding == RuleStatus.PASS else wait
    return (
        RuleStatus.UNKNOWN,
        Said(
            f"{founding_said.zh}{conversion_said.zh}未记录是否按账面净资产折股。",
            f"{founding_said.en} {conversion_said.en} "
            "Whether the conversion was at book net assets is not recorded.",
        ),
        Said(
            "记录变更是否按原账面净资产值折股（审计报告、验资报告）。",
            "Record whether the conversion was at book net assets (audit and capital reports).",
        ),
    )


def in_pilot_zone(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """The pilot admitted enterprises of pilot zones only (中关村 from 2006, three more in 2012)."""
    since = facts.zone_pilot_since
    if since is not None and since <= facts.as_of.year:
        return (
            RuleStatus.PASS,
            Said(
                f"{facts.zone_name}自{since}年起为试点园区。",
                f"{facts.zone_name} has been a pilot zone since {since}.",
            ),
            NOTHING_TO_DO,
        )
    evidence = (
        Said(
            f"{facts.zone_name}{since}年才纳入试点。",
            f"{facts.zone_name} joins the pilot only in {since}.",
        )
        if since
        else Said(f"{facts.zone_name}不是试点园区。", f"{facts.zone_name} is not a pilot zone.")
    )
    return (
        RuleStatus.FAIL,
        evidence,
        Said(
            "试点仅面向试点园区企业；可按2013年全国股转系统规则评估。",
            "The pilot is open to pilot-zone enterprises only; assess under the 2013 national "
            "rules instead.",
        ),
    )


def main_business_continuing(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """主营业务突出、持续经营: a stated main business and revenue in each of the last two
    complete fiscal years."""
    years = (facts.as_of.year - 2, facts.as_of.year - 1)
    missing = [y for y in years if y not in facts.revenue_by_year]
    without_revenue = [y for y in years if facts.revenue_by_year.get(y, 1) <= 0]
    # Financials are confidential and zone administrators read this evidence: it says whether
    # each year had revenue, never how much.
    shown = "、".join(
        f"{y}年{'有' if facts.revenue_by_year[y] > 0 else '无'}营业收入"
        for y in years
        if y not in missing
    )
    shown_en = "; ".join(
        f"{y}: {'revenue' if facts.revenue_by_year[y] > 0 else 'no revenue'}"
        for y in years
        if y not in missing
    )
    if without_revenue:
        return (
            RuleStatus.FAIL,
            Said(f"{shown}。", f"{shown_en}."),
            Said(
                "持续经营须每年有营业收入；待有两个完整年度的收入后再评估。",
                "Continuous operation needs revenue in each year; reassess after two full "
                "years with revenue.",
            ),
        )
    if missing or not facts.main_business:
        gaps_zh = [f"{y}年财务数据" for y in missing] + (
            [] if facts.main_business else ["主营业务"]
        )
        gaps_en = [f"financials for {y}" for y in missing] + (
            [] if facts.main_business else ["the main business"]
        )
        return (
            RuleStatus.UNKNOWN,
            Said(f"未记录：{'、'.join(gaps_zh)}。", f"Not recorded: {', '.join(gaps_en)}."),
            Said(f"补充{'、'.join(gaps_zh)}。", f"Record {', '.join(gaps_en)}."),
        )
    return (
        RuleStatus.PASS,
        Said(
            f"主营业务：{facts.main_business}；{shown}。",
            f"Main business: {facts.main_business}; {shown_en}.",
        ),
        NOTHING_TO_DO,
    )


_BODIES = {
    GovernanceBody.SHAREHOLDERS_MEETING: Said("股东大会", "shareholders' meeting"),
    GovernanceBody.BOARD: Said("董事会", "board of directors"),
    GovernanceBody.SUPERVISORY_BOARD: Said("监事会", "board of supervisors"),
}


def sound_governance(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """公司治理结构健全: a meeting of each of the three bodies (三会) recorded by the check date."""
    held = [body for body in _BODIES if body in facts.meetings]
    missing = [body for body in _BODIES if body not in facts.meetings]
    seen_zh = "、".join(f"{_BODIES[b].zh}（{_iso(facts.meetings[b])}）" for b in held) or "无"
    seen_en = ", ".join(f"{_BODIES[b].en} ({_iso(facts.meetings[b])})" for b in held) or "none"
    evidence = Said(f"已记录会议：{seen_zh}。", f"Meetings recorded: {seen_en}.")
    if missing:
        names_en = ", ".join(_BODIES[b].en for b in missing)
        return (
            RuleStatus.UNKNOWN,
            evidence,
            Said(
                f"记录{'、'.join(_BODIES[b].zh for b in missing)}的会议及决议。",
                f"Record meetings and resolutions of the {names_en}.",
            ),
        )
    return RuleStatus.PASS, evidence, NOTHING_TO_DO


def lawful_shares(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """股份发行和转让行为合法合规, established by a document such as a lawyer's opinion."""
    if facts.shares_lawful is False:
        return (
            RuleStatus.FAIL,
            Said(
                f"股份发行或转让存在瑕疵：{facts.shares_evidence or '未说明'}。",
                f"Share issuance or transfers are flawed: {facts.shares_evidence or 'no detail'}.",
            ),
            Said(
                "纠正历次股份发行与转让中的瑕疵，并取得律师法律意见。",
                "Remedy the flawed issuances or transfers and obtain a lawyer's opinion.",
            ),
        )
    if facts.shares_lawful and facts.shares_evidence:
        return (
            RuleStatus.PASS,
            Said(f"依据：{facts.shares_evidence}。", f"Based on: {facts.shares_evidence}."),
            NOTHING_TO_DO,
        )
    return (
        RuleStatus.UNKNOWN,
        Said(
            "未记录股份发行与转让合法合规的依据。",
            "No evidence recorded that shares were issued and transferred lawfully.",
        ),
        Said(
            "取得律师对历次股份发行与转让的法律意见并记录。",
            "Obtain and record a lawyer's opinion on every share issuance and transfer.",
        ),
    )


def _dated_fact(
    present: bool, on: date | None, as_of: date, what: Said, detail: str
) -> tuple[RuleStatus, Said, Said]:
    """A document or engagement that must exist on or before the check date."""
    record = Said(f"取得并记录{what.zh}。", f"Obtain and record {what.en}.")
    if not present or on is None:
        return RuleStatus.UNKNOWN, Said(f"未记录{what.zh}。", f"No {what.en} recorded."), record
    if on > as_of:
        return (
            RuleStatus.FAIL,
            Said(
                f"{what.zh}{detail}日期{_iso(on)}晚于检查日{_iso(as_of)}。",
                f"{what.en} {detail} dated {_iso(on)}, after the check date {_iso(as_of)}.",
            ),
            record,
        )
    return (
        RuleStatus.PASS,
        Said(f"{what.zh}：{detail}（{_iso(on)}）。", f"{what.en}: {detail} ({_iso(on)})."),
        NOTHING_TO_DO,
    )


def sponsoring_broker(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """主办券商推荐并持续督导: a securities firm engaged as sponsoring broker."""
    return _dated_fact(
        facts.sponsor_broker is not None,
        facts.sponsor_engaged_on,
        facts.as_of,
        Said("主办券商", "a sponsoring broker"),
        facts.sponsor_broker or "",
    )


def confirmation_letter(facts: ReadinessFacts) -> tuple[RuleStatus, Said, Said]:
    """试点资格确认函: the local government's letter confirming the company may join the pilot."""
    return _dated_fact(
        facts.confirmation_letter_no is not None,
        facts.confirmation_letter_on,
        facts.as_of,
        Said("试点资格确认函", "the pilot confirmation letter"),
        facts.confirmation_letter_no or "",
    )
