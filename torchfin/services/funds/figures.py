"""Figures of guidance sub-funds: leverage, deployment, idle money, reinvestment, rule compliance.

Pure arithmetic on a sub-fund and its loaded calls, placements and exits as of a date; nothing
here queries or writes, so the figures are checked by hand on fixtures. Money stays Decimal;
ratios are rounded half-up to four decimals (0.2500 = 25 %).

Definitions:
- size: the guidance commitment plus every other LP's commitment;
- leverage of social capital (放大倍数): size / guidance commitment;
- called: capital called up to the date; deployed: placements made up to the date;
- deployed share: deployed / size; idle money: called - deployed (cash called, not invested);
- idle since: calls are spent first in, first out, so idle money dates from the earliest call not
  yet fully covered by placements; idle months are whole calendar months since then;
- reinvestment achieved (返投): placements in the sub-fund's zone / guidance commitment;
  reinvestment required: the required multiple x guidance commitment, rounded up to the fen (a
  fen short is short); reinvestment shortfall: required - reinvested, never below zero;
  reinvestment share achieved: reinvested / required, rounded down (99.99 % short of the amount
  never reads 100 %), above 1 when exceeded, None when nothing is required. The rule is met
  when the amounts say so, not the rounded multiple;
- early-stage share: placements in seed, angel or A rounds, or into enterprises holding the
  科技型中小企业 qualification, / deployed.

A placement whose enterprise is gone (deleted on SQLite before foreign keys were enforced there;
deleting it is refused now) still counts as deployed money, but neither as in the zone nor by
its enterprise's qualifications: nothing is known of the enterprise any more.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from torchfin.models import Placement, SubFund
from torchfin.models.enums import FundRuleStatus, Qualification, Stage
from torchfin.services.said import Said

ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
_RATIO = Decimal("0.0001")
EARLY_ROUNDS = frozenset({Stage.SEED, Stage.ANGEL, Stage.A})


def ratio(
    numerator: Decimal, denominator: Decimal, rounding: str = ROUND_HALF_UP
) -> Decimal | None:
    """numerator / denominator to four decimals, or None when the denominator is zero."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(_RATIO, rounding=rounding)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (2024-01-31 -> 2024-02-29 is 0 months)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def is_early_stage(placement: Placement) -> bool:
    """An early round, or an enterprise recognised as a tech SME (科技型中小企业)."""
    enterprise = placement.enterprise
    kinds = {q.kind for q in enterprise.qualifications} if enterprise else set()
    return placement.round in EARLY_ROUNDS or Qualification.TECH_SME in kinds


@dataclass(frozen=True)
class FundRuleResult:
    """One rule of a sub-fund with its status and the figures it was judged on.

    `params` holds those figures as JSON values (amounts and ratios as exact decimal strings,
    None where a ratio has no base, dates in ISO form): an alert stores them and words them
    again in its reader's language, as `evidence` does here.
    """

    code: str
    status: FundRuleStatus
    params: dict[str, str | None]

    @property
    def evidence(self) -> Said:
        """The figures judged, in a sentence in Chinese and English."""
        return rule_evidence(self.code, self.params)


@dataclass(frozen=True)
class SubFundFigures:
    """Every figure of one sub-fund as of a date."""

    sub_fund_id: int
    name: str
    as_of: date
    size: Decimal
    guidance_commitment: Decimal
    guidance_share: Decimal | None
    leverage: Decimal | None
    called: Decimal
    deployed: Decimal
    deployed_share: Decimal | None
    idle: Decimal
    idle_since: date | None
    idle_months: int
    reinvested: Decimal
    reinvestment_achieved: Decimal | None
    reinvestment_required: Decimal
    reinvestment_shortfall: Decimal
    reinvestment_share_achieved: Decimal | None
    early_stage: Decimal
    early_stage_share: Decimal | None
    proceeds: Decimal
    rules: list[FundRuleResult]

    @property
    def breached(self) -> list[FundRuleResult]:
        """The rules breached as of the date."""
        return [rule for rule in self.rules if rule.status == FundRuleStatus.BREACHED]


def _total(amounts) -> Decimal:
    return sum(amounts, ZERO)


def _idle_since(calls: list[tuple[date, Decimal]], deployed: Decimal) -> date | None:
    covered = deployed
    for called_on, amount in sorted(calls):
        if covered < amount:
            return called_on
        covered -= amount
    return None


def exact(number: Decimal | int | None) -> str | None:
    """A figure as JSON keeps it exactly: its decimal string, None for none."""
    return None if number is None else str(number)


def yuan(amount: Decimal | str) -> str:
    """An amount with thousands separators and fen: 20,000,000.00."""
    return f"{Decimal(amount):,.2f}"


def _pct(share: Decimal | str | None) -> str:
    return "—" if share is None else f"{Decimal(share) * 100:.2f}%"


def _times(multiple: str | None) -> str:
    # A multiple without a base (None) or with nothing achieved reads 0, not 0.0000.
    return str(Decimal(multiple or 0) or 0)


def _stake_evidence(params: Mapping[str, Any]) -> Said:
    share, cap = _pct(params["share"]), _pct(params["cap"])
    return Said(f"引导基金出资占比{share}，上限{cap}。", f"Guidance stake {share}, cap {cap}.")


def _largest_lp_evidence(params: Mapping[str, Any]) -> Said:
    guidance, largest = yuan(params["guidance_commitment"]), yuan(params["largest_other"])
    return Said(
        f"引导基金认缴{guidance}元，其他出资人最大认缴{largest}元。",
        f"Guidance commitment CNY {guidance}; largest other LP CNY {largest}.",
    )


def _reinvestment_evidence(params: Mapping[str, Any]) -> Said:
    reinvested, achieved = yuan(params["reinvested"]), _times(params["achieved"])
    required, period = params["required"], params["period_end"]
    return Said(
        f"区内投资{reinvested}元，为引导基金认缴额的{achieved}倍，要求{required}倍"
        f"（投资期至{period}）。",
        f"In-zone placements CNY {reinvested}, {achieved}x the guidance commitment; required "
        f"{required}x (investment period to {period}).",
    )


def _early_stage_evidence(params: Mapping[str, Any]) -> Said:
    early = yuan(params["early_stage"])
    share, required = _pct(params["share"]), _pct(params["required"])
    return Said(
        f"投向初创期或科技型中小企业{early}元，占已投{share}，要求不低于{required}。",
        f"Early-stage or tech-SME placements CNY {early}, {share} of deployed; required at "
        f"least {required}.",
    )


RULE_EVIDENCE: dict[str, Callable[[Mapping[str, Any]], Said]] = {
    "guidance_stake": _stake_evidence,
    "not_largest_lp": _largest_lp_evidence,
    "reinvestment": _reinvestment_evidence,
    "early_stage_share": _early_stage_evidence,
}


def rule_evidence(code: str, params: Mapping[str, Any]) -> Said:
    """The evidence of rule `code`, worded from the figures it was judged on."""
    return RULE_EVIDENCE[code](params)


def _stake_rule(fund: SubFund, share: Decimal | None) -> FundRuleResult:
    ok = share is not None and share <= fund.max_guidance_share
    return FundRuleResult(
        "guidance_stake",
        FundRuleStatus.MET if ok else FundRuleStatus.BREACHED,
        {"share": exact(share), "cap": exact(fund.max_guidance_share)},
    )


def _largest_lp_rule(fund: SubFund) -> FundRuleResult:
    largest = max((lp.commitment for lp in fund.limited_partners), default=ZERO)
    ok = fund.guidance_commitment < largest
    return FundRuleResult(
        "not_largest_lp",
        FundRuleStatus.MET if ok else FundRuleStatus.BREACHED,
        {"guidance_commitment": exact(fund.guidance_commitment), "largest_other": exact(largest)},
    )


def _target_rule(
    code: str,
    achieved: Decimal | None,
    target: Decimal,
    fund: SubFund,
    as_of: date,
    params: dict[str, str | None],
) -> FundRuleResult:
    """A portfolio target: met when reached, pending while the investment period runs."""
    if achieved is not None and achieved >= target:
        status = FundRuleStatus.MET
    elif as_of <= fund.investment_period_end:
        status = FundRuleStatus.PENDING
    else:
        status = FundRuleStatus.BREACHED
    return FundRuleResult(code, status, params)


def sub_fund_figures(fund: SubFund, as_of: date) -> SubFundFigures:
    """The figures and rule statuses of `fund` counting what happened up to `as_of`."""
    size = fund.size
    calls = [(c.called_on, c.amount) for c in fund.capital_calls if c.called_on <= as_of]
    placements = [p for p in fund.placements if p.placed_on <= as_of]
    called = _total(amount for _, amount in calls)
    deployed = _total(p.amount for p in placements)
    reinvested = _total(
        p.amount for p in placements if p.enterprise and p.enterprise.zone_id == fund.zone_id
    )
    early = _total(p.amount for p in placements if is_early_stage(p))
    proceeds = _total(e.proceeds for p in placements for e in p.exits if e.exited_on <= as_of)
    idle_since = _idle_since(calls, deployed)
    share = ratio(fund.guidance_commitment, size)
    achieved = ratio(reinvested, fund.guidance_commitment)
    required = (fund.reinvestment_multiple * fund.guidance_commitment).quantize(
        _CENT, rounding=ROUND_CEILING
    )
    early_share = ratio(early, deployed)
    rules = [
        _stake_rule(fund, share),
        _largest_lp_rule(fund),
        _target_rule(
            "reinvestment",
            reinvested,
            required,
            fund,
            as_of,
            {
                "reinvested": exact(reinvested),
                "achieved": exact(achieved),
                "required": exact(fund.reinvestment_multiple),
                "period_end": fund.investment_period_end.isoformat(),
            },
        ),
        _target_rule(
            "early_stage_share",
            early_share,
            fund.min_early_stage_share,
            fund,
            as_of,
            {
                "early_stage": exact(early),
                "share": exact(early_share),
                "required": exact(fund.min_early_stage_share),
            },
        ),
    ]
    return SubFundFigures(
        sub_fund_id=fund.id,
        name=fund.name,
        as_of=as_of,
        size=size,
        guidance_commitment=fund.guidance_commitment,
        guidance_share=share,
        leverage=ratio(size, fund.guidance_commitment),
        called=called,
        deployed=deployed,
        deployed_share=ratio(deployed, size),
        idle=called - deployed,
        idle_since=idle_since,
        idle_months=months_between(idle_since, as_of) if idle_since else 0,
        reinvested=reinvested,
        reinvestment_achieved=achieved,
        reinvestment_required=required,
        reinvestment_shortfall=max(required - reinvested, ZERO),
        reinvestment_share_achieved=ratio(reinvested, required, rounding=ROUND_DOWN),
        early_stage=early,
        early_stage_share=early_share,
        proceeds=proceeds,
        rules=rules,
    )


@dataclass(frozen=True)
class GuidanceFundFigures:
    """A guidance fund's sub-funds added up."""

    as_of: date
    sub_funds: int
    size: Decimal
    guidance_commitment: Decimal
    leverage: Decimal | None
    called: Decimal
    deployed: Decimal
    deployed_share: Decimal | None
    idle: Decimal
    reinvested: Decimal
    proceeds: Decimal
    breached_rules: int


def guidance_fund_figures(figures: list[SubFundFigures], as_of: date) -> GuidanceFundFigures:
    """Totals over the sub-funds' figures (leverage and shares recomputed on the totals)."""
    size = _total(f.size for f in figures)
    guidance = _total(f.guidance_commitment for f in figures)
    deployed = _total(f.deployed for f in figures)
    return GuidanceFundFigures(
        as_of=as_of,
        sub_funds=len(figures),
        size=size,
        guidance_commitment=guidance,
        leverage=ratio(size, guidance),
        called=_total(f.called for f in figures),
        deployed=deployed,
        deployed_share=ratio(deployed, size),
        idle=_total(f.idle for f in figures),
        reinvested=_total(f.reinvested for f in figures),
        proceeds=_total(f.proceeds for f in figures),
        breached_rules=sum(len(f.breached) for f in figures),
    )
