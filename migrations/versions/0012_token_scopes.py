"""token scopes: what an API bearer token may do (read, write)

Revision ID: 0012_token_scopes
Revises: 0011_data_room
Create Date: 2026-11-26 02:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_token_scopes"
down_revision = "0011_data_room"
branch_labels = None
depends_on = None


def upgrade():
    # Existing tokens could do everything before scopes existed: they keep both until expiry.
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.add_column(
            sa.Column("scopes", sa.String(length=100), server_default="read write", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.drop_column("scopes")
