"""session generation: signing out ends the cookies issued before it, server-side

Revision ID: 0014_session_generation
Revises: 0013_idempotent_requests
Create Date: 2026-12-05 10:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_session_generation"
down_revision = "0013_idempotent_requests"
branch_labels = None
depends_on = None


def upgrade():
    # Cookies issued before this column existed name no generation and are refused: everyone
    # signs in once more after the upgrade.
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("session_generation")
