"""What a succeeded payment changes in its workflow, dispatched on the kind of its subject."""

from sqlalchemy.orm import Session

from torchfin.models import Payment
from torchfin.services.finance import guarantees, pools


def settle(session: Session, payment: Payment) -> None:
    """Apply the effect of `payment` to the case, claim or pool it serves (not committed)."""
    kind = payment.subject.split(":", 1)[0]
    handlers = {
        "guarantee": guarantees.settle_payment,
        "claim": pools.settle_claim_payment,
        "pool": pools.settle_pool_payment,
    }
    handlers[kind](session, payment)
