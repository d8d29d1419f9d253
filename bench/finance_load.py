"""Finance workflows in steady state: clients through the HTTP API against long-lived workers.

On PostgreSQL (a database of its own, created when missing, emptied first), for each worker
count asked (--workers 2 4): gunicorn (2 processes x 4 threads, as `make demo` serves) and W
long-lived `flask rq worker` processes. C clients (default 8), each with bearer tokens of its
own, drive for --seconds, in turn, a guarantee case from application to release (11 state moves,
the fee and the disbursement paid by the workers through the sandbox gateway) and a pool cycle
(loan registered, claim filed, reviewed, approved, paid out, then a recovery paid back), on a
pool of its own (a pool takes one payment at a time). Printed per worker count: state moves
per second, payments settled per second, p50 / p99 of a move's HTTP round trip, and the
payment lag (requested -> settled, from the payments' own timestamps) p50 / p99.

Then the same life cycles through the services in-process (C threads, no HTTP, the same
workers paying), and the baseline: bare UPDATE + COMMIT of a case's state from C threads. Every
run ends with `flask ledger check` and `flask audit verify` over what it wrote.

    .venv/bin/python -m bench.finance_load --workers 2 4 --seconds 60
"""

import argparse
import itertools
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from bench.database import empty_database
from bench.workers import start_workers, stop_workers

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_finance"
PREFIX = "tfbench-finance"
POLL_SECONDS = 0.02
BUSY = "has a payment in progress"  # the 409 of a pool whose previous payment still settles
console = Console(width=150)

CASE_MOVES = (
    ("guarantor", "accept", {}),
    ("guarantor", "start_due_diligence", {}),
    ("guarantor", "submit_risk_review", {"due_diligence_report": "经营正常"}),
    ("guarantor", "submit_to_committee", {"risk_opinion": "风险可控"}),
    ("guarantor", "approve", {"committee_resolution": "同意"}),
    ("guarantor", "sign_contract", {"contract_no": "HT", "counter_guarantees": ["专利权质押"]}),
)
APPLICATION = {
    "principal": "1000000.00",
    "term_months": 12,
    "loan_rate": "0.0435",
    "fee_rate": "0.0150",
}
CLAIM = {
    "outstanding_principal": "80000.00",
    "accrued_interest": "0.00",
    "collateral_realised": "0.00",
    "days_overdue": 120,
}
RECOVERY = {"recovered": "8000.00"}


def _loan(ids: dict, number: str) -> dict:
    """A loan of 100,000.00 for a year, as the bank registers it in the pool."""
    return {
        "enterprise_id": ids["enterprise"],
        "loan_no": number,
        "principal": "100000.00",
        "maturity_on": str(date.today() + timedelta(days=365)),
    }


@dataclass
class Tally:
    """What the clients of one run did: moves with their round trips, and refusals."""

    moves: list[float] = field(default_factory=list)
    busy: int = 0  # 409 BUSY: tried again
    lock: threading.Lock = field(default_factory=threading.Lock)

    def moved(self, seconds: float) -> None:
        with self.lock:
            self.moves.append(seconds)

    def waited(self) -> None:
        with self.lock:
            self.busy += 1


class Stopped(Exception):
    """The run's time is up (raised inside a client's cycle)."""


# ---- the two ways of moving: HTTP and in-process -------------------------------------------


class HttpParty:
    """A client acting through the HTTP API with the bearer tokens of its users."""

    def __init__(self, base: str, tokens: dict[str, str]) -> None:
        from tests.live_server import LiveServer

        self.server = LiveServer(base)
        self.tokens = tokens

    def post(self, who: str, path: str, body: dict) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        answer = self.server.call("POST", path, headers, body)
        return answer.status, answer.body or {}

    def get(self, who: str, path: str) -> dict:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.server.call("GET", path, headers).body


def _http_cycles(party: HttpParty, ids: dict, n: int, tally: Tally, until: float) -> None:
    """One client: guarantee cases and pool cycles in turn until the time is up."""

    def move(who: str, path: str, body: dict, expect: int = 200) -> dict:
        while True:
            if time.monotonic() > until:
                raise Stopped
            started = time.perf_counter()
            status, answer = party.post(who, path, body)
            if status == 409 and BUSY in str(answer.get("message", "")):
                tally.waited()  # the pool's previous payment is still settling
                time.sleep(POLL_SECONDS)
                continue
            if status != expect:
                raise RuntimeError(f"POST {path}: {status} {answer}")
            tally.moved(time.perf_counter() - started)
            return answer

    def wait(who: str, path: str, state: str) -> None:
        while party.get(who, path)["state"] != state:
            if time.monotonic() > until:
                raise Stopped
            time.sleep(POLL_SECONDS)

    try:
        for number in itertools.count():
            case = move("sme", "/api/v1/guarantees", {**ids["application"]}, 201)["id"]
            path = f"/api/v1/guarantees/{case}"
            for who, action, body in CASE_MOVES:
                move(who, f"{path}/{action}", body)
            move("guarantor", f"{path}/collect_fee", {})
            wait("guarantor", path, "fee_collected")
            move("banker", f"{path}/disburse", {"loan_no": f"JK-{n}-{number}"})
            wait("banker", path, "disbursed")
            move("guarantor", f"{path}/start_monitoring", {})
            move("banker", f"{path}/release", {"repaid_on": str(date.today())})

            loan = _loan(ids, f"L-{n}-{number}")
            loan_id = move("banker", f"/api/v1/pools/{ids['pool']}/loans", loan, 201)["id"]
            claim_id = move("banker", f"/api/v1/pool-loans/{loan_id}/claims", CLAIM, 201)["id"]
            for action in ("review", "approve", "pay"):
                move("sponsor", f"/api/v1/claims/{claim_id}/{action}", {})
            wait("sponsor", f"/api/v1/claims/{claim_id}", "paid")
            move("banker", f"/api/v1/claims/{claim_id}/recoveries", RECOVERY, 202)
    except Stopped:
        return


def _service_cycles(app, ids: dict, n: int, tally: Tally, until: float) -> None:
    """One in-process client: the same cycles through the services, on its own session."""
    from schemas.guarantee import GuaranteeActionSchema, GuaranteeApplySchema
    from schemas.pool import ClaimActionSchema, ClaimFileSchema, PoolLoanSchema, RecoverySchema
    from torchfin.extensions import db
    from torchfin.models import GuaranteeCase, PoolClaim, User
    from torchfin.services.errors import Conflict
    from torchfin.services.finance import guarantees, pools

    def user(who: str) -> User:
        return db.session.get(User, ids["users"][who])

    def move(service: Callable, who: str, *args: object) -> object:
        # `service(user, *args)`, tried again while the pool's previous payment settles.
        while True:
            if time.monotonic() > until:
                raise Stopped
            started = time.perf_counter()
            try:
                result = service(user(who), *args)
            except Conflict as error:
                db.session.rollback()
                if BUSY not in str(error):
                    raise
                tally.waited()
                time.sleep(POLL_SECONDS)
                continue
            tally.moved(time.perf_counter() - started)
            return result

    def wait(model: type, record_id: int, state: str) -> None:
        while True:
            db.session.rollback()  # a fresh snapshot: the worker commits elsewhere
            if db.session.get(model, record_id, populate_existing=True).state == state:
                return
            if time.monotonic() > until:
                raise Stopped
            time.sleep(POLL_SECONDS)

    # The HTTP path's bodies, loaded by the API's own schemas: the same rules, minus HTTP.
    action = GuaranteeActionSchema()
    act = guarantees.act
    with app.app_context():
        try:
            for number in itertools.count():
                applied = GuaranteeApplySchema().load(ids["application"])
                case = move(guarantees.apply, "sme", applied).id
                for who, name, body in CASE_MOVES:
                    move(act, who, case, name, action.load(body))
                move(act, "guarantor", case, "collect_fee", action.load({}))
                wait(GuaranteeCase, case, "fee_collected")
                disbursed = action.load({"loan_no": f"SJK-{n}-{number}"})
                move(act, "banker", case, "disburse", disbursed)
                wait(GuaranteeCase, case, "disbursed")
                move(act, "guarantor", case, "start_monitoring", action.load({}))
                released = action.load({"repaid_on": str(date.today())})
                move(act, "banker", case, "release", released)

                loan = PoolLoanSchema().load(_loan(ids, f"SL-{n}-{number}"))
                loan_id = move(pools.register_loan, "banker", ids["pool"], loan).id
                claim = ClaimFileSchema().load(CLAIM)
                claim_id = move(pools.file_claim, "banker", loan_id, claim).id
                for name in ("review", "approve", "pay"):
                    move(
                        pools.act_on_claim, "sponsor", claim_id, name, ClaimActionSchema().load({})
                    )
                wait(PoolClaim, claim_id, "paid")
                recovered = RecoverySchema().load(RECOVERY)["recovered"]
                move(pools.report_recovery, "banker", claim_id, recovered)
        except Stopped:
            return
        finally:
            db.session.remove()


# ---- setting up, running, measuring ----------------------------------------------------------


def _parties(app, clients: int) -> list[dict]:
    """The parties of a guarantee and a pool, and per client a funded pool of its own."""
    from tests.factories.finance import make_parties, make_pool
    from torchfin.extensions import db
    from torchfin.services.finance import pools

    with app.app_context():
        parties = make_parties()
        users = {who: getattr(parties, who).id for who in ("sme", "banker", "guarantor", "sponsor")}
        everyone = []
        for n in range(clients):
            # Every loan of the benchmark defaults: a pool that stopped at 5 % bad loans or at
            # its yearly cap would refuse the claims after the first few.
            pool = make_pool(
                parties.zone,
                name=f"压测资金池{n}",
                bad_loan_ratio_threshold=Decimal("1.0000"),
                yearly_cap=Decimal("1000000000.00"),
            )
            sponsor = db.session.get(type(parties.sponsor), users["sponsor"])
            pools.deposit(sponsor, pool.id, Decimal("100000000.00"))
            db.session.commit()
            everyone.append(
                {
                    "users": users,
                    "enterprise": parties.enterprise_id,
                    "pool": pool.id,
                    "application": {
                        "bank_id": parties.bank_id,
                        "agency_id": parties.agency_id,
                        **APPLICATION,
                    },
                }
            )
        db.session.remove()
    return everyone


def _tokens(app, users: dict[str, int]) -> dict[str, str]:
    from torchfin.extensions import db
    from torchfin.models import User
    from torchfin.services.accounts.tokens import issue_token

    with app.app_context():
        tokens = {
            who: issue_token(db.session.get(User, user_id), "bench", timedelta(hours=2))[0]
            for who, user_id in users.items()
        }
        db.session.commit()
    return tokens


def _wait_for_payments(engine, timeout: float = 300) -> None:
    """Until no payment is left unsettled (the clients stopped mid-cycle)."""
    deadline = time.monotonic() + timeout
    query = text("SELECT count(*) FROM payment WHERE completed_at IS NULL")
    while True:
        with engine.connect() as conn:
            if not conn.execute(query).scalar():
                return
        if time.monotonic() > deadline:
            raise RuntimeError("payments still unsettled after the run")
        time.sleep(0.2)


def _payments_since(engine, since: int) -> list[float]:
    """Lags (seconds, requested -> settled) of the payments with ids above `since`."""
    with engine.connect() as conn:
        return [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT extract(epoch FROM completed_at - created_at) FROM payment "
                    "WHERE id > :since AND completed_at IS NOT NULL"
                ),
                {"since": since},
            )
        ]


def _max_payment(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT coalesce(max(id), 0) FROM payment")).scalar()


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass
class Result:
    """One row of the table."""

    label: str
    moves: int
    seconds: float
    payments: list[float]
    latencies: list[float]
    busy: int

    def row(self) -> list[str]:
        def ms(values: list[float], share: float) -> str:
            return f"{percentile(values, share) * 1000:,.0f}" if values else "—"

        return [
            self.label,
            f"{self.moves:,}",
            f"{self.moves / self.seconds:,.1f}",
            f"{len(self.payments) / self.seconds:,.1f}",
            ms(self.latencies, 0.5),
            ms(self.latencies, 0.99),
            ms(self.payments, 0.5),
            ms(self.payments, 0.99),
            f"{self.busy:,}",
        ]


def drive(label: str, engine, clients: list[Callable[[float], None]], seconds: float) -> Result:
    """Run the clients side by side for `seconds`; the payments they caused, once settled."""
    before = _max_payment(engine)
    tallies = [client.tally for client in clients]
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(until,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    failed = [client.error for client in clients if client.error is not None]
    if failed:
        raise RuntimeError(f"{label}: a client failed") from failed[0]
    _wait_for_payments(engine)
    latencies = [s for tally in tallies for s in tally.moves]
    return Result(
        label,
        len(latencies),
        elapsed,
        _payments_since(engine, before),
        latencies,
        sum(t.busy for t in tallies),
    )


class Client:
    """A client thread's body, `body(*args, tally, until)`, with its tally."""

    def __init__(self, body: Callable[..., None], *args: object) -> None:
        self.body = body
        self.args = args
        self.tally = Tally()
        self.error: BaseException | None = None

    def __call__(self, until: float) -> None:
        try:
            self.body(*self.args, self.tally, until)
        except BaseException as error:  # reported by `drive`, which stops the benchmark
            self.error = error


def bare_updates(engine, clients: int, seconds: float) -> Result:
    """The baseline: a case's state written by bare UPDATE + COMMIT, from `clients` threads."""
    with engine.connect() as conn:
        cases = [row[0] for row in conn.execute(text("SELECT id FROM guarantee_case"))]
    states = ("accepted", "due_diligence", "risk_review", "committee_review")

    def body(n: int, tally: Tally, until: float) -> None:
        with engine.connect() as conn:
            for i in itertools.count(n):
                if time.monotonic() > until:
                    return
                started = time.perf_counter()
                conn.execute(
                    text("UPDATE guarantee_case SET state = :s WHERE id = :id"),
                    {"s": states[i % len(states)], "id": cases[i % len(cases)]},
                )
                conn.commit()
                tally.moved(time.perf_counter() - started)

    workers = [Client(body, n) for n in range(clients)]
    return drive("baseline: bare UPDATE + COMMIT", engine, workers, seconds)


def main() -> None:
    """Parse options, set up, run every configuration and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database-url", default=DATABASE)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "RQ_QUEUE_PREFIX": PREFIX,
        "SEARCH_INDEX_PREFIX": PREFIX,
        # Sixty seconds of eight clients are thousands of requests from one address.
        "WRITE_RATE_LIMIT": "1000000/minute",
        "SEARCH_RATE_LIMIT": "1000000/minute",
    }
    os.environ.update(env)
    from flask_migrate import upgrade

    from tests.live_server import serve
    from torchfin import create_app
    from torchfin.extensions import db
    from torchfin.queues import redis_connection
    from torchfin.services.finance import audit, ledger

    empty_database(args.database_url)
    app = create_app()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        # Queues and the sandbox gateway's records (keyed by idempotency keys, which repeat
        # in an emptied database) of an earlier run.
        for key in redis_connection().scan_iter(f"*{PREFIX}*"):
            redis_connection().delete(key)
    engine = create_engine(args.database_url, pool_size=args.clients + 2)
    results = []
    everyone = _parties(app, args.clients)  # their deposits are paid once workers start
    for count in args.workers:
        with app.app_context():
            workers = start_workers(env, count)
        try:
            _wait_for_payments(engine)
            server = serve()
            base_url = next(server).base_url
            clients = [
                Client(_http_cycles, HttpParty(base_url, _tokens(app, ids["users"])), ids, n)
                for n, ids in enumerate(everyone)
            ]
            label = f"HTTP API, {args.clients} clients, {count} workers"
            results.append(drive(label, engine, clients, args.seconds))
            for _ in server:  # stops gunicorn
                pass
            clients = [Client(_service_cycles, app, ids, n) for n, ids in enumerate(everyone)]
            label = f"services in-process, {args.clients} threads, {count} workers"
            results.append(drive(label, engine, clients, args.seconds))
        finally:
            stop_workers(workers)
    results.append(bare_updates(engine, args.clients, args.seconds))
    with app.app_context():
        postings, faults = ledger.check(db.engine)
        events, problems = audit.verify(db.engine)
    table = Table(title=f"Finance workflows in steady state ({args.seconds:.0f} s per row)")
    for column in (
        "path",
        "moves",
        "moves/s",
        "payments/s",
        "move p50 ms",
        "move p99 ms",
        "payment lag p50 ms",
        "lag p99 ms",
        "409 busy, retried",
    ):
        table.add_column(column, justify="left" if column == "path" else "right")
    for result in results:
        table.add_row(*result.row())
    bare = results[-1].moves / results[-1].seconds
    for result in results[:-1]:
        table.add_row(
            f"ratio: {result.label} / bare", "", f"{result.moves / result.seconds / bare:.3f}"
        )
    console.print(table)
    console.print(
        f"ledger check: {postings:,} postings, {len(faults)} faults; "
        f"audit verify: {events:,} events, {len(problems)} problems"
    )
    if faults or problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
