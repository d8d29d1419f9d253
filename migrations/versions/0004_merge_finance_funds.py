"""merge the finance-workflow (0002) and funds/readiness (0003) branches

Revision ID: 0004_merge
Revises: 0002_finance, 0003_funds

Both branches start from the initial schema and touch disjoint tables; this revision only joins
them so `flask db upgrade` has a single head again.
"""

# revision identifiers, used by Alembic.
revision = "0004_merge"
down_revision = ("0002_finance", "0003_funds")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
