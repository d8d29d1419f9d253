"""watchlists: users follow enterprises and hear of their events once

- `follow`: a user following an enterprise, delivered instantly or in a daily digest (when the
  last digest carried its events is kept); unique per (user, enterprise).
- `enterprise_event`: a published project, a stage change, a financing, a listing, a merger or a
  changed readiness result, unique per (kind, source_ref) so each is recorded once.
- `event_delivery`: one event having reached one user, unique per (user, event), which makes
  announcements exactly-once under retried and concurrent jobs.
- `notification.event_ids`: the events a notification announces (empty for saved-search ones).

Downgrading drops the three tables and the column (the notifications stay, without their events).

Revision ID: 0022_watchlists
Revises: 0021_registry_imports
Create Date: 2026-12-05 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_watchlists"
down_revision = "0021_registry_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the follows, events and deliveries; give notifications their events."""
    op.create_table(
        "follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_follow_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_follow_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow")),
        sa.UniqueConstraint("user_id", "enterprise_id", name=op.f("uq_follow_user_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_follow_enterprise_id"), "follow", ["enterprise_id"])
    op.create_table(
        "enterprise_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=80), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_enterprise_event_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_enterprise_event_project_id_project"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_event")),
        sa.UniqueConstraint("kind", "source_ref", name=op.f("uq_enterprise_event_kind")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_enterprise_event_enterprise_id"), "enterprise_event", ["enterprise_id"]
    )
    op.create_index(op.f("ix_enterprise_event_occurred_at"), "enterprise_event", ["occurred_at"])
    op.create_table(
        "event_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_event_delivery_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["enterprise_event.id"],
            name=op.f("fk_event_delivery_event_id_enterprise_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_delivery")),
        sa.UniqueConstraint("user_id", "event_id", name=op.f("uq_event_delivery_user_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_event_delivery_event_id"), "event_delivery", ["event_id"])
    with op.batch_alter_table(
        "notification", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(
            sa.Column("event_ids", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade() -> None:
    """Drop the column and the three tables."""
    with op.batch_alter_table(
        "notification", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("event_ids")
    op.drop_table("event_delivery")
    op.drop_table("enterprise_event")
    op.drop_table("follow")
