"""Finance-workflow benchmark: transitions per second end to end, and audit verification time.

For each database (SQLite file, PostgreSQL) in one run:
1. End to end: N guarantee cases driven from application to release through the services, each
   transition with its audit event, the fee and the disbursement paid by real
   `flask rq worker --burst` processes through the sandbox gateway and booked in the ledger.
   Baseline: the same number of state changes written as bare UPDATE + COMMIT (no rules, no
   audit, no ledger, no job); the ratio shows what the trace costs.
2. Audit verify: E events (default 100,000) in chains of 10, then `audit.verify` over all of
   them. Baseline: reading the same rows the same way without checking them. Printed per
   100,000 events.

    .venv/bin/python -m bench.workflows --cases 50 --events 100000
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, insert, select

from bench.database import empty_database

ROOT = Path(__file__).resolve().parent.parent
DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'instance' / 'bench-workflows.sqlite3'}",
    "postgresql": "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_workflows",
}
LIFECYCLE = (
    ("guarantor", "accept", {}),
    ("guarantor", "start_due_diligence", {}),
    ("guarantor", "submit_risk_review", {"due_diligence_report": "经营正常"}),
    ("guarantor", "submit_to_committee", {"risk_opinion": "风险可控"}),
    ("guarantor", "approve", {"committee_resolution": "同意"}),
    ("guarantor", "sign_contract", {"contract_no": "HT", "counter_guarantees": ["房产抵押"]}),
    ("guarantor", "collect_fee", {}),
    None,  # a worker collects the fee
    ("banker", "disburse", {"loan_no": "JK"}),
    None,  # a worker disburses
    ("guarantor", "start_monitoring", {}),
    ("banker", "release", {"repaid_on": None}),
)
console = Console(width=150)


def _fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        empty_database(url)


def _burst_worker() -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst"],
        cwd=ROOT,
        env=os.environ.copy(),
        check=True,
        capture_output=True,
    )


def _parties() -> dict:
    from tests.factories.accounts import make_user
    from tests.factories.registry import make_enterprise, make_industries, make_institution
    from tests.factories.registry import make_zone as zone_of
    from torchfin.models.enums import InstitutionKind, Role

    enterprise = make_enterprise(zone_of(), [make_industries()["nev"]])
    bank, agency = (make_institution(k) for k in (InstitutionKind.BANK, InstitutionKind.GUARANTOR))
    users = {
        "sme": make_user(Role.SME, enterprise=enterprise),
        "banker": make_user(Role.BANK, institution=bank),
        "guarantor": make_user(Role.GUARANTOR, institution=agency),
    }
    return {
        "ids": {name: user.id for name, user in users.items()},
        "bank": bank.id,
        "agency": agency.id,
    }


def end_to_end(cases: int) -> tuple[int, float]:
    """(state transitions, seconds) of `cases` cases from application to release."""
    from datetime import date
    from decimal import Decimal

    from torchfin.extensions import db
    from torchfin.models import AuditEvent, User
    from torchfin.services.finance import guarantees

    parties = _parties()

    def user(name: str) -> User:
        return db.session.get(User, parties["ids"][name])

    started = time.perf_counter()
    ids = [
        guarantees.apply(
            user("sme"),
            {
                "bank_id": parties["bank"],
                "agency_id": parties["agency"],
                "principal": Decimal("1000000.00"),
                "term_months": 12,
                "loan_rate": Decimal("0.0435"),
                "fee_rate": Decimal("0.0150"),
            },
        ).id
        for _ in range(cases)
    ]
    for step in LIFECYCLE:
        if step is None:
            db.session.remove()
            _burst_worker()
            continue
        who, action, data = step
        data = {k: (date.today() if v is None else v) for k, v in data.items()}
        for case_id in ids:
            guarantees.act(user(who), case_id, action, data)
    elapsed = time.perf_counter() - started
    moved = db.session.scalar(
        select(func.count()).where(
            AuditEvent.to_state.is_not(None),
            AuditEvent.to_state != func.coalesce(AuditEvent.from_state, ""),
        )
    )
    return moved, elapsed


def bare_updates(transitions: int) -> float:
    """Seconds to write `transitions` state changes as bare UPDATE + COMMIT."""
    from torchfin.extensions import db
    from torchfin.models import GuaranteeCase
    from torchfin.models.enums import GuaranteeState

    case_ids = list(db.session.scalars(select(GuaranteeCase.id)))
    states = list(GuaranteeState)
    started = time.perf_counter()
    for i in range(transitions):
        db.session.execute(
            GuaranteeCase.__table__.update()
            .where(GuaranteeCase.id == case_ids[i % len(case_ids)])
            .values(state=states[i % len(states)].value)
        )
        db.session.commit()
    return time.perf_counter() - started


def fill_audit(events: int, chain: int = 10) -> None:
    """Write `events` valid audit events in chains of `chain`, with their heads."""
    from torchfin.extensions import db
    from torchfin.models import AuditEvent, AuditHead
    from torchfin.models.base import utcnow
    from torchfin.services.finance.audit import GENESIS, event_hash

    batch, heads = [], []
    for n in range(events // chain):
        previous, subject = GENESIS, f"bench:{n}"
        for seq in range(1, chain + 1):
            event = AuditEvent(
                subject=subject,
                seq=seq,
                action="step",
                from_state="a",
                to_state="b",
                actor_id=1,
                actor_name="bench",
                data={"n": seq},
                created_at=utcnow(),
                prev_hash=previous,
            )
            event.hash = previous = event_hash(event)
            batch.append(
                {
                    c.key: getattr(event, c.key)
                    for c in AuditEvent.__table__.columns
                    if c.key != "id"
                }
            )
        heads.append({"subject": subject, "count": chain, "head_hash": previous})
        if len(batch) >= 20_000:
            db.session.execute(insert(AuditEvent), batch)
            batch = []
    if batch:
        db.session.execute(insert(AuditEvent), batch)
    db.session.execute(insert(AuditHead), heads)
    db.session.commit()


def verify_and_scan() -> tuple[int, float, float]:
    """(events, seconds to verify, seconds to only read them)."""
    from torchfin.extensions import db
    from torchfin.models import AuditEvent
    from torchfin.services.finance import audit

    started = time.perf_counter()
    count, problems = audit.verify(db.engine)
    verify = time.perf_counter() - started
    assert not problems, problems[:3]
    db.session.remove()
    started = time.perf_counter()
    rows = select(*AuditEvent.__table__.c).execution_options(yield_per=5000)
    for _ in db.session.execute(rows):
        pass
    return count, verify, time.perf_counter() - started


def run(name: str, url: str, cases: int, events: int) -> dict:
    """Every measurement on one database."""
    os.environ.update(
        DATABASE_URL=url, RQ_QUEUE_PREFIX=f"tfbench-wf-{name}", TORCHFIN_ENV="testing"
    )
    from flask_migrate import upgrade

    from torchfin import create_app
    from torchfin.extensions import db

    _fresh_database(url)
    app = create_app()
    with app.app_context():
        upgrade()
        moved, e2e = end_to_end(cases)
        bare = bare_updates(moved)
        fill_audit(events)
        count, verify, scan = verify_and_scan()
        db.session.remove()
        db.engine.dispose()
    return {
        "moved": moved,
        "e2e_rate": moved / e2e,
        "bare_rate": moved / bare,
        "events": count,
        "verify": verify * 100_000 / count,
        "scan": scan * 100_000 / count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    table = Table(title=f"Finance workflows: {args.cases} cases, {args.events:,} audit events")
    for column in (
        "database",
        "transitions",
        "end to end /s",
        "bare UPDATE /s",
        "ratio",
        "verify s/100k",
        "read s/100k",
        "ratio",
    ):
        table.add_column(column, justify="right")
    for name in args.databases.split(","):
        console.print(f"[bold]{name}[/bold] …")
        r = run(name, DATABASES[name], args.cases, args.events)
        table.add_row(
            name,
            str(r["moved"]),
            f"{r['e2e_rate']:.1f}",
            f"{r['bare_rate']:.0f}",
            f"{r['e2e_rate'] / r['bare_rate']:.3f}",
            f"{r['verify']:.2f}",
            f"{r['scan']:.2f}",
            f"{r['verify'] / r['scan']:.1f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
