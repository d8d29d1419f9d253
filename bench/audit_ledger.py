"""Audit and ledger checks at scale: `audit.verify` and `ledger.check` over a million rows.

Seeds its own PostgreSQL database (created when missing, emptied first) with E audit events in
chains of 10 (valid hashes, their heads) and P ledger postings (balanced two-leg transactions
between pool accounts, kept in credit), then times, in one run:
- `audit.verify` (every event rehashed, links and heads checked, one snapshot), against the
  baseline of only streaming the same columns of the same rows;
- `ledger.check` (every transaction balanced, payments booked once, pools in credit, the
  workflows' promises), against the baseline of one `SUM` over all postings.

    .venv/bin/python -m bench.audit_ledger --events 1000000 --postings 1000000
"""

import argparse
import os
import time
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, insert, select, text

from bench.database import empty_database
from bench.workflows import fill_audit

DATABASE = "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_audit"
console = Console(width=150)


def fill_ledger(postings: int, accounts: int = 200) -> None:
    """Write `postings` postings as balanced two-leg transactions among pool accounts."""
    from torchfin.extensions import db
    from torchfin.models import LedgerPosting, LedgerTransaction
    from torchfin.models.base import utcnow

    now = utcnow()
    # Every account first receives a deposit larger than all it will ever pay out.
    legs, transactions = [], []
    for n in range(postings // 2):
        payer, payee = f"pool:{n % accounts}", f"pool:{(n * 7 + 1) % accounts}"
        transactions.append(
            {"id": n + 1, "reference": f"bench:{n}", "kind": "bench", "created_at": now}
        )
        amount = Decimal("10.00") if n >= accounts else Decimal("100000000.00")
        source = "sponsor:bench" if n < accounts else payer
        target = f"pool:{n}" if n < accounts else payee
        legs += [
            {"transaction_id": n + 1, "account": source, "amount": -amount},
            {"transaction_id": n + 1, "account": target, "amount": amount},
        ]
        if len(legs) >= 50_000:
            db.session.execute(insert(LedgerTransaction), transactions)
            db.session.execute(insert(LedgerPosting), legs)
            legs, transactions = [], []
    if legs:
        db.session.execute(insert(LedgerTransaction), transactions)
        db.session.execute(insert(LedgerPosting), legs)
    db.session.commit()


def _timed(call) -> tuple[object, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--postings", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=DATABASE, RQ_QUEUE_PREFIX="tfbench-audit", TORCHFIN_ENV="testing"
    )
    from flask_migrate import upgrade

    from torchfin import create_app
    from torchfin.extensions import db
    from torchfin.models import AuditEvent, LedgerPosting
    from torchfin.services.finance import audit, ledger

    empty_database(DATABASE)
    app = create_app()
    with app.app_context():
        upgrade()
        (_, seeded) = _timed(lambda: (fill_audit(args.events), fill_ledger(args.postings)))
        console.print(
            f"seeded {args.events:,} events and {args.postings:,} postings in {seeded:.0f} s"
        )
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        (events, problems), verify = _timed(lambda: audit.verify(db.engine))
        assert not problems, problems[:3]

        def stream() -> int:
            with db.engine.connect() as connection:
                rows = connection.execute(
                    select(*AuditEvent.__table__.c).execution_options(yield_per=5000)
                )
                return sum(1 for _ in rows)

        _, read = _timed(stream)
        (transactions, problems), check = _timed(lambda: ledger.check(db.engine))
        assert not problems, problems[:3]
        _, total = _timed(lambda: db.session.scalar(select(func.sum(LedgerPosting.amount))))
        db.session.remove()
    table = Table(title="Audit verify and ledger check on PostgreSQL (seconds)")
    for column in ("check", "rows", "seconds", "baseline", "baseline s", "ratio", "per 1 M rows"):
        table.add_column(column, justify="right")
    table.add_row(
        "audit verify",
        f"{events:,} events",
        f"{verify:.2f}",
        "stream the rows",
        f"{read:.2f}",
        f"{verify / read:.1f}",
        f"{verify * 1_000_000 / events:.2f}",
    )
    table.add_row(
        "ledger check",
        f"{args.postings:,} postings",
        f"{check:.2f}",
        "SUM of postings",
        f"{total:.2f}",
        f"{check / total:.1f}",
        f"{check * 1_000_000 / args.postings:.2f}",
    )
    console.print(table)
    console.print(f"{transactions:,} transactions; load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
