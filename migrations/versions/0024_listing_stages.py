"""listing stages: a listing event records the stage its listing reached

- `listing_event.stage`: filed (申报受理), approved (审核通过/注册) or listed (上市/挂牌; a merger
  once completed). The events recorded before were listings and completed mergers, so every
  existing row becomes `listed`. An enterprise may now have several events on one venue.

Downgrading drops the column (the events stay, without their stage).

Revision ID: 0024_listing_stages
Revises: 0023_policies
Create Date: 2026-12-05 19:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_listing_stages"
down_revision = "0023_policies"
branch_labels = None
depends_on = None

STAGE = sa.Enum(
    "filed",
    "approved",
    "listed",
    name="listingstage",
    native_enum=False,
    length=12,
)


def upgrade() -> None:
    """Give listing events their stage, `listed` for the rows already there."""
    with op.batch_alter_table(
        "listing_event", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("stage", STAGE, nullable=False, server_default="listed"))


def downgrade() -> None:
    """Drop the stage of listing events."""
    with op.batch_alter_table(
        "listing_event", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("stage")
