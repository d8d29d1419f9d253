"""claims keep the parts of their net loss, pools cover interest or not, money counts from a time

Three changes, for claims worked out from their parts and for dated opening balances of pools:

- `pool_claim.outstanding_principal`, `accrued_interest`, `collateral_realised`: what the bank
  reports, from which the platform works out the net loss. Existing claims keep the net loss
  their bank typed, and their parts stay NULL: nobody reported them, and writing the net loss
  as principal with nothing realised would state facts no bank gave (that no collateral was
  sold), which the pages and the API would then show as reported.
- `risk_pool.covers_interest`: whether a claim's net loss counts accrued interest. Existing
  pools cover the principal lost only (false): their terms said nothing of interest, and the
  usual terms of zone pools share the principal lost.
- `ledger_transaction.value_at`: when the money counts on the accounts, which balances and
  statements now read instead of `created_at`; existing transactions count from when they were
  booked. A pool's opening balance is dated to the day the sponsor's books give.

Downgrading drops the three: claims keep their net loss, and an opening balance stays booked
(the pool holds the money) but counts from when it was recorded again.

Revision ID: 0018_claim_parts
Revises: 0017_project_industries
Create Date: 2026-12-05 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_claim_parts"
down_revision = "0017_project_industries"
branch_labels = None
depends_on = None

CLAIM_PARTS = ("outstanding_principal", "accrued_interest", "collateral_realised")


def _rebuilt(table: str):
    # SQLite rebuilds the table; reflection would drop its AUTOINCREMENT (see 0015).
    return op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True})


def upgrade() -> None:
    """Add the claim parts (NULL on existing claims), the pools' interest term (false) and the
    transactions' value time (their booking time)."""
    with _rebuilt("pool_claim") as batch_op:
        for name in CLAIM_PARTS:
            batch_op.add_column(sa.Column(name, sa.Numeric(precision=18, scale=2), nullable=True))
    with _rebuilt("risk_pool") as batch_op:
        batch_op.add_column(
            sa.Column("covers_interest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with _rebuilt("ledger_transaction") as batch_op:
        batch_op.add_column(sa.Column("value_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE ledger_transaction SET value_at = created_at")
    with _rebuilt("ledger_transaction") as batch_op:
        batch_op.alter_column("value_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_ledger_transaction_value_at"), ["value_at"], unique=False
        )


def downgrade() -> None:
    """Drop the three; net losses and booked opening balances stay."""
    with _rebuilt("ledger_transaction") as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_transaction_value_at"))
        batch_op.drop_column("value_at")
    with _rebuilt("risk_pool") as batch_op:
        batch_op.drop_column("covers_interest")
    with _rebuilt("pool_claim") as batch_op:
        for name in CLAIM_PARTS:
            batch_op.drop_column(name)
