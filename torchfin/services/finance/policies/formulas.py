"""Amount formulas of policies: pure functions from facts to the amount and how it was worked out.

A policy's formula is data:

- {"type": "interest_share", "share": "0.5", "cap": "500000"}: share x interest paid on the loan
  (贷款贴息), capped;
- {"type": "fee_share", "share": "0.5", "cap": "..."}: share x guarantee fee charged (担保费补贴);
- {"type": "stages", "stages": {"filing": "1000000", "listing": "2000000"}}: a fixed sum per
  stage of a staged reward (上市奖励), each stage paid once, and only once the listing reached
  it (an event at filed or later for "filing", at listed for "listing");
- {"type": "loss_share", "share": "0.2", "cap": "..."}: share of a fund's loss on a placement
  once it exited (创业投资风险补助), capped;
- {"type": "declared"}: the amount a zone administrator declares (rewards recorded before the
  engine).

Amounts are rounded half up to the fen. A missing fact gives None and says which.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from torchfin.services.finance.ledger import to_fen
from torchfin.services.finance.policies.facts import PolicyFacts, stage_needed
from torchfin.services.finance.subjects import GUARANTEE, LISTING, PLACEMENT


@dataclass(frozen=True)
class Working:
    """What a formula gave: the amount (None when a fact is missing) and its working."""

    amount: Decimal | None
    working: dict


def _capped(base_name: str, base: Decimal, formula: dict) -> Working:
    share = Decimal(formula["share"])
    raw = to_fen(base * share)
    working = {base_name: f"{to_fen(base):.2f}", "share": str(share), "raw": f"{raw:.2f}"}
    amount = raw
    if formula.get("cap") is not None and raw > Decimal(formula["cap"]):
        amount = to_fen(Decimal(formula["cap"]))
        working["binding"] = "formula_cap"
    working["cap"] = formula.get("cap")
    return Working(amount, working)


def interest_share(facts: PolicyFacts, formula: dict, stage: str) -> Working:
    """Share of the interest paid on the loan (principal x rate x months / 12), capped."""
    if facts.loan is None:
        return Working(None, {"missing": "loan"})
    loan = facts.loan
    working = _capped("interest_paid", loan.interest_paid, formula)
    return Working(
        working.amount,
        working.working
        | {
            "principal": f"{loan.principal:.2f}",
            "annual_rate": str(loan.annual_rate),
            "months": loan.term_months,
        },
    )


def fee_share(facts: PolicyFacts, formula: dict, stage: str) -> Working:
    """Share of the guarantee fee charged, capped."""
    if facts.loan is None:
        return Working(None, {"missing": "guarantee case"})
    working = _capped("fee", facts.loan.fee, formula)
    return Working(working.amount, working.working | {"principal": f"{facts.loan.principal:.2f}"})


def stages(facts: PolicyFacts, formula: dict, stage: str) -> Working:
    """The fixed sum of `stage`."""
    if stage not in formula["stages"]:
        return Working(None, {"missing": f"stage {stage!r}", "stages": sorted(formula["stages"])})
    wanted = stage_needed(stage)
    if facts.listing is None or facts.listing.reaching(wanted) is None:
        return Working(None, {"missing": f"listing event at stage {wanted}"})
    amount = to_fen(Decimal(formula["stages"][stage]))
    return Working(amount, {"stage": stage, "raw": f"{amount:.2f}"})


def loss_share(facts: PolicyFacts, formula: dict, stage: str) -> Working:
    """Share of a fund's loss on its placement into the enterprise, once exited, capped."""
    if facts.placement is None or facts.placement.loss is None:
        return Working(None, {"missing": "exited placement"})
    working = _capped("loss", facts.placement.loss, formula)
    return Working(working.amount, working.working | {"invested": f"{facts.placement.amount:.2f}"})


def declared(facts: PolicyFacts, formula: dict, stage: str) -> Working:
    """No formula: the zone declares the amount."""
    return Working(None, {"missing": "declared amount"})


FORMULAS: dict[str, Callable[[PolicyFacts, dict, str], Working]] = {
    "interest_share": interest_share,
    "fee_share": fee_share,
    "stages": stages,
    "loss_share": loss_share,
    "declared": declared,
}
# Which subjects each formula's applications follow.
SUBJECT_KINDS = {
    "interest_share": GUARANTEE,
    "fee_share": GUARANTEE,
    "stages": LISTING,
    "loss_share": PLACEMENT,
}


def work_out(formula: dict, facts: PolicyFacts, stage: str) -> Working:
    """Apply `formula` to `facts` for `stage` ("" when the policy is not staged)."""
    return FORMULAS[formula["type"]](facts, formula, stage)
