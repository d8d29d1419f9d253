"""What a succeeded payment changes in its workflow, dispatched on the kind of its subject.

It stands above the workflows it serves: the worker's job hands `settle` to the payments'
execution, which books a payment and settles it in one commit without knowing any workflow.
"""

from sqlalchemy.orm import Session

from torchfin.models import Payment
from torchfin.services.finance import guarantees, pools
from torchfin.services.finance.policies import applications
from torchfin.services.finance.subjects import (
    CLAIM,
    GUARANTEE,
    POLICY_APPLICATION,
    POOL,
    parse_subject,
)

SETTLERS = {
    GUARANTEE: guarantees.settle_payment,
    CLAIM: pools.settle_claim_payment,
    POOL: pools.settle_pool_payment,
    POLICY_APPLICATION: applications.settle_payment,
}


def settle(session: Session, payment: Payment) -> None:
    """Apply the effect of `payment` to the case, claim, pool or application it serves (not
    committed)."""
    kind, _ = parse_subject(payment.subject)
    SETTLERS[kind](session, payment)
