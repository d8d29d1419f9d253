"""Eligibility rules of policies: pure functions from facts to pass / fail / unknown with evidence.

A policy names its rules as data ({"rule": "qualification", "any_of": ["high_tech"]}); each rule
here reads `PolicyFacts` and the rule's own parameters, and says what it saw and what to do next
in Chinese and English, as the readiness rules do. A rule never passes on missing data: a record
the platform does not hold gives UNKNOWN, which the zone settles from the documents attached.
"""

from collections.abc import Callable
from datetime import date

from torchfin.models.enums import ListingStage, ListingVenue, Qualification, RuleStatus
from torchfin.services.finance.policies.facts import ListingFacts, PolicyFacts, stage_needed
from torchfin.services.readiness.rules import NOTHING_TO_DO, RuleResult
from torchfin.services.said import Said

Outcome = tuple[RuleStatus, Said, Said]
QUALIFICATION_NAMES = {
    Qualification.HIGH_TECH: Said("高新技术企业", "high-tech enterprise"),
    Qualification.TECH_SME: Said("科技型中小企业", "tech SME"),
    Qualification.INCUBATOR: Said("孵化器在孵企业", "incubator resident"),
    Qualification.ACCELERATOR: Said("加速器企业", "accelerator resident"),
    Qualification.RETURNEE: Said("留学人员创业企业", "returnee-founded"),
}


def in_zone(facts: PolicyFacts, params: dict) -> Outcome:
    """The enterprise is registered in the policy's zone."""
    if facts.zone_id == params["zone_id"]:
        return (
            RuleStatus.PASS,
            Said(f"注册在{facts.zone_name}。", f"Registered in {facts.zone_name}."),
            NOTHING_TO_DO,
        )
    return (
        RuleStatus.FAIL,
        Said(
            f"注册在{facts.zone_name}，不在本园区。", f"Registered in {facts.zone_name}, not here."
        ),
        Said("本政策仅适用于园区内企业。", "The policy is for the zone's own enterprises."),
    )


def qualification(facts: PolicyFacts, params: dict) -> Outcome:
    """The enterprise holds one of the qualifications named, unexpired on the date."""
    wanted = [Qualification(kind) for kind in params["any_of"]]
    names = Said(
        "或".join(QUALIFICATION_NAMES[k].zh for k in wanted),
        " or ".join(QUALIFICATION_NAMES[k].en for k in wanted),
    )
    for kind in wanted:
        if kind in facts.qualifications:
            expires = facts.qualifications[kind]
            name = QUALIFICATION_NAMES[kind]
            if expires is None or expires >= facts.as_of:
                until = (
                    Said(f"，有效期至{expires}", f", valid until {expires}") if expires else None
                )
                return (
                    RuleStatus.PASS,
                    Said(
                        f"持有{name.zh}资格{until.zh if until else ''}。",
                        f"Holds the {name.en} qualification{until.en if until else ''}.",
                    ),
                    NOTHING_TO_DO,
                )
            return (
                RuleStatus.FAIL,
                _expired(name, expires),
                Said(f"续期{name.zh}证书。", f"Renew the {name.en} certificate."),
            )
    return (
        RuleStatus.FAIL,
        Said(f"平台未记录{names.zh}资格。", f"No {names.en} qualification on record."),
        Said(f"取得并登记{names.zh}资格。", f"Obtain and record the {names.en} qualification."),
    )


def _expired(name: Said, expires: date) -> Said:
    return Said(
        f"{name.zh}证书已于{expires}到期。", f"The {name.en} certificate expired on {expires}."
    )


def loan_disbursed(facts: PolicyFacts, params: dict) -> Outcome:
    """The application follows a loan guaranteed on the platform that was paid out."""
    loan = facts.loan
    if loan is None:
        return (
            RuleStatus.UNKNOWN,
            Said(
                "平台上没有该笔贷款的担保记录。", "No guarantee case of this loan on the platform."
            ),
            Said(
                "选择平台上已放款的担保贷款。",
                "Choose a guaranteed loan disbursed on the platform.",
            ),
        )
    evidence = Said(
        f"担保案件{loan.case_id}：本金{loan.principal:,.2f}元，年利率{loan.annual_rate:.4%}，"
        f"期限{loan.term_months}个月，状态{loan.state.value}。",
        f"Guarantee case {loan.case_id}: principal {loan.principal:,.2f} yuan at "
        f"{loan.annual_rate:.4%} for {loan.term_months} months, {loan.state.value}.",
    )
    if loan.disbursed:
        return RuleStatus.PASS, evidence, NOTHING_TO_DO
    return RuleStatus.FAIL, evidence, Said("放款后再申请。", "Apply once the loan is disbursed.")


def guarantee_fee_charged(facts: PolicyFacts, params: dict) -> Outcome:
    """The guarantee agency charged its fee on a case of the platform."""
    loan = facts.loan
    if loan is None:
        return (
            RuleStatus.UNKNOWN,
            Said("平台上没有该担保案件。", "No such guarantee case on the platform."),
            Said("选择平台上的担保案件。", "Choose a guarantee case of the platform."),
        )
    evidence = Said(
        f"担保案件{loan.case_id}：担保费{loan.fee:,.2f}元，状态{loan.state.value}。",
        f"Guarantee case {loan.case_id}: fee {loan.fee:,.2f} yuan, {loan.state.value}.",
    )
    if loan.fee_charged:
        return RuleStatus.PASS, evidence, NOTHING_TO_DO
    return RuleStatus.FAIL, evidence, Said("缴纳担保费后再申请。", "Apply once the fee is paid.")


STAGE_NAMES = {
    ListingStage.FILED: Said("申报受理", "filing accepted"),
    ListingStage.APPROVED: Said("审核通过/注册", "approved or registered"),
    ListingStage.LISTED: Said("上市/挂牌", "listed"),
}


def _event_said(event: ListingFacts) -> Said:
    stage = STAGE_NAMES[event.stage]
    return Said(
        f"{event.event_on} {event.venue.value} {stage.zh}：{event.reference}。",
        f"{event.venue.value} {stage.en} on {event.event_on}: {event.reference}.",
    )


def listing_event(facts: PolicyFacts, params: dict) -> Outcome:
    """The enterprise's listing (or merger) on one of the venues named reached the stage the
    application is for: filing needs an event at filed or later recorded, listing one at listed.

    A stage not reached yet fails, as a loan not yet disbursed does: the platform holds the
    listing and knows the stage is not recorded; the enterprise applies again once it is.
    """
    track = facts.listing
    venues = [ListingVenue(v) for v in params["venues"]]
    if track is None:
        return (
            RuleStatus.UNKNOWN,
            Said("平台未记录该上市/挂牌事件。", "No such listing event on the platform."),
            Said("请园区登记上市/挂牌事件。", "Ask the zone to record the listing event."),
        )
    if track.subject.venue not in venues:
        return (
            RuleStatus.FAIL,
            _event_said(track.subject),
            Said("本政策不适用于该板块。", "The policy does not cover this venue."),
        )
    wanted = stage_needed(params.get("stage", ""))
    event = track.reaching(wanted)
    if event is not None:
        return RuleStatus.PASS, _event_said(event), NOTHING_TO_DO
    name = STAGE_NAMES[wanted]
    latest = track.events[-1]
    return (
        RuleStatus.FAIL,
        Said(
            f"尚未登记{name.zh}；最近一次：{_event_said(latest).zh}",
            f"No {name.en} event recorded yet; the latest: {_event_said(latest).en}",
        ),
        Said(
            f"请园区登记{name.zh}后再申请。",
            f"Apply once the zone records the {name.en} event.",
        ),
    )


def fund_placement(facts: PolicyFacts, params: dict) -> Outcome:
    """A sub-fund registered on the platform invested in the enterprise."""
    placement = facts.placement
    if placement is None:
        return (
            RuleStatus.UNKNOWN,
            Said("平台未记录该笔投资。", "No such placement on the platform."),
            Said("请基金登记该笔投资。", "Ask the fund to record the placement."),
        )
    return (
        RuleStatus.PASS,
        Said(
            f"{placement.fund_name}于{placement.placed_on}投资{placement.amount:,.2f}元。",
            f"{placement.fund_name} invested {placement.amount:,.2f} yuan on "
            f"{placement.placed_on}.",
        ),
        NOTHING_TO_DO,
    )


RULES: dict[str, tuple[Said, Callable[[PolicyFacts, dict], Outcome]]] = {
    "in_zone": (Said("园区内企业", "Enterprise of the zone"), in_zone),
    "qualification": (Said("企业资质", "Qualification"), qualification),
    "loan_disbursed": (Said("贷款已放款", "Loan disbursed on the platform"), loan_disbursed),
    "guarantee_fee_charged": (
        Said("已缴纳担保费", "Guarantee fee charged"),
        guarantee_fee_charged,
    ),
    "listing_event": (Said("上市/挂牌/并购", "Listing or merger"), listing_event),
    "fund_placement": (Said("创投机构投资", "Placement by a registered fund"), fund_placement),
}


def evaluate_rule(spec: dict, facts: PolicyFacts) -> RuleResult:
    """Apply the rule `spec` names ({"rule": code, ...its parameters}) to `facts`."""
    _, check = RULES[spec["rule"]]
    status, evidence, next_step = check(facts, spec)
    return RuleResult(spec["rule"], status, evidence, next_step)
