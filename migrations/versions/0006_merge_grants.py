"""merge the grants/duplicates branch (0005) with the finance and funds branches (0004)

Revision ID: 0006_merge_grants
Revises: 0004_merge, 0005_grants

0005 starts from the initial schema like 0002 and 0003 and touches disjoint tables; this revision
only joins the heads so `flask db upgrade` (and the test suite) has a single head again.
"""

# revision identifiers, used by Alembic.
revision = "0006_merge_grants"
down_revision = ("0004_merge", "0005_grants")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
