"""The net loss of a pool claim, worked out from what the bank reports.

The bank reports three figures of the defaulted loan: the principal still outstanding, the
interest accrued on it, and what collateral and guarantees realised. The pool shares

    net loss = outstanding principal + interest counted - realised

where the interest counts only when the pool's terms cover interest (`RiskPool.covers_interest`;
zone pools usually share the principal lost only). Everything realised reduces the loss the pool
shares, whether or not it covers interest: the pool shares what the bank finally lost of what it
covers, the conservative reading for public money. The payable is then worked out from the net
loss by the pool's usual limits (`pools.work_out_payable`).
"""

from dataclasses import dataclass
from decimal import Decimal

from torchfin.models import PoolLoan, RiskPool

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LossParts:
    """What the bank reports of a defaulted loan, in yuan."""

    outstanding_principal: Decimal
    accrued_interest: Decimal
    collateral_realised: Decimal  # collateral sold and guarantees called

    @classmethod
    def of(cls, data: dict) -> "LossParts":
        """The parts as the claim schema loaded them."""
        return cls(
            data["outstanding_principal"], data["accrued_interest"], data["collateral_realised"]
        )

    def interest_counted(self, pool: RiskPool) -> Decimal:
        """The accrued interest where the pool covers interest, else nothing."""
        return self.accrued_interest if pool.covers_interest else ZERO

    def outstanding(self, pool: RiskPool) -> Decimal:
        """What the bank is owed of what the pool covers: principal and interest counted."""
        return self.outstanding_principal + self.interest_counted(pool)

    def net_loss(self, pool: RiskPool) -> Decimal:
        """Outstanding principal + interest counted - realised."""
        return self.outstanding(pool) - self.collateral_realised

    def as_data(self, pool: RiskPool) -> dict:
        """The parts and the net loss as strings of yuan, for the claim's audit trail."""
        return {
            "outstanding_principal": f"{self.outstanding_principal:.2f}",
            "accrued_interest": f"{self.accrued_interest:.2f}",
            "interest_counted": f"{self.interest_counted(pool):.2f}",
            "collateral_realised": f"{self.collateral_realised:.2f}",
            "net_loss": f"{self.net_loss(pool):.2f}",
        }


def refusals(parts: LossParts, loan: PoolLoan, pool: RiskPool) -> dict[str, list[str]]:
    """What is wrong with the parts of a claim on `loan`, by field (empty when nothing is).

    Outstanding principal beyond the loan's principal cannot be; realised money that reaches the
    outstanding amount leaves no loss to share.
    """
    errors = {}
    if parts.outstanding_principal > loan.principal:
        errors["outstanding_principal"] = [
            f"Cannot exceed the loan's principal of {loan.principal:.2f}."
        ]
    if parts.collateral_realised >= parts.outstanding(pool):
        errors["collateral_realised"] = [
            f"Must be less than the outstanding amount of {parts.outstanding(pool):.2f}."
        ]
    return errors
