"""Fixtures: the app against the real SQL database, Elasticsearch and Redis that `make test` starts.

Every run gets its own index prefix, queue prefix and database (a SQLite file, or a PostgreSQL
database named after the given one plus the run id, dropped at the end), so tests never touch demo
data and two runs on one server never meet. Under pytest-xdist every worker process (gw0, gw1, ...)
adds its name to them too, so parallel workers share none of them. RQ workers are real
`flask rq worker --burst` processes.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import elastic_transport
import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.factories.accounts import PASSWORD
from tests.factories.deal_flow import DealFlow, make_deal_flow
from tests.worker_processes import kill_tree, run_burst_worker
from torchfin.models import User

# xdist workers inherit the environment of their controller, which imported this module first:
# they share its run id and settings, and add their own name (XDIST_WORKER) below.
RUN_ID = os.environ.setdefault("TORCHFIN_TEST_RUN_ID", uuid.uuid4().hex[:8])
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
ROOT = Path(__file__).resolve().parent.parent
# A burst worker ends when its queues are empty; this only stops one that hangs. Under parallel
# tests on a loaded 2-core machine an honest run took over 120 s (a rescore of 24 x 45).
WORKER_HANG_SECONDS = 900
# A long-running worker imports the app (about 4 s of CPU) before it registers; under load, more.
WORKER_START_SECONDS = 300


def worker_database_url(url: str, worker: str) -> str:
    """`url` with the xdist worker's name added to its SQLite file or PostgreSQL database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        parsed = parsed.set(database=str(path.with_stem(f"{path.stem}-{worker}")))
    else:
        parsed = parsed.set(database=f"{parsed.database}_{worker}")
    return parsed.render_as_string(hide_password=False)


def run_database_url(url: str) -> str:
    """A PostgreSQL `url` with this run's id added to its database, which the run creates and
    drops (the SQLite file already carries the run id)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return url
    return parsed.set(database=f"{parsed.database}_{RUN_ID}").render_as_string(hide_password=False)


# Set before any app exists so the app in this process and worker subprocesses agree.
os.environ["TORCHFIN_ENV"] = "testing"
os.environ.setdefault("SEARCH_INDEX_PREFIX", f"tftest-{RUN_ID}")
os.environ.setdefault("RQ_QUEUE_PREFIX", f"tftest-{RUN_ID}")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
if not os.environ.get("DATABASE_URL"):
    (ROOT / "instance").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'instance' / f'test-{RUN_ID}.sqlite3'}"
# The controller names the run's database once; its xdist workers inherit the name.
if os.environ.get("TORCHFIN_TEST_DATABASE_RUN") != RUN_ID:
    os.environ["DATABASE_URL"] = run_database_url(os.environ["DATABASE_URL"])
    os.environ["TORCHFIN_TEST_DATABASE_RUN"] = RUN_ID
# Each test process appends its anchors (`flask audit anchor`) to a file of its own.
os.environ["AUDIT_ANCHOR_FILE"] = str(
    Path(tempfile.gettempdir()) / f"torchfin-anchors-{RUN_ID}-{XDIST_WORKER or 'main'}.txt"
)
if XDIST_WORKER:
    for name in ("SEARCH_INDEX_PREFIX", "RQ_QUEUE_PREFIX"):
        os.environ[name] = f"{os.environ[name]}-{XDIST_WORKER}"
    os.environ["DATABASE_URL"] = worker_database_url(os.environ["DATABASE_URL"], XDIST_WORKER)


@pytest.fixture(scope="session")
def app():
    """The app, with the schema built by the Alembic migrations on an empty database."""
    from flask_migrate import upgrade

    from search.client import index_layout
    from search.indices import drop_all, ensure_indices
    from torchfin import create_app
    from torchfin.extensions import db, search_client

    app = create_app()
    with app.app_context():
        _reset_database(db)
        upgrade()
        es = search_client()
        try:
            es.cluster.health()  # this distribution has no GET / (no rest-root module)
            app.extensions["torchfin.redis"].ping()
        except Exception as exc:
            pytest.exit(
                f"Elasticsearch/Redis not reachable ({exc}); run the tests with `make test`"
            )
        ensure_indices(es, app.config["SEARCH_INDEX_PREFIX"], index_layout(app.config))
    yield app
    with app.app_context():
        drop_all(search_client(), app.config["SEARCH_INDEX_PREFIX"])
        _flush_queues(app)
        db.session.remove()
        db.engine.dispose()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///") and f"test-{RUN_ID}" in url:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    elif RUN_ID in url:
        _drop_database(make_url(url))


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    """Argon2id at its cheapest parameters for the suite's own hashes: the production ones cost
    0.3 s of CPU per hash and per sign-in, thousands of times a run. A hash carries its
    parameters, so verifying it (here, in a worker or under gunicorn) costs what it was made with.
    """
    from argon2 import PasswordHasher, profiles

    from torchfin.services.accounts import passwords

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


def _reset_database(db) -> None:
    # PostgreSQL keeps its test database between runs: start from an empty schema.
    if db.engine.dialect.name == "postgresql":
        _create_missing_database(db.engine.url)
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


def _create_missing_database(url) -> None:
    with _maintenance_connection(url) as conn:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if conn.scalar(exists, {"name": url.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))


def _drop_database(url) -> None:
    # FORCE: a worker process a test killed may leave a connection the server has not reaped yet.
    with _maintenance_connection(url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


@contextlib.contextmanager
def _maintenance_connection(url) -> Iterator:
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _flush_queues(app) -> None:
    redis = app.extensions["torchfin.redis"]
    # Queues are named `<prefix>-<name>`: the dash keeps gw1 from matching gw10's keys.
    for key in redis.scan_iter(f"rq:*{app.config['RQ_QUEUE_PREFIX']}-*"):
        redis.delete(key)


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs inside an app context and leaves empty tables behind."""
    from torchfin.extensions import db

    with app.app_context():
        yield
        db.session.rollback()
        empty_tables(db)
        db.session.remove()


def empty_tables(db) -> None:
    """Delete every row of every table, those naming others first (foreign keys hold)."""
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            # Rows naming rows of their own table (sub-industries) let go first: SQLite checks
            # ON DELETE RESTRICT row by row, so a parent deleted before its child would fail.
            own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
            if own:
                conn.execute(table.update().values(dict.fromkeys(own)))
            conn.execute(table.delete())


class _Client(FlaskClient):
    """A test client that starts every request with an empty `g`.

    Requests reuse the test's app context, hence its `g`, where Flask-Login caches the user and
    Flask-Babel the locale; in production every request has a context of its own.
    """

    def open(self, *args, **kwargs):
        vars(g).clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    """A test client."""
    app.test_client_class = _Client
    return app.test_client()


@pytest.fixture
def es(app):
    """The Elasticsearch client, with empty indices for this test."""
    from search.client import index_layout
    from search.indices import drop_all, ensure_indices
    from torchfin.extensions import search_client

    client = search_client()
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    drop_all(client, prefix)
    ensure_indices(client, prefix, index_layout(app.config))
    return client


@pytest.fixture
def run_worker(app):
    """Run a real RQ worker process in burst mode until the queues are empty, then refresh
    this run's indices. Its output is the result's `stdout`."""
    from torchfin.extensions import db, search_client

    def run() -> subprocess.CompletedProcess:
        db.session.remove()  # release SQLite locks and PostgreSQL row locks first
        done = run_burst_worker(ROOT, WORKER_HANG_SECONDS)
        assert done.returncode == 0, done.stdout[-3000:]
        # What the worker indexed is searchable at the next refresh (1 s, later on a loaded
        # machine): make it so now, so a test that searches next never races the refresh.
        # A fault test may have stopped Elasticsearch on purpose: then there is nothing to do.
        with contextlib.suppress(elastic_transport.ConnectionError):
            search_client().indices.refresh(index=f"{app.config['SEARCH_INDEX_PREFIX']}-*")
        return done

    return run


@pytest.fixture
def background_workers(app) -> Iterator[Callable[[int], list[subprocess.Popen]]]:
    """Start `count` real, long-running workers on the default queue (each with its scheduler,
    so RQ's retries run too), as `make demo` runs one; all are stopped after the test.

    Starting returns once every new worker has registered with Redis, so the work that follows
    is really shared: with two, two processes take jobs from the queue at the same time.
    """
    from rq import Worker

    from torchfin.queues import DEFAULT, queue

    started: list[subprocess.Popen] = []

    def start(count: int = 1) -> list[subprocess.Popen]:
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", DEFAULT],
                cwd=ROOT,
                env=os.environ.copy(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(count)
        ]
        started.extend(processes)
        pids = {process.pid for process in processes}
        deadline = time.monotonic() + WORKER_START_SECONDS
        # A worker registers (its pid in its Redis hash) once it has imported the app and is
        # about to listen; a loaded machine only makes that slow.
        while not pids <= {w.pid for w in Worker.all(queue=queue(DEFAULT))}:
            for process in processes:
                assert process.poll() is None, f"worker {process.pid} exited: {process.returncode}"
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        return processes

    yield start
    for process in started:
        process.terminate()  # a warm shutdown: a job in progress finishes first
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Its job hangs (a test failed while the sandbox was told to be slow): end the
            # worker and its work horse, or the horse would write into the next test.
            kill_tree(process)


@pytest.fixture
def background_worker(background_workers) -> subprocess.Popen:
    """One real, long-running worker (`background_workers`), stopped after the test."""
    return background_workers(1)[0]


@pytest.fixture
def sandbox(app):
    """The sandbox gateway, emptied of records and settings before and after the test.

    Its records are keyed by idempotency keys, which repeat when a test reuses row ids.
    """
    from torchfin.services.finance.payments.sandbox import sandbox_gateway

    gateway = sandbox_gateway()

    def clear() -> None:
        for key in gateway.redis.scan_iter(f"{app.config['RQ_QUEUE_PREFIX']}:sandbox-gateway:*"):
            gateway.redis.delete(key)

    clear()
    yield gateway
    clear()


@pytest.fixture
def run_periodic(run_worker):
    """Enqueue the periodic job `name` as `flask rq cron` would, run a worker; its return value."""
    from torchfin.queues import enqueue
    from workers.periodic import PERIODIC_JOBS

    def run(name: str):
        periodic = next(job for job in PERIODIC_JOBS if job.name == name)
        job = enqueue(periodic.job, **periodic.kwargs)
        run_worker()
        job.refresh()
        return job.return_value()

    return run


@pytest.fixture
def room_dir(app, tmp_path, monkeypatch) -> Path:
    """An empty DATA_ROOM_DIR for this test, in this process and the workers it starts."""
    root = tmp_path / "data_room"
    monkeypatch.setitem(app.config, "DATA_ROOM_DIR", str(root))
    monkeypatch.setenv("DATA_ROOM_DIR", str(root))
    return root


@pytest.fixture
def report():
    """Append lines to the fault report that `make faults` prints (FAULTS_REPORT)."""
    path = Path(os.environ.get("FAULTS_REPORT", ROOT / "instance" / "faults-report.txt"))
    path.parent.mkdir(exist_ok=True)

    def write(title: str, lines: list[str]) -> None:
        with path.open("a", encoding="utf-8") as out:
            out.write(f"\n== {title} ({time.strftime('%H:%M:%S')})\n")
            out.writelines(f"  {line}\n" for line in lines)

    return write


@pytest.fixture
def sign_in(client: FlaskClient):
    """Sign the test client in as `user` through the login form."""

    def login(user: User) -> None:
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)

    return login


@pytest.fixture
def deal_flow(app, es) -> DealFlow:
    """The records the deal-flow and alert tests share (`tests.factories.deal_flow`)."""
    return make_deal_flow()
