"""Schemas of pool batches: a repayment file, claim approvals, a batch's progress and rows."""

from datetime import date
from decimal import Decimal

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from schemas.fields import Money, MoneyDay, Text, WholeNumber, enum_field
from torchfin.models.enums import BatchRowStatus, BatchStatus, PoolBatchKind


class RepaymentFileSchema(Schema):
    """A multipart upload: the month-end repayment file in the `file` field."""

    file = Upload(
        required=True,
        metadata={
            "description": "CSV (UTF-8 or GBK) or XLSX with the columns 贷款编号 / loan number, "
            "还款金额 / amount, 还款日期 / date, and optionally 流水号 / reference"
        },
    )


class DryRunSchema(Schema):
    """Whether to check the file only."""

    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Check every row and answer with the outcome; write nothing."},
    )


class ResultFormatSchema(Schema):
    """The format of a batch's result file."""

    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))


class ClaimApprovalsSchema(Schema):
    """Claims of one pool to approve at once."""

    claim_ids = fields.List(
        WholeNumber(validate=validate.Range(min=1)),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class RepaymentSchema(Schema):
    """Principal repaid on a pool loan (loaded from a bank's report, dumped once recorded)."""

    id = WholeNumber(dump_only=True)
    pool_id = WholeNumber(dump_only=True)
    loan_id = WholeNumber(dump_only=True)
    amount = Money(required=True, minimum=Decimal("0.01"))
    paid_on = MoneyDay(load_default=date.today)
    reference = Text(
        load_default="",
        max_length=60,
        min_length=0,
        metadata={
            "description": "The bank's reference (流水号), telling apart two repayments "
            "of one loan, one day and one amount"
        },
    )
    created = fields.Boolean(
        dump_only=True, metadata={"description": "False: this repayment was recorded before."}
    )
    outstanding = Money(dump_only=True, metadata={"description": "Principal still owed."})


class RowCountsSchema(Schema):
    """How many rows of a batch stand where."""

    pending = WholeNumber()
    applied = WholeNumber()
    duplicate = WholeNumber()
    error = WholeNumber()


class PoolBatchRowSchema(Schema):
    """One row of a batch and how it ended."""

    row_no = WholeNumber(metadata={"description": "Row number in the file (header is row 1)."})
    loan_no = fields.String()
    loan_id = WholeNumber(allow_none=True)
    claim_id = WholeNumber(allow_none=True)
    amount = Money(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    reference = fields.String()
    status = enum_field(BatchRowStatus)
    message = fields.String()


class PoolBatchSchema(Schema):
    """A batch: its progress (`done` of `total` rows), counts, and the rows refused."""

    id = WholeNumber(allow_none=True, metadata={"description": "None on a dry run."})
    pool_id = WholeNumber()
    kind = enum_field(PoolBatchKind)
    status = enum_field(BatchStatus)
    dry_run = fields.Boolean()
    filename = fields.String()
    file_sha256 = fields.String()
    total = WholeNumber()
    done = WholeNumber()
    counts = fields.Nested(RowCountsSchema)
    errors = fields.List(
        fields.Nested(PoolBatchRowSchema),
        metadata={"description": "The rows in error (the first 200), each with its message."},
    )
    error = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
