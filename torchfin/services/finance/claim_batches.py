"""The sponsor approving several claims of a pool at once: one batch, one row per claim.

Each row is approved by `pools.act_on_claim`, as one approval through the API is, so the
payable is worked out again against what the approvals before it reserved. A claim already
approved (or paid) is a duplicate: approving the same list again changes nothing.
"""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import PoolBatch, PoolBatchRow, PoolClaim, PoolLoan, RiskPool, User
from torchfin.models.enums import BatchRowStatus, ClaimState, PoolBatchKind
from torchfin.services.errors import Forbidden, Invalid
from torchfin.services.finance import pools
from torchfin.services.finance.pool_batches import new_batch, save_and_enqueue
from torchfin.services.records import get_or_404

APPROVE = "approve"
ALREADY_APPROVED = frozenset({ClaimState.APPROVED, ClaimState.PAID})
MAX_CLAIMS = 500


def approval_key(claim_id: int) -> str:
    """The idempotency key of a claim's approval: a claim is approved once."""
    return f"{APPROVE}:{pools.claim_subject(claim_id)}"


def start_claim_approvals(user: User, pool_id: int, claim_ids: list[int]) -> PoolBatch:
    """Save a batch approving `claim_ids` of pool `pool_id` and enqueue its job.

    Only the pool's sponsor asks, as only it approves a claim (`pools.CLAIM_MOVES`). Claims
    unknown or of another pool are rows in error from the start, and so is a claim named twice
    (its second row).
    """
    pool = get_or_404(RiskPool, pool_id, "pool")
    if not pools.is_sponsor(user, pool):
        raise Forbidden(
            f"只有资金池 {pool.id} 的出资方可以批准理赔 / "
            f"only the sponsor of pool {pool.id} approves its claims"
        )
    if not claim_ids:
        raise Invalid("no claims", {"claim_ids": ["请列出理赔编号 / List one claim or more."]})
    if len(claim_ids) > MAX_CLAIMS:
        raise Invalid(
            "too many claims", {"claim_ids": [f"最多 {MAX_CLAIMS} 笔 / At most {MAX_CLAIMS}."]}
        )
    # Each claim's loan number goes into its row, so the result file names the loan too.
    known = dict(
        db.session.execute(
            select(PoolClaim.id, PoolLoan.loan_no)
            .join(PoolLoan, PoolLoan.id == PoolClaim.loan_id)
            .where(PoolClaim.id.in_(claim_ids), PoolClaim.pool_id == pool.id)
        ).all()
    )
    batch = new_batch(PoolBatchKind.CLAIM_APPROVALS, pool.id, user)
    seen: dict[int, int] = {}
    for row_no, claim_id in enumerate(claim_ids, start=1):
        row = PoolBatchRow(
            row_no=row_no,
            claim_id=claim_id if claim_id in known else None,
            idempotency_key=approval_key(claim_id),
            status=BatchRowStatus.PENDING,
            message="",
            loan_no=known.get(claim_id, ""),
            reference="",
        )
        earlier = seen.setdefault(claim_id, row_no)
        if claim_id not in known:
            row.status = BatchRowStatus.ERROR
            row.message = f"资金池内无理赔 {claim_id} / no claim {claim_id} in pool {pool.id}"
        elif earlier != row_no:
            row.status = BatchRowStatus.ERROR
            row.message = f"与第 {earlier} 行重复 / repeats row {earlier}"
        batch.rows.append(row)
    return save_and_enqueue(batch)


def apply_claim_row(row: PoolBatchRow, actor: User | None, pool_id: int) -> tuple[bool, str]:
    """Approve one claim of the batch; (whether it was approved now, a message). Refusals raise."""
    if actor is None:
        raise Forbidden("理赔由资金池出资方批准 / a claim is approved by its pool's sponsor")
    claim = pools.get_claim(actor, row.claim_id)
    if claim.state in ALREADY_APPROVED:
        return False, f"理赔已批准（{claim.state}）/ the claim is already {claim.state}"
    claim = pools.act_on_claim(actor, row.claim_id, APPROVE, {}, pool_id)
    return True, f"已批准，应付 {claim.payable:.2f} / approved; payable {claim.payable:.2f}"
