"""RQ jobs of the finance workflows: thin, taking ids, letting failures reach RQ for retries."""

from pathlib import Path

from flask import current_app

from torchfin.extensions import db
from torchfin.services import idempotency
from torchfin.services.finance import batch_runner, settlement
from torchfin.services.finance.audit_anchors import anchor_heads
from torchfin.services.finance.payments import execution


def execute_payment(payment_id: int) -> str | None:
    """Carry out one payment through the gateway, book it and settle its workflow; safe to rerun."""
    state = execution.execute_payment(payment_id, settlement.settle)
    return str(state) if state else None


def retry_pending_payments() -> int:
    """Enqueue a job again for every payment still pending; return how many."""
    return execution.retry_pending()


def purge_idempotency_keys() -> int:
    """Forget API idempotency keys past their retention; return how many went."""
    return idempotency.purge_expired(db.engine)


def anchor_audit_heads() -> int:
    """Append the signed chain heads to AUDIT_ANCHOR_FILE; return how many chains."""
    config = current_app.config
    return anchor_heads(db.engine, Path(config["AUDIT_ANCHOR_FILE"]), config["AUDIT_ANCHOR_KEY"])


def run_pool_batch(batch_id: int) -> int:
    """Apply the pending rows of a pool batch (repayment file, claim approvals); return how many
    rows of it are done. Safe to rerun: applied rows are no longer pending."""
    batch = batch_runner.work_batch(batch_id)
    return batch.done if batch else 0
