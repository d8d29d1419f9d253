"""Migration 0023 builds the policy tables as the models declare them, on the test database
(SQLite or PostgreSQL); on a database holding listing and merger rewards of before, each becomes
an application of its zone's legacy listing or merger reward policy, recorded ones approved and
paid ones paid with their ledger booking kept and found by `ledger check`; and back."""

from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.factories.registry import make_enterprise, make_zone
from tests.migration_checks import model_differences, table_names
from torchfin import create_app
from torchfin.extensions import db
from torchfin.models import Policy, PolicyApplication, PolicyBudget
from torchfin.models.enums import ApplicationState, PolicyKind
from torchfin.services.finance import ledger

BEFORE, MIGRATION = "0022_watchlists", "0023_policies"
TABLES = ("policy", "policy_budget", "policy_application", "policy_document")
STAMP = "2025-09-01 08:30:00"
EVENTS = (
    {"id": 1, "enterprise_id": 7, "venue": "neeq", "event_on": "2025-08-20", "reference": "874123"},
    {"id": 2, "enterprise_id": 8, "venue": "merger", "event_on": "2025-07-01", "reference": "并购"},
)
REWARDS = (
    {
        "id": 11,
        "event_id": 1,
        "policy": "中关村新三板挂牌资助",
        "amount": "500000.00",
        "status": "paid",
    },
    {
        "id": 12,
        "event_id": 1,
        "policy": "海淀区挂牌配套奖励",
        "amount": "200000.00",
        "status": "recorded",
    },
    {
        "id": 13,
        "event_id": 2,
        "policy": "并购重组奖励",
        "amount": "300000.00",
        "status": "recorded",
    },
)


def _insert(connection, table: str, values: dict) -> None:
    columns = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(f':{c}' for c in values)})"),
        values,
    )


def test_tables_of_the_test_database_match_the_models(app):
    assert set(TABLES) <= table_names()
    assert model_differences(TABLES) == []


def test_rewards_become_legacy_applications_keeping_paid_ones_booked_and_back(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(revision=BEFORE)
        zone = make_zone()
        listed, merged = (make_enterprise(zone, []) for _ in range(2))
        enterprises = {7: listed.id, 8: merged.id}
        zone_id = zone.id
        db.session.remove()
        stamps = {"created_at": STAMP, "updated_at": STAMP}
        with db.engine.begin() as connection:
            for event in EVENTS:
                event = event | {"enterprise_id": enterprises[event["enterprise_id"]]}
                _insert(connection, "listing_event", event | stamps)
            for reward in REWARDS:
                _insert(connection, "incentive_reward", reward | {"zone_id": zone_id} | stamps)
            _insert(
                connection,
                "ledger_transaction",
                {"id": 1, "reference": "reward:11", "kind": "incentive_reward", "memo": ""}
                | {"created_at": STAMP, "value_at": STAMP},
            )
            for account, amount in (
                (f"zone:{zone_id}", "-500000.00"),
                (f"enterprise:{enterprises[7]}", "500000.00"),
            ):
                _insert(
                    connection,
                    "ledger_posting",
                    {"transaction_id": 1, "account": account, "amount": amount},
                )

        upgrade(revision=MIGRATION)
        assert "incentive_reward" not in table_names()
        policies = {p.code: p for p in db.session.scalars(select(Policy))}
        assert set(policies) == {"legacy-listing-reward", "legacy-merger-reward"}
        assert policies["legacy-merger-reward"].kind == PolicyKind.MERGER_REWARD
        assert all(p.legacy and p.yearly_budget is None for p in policies.values())
        moved = {
            a.evaluation["legacy_reward_id"]: a
            for a in db.session.scalars(select(PolicyApplication))
        }
        assert {rid: (a.state, a.amount, a.note) for rid, a in moved.items()} == {
            11: (ApplicationState.PAID, Decimal("500000.00"), "中关村新三板挂牌资助"),
            12: (ApplicationState.APPROVED, Decimal("200000.00"), "海淀区挂牌配套奖励"),
            13: (ApplicationState.APPROVED, Decimal("300000.00"), "并购重组奖励"),
        }
        assert moved[11].ledger_reference == "reward:11"
        assert (moved[11].subject, moved[12].subject) == ("listing:1", "listing:1")
        assert moved[11].enterprise_id == enterprises[7]
        assert moved[13].policy.code == "legacy-merger-reward"
        budgets = {
            b.policy_code: (b.amount, b.reserved, b.paid)
            for b in db.session.scalars(select(PolicyBudget))
        }
        assert budgets == {
            "legacy-listing-reward": (None, Decimal("200000.00"), Decimal("500000.00")),
            "legacy-merger-reward": (None, Decimal("300000.00"), Decimal("0.00")),
        }
        assert ledger.check(db.engine)[1] == []
        db.session.remove()

        downgrade(revision=BEFORE)
        assert "policy" not in table_names() and "policy_application" not in table_names()
        with db.engine.connect() as connection:
            back = connection.execute(
                text(
                    "SELECT id, event_id, policy, amount, status FROM incentive_reward ORDER BY id"
                )
            ).all()
        assert [(r[0], r[1], r[2], Decimal(str(r[3])), r[4]) for r in back] == [
            (11, 1, "中关村新三板挂牌资助", Decimal("500000"), "paid"),
            (12, 1, "海淀区挂牌配套奖励", Decimal("200000"), "recorded"),
            (13, 2, "并购重组奖励", Decimal("300000"), "recorded"),
        ]
        upgrade(revision=MIGRATION)
        db.session.remove()
        db.engine.dispose()
