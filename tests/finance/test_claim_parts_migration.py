"""Migration 0018 on a database holding a claim, a pool and a booking of before: the claim keeps
its net loss with its parts unknown (NULL), the pool covers principal only, the booking counts
from when it was booked and keeps its postings through the table's rebuild; and back."""

from decimal import Decimal
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from torchfin import create_app
from torchfin.extensions import db
from torchfin.models import LedgerTransaction, PoolClaim, RiskPool
from torchfin.services.finance import ledger

BEFORE, MIGRATION = "0017_project_industries", "0018_claim_parts"
STAMP = "2026-03-02 08:30:00"
ROWS = {
    "risk_pool": {
        "id": 1,
        "name": "迁移前的资金池",
        "sponsor": "区财政局",
        "zone_id": 1,
        "coverage": "0.5000",
        "per_loan_cap": "2000000.00",
        "yearly_cap": "5000000.00",
        "days_overdue_threshold": 90,
        "bad_loan_ratio_threshold": "0.0500",
    },
    "pool_loan": {
        "id": 1,
        "pool_id": 1,
        "bank_id": 1,
        "enterprise_id": 1,
        "loan_no": "JK-1",
        "principal": "1000000.00",
        "registered_on": "2025-06-01",
        "maturity_on": "2026-06-01",
        "state": "defaulted",
    },
    "pool_claim": {
        "id": 1,
        "pool_id": 1,
        "loan_id": 1,
        "net_loss": "640000.00",
        "days_overdue": 120,
        "filed_on": "2026-03-02",
        "payable": "320000.00",
        "working": "{}",
        "state": "filed",
        "reason": "",
    },
}


def _insert(connection, table: str, values: dict) -> None:
    columns = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(f':{c}' for c in values)})"),
        values,
    )


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_existing_claims_keep_their_net_loss_with_unknown_parts_and_bookings_their_time(
    tmp_path: Path,
):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'claims.sqlite3'}"})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no zone, bank or borrower
            stamps = {"created_at": STAMP, "updated_at": STAMP}
            for table, values in ROWS.items():
                _insert(connection, table, values | stamps)
            _insert(
                connection,
                "ledger_transaction",
                {"id": 1, "reference": "payment:1", "kind": "pool_deposit", "memo": ""}
                | {"created_at": STAMP},
            )
            for account, amount in (("sponsor:1", "-500.00"), ("pool:1", "500.00")):
                _insert(
                    connection,
                    "ledger_posting",
                    {"transaction_id": 1, "account": account, "amount": amount},
                )

        upgrade(revision=MIGRATION)
        claim = db.session.get(PoolClaim, 1)
        assert claim.net_loss == Decimal("640000.00")
        assert (claim.outstanding_principal, claim.accrued_interest) == (None, None)
        assert claim.collateral_realised is None
        assert db.session.get(RiskPool, 1).covers_interest is False
        booked = db.session.scalar(select(LedgerTransaction))
        assert booked.value_at == booked.created_at
        assert ledger.balance(db.session, "pool:1") == Decimal("500.00")
        db.session.remove()

        downgrade(revision=BEFORE)
        assert "outstanding_principal" not in _columns("pool_claim")
        assert "covers_interest" not in _columns("risk_pool")
        assert "value_at" not in _columns("ledger_transaction")
        with db.engine.connect() as connection:
            kept = connection.execute(text("SELECT net_loss FROM pool_claim")).scalar()
            postings = connection.execute(text("SELECT count(*) FROM ledger_posting")).scalar()
        assert (Decimal(str(kept)), postings) == (Decimal("640000.00"), 2)
        upgrade(revision=MIGRATION)
        db.session.remove()
        db.engine.dispose()
