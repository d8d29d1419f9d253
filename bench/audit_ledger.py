"""Audit and ledger checks at scale: `audit.verify` and `ledger.check` over a million rows.

Seeds its own PostgreSQL database (created when missing, emptied first) through COPY with
E audit events in chains of 10 (valid hashes, their heads; appended in time order, so a chain's
events lie apart in the table as they do in production) and P ledger postings (two-leg
transactions, each the booking of a succeeded payment: sponsors' deposits into pools, then
payouts of claims from them), then times, in one run:
- `audit.verify` (every event rehashed, links and heads checked, one snapshot), against the
  baseline of only streaming the same columns of the same rows;
- `ledger.check` (every transaction balanced, every payment booked once, pools in credit, the
  workflows' promises, one snapshot), against the baseline of one `SUM` over all postings.

    .venv/bin/python -m bench.audit_ledger --events 1000000 --postings 1000000
"""

import argparse
import json
import os
import time
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from rich.console import Console
from rich.table import Table

from bench.database import empty_database

DATABASE = "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_audit"
CHAIN = 10
POOLS = 200
# The audit_event columns COPY writes: `data` last, as the JSON text SQLAlchemy would store.
AUDIT_COLUMNS = (
    "subject",
    "seq",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_name",
    "created_at",
    "prev_hash",
    "hash",
    "data",
)
console = Console(width=150)


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY `rows` into `table` on a connection of its own, committed."""
    from torchfin.extensions import db

    connection = db.engine.raw_connection()
    try:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
    finally:
        connection.close()


def fill_audit(events: int) -> None:
    """Write `events` valid audit events in chains of CHAIN, in time order, with their heads."""
    from torchfin.models.base import utcnow
    from torchfin.services.finance.audit import GENESIS, event_hash

    chains = events // CHAIN
    heads = [GENESIS] * chains
    start = utcnow()

    def rows():
        for n in range(chains * CHAIN):
            chain, seq = n % chains, n // chains + 1
            event = SimpleNamespace(
                subject=f"claim:{chain}",
                seq=seq,
                action=f"step{seq}",
                from_state="submitted",
                to_state="approved",
                actor_id=7,
                actor_name="审核员",
                data={"amount": f"{n % 9973}.00", "payment": n, "note": "月末批量"},
                created_at=start + timedelta(microseconds=n),
                prev_hash=heads[chain],
            )
            heads[chain] = event.hash = event_hash(event)
            yield (
                *(getattr(event, name) for name in AUDIT_COLUMNS[:-1]),
                json.dumps(event.data),
            )

    _copy("audit_event", AUDIT_COLUMNS, rows())
    _copy(
        "audit_head",
        ("subject", "count", "head_hash"),
        ((f"claim:{chain}", CHAIN, head) for chain, head in enumerate(heads)),
    )


def fill_ledger(postings: int) -> None:
    """Write `postings` postings: one succeeded payment and its two-leg booking per pair, the
    first POOLS deposits large enough that no payout after them overdraws a pool."""
    from torchfin.models.base import utcnow
    from torchfin.models.enums import PaymentPurpose

    now = utcnow()
    transfers = []
    for n in range(1, postings // 2 + 1):
        pool = f"pool:{n % POOLS}"
        if n <= POOLS:
            transfers.append(
                (n, PaymentPurpose.POOL_DEPOSIT, "10000000.00", f"sponsor:{n % POOLS}", pool, pool)
            )
        else:
            transfers.append(
                (n, PaymentPurpose.POOL_PAYOUT, "10.00", pool, f"bank:{n % 7}", f"claim:{n}")
            )
    _copy(
        "payment",
        (
            "id",
            "idempotency_key",
            "purpose",
            "amount",
            "payer",
            "payee",
            "subject",
            "state",
            "details",
            "created_at",
            "updated_at",
        ),
        (
            (
                n,
                f"bench:{n}",
                purpose.value,
                amount,
                payer,
                payee,
                subject,
                "succeeded",
                "{}",
                now,
                now,
            )
            for n, purpose, amount, payer, payee, subject in transfers
        ),
    )
    _copy(
        "ledger_transaction",
        ("id", "reference", "kind", "memo", "created_at", "value_at"),
        (
            (n, f"payment:{n}", purpose.value, f"{payer} -> {payee}", now, now)
            for n, purpose, _, payer, payee, _ in transfers
        ),
    )
    _copy(
        "ledger_posting",
        ("transaction_id", "account", "amount"),
        (
            leg
            for n, _, amount, payer, payee, _ in transfers
            for leg in ((n, payer, f"-{amount}"), (n, payee, amount))
        ),
    )


def _timed(call: Callable[[], object]) -> tuple[object, float]:
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
    from sqlalchemy import Text, cast, func, select, text

    from torchfin import create_app
    from torchfin.extensions import db
    from torchfin.models import AuditEvent, LedgerPosting
    from torchfin.services.finance import audit, ledger

    empty_database(DATABASE)
    app = create_app()
    with app.app_context():
        upgrade()
        _, seeded = _timed(lambda: (fill_audit(args.events), fill_ledger(args.postings)))
        console.print(
            f"seeded {args.events:,} events and {args.postings:,} postings in {seeded:.0f} s"
        )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        load_before = os.getloadavg()
        (events, problems), verify = _timed(lambda: audit.verify(db.engine))
        assert events == args.events // CHAIN * CHAIN and not problems, problems[:3]

        def stream() -> int:
            events = AuditEvent.__table__
            columns = [cast(c, Text) if c.name == "data" else c for c in events.c]
            with db.engine.connect() as connection:
                rows = connection.execute(
                    select(*columns)
                    .order_by(events.c.subject, events.c.seq)
                    .execution_options(yield_per=5000)
                )
                return sum(1 for _ in rows)

        _, read = _timed(stream)
        (transactions, problems), check = _timed(lambda: ledger.check(db.engine))
        assert transactions == args.postings // 2 and not problems, problems[:3]
        _, total = _timed(lambda: db.session.scalar(select(func.sum(LedgerPosting.amount))))
        db.session.remove()
    table = Table(title="Audit verify and ledger check on PostgreSQL")
    for column in ("check", "rows", "seconds", "baseline", "baseline s", "ratio", "s per 1 M rows"):
        table.add_column(column, justify="right")
    table.add_row(
        "audit verify",
        f"{events:,} events",
        f"{verify:.2f}",
        "stream the same rows",
        f"{read:.2f}",
        f"{verify / read:.1f}",
        f"{verify * 1_000_000 / events:.2f}",
    )
    table.add_row(
        "ledger check",
        f"{args.postings:,} postings",
        f"{check:.2f}",
        "one SUM of the postings",
        f"{total:.2f}",
        f"{check / total:.1f}",
        f"{check * 1_000_000 / args.postings:.2f}",
    )
    console.print(table)
    console.print(
        f"{transactions:,} transactions; load average before the checks {load_before[0]:.2f}, "
        f"after {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
