"""Pool batches: a bank's month-end repayment file, a sponsor's claim approvals, and one
repayment reported on its own; each batch's progress, rows and result file."""

from datetime import UTC, datetime

from flask import Response
from flask_smorest import Blueprint

from schemas.pool_batch import (
    ClaimApprovalsSchema,
    DryRunSchema,
    PoolBatchRowSchema,
    PoolBatchSchema,
    RepaymentFileSchema,
    RepaymentSchema,
    ResultFormatSchema,
)
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.services.finance import claim_batches, pool_batches, repayment_batches, repayments

blp = Blueprint(
    "pool_batches",
    __name__,
    url_prefix=PREFIX,
    description="Batches of pool repayments and claim approvals",
)
BLUEPRINTS = (blp,)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@blp.route("/pools/<int:pool_id>/repayment-batches", methods=["POST"])
@blp.arguments(RepaymentFileSchema, location="files")
@blp.arguments(DryRunSchema, location="query")
@blp.response(202, PoolBatchSchema)
@blp.alt_response(200, description="A dry run: every row checked, nothing written")
@blp.alt_response(422, description="The file cannot be read: empty, wrong type, a column missing")
def repayment_batch(files: dict, args: dict, pool_id: int):
    """Upload a month-end repayment file of the pool (a bank, for its own loans).

    Every row is checked first; rows refused are listed under `errors` with their row number,
    column and message. One job then applies the other rows, each exactly once: a row repeating
    a repayment already recorded (the same file uploaded again) is a duplicate and changes
    nothing. Follow the progress at /pool-batches/{id}; download the per-row result file there.
    """
    upload = files["file"]
    batch = repayment_batches.start_repayment_batch(
        caller(), pool_id, upload.filename or "", upload.stream.read(), dry_run=args["dry_run"]
    )
    if args["dry_run"]:
        return pool_batches.summary(batch, dry_run=True), 200
    return pool_batches.summary(batch)


@blp.route("/pools/<int:pool_id>/claim-approvals", methods=["POST"])
@blp.arguments(ClaimApprovalsSchema)
@blp.response(202, PoolBatchSchema)
def claim_approvals(data: dict, pool_id: int):
    """Approve several claims of the pool in one job (its sponsor).

    Each claim is approved as on its own, its payable worked out again; a claim already
    approved is a duplicate, so sending the same list again changes nothing.
    """
    batch = claim_batches.start_claim_approvals(caller(), pool_id, data["claim_ids"])
    return pool_batches.summary(batch)


@blp.route("/pool-batches/<int:batch_id>")
@blp.response(200, PoolBatchSchema)
def batch_detail(batch_id: int):
    """A batch's progress (rows done of total), counts and rows in error."""
    return pool_batches.summary(pool_batches.get_batch(caller(), batch_id))


@blp.route("/pool-batches/<int:batch_id>/rows")
@blp.response(200, PoolBatchRowSchema(many=True))
@blp.paginate(SelectPage)
def batch_rows(batch_id: int):
    """Every row of a batch with its outcome, by row number."""
    return pool_batches.batch_rows(pool_batches.get_batch(caller(), batch_id))


@blp.route("/pool-batches/<int:batch_id>/results")
@blp.arguments(ResultFormatSchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "The per-row result file",
            "content": {media: {} for media in MEDIA_TYPES.values()},
        }
    }
)
def batch_results(args: dict, batch_id: int):
    """Download the per-row result file (CSV or XLSX): row, loan, claim, amount, status, message."""
    batch = pool_batches.get_batch(caller(), batch_id)
    extension = args["format"]
    render = pool_batches.result_xlsx if extension == "xlsx" else pool_batches.result_csv
    response = Response(render(batch), mimetype=MEDIA_TYPES[extension])
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="pool-batch-{batch.id}-results-{stamp}.{extension}"'
    )
    return response


@blp.route("/pool-loans/<int:loan_id>/repayments", methods=["POST"])
@blp.arguments(RepaymentSchema)
@blp.response(201, RepaymentSchema)
@blp.alt_response(200, description="The same repayment was recorded before; nothing changed")
def loan_repayment(data: dict, loan_id: int):
    """Report principal repaid on a pool loan (its bank), booked once in the ledger.

    The repayment that brings the outstanding principal to zero closes the loan as repaid.
    """
    outcome = repayments.record_repayment(
        caller(), loan_id, data["amount"], data["paid_on"], data["reference"]
    )
    repayment = outcome.repayment
    body = {
        "id": repayment.id,
        "pool_id": repayment.pool_id,
        "loan_id": repayment.loan_id,
        "amount": repayment.amount,
        "paid_on": repayment.paid_on,
        "reference": repayment.reference,
        "created": outcome.created,
        "outstanding": repayments.outstanding_principal(repayment.loan),
    }
    return (body, 201) if outcome.created else (body, 200)
