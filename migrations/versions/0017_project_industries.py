"""projects have industries of their own, copied from their enterprise's to begin with

A project took its industries from its enterprise, so a software company's energy-storage
project was filed under software in search, matching and the dashboards. `project_industry`
links a project to the taxonomy as `enterprise_industry` links an enterprise; each existing
project starts with its enterprise's industries, which is what it was filed under until now.
Downgrading drops the table: projects fall back to their enterprise's industries, and those
that differed lose their own.

Revision ID: 0017_project_industries
Revises: 0016_fund_alert_params
Create Date: 2026-12-05 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_project_industries"
down_revision = "0016_fund_alert_params"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `project_industry` and give every project its enterprise's industries."""
    op.create_table(
        "project_industry",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("industry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_industry_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["industry_id"],
            ["industry.id"],
            name=op.f("fk_project_industry_industry_id_industry"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("project_id", "industry_id", name=op.f("pk_project_industry")),
    )
    op.execute(
        "INSERT INTO project_industry (project_id, industry_id) "
        "SELECT project.id, enterprise_industry.industry_id FROM project "
        "JOIN enterprise_industry ON enterprise_industry.enterprise_id = project.enterprise_id"
    )


def downgrade() -> None:
    """Drop `project_industry`; projects read their enterprise's industries again."""
    op.drop_table("project_industry")
