"""policies: tech-finance policies as data, their budgets, applications and documents

- `policy`: one version of a zone's policy (kind, validity, rules and formula as JSON, caps,
  yearly budget), unique by zone, code and version.
- `policy_budget`: a year's budget of a policy code in a zone, with what approvals reserved and
  what was paid.
- `policy_application`: an enterprise's application under a policy version for a subject and a
  stage; a partial unique index keeps one live (not rejected) application per zone, code,
  enterprise, subject and stage.
- `policy_document`: files attached to an application (kept in the data room's file store).

The listing and M&A rewards recorded before (`incentive_reward`) become applications under a
"legacy" policy per zone and kind (listing_reward, merger_reward for mergers), with no budget
limit: a recorded reward is an approved application, a paid one a paid application whose ledger
reference is the "reward:<id>" transaction it was booked under, so the ledger is untouched and
`flask ledger check` finds each paid one booked. The reward's free-text policy name is kept as
the application's note, its id in the evaluation. Then `incentive_reward` is dropped.

Downgrading recreates `incentive_reward` from the legacy applications (ids as the evaluation
kept them) and drops the four tables: applications under declared policies are lost.

Revision ID: 0023_policies
Revises: 0020_pool_batches
Create Date: 2026-12-05 18:30:00.000000

"""

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_policies"
down_revision = "0020_pool_batches"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=18, scale=2)
LEGACY_CODES = {"listing_reward": "legacy-listing-reward", "merger_reward": "legacy-merger-reward"}
LEGACY_NAMES = {
    "listing_reward": ("上市/挂牌奖励（历史记录）", "Listing rewards (recorded before policies)"),
    "merger_reward": ("并购奖励（历史记录）", "Merger rewards (recorded before policies)"),
}


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["user_account.id"],
        name=op.f(f"fk_{table}_{column}_user_account"),
        ondelete="SET NULL",
    )


def upgrade() -> None:
    """Create the policy tables, move the recorded rewards in, drop `incentive_reward`."""
    op.create_table(
        "policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("formula", sa.JSON(), nullable=False),
        sa.Column("per_enterprise_cap", MONEY, nullable=True),
        sa.Column("yearly_cap", MONEY, nullable=True),
        sa.Column("yearly_budget", MONEY, nullable=True),
        sa.Column("legacy", sa.Boolean(), nullable=False),
        sa.Column("declared_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zone.id"], name=op.f("fk_policy_zone_id_zone"), ondelete="RESTRICT"
        ),
        _user_fk("policy", "declared_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy")),
        sa.UniqueConstraint("zone_id", "code", "version", name=op.f("uq_policy_zone_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_policy_zone_id"), "policy", ["zone_id"])
    op.create_table(
        "policy_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("policy_code", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("reserved", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
            name=op.f("fk_policy_budget_zone_id_zone"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_budget")),
        sa.UniqueConstraint(
            "zone_id", "policy_code", "year", name=op.f("uq_policy_budget_zone_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "policy_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("policy_code", sa.String(length=60), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("budget_year", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("ledger_reference", sa.String(length=40), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policy.id"],
            name=op.f("fk_policy_application_policy_id_policy"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
            name=op.f("fk_policy_application_zone_id_zone"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_policy_application_enterprise_id_enterprise"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_policy_application_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        _user_fk("policy_application", "applicant_id"),
        _user_fk("policy_application", "decided_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_application")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_policy_application_policy_id"), "policy_application", ["policy_id"])
    op.create_index(op.f("ix_policy_application_zone_id"), "policy_application", ["zone_id"])
    op.create_index(
        op.f("ix_policy_application_enterprise_id"), "policy_application", ["enterprise_id"]
    )
    op.create_index(op.f("ix_policy_application_state"), "policy_application", ["state"])
    op.create_index(
        "uq_policy_application_live_claim",
        "policy_application",
        ["zone_id", "policy_code", "enterprise_id", "subject", "stage"],
        unique=True,
        sqlite_where=sa.text("state != 'rejected'"),
        postgresql_where=sa.text("state != 'rejected'"),
    )
    op.create_table(
        "policy_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["policy_application.id"],
            name=op.f("fk_policy_document_application_id_policy_application"),
            ondelete="CASCADE",
        ),
        _user_fk("policy_document", "uploaded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_document")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_policy_document_storage_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_policy_document_application_id"), "policy_document", ["application_id"]
    )
    _move_rewards_in()
    op.drop_index(op.f("ix_incentive_reward_event_id"), table_name="incentive_reward")
    op.drop_table("incentive_reward")


_policy = sa.table(
    "policy",
    *(
        sa.column(name)
        for name in (
            "id",
            "zone_id",
            "code",
            "version",
            "kind",
            "name_zh",
            "name_en",
            "source",
            "valid_from",
            "valid_to",
            "legacy",
            "created_at",
            "updated_at",
        )
    ),
    sa.column("rules", sa.JSON()),
    sa.column("formula", sa.JSON()),
)
_application = sa.table(
    "policy_application",
    *(
        sa.column(name)
        for name in (
            "policy_id",
            "zone_id",
            "policy_code",
            "enterprise_id",
            "subject",
            "stage",
            "state",
            "note",
            "reason",
            "budget_year",
            "applied_at",
            "decided_at",
            "ledger_reference",
            "paid_at",
            "created_at",
            "updated_at",
        )
    ),
    sa.column("evaluation", sa.JSON()),
    sa.column("amount", MONEY),
)
_budget = sa.table(
    "policy_budget",
    *(sa.column(n) for n in ("zone_id", "policy_code", "year")),
    sa.column("reserved", MONEY),
    sa.column("paid", MONEY),
)


def _kind(venue: str) -> str:
    return "merger_reward" if venue == "merger" else "listing_reward"


def _move_rewards_in() -> None:
    connection = op.get_bind()
    rewards = connection.execute(
        sa.text(
            "SELECT r.id, r.zone_id, r.policy, r.amount, r.status, r.created_at, r.updated_at,"
            " e.id, e.enterprise_id, e.venue, e.event_on"
            " FROM incentive_reward r JOIN listing_event e ON e.id = r.event_id ORDER BY r.id"
        )
    ).all()
    now = datetime.now(UTC)
    policies: dict[tuple[int, str], int] = {}
    budgets: dict[tuple[int, str, int], list[Decimal]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal("0.00")]
    )
    for reward in rewards:
        (
            rid,
            zone_id,
            name,
            amount,
            status,
            created,
            updated,
            event_id,
            enterprise_id,
            venue,
            on,
        ) = reward
        kind = _kind(venue)
        code = LEGACY_CODES[kind]
        if (zone_id, kind) not in policies:
            policies[(zone_id, kind)] = connection.execute(
                _policy.insert()
                .values(
                    zone_id=zone_id,
                    code=code,
                    version=1,
                    kind=kind,
                    name_zh=LEGACY_NAMES[kind][0],
                    name_en=LEGACY_NAMES[kind][1],
                    source="",
                    valid_from=date(2000, 1, 1),
                    valid_to=None,
                    legacy=True,
                    rules=[],
                    formula={"type": "declared"},
                    created_at=now,
                    updated_at=now,
                )
                .returning(_policy.c.id)
            ).scalar_one()
        created_at = created if isinstance(created, datetime) else datetime.fromisoformat(created)
        paid = status == "paid"
        # SQLite hands back NUMERIC as a float or an int: through str, it is the amount written.
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        budgets[(zone_id, code, created_at.year)][1 if paid else 0] += amount
        connection.execute(
            _application.insert().values(
                policy_id=policies[(zone_id, kind)],
                zone_id=zone_id,
                policy_code=code,
                enterprise_id=enterprise_id,
                subject=f"listing:{event_id}",
                # One event may carry several rewards recorded under different policy names.
                stage=f"reward-{rid}",
                amount=amount,
                state="paid" if paid else "approved",
                note=name,
                reason="",
                budget_year=created_at.year,
                applied_at=created,
                decided_at=created,
                ledger_reference=f"reward:{rid}" if paid else None,
                paid_at=updated if paid else None,
                created_at=created,
                updated_at=updated,
                evaluation={"legacy_reward_id": rid, "event_on": str(on), "results": []},
            )
        )
    for (zone_id, code, year), (reserved, paid) in budgets.items():
        connection.execute(
            _budget.insert().values(
                zone_id=zone_id, policy_code=code, year=year, reserved=reserved, paid=paid
            )
        )


def downgrade() -> None:
    """Recreate `incentive_reward` from the legacy applications and drop the policy tables."""
    op.create_table(
        "incentive_reward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(length=200), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["listing_event.id"],
            name=op.f("fk_incentive_reward_event_id_listing_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
            name=op.f("fk_incentive_reward_zone_id_zone"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentive_reward")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_incentive_reward_event_id"), "incentive_reward", ["event_id"])
    connection = op.get_bind()
    legacy = connection.execute(
        sa.select(
            _application.c.evaluation,
            _application.c.subject,
            _application.c.zone_id,
            _application.c.note,
            _application.c.amount,
            _application.c.state,
            _application.c.created_at,
            _application.c.updated_at,
        )
        .select_from(_application.join(_policy, _policy.c.id == _application.c.policy_id))
        .where(_policy.c.legacy.is_(True), _application.c.state.in_(("approved", "paid")))
    ).all()
    reward = sa.table(
        "incentive_reward",
        *(
            sa.column(n)
            for n in ("id", "event_id", "zone_id", "policy", "status", "created_at", "updated_at")
        ),
        sa.column("amount", MONEY),
    )
    for evaluation, subject, zone_id, note, amount, state, created, updated in legacy:
        values = {
            "event_id": int(subject.split(":")[1]),
            "zone_id": zone_id,
            "policy": note[:200],
            "amount": amount,
            "status": "paid" if state == "paid" else "recorded",
            "created_at": created,
            "updated_at": updated,
        }
        if "legacy_reward_id" in evaluation:
            values["id"] = evaluation["legacy_reward_id"]
        connection.execute(reward.insert().values(**values))
    if connection.dialect.name == "postgresql":
        # The ids were written as they were: the sequence resumes after the largest.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('incentive_reward', 'id'), "
            "coalesce(max(id), 0) + 1, false) FROM incentive_reward"
        )
    for table in ("policy_document", "policy_application", "policy_budget", "policy"):
        op.drop_table(table)
