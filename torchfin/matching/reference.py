"""The reference scorer: one project against one mandate, in plain Python. It defines the truth
the fast paths are tested against, and it writes the evidence shown to users."""

from dataclasses import dataclass, field

from torchfin.matching.features import MandateFeatures, ProjectFeatures
from torchfin.matching.model import (
    ALGORITHM_VERSION,
    FRESHNESS_DAYS,
    GEOGRAPHY_POINTS,
    GROWTH_FULL,
    INDUSTRY_POINTS,
    MIN_COVERAGE,
    PATENTS_FULL,
    QUALIFICATION_POINTS,
    RD_INTENSITY_FULL,
    STAGE_POINTS,
    TICKET_EDGE_SHARE,
    WEIGHTS,
    related_to,
    top_code,
)
from torchfin.reference_data.industries import INDUSTRIES_BY_CODE

QUALIFICATION_NAMES = {
    "high_tech": ("高新技术企业", "high-tech enterprise"),
    "tech_sme": ("科技型中小企业", "technology SME"),
    "incubator": ("在孵企业", "incubated enterprise"),
    "accelerator": ("加速器企业", "accelerator enterprise"),
    "returnee": ("留学人员创业企业", "returnee-founded enterprise"),
}

STAGE_NAMES = {
    "seed": ("种子轮", "seed"),
    "angel": ("天使轮", "angel"),
    "a": ("A轮", "Series A"),
    "b": ("B轮", "Series B"),
    "c_plus": ("C轮及以后", "Series C or later"),
    "pre_ipo": ("Pre-IPO轮", "pre-IPO"),
}


@dataclass(frozen=True)
class Criterion:
    """Points earned on one criterion, with a sentence of evidence in Chinese and English."""

    points: float
    evidence_zh: str
    evidence_en: str
    tier: str  # the rule that applied (documented in docs/matching.md)


@dataclass(frozen=True)
class MatchScore:
    """The score of one pair: total 0-100 and the breakdown per criterion."""

    total: float
    breakdown: dict[str, Criterion] = field(default_factory=dict)
    version: str = ALGORITHM_VERSION

    def breakdown_json(self) -> dict[str, dict]:
        """The breakdown as stored on a match: points, maximum, tier and both sentences."""
        return {
            name: {
                "points": c.points,
                "max": WEIGHTS[name],
                "tier": c.tier,
                "evidence_zh": c.evidence_zh,
                "evidence_en": c.evidence_en,
            }
            for name, c in self.breakdown.items()
        }


def _names(code: str) -> tuple[str, str]:
    record = INDUSTRIES_BY_CODE.get(code)
    return (record.name_zh, record.name_en) if record else (code, code)


def violations(p: ProjectFeatures, m: MandateFeatures) -> list[str]:
    """The hard constraints the pair breaks (empty: the pair may be matched)."""
    broken = []
    if p.instrument not in m.instruments:
        broken.append("instrument")
    if m.ticket_min > p.amount or m.ticket_max < MIN_COVERAGE * p.amount:
        broken.append("ticket")
    own = set(p.industries) | {top_code(c) for c in p.industries}
    if own & set(m.excluded_industries):
        broken.append("excluded_industry")
    if (m.zones or m.provinces) and p.zone not in m.zones and p.province not in m.provinces:
        broken.append("geography")
    if m.stages and p.stage not in m.stages:
        broken.append("stage")
    return broken


def industry_tier(p: ProjectFeatures, m: MandateFeatures) -> tuple[str, str | None]:
    """Which industry rule applies, and the code that earned it."""
    if not m.industries:
        return "open", None
    wanted = set(m.industries)
    for code in p.industries:
        if "." in code and code in wanted:
            return "subfield", code
    own_tops = {top_code(c) for c in p.industries}
    wanted_tops = {top_code(c) for c in m.industries}
    for code in sorted(own_tops & wanted_tops):
        return "industry", code
    for code in sorted(related_to(own_tops) & wanted_tops):
        return "related", code
    return "none", None


def _industry(p: ProjectFeatures, m: MandateFeatures) -> Criterion:
    tier, code = industry_tier(p, m)
    zh, en = _names(code) if code else ("", "")
    text = {
        "subfield": (
            f"项目所属细分领域“{zh}”正是该投资方向所列领域。",
            f"The project is in {en}, a sub-field the mandate names.",
        ),
        "industry": (
            f"项目与该投资方向同属“{zh}”产业。",
            f"The project and the mandate share the {en} industry.",
        ),
        "related": (
            f"项目所属产业与该投资方向所列的“{zh}”产业相关。",
            f"The project's industry is related to {en}, which the mandate names.",
        ),
        "open": ("该投资方向不限行业。", "The mandate is open to every industry."),
        "none": (
            "项目所属产业不在该投资方向所列领域之内。",
            "The project's industry is not among those the mandate names.",
        ),
    }[tier]
    return Criterion(INDUSTRY_POINTS[tier], *text, tier)


def _stage(p: ProjectFeatures, m: MandateFeatures) -> Criterion:
    if m.stages:
        zh, en = STAGE_NAMES.get(p.stage, (p.stage, p.stage))
        return Criterion(
            STAGE_POINTS["listed"],
            f"融资轮次“{zh}”在该投资方向的重点阶段之内。",
            f"The round ({en}) is one the mandate focuses on.",
            "listed",
        )
    return Criterion(
        STAGE_POINTS["open"],
        "该投资方向不限融资阶段。",
        "The mandate takes every stage.",
        "open",
    )


def ticket_shares(amount: float, low: float, high: float) -> tuple[float, float]:
    """(coverage, centrality): the share of the amount the ticket can fund (at most 1), and how
    centrally the amount sits in the range (1 in the middle, 0 at or beyond an edge)."""
    coverage = min(1.0, high / amount)
    if high > low:
        position = (min(amount, high) - low) / (high - low)
        centrality = 1.0 - abs(2.0 * position - 1.0)
    else:
        centrality = 1.0
    return coverage, centrality


def _ticket(p: ProjectFeatures, m: MandateFeatures) -> Criterion:
    coverage, centrality = ticket_shares(p.amount, m.ticket_min, m.ticket_max)
    points = (
        WEIGHTS["ticket"] * coverage * (TICKET_EDGE_SHARE + (1 - TICKET_EDGE_SHARE) * centrality)
    )
    wan = (round(p.amount / 10_000), round(m.ticket_min / 10_000), round(m.ticket_max / 10_000))
    if coverage < 1.0:
        return Criterion(
            points,
            f"融资额{wan[0]}万元超过单笔上限{wan[2]}万元，可覆盖{coverage:.0%}，需联合投资。",
            f"The amount (CNY {wan[0]}0k) exceeds the maximum ticket (CNY {wan[2]}0k); "
            f"the mandate covers {coverage:.0%}, so the round needs co-investors.",
            "partial",
        )
    return Criterion(
        points,
        f"融资额{wan[0]}万元位于单笔{wan[1]}万元至{wan[2]}万元区间，居中程度{centrality:.0%}。",
        f"The amount (CNY {wan[0]}0k) lies in the ticket range CNY {wan[1]}0k to {wan[2]}0k, "
        f"{centrality:.0%} central.",
        "within",
    )


def geography_tier(p: ProjectFeatures, m: MandateFeatures) -> str:
    """Which geography rule applies to a pair that passed the hard constraints."""
    if p.zone in m.zones:
        return "zone"
    if p.province in m.provinces:
        return "province"
    if m.institution_province == p.province:
        return "home"
    return "national"


def _geography(p: ProjectFeatures, m: MandateFeatures) -> Criterion:
    tier = geography_tier(p, m)
    text = {
        "zone": (
            "企业所在高新区是该投资方向的指定园区。",
            "The enterprise's zone is one the mandate names.",
        ),
        "province": (
            f"企业位于该投资方向指定的{p.province}。",
            f"The enterprise is in {p.province}, a province the mandate names.",
        ),
        "home": (
            f"投资方向面向全国，机构与企业同在{p.province}。",
            f"A nationwide mandate of an institution in the enterprise's province ({p.province}).",
        ),
        "national": (
            "投资方向面向全国，机构与企业不在同一省份。",
            "A nationwide mandate of an institution in another province.",
        ),
    }[tier]
    return Criterion(GEOGRAPHY_POINTS[tier], *text, tier)


def _rd(p: ProjectFeatures) -> Criterion:
    if p.rd_intensity is None:
        return Criterion(
            0.0, "未填报研发投入与营业收入。", "No R&D spend or revenue on file.", "missing"
        )
    share = min(max(p.rd_intensity / RD_INTENSITY_FULL, 0.0), 1.0)
    return Criterion(
        WEIGHTS["rd_intensity"] * share,
        f"研发投入占营业收入{p.rd_intensity:.1%}（{RD_INTENSITY_FULL:.0%}及以上得满分）。",
        f"R&D spend is {p.rd_intensity:.1%} of revenue (full marks from {RD_INTENSITY_FULL:.0%}).",
        "full" if share == 1.0 else "scaled",
    )


def _patents(p: ProjectFeatures) -> Criterion:
    share = min(p.patents / PATENTS_FULL, 1.0)
    return Criterion(
        WEIGHTS["patents"] * share,
        f"已授权发明专利{p.patents}件（{PATENTS_FULL}件及以上得满分）。",
        f"{p.patents} invention patents granted (full marks from {PATENTS_FULL}).",
        "full" if share == 1.0 else "scaled",
    )


# Growth comes from confidential financials: the evidence names a band, never the figure.
_GROWTH_BANDS = (
    (0.0, "负增长", "shrinking"),
    (0.1, "0-10%", "0-10%"),
    (0.2, "10-20%", "10-20%"),
    (0.3, "20-30%", "20-30%"),
)


def growth_band(growth: float) -> tuple[str, str]:
    """The band (zh, en) shown for a revenue growth rate."""
    for upper, zh, en in _GROWTH_BANDS:
        if growth < upper:
            return zh, en
    return "30%以上", "30 % or more"


def _growth(p: ProjectFeatures) -> Criterion:
    if p.growth is None:
        return Criterion(
            0.0,
            "缺少连续两年的营业收入，无法计算增长。",
            "No two consecutive years of revenue to compute growth.",
            "missing",
        )
    share = min(max(p.growth / GROWTH_FULL, 0.0), 1.0)
    zh, en = growth_band(p.growth)
    return Criterion(
        WEIGHTS["growth"] * share,
        f"最近一年营业收入增长区间：{zh}（{GROWTH_FULL:.0%}及以上得满分）。",
        f"Revenue growth in the latest year: {en} (full marks from {GROWTH_FULL:.0%}).",
        "full" if share == 1.0 else "scaled",
    )


def qualification_points(qualifications: tuple[str, ...]) -> float:
    """Points for a set of qualifications, capped at the criterion's weight."""
    return min(
        WEIGHTS["qualifications"], sum(QUALIFICATION_POINTS.get(q, 0.0) for q in qualifications)
    )


def _qualifications(p: ProjectFeatures) -> Criterion:
    points = qualification_points(p.qualifications)
    if not p.qualifications:
        return Criterion(
            points,
            "企业未登记资质认定。",
            "The enterprise holds no registered qualification.",
            "none",
        )
    zh = "、".join(QUALIFICATION_NAMES.get(q, (q, q))[0] for q in p.qualifications)
    en = ", ".join(QUALIFICATION_NAMES.get(q, (q, q))[1] for q in p.qualifications)
    return Criterion(points, f"企业持有资质：{zh}。", f"The enterprise holds: {en}.", "held")


def freshness_share(age_days: int) -> float:
    """1 on the day of publication, falling linearly to 0 after FRESHNESS_DAYS."""
    return max(0.0, 1.0 - age_days / FRESHNESS_DAYS)


def _freshness(p: ProjectFeatures) -> Criterion:
    share = freshness_share(p.age_days)
    return Criterion(
        WEIGHTS["freshness"] * share,
        f"项目发布于{p.age_days}天前（{FRESHNESS_DAYS}天后不再加分）。",
        f"Published {p.age_days} days ago (no points after {FRESHNESS_DAYS} days).",
        "fresh" if share > 0 else "stale",
    )


def score_match(p: ProjectFeatures, m: MandateFeatures) -> MatchScore | None:
    """Score one pair; None when it breaks a hard constraint."""
    if violations(p, m):
        return None
    breakdown = {
        "industry": _industry(p, m),
        "stage": _stage(p, m),
        "ticket": _ticket(p, m),
        "geography": _geography(p, m),
        "rd_intensity": _rd(p),
        "patents": _patents(p),
        "growth": _growth(p),
        "qualifications": _qualifications(p),
        "freshness": _freshness(p),
    }
    return MatchScore(combine(breakdown), breakdown)


# Criteria that depend on the pair; the others depend on the project alone.
PAIR_CRITERIA = ("industry", "stage", "ticket", "geography")
PROJECT_CRITERIA = ("rd_intensity", "patents", "growth", "qualifications", "freshness")


def project_points(p: ProjectFeatures) -> float:
    """Points a project earns whatever the mandate (enterprise quality and freshness)."""
    total = 0.0
    for criterion in (_rd(p), _patents(p), _growth(p), _qualifications(p), _freshness(p)):
        total += criterion.points
    return total


def combine(breakdown: dict[str, Criterion]) -> float:
    """The total: pair criteria added in order, plus the project's own points added in order.

    The vectorised scorer adds in exactly this grouping, so both give bit-identical totals.
    """
    pair = 0.0
    for name in PAIR_CRITERIA:
        pair += breakdown[name].points
    own = 0.0
    for name in PROJECT_CRITERIA:
        own += breakdown[name].points
    return pair + own
