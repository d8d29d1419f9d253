"""merge the saved-searches branch (0004_saved_searches) with the other branches (0006)

Revision ID: 0007_merge_saved_searches
Revises: 0006_merge_grants, 0004_saved_searches

0004_saved_searches starts from the initial schema like 0002, 0003 and 0005 and touches disjoint
tables; this revision only joins the heads so `flask db upgrade` (and the test suite) has a single
head again.
"""

# revision identifiers, used by Alembic.
revision = "0007_merge_saved_searches"
down_revision = ("0006_merge_grants", "0004_saved_searches")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
