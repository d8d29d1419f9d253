"""registry imports: a zone's enterprise file imported by a job, and the changes it made

- `enterprise.registered_address` (注册地址): existing enterprises have none recorded yet ("").
- `registry_import`: one uploaded file (kept, so any worker can run or resume it), its
  progress, its counts and its result file.
- `registry_import_chunk`: the rows' fates, one record per chunk committed with its changes.
- `enterprise_change`: each field an import changed, with the old and the new value.

Downgrading drops the three tables and the column.

Revision ID: 0021_registry_imports
Revises: 0020_pool_batches
Create Date: 2026-12-05 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_registry_imports"
down_revision = "0020_pool_batches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the address column and create the imports, their chunks and the change records."""
    with op.batch_alter_table("enterprise", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(
            sa.Column(
                "registered_address", sa.String(length=300), nullable=False, server_default=""
            )
        )
    op.create_table(
        "registry_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.LargeBinary(), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_registry_import_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zone.id"], name=op.f("fk_registry_import_zone_id_zone")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_import")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_registry_import_created_by_id"), "registry_import", ["created_by_id"])
    op.create_index(op.f("ix_registry_import_zone_id"), "registry_import", ["zone_id"])
    op.create_table(
        "registry_import_chunk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["registry_import.id"],
            name=op.f("fk_registry_import_chunk_import_id_registry_import"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_import_chunk")),
        sa.UniqueConstraint(
            "import_id", "chunk_no", name=op.f("uq_registry_import_chunk_import_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "enterprise_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_enterprise_change_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["registry_import.id"],
            name=op.f("fk_enterprise_change_import_id_registry_import"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_enterprise_change_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_change")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_enterprise_change_enterprise_id"), "enterprise_change", ["enterprise_id"]
    )
    op.create_index(op.f("ix_enterprise_change_import_id"), "enterprise_change", ["import_id"])


def downgrade() -> None:
    """Drop the change records, the chunks, the imports and the address column."""
    op.drop_index(op.f("ix_enterprise_change_import_id"), table_name="enterprise_change")
    op.drop_index(op.f("ix_enterprise_change_enterprise_id"), table_name="enterprise_change")
    op.drop_table("enterprise_change")
    op.drop_table("registry_import_chunk")
    op.drop_index(op.f("ix_registry_import_zone_id"), table_name="registry_import")
    op.drop_index(op.f("ix_registry_import_created_by_id"), table_name="registry_import")
    op.drop_table("registry_import")
    with op.batch_alter_table("enterprise", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("registered_address")
