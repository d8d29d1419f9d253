"""Evaluating a policy version for an enterprise and subject: its rules, then its amount and caps.

An evaluation is stored on the application as it was worked out (policy version, every rule's
result and evidence, the formula's working), so a later version of the policy never changes an
application already evaluated under an earlier one.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from torchfin.models import Policy
from torchfin.models.enums import ReadinessOutcome, RuleStatus
from torchfin.services.finance.ledger import ZERO
from torchfin.services.finance.policies.facts import PolicyFacts
from torchfin.services.finance.policies.formulas import work_out
from torchfin.services.finance.policies.rules import evaluate_rule
from torchfin.services.readiness.rule_sets import overall
from torchfin.services.readiness.rules import NOTHING_TO_DO, RuleResult
from torchfin.services.said import Said


@dataclass(frozen=True)
class PolicyEvaluation:
    """Every rule's result, the outcome (ready = eligible), the amount and its working."""

    policy_id: int
    version: int
    as_of: date
    outcome: ReadinessOutcome
    results: list[RuleResult]
    amount: Decimal | None
    working: dict

    @property
    def eligible(self) -> bool:
        """No rule failed and an amount could be worked out (unknowns go to the reviewer)."""
        return self.outcome != ReadinessOutcome.NOT_READY and bool(self.amount)

    def as_dict(self) -> dict:
        """The stored and served form."""
        return {
            "policy_id": self.policy_id,
            "version": self.version,
            "as_of": self.as_of.isoformat(),
            "outcome": self.outcome.value,
            "results": [r.as_dict() for r in self.results],
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "working": self.working,
        }


def in_force(policy: Policy, as_of: date) -> RuleResult:
    """Every policy's first rule: it is in force on the date."""
    window = Said(
        f"有效期{policy.valid_from}至{policy.valid_to or '长期'}。",
        f"In force from {policy.valid_from} to {policy.valid_to or 'further notice'}.",
    )
    if policy.valid_from <= as_of and (policy.valid_to is None or as_of <= policy.valid_to):
        return RuleResult("in_force", RuleStatus.PASS, window, NOTHING_TO_DO)
    return RuleResult(
        "in_force",
        RuleStatus.FAIL,
        window,
        Said("政策不在有效期内。", "The policy is not in force."),
    )


def apply_caps(policy: Policy, amount: Decimal, facts: PolicyFacts) -> tuple[Decimal, dict]:
    """`amount` within what the enterprise may still receive this year and over the policy."""
    caps = {}
    if policy.yearly_cap is not None:
        caps["yearly_cap"] = max(policy.yearly_cap - facts.received_this_year, ZERO)
    if policy.per_enterprise_cap is not None:
        caps["per_enterprise_cap"] = max(policy.per_enterprise_cap - facts.received_in_total, ZERO)
    working = {name: f"{left:.2f}" for name, left in caps.items()}
    for name, left in caps.items():
        if left < amount:
            amount, working["binding"] = left, name
    return amount, working


def evaluate(policy: Policy, facts: PolicyFacts, stage: str) -> PolicyEvaluation:
    """Apply `policy`'s rules and formula to `facts` for `stage`."""
    results = [in_force(policy, facts.as_of)] + [
        evaluate_rule(spec | {"zone_id": policy.zone_id, "stage": stage}, facts)
        for spec in policy.rules
    ]
    worked = work_out(policy.formula, facts, stage)
    amount, working = worked.amount, dict(worked.working)
    if amount is not None:
        amount, left = apply_caps(policy, amount, facts)
        working |= {"left": left, "amount": f"{amount:.2f}"}
    return PolicyEvaluation(
        policy.id,
        policy.version,
        facts.as_of,
        overall([r.status for r in results]),
        results,
        amount,
        working,
    )
