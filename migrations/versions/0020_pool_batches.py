"""pool batches: repayments of pool loans, and batches of repayments or claim approvals

- `pool_repayment`: principal a bank reports repaid on a pool loan, unique by its idempotency
  key, so the same repayment reported twice is recorded (and booked) once.
- `pool_batch` and `pool_batch_row`: a bank's month-end repayment file or a sponsor's claim
  approvals, validated row by row and applied by an RQ job, each row's outcome kept for the
  result file.

Existing loans have no repayments: their outstanding principal is their principal until one is
reported. Downgrading drops the three tables (the ledger keeps the repayments it booked).

Revision ID: 0020_pool_batches
Revises: 0019_match_rank_indexes
Create Date: 2026-12-05 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_pool_batches"
down_revision = "0019_match_rank_indexes"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=18, scale=2)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    """Create the repayments, the batches and their rows."""
    op.create_table(
        "pool_repayment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["risk_pool.id"], name=op.f("fk_pool_repayment_pool_id_risk_pool")
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["pool_loan.id"], name=op.f("fk_pool_repayment_loan_id_pool_loan")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_pool_repayment_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_repayment")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_pool_repayment_idempotency_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_pool_repayment_pool_id"), "pool_repayment", ["pool_id"])
    op.create_index(op.f("ix_pool_repayment_loan_id"), "pool_repayment", ["loan_id"])
    op.create_table(
        "pool_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["risk_pool.id"], name=op.f("fk_pool_batch_pool_id_risk_pool")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_pool_batch_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_batch")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_pool_batch_pool_id"), "pool_batch", ["pool_id"])
    op.create_index(op.f("ix_pool_batch_created_by_id"), "pool_batch", ["created_by_id"])
    op.create_table(
        "pool_batch_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("loan_no", sa.String(length=60), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["pool_batch.id"],
            name=op.f("fk_pool_batch_row_batch_id_pool_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["pool_loan.id"], name=op.f("fk_pool_batch_row_loan_id_pool_loan")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["pool_claim.id"], name=op.f("fk_pool_batch_row_claim_id_pool_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_batch_row")),
        sa.UniqueConstraint("batch_id", "row_no", name=op.f("uq_pool_batch_row_batch_id")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop the batch rows, the batches and the repayments."""
    op.drop_table("pool_batch_row")
    op.drop_index(op.f("ix_pool_batch_created_by_id"), table_name="pool_batch")
    op.drop_index(op.f("ix_pool_batch_pool_id"), table_name="pool_batch")
    op.drop_table("pool_batch")
    op.drop_index(op.f("ix_pool_repayment_loan_id"), table_name="pool_repayment")
    op.drop_index(op.f("ix_pool_repayment_pool_id"), table_name="pool_repayment")
    op.drop_table("pool_repayment")
