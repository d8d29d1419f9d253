"""match rank indexes: each side's matches best first, for the incremental path's k-th best

The incremental path asks, for every candidate counterpart of a changed project or mandate,
which stored match is its k-th best. With (mandate_id, score DESC, project_id) and
(project_id, score DESC, mandate_id) that is a walk of k index entries; before, every stored
match of every candidate was ranked (about a second per project with 10,000 mandates). The
plain project_id index goes: the second one, like the unique (project_id, mandate_id), starts
with it.

Revision ID: 0019_match_rank_indexes
Revises: 0018_claim_parts
Create Date: 2026-12-05 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_match_rank_indexes"
down_revision = "0018_claim_parts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_match_mandate_rank", "match", ["mandate_id", sa.text("score DESC"), "project_id"]
    )
    op.create_index(
        "ix_match_project_rank", "match", ["project_id", sa.text("score DESC"), "mandate_id"]
    )
    op.drop_index("ix_match_project_id", table_name="match")


def downgrade() -> None:
    op.create_index("ix_match_project_id", "match", ["project_id"])
    op.drop_index("ix_match_project_rank", table_name="match")
    op.drop_index("ix_match_mandate_rank", table_name="match")
