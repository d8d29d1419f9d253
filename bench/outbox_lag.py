"""Outbox lag under load: from a write's commit to its document being found by a search.

For each Elasticsearch (the single node of `make services` on 9200, with 1 primary and no
replica; a three-node cluster of its own on 9211-9213, started here when not running, with 3
primaries and 1 replica), in one run:
1. Writes: RATE writes a second (default 200) for DURATION seconds (default 60) through the
   registry services in-process, from 4 threads: each project is created, published, edited and
   withdrawn (four writes, each a commit with its outbox row, waking a drain). Two long-lived
   `flask rq worker` processes drain the outbox into the index (`--pools shared`: both on every
   queue; `per-queue`: one on the search queue, one on the rest).
2. A poller searches the index every 50 ms for the written ids with their versions; a write's
   lag is the first time a search sees its document version (or a later one) minus its commit.
Baseline: the engine's own lag, the same documents written straight to the index with `_bulk`
(no SQL, no outbox, no worker) at the same rate and found by the same poller: what a search
engine refreshed every second costs anyway. Prints p50 / p99 / max lag, writes achieved per
second, and the ratio to the baseline.

    .venv/bin/python -m bench.outbox_lag --rate 200 --duration 60
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from elasticsearch import Elasticsearch
from rich.console import Console
from rich.table import Table

from bench.database import empty_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_outbox"
CLUSTER_PORT = 9211
TARGETS = {
    "single node": ("http://127.0.0.1:9200", 1, 0),
    "3-node cluster": (
        ",".join(f"http://127.0.0.1:{CLUSTER_PORT + i}" for i in range(3)),
        3,
        1,
    ),
}
THREADS = 4
console = Console(width=150)


@dataclass
class Lags:
    """Commit times of the writes not yet seen, and the lags of those seen."""

    pending: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    seen: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def written(self, record_id: int, version: int, at: float) -> None:
        with self.lock:
            self.pending.setdefault(record_id, []).append((version, at))

    def visible(self, record_id: int, version: int, at: float) -> None:
        with self.lock:
            left = []
            for wanted, committed in self.pending.get(record_id, []):
                if wanted <= version:
                    self.seen.append(at - committed)
                else:
                    left.append((wanted, committed))
            if left:
                self.pending[record_id] = left
            else:
                self.pending.pop(record_id, None)

    def waiting(self) -> list[int]:
        with self.lock:
            return list(self.pending)


def _poll(es: Elasticsearch, index: str, lags: Lags, stop: threading.Event) -> None:
    """Search for every pending id every 50 ms until `stop` and nothing is pending."""
    while not (stop.is_set() and not lags.waiting()):
        ids = lags.waiting()
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            found = es.search(
                index=index,
                query={"ids": {"values": [str(i) for i in chunk]}},
                size=len(chunk),
                version=True,
                source=False,
            )
            now = time.perf_counter()
            for hit in found["hits"]["hits"]:
                lags.visible(int(hit["_id"]), hit["_version"], now)
        time.sleep(0.05)


def _paced(rate: float, duration: float, thread: int, write) -> int:
    """Call `write(n)` for this thread's share of `rate` a second; return how many it made."""
    interval = THREADS / rate
    started = time.perf_counter()
    n = 0
    while (due := started + thread * interval / THREADS + n * interval) < started + duration:
        time.sleep(max(0.0, due - time.perf_counter()))
        write(n)
        n += 1
    return n


def _measure(es: Elasticsearch, index: str, rate: float, duration: float, write) -> dict:
    """Drive `write(thread, n)` from THREADS threads at `rate`; lags as the poller saw them."""
    lags, stop = Lags(), threading.Event()
    poller = threading.Thread(target=_poll, args=(es, index, lags, stop))
    poller.start()
    counts = [0] * THREADS
    started = time.perf_counter()

    def drive(thread: int) -> None:
        counts[thread] = _paced(rate, duration, thread, lambda n: write(thread, n, lags))

    drivers = [threading.Thread(target=drive, args=(t,)) for t in range(THREADS)]
    for driver in drivers:
        driver.start()
    for driver in drivers:
        driver.join()
    elapsed = time.perf_counter() - started
    stop.set()
    poller.join(timeout=120)
    assert not poller.is_alive(), f"{len(lags.waiting())} writes never became searchable"
    seen = sorted(lags.seen)
    return {
        "writes": sum(counts),
        "rate": sum(counts) / elapsed,
        "p50": statistics.median(seen),
        "p99": seen[int(0.99 * (len(seen) - 1))],
        "max": seen[-1],
    }


# Two workers: both on every queue (as `make demo` runs them), or a pool per queue (as
# docs/deployment.md advises): one for the outbox drain, one for the rest (the match scoring
# that each indexed project enqueues).
POOLS = {"shared": ((), ()), "per-queue": (("search",), ("default",))}


def _workers(env: dict, pools: str) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker"]
    return [
        subprocess.Popen(
            [*command, *queues],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for queues in POOLS[pools]
    ]


def _sme_of_a_fresh_zone() -> int:
    from tests.factories.accounts import make_user
    from tests.factories.registry import make_enterprise, make_industries, make_zone
    from torchfin.models.enums import Role

    enterprise = make_enterprise(make_zone(), [make_industries()["nev"]])
    return make_user(Role.SME, enterprise=enterprise).id


def through_the_outbox(app, rate: float, duration: float) -> dict:
    """Projects created, published, edited and withdrawn through the services."""
    from search.indices import alias_name
    from torchfin.extensions import db, search_client
    from torchfin.models import User
    from torchfin.services.registry import projects

    with app.app_context():
        sme_id = _sme_of_a_fresh_zone()
        es, index = search_client(), alias_name(app.config["SEARCH_INDEX_PREFIX"], "project")

    def write(thread: int, n: int, lags: Lags) -> None:
        with app.app_context():
            user = db.session.get(User, sme_id)
            step = n % 4
            if step == 0:
                body = {"title": f"压测项目{thread}-{n}", "summary": "出站队列延迟测试"}
                body |= {"amount_sought": "5000000.00", "instrument": "equity", "stage": "a"}
                project = projects.create_project(user, body)
                write.current[thread] = project.id
            elif step == 1:
                project = projects.change_status(user, write.current[thread], "publish")
            elif step == 2:
                title = f"压测项目{thread}-{n}（修订）"
                project = projects.update_project(user, write.current[thread], {"title": title})
            else:
                project = projects.change_status(user, write.current[thread], "withdraw")
            lags.written(project.id, project.doc_version, time.perf_counter())
            db.session.remove()

    write.current = {}
    return _measure(es, index, rate, duration, write)


def straight_to_the_index(es: Elasticsearch, index: str, rate: float, duration: float) -> dict:
    """Baseline: the same number of documents written with `_bulk` one at a time, no SQL."""

    def write(thread: int, n: int, lags: Lags) -> None:
        record_id = 10_000_000 + thread * 1_000_000 + n // 4
        version = n % 4 + 1
        es.bulk(
            operations=[
                {
                    "index": {
                        "_index": index,
                        "_id": str(record_id),
                        "version": version,
                        "version_type": "external",
                    }
                },
                {"title": f"基准{record_id}", "status": "published"},
            ]
        )
        lags.written(record_id, version, time.perf_counter())

    return _measure(es, index, rate, duration, write)


def _start_cluster() -> None:
    env = {**os.environ, "ES_PORT": str(CLUSTER_PORT), "ES_NODES": "3"}
    env.pop("ELASTICSEARCH_URL", None)
    subprocess.run(["bash", "scripts/es-start.sh"], cwd=ROOT, env=env, check=True)


def run(name: str, rate: float, duration: float, pools: str) -> tuple[dict, dict]:
    """Both measurements against one Elasticsearch."""
    url, shards, replicas = TARGETS[name]
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE,
        "ELASTICSEARCH_URL": url,
        "SEARCH_SHARDS": str(shards),
        "SEARCH_REPLICAS": str(replicas),
        "SEARCH_INDEX_PREFIX": "tfbench-lag",
        "RQ_QUEUE_PREFIX": "tfbench-lag",
        "TORCHFIN_ENV": "testing",
    }
    os.environ.update(env)
    from flask_migrate import upgrade

    from search.client import index_layout
    from search.indices import drop_all, ensure_indices
    from torchfin import create_app
    from torchfin.extensions import db, search_client

    empty_database(DATABASE)
    app = create_app()
    with app.app_context():
        upgrade()
        es = search_client()
        drop_all(es, "tfbench-lag")
        ensure_indices(es, "tfbench-lag", index_layout(app.config))
        es.cluster.health(wait_for_status="green", timeout="120s")
    workers = _workers(env, pools)
    try:
        outbox = through_the_outbox(app, rate, duration)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    with app.app_context():
        scratch = "tfbench-lag-baseline"
        es.options(ignore_status=404).indices.delete(index=scratch)
        es.indices.create(index=scratch, settings=index_layout(app.config).settings())
        es.cluster.health(index=scratch, wait_for_status="green", timeout="120s")
        baseline = straight_to_the_index(es, scratch, rate, duration)
        es.indices.delete(index=scratch)
        drop_all(es, "tfbench-lag")
        db.session.remove()
        db.engine.dispose()
    return outbox, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="writes a second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of writing")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated")
    parser.add_argument("--pools", choices=sorted(POOLS), default="shared")
    args = parser.parse_args()
    table = Table(
        title=f"Commit to searchable at {args.rate:.0f} writes/s for {args.duration:.0f} s"
    )
    for column in (
        "Elasticsearch",
        "path",
        "writes",
        "writes/s",
        "p50 s",
        "p99 s",
        "max s",
        "p99 ratio",
    ):
        table.add_column(column, justify="right")
    for name in args.targets.split(","):
        if name == "3-node cluster":
            _start_cluster()
        console.print(f"[bold]{name}[/bold] …")
        outbox, baseline = run(name, args.rate, args.duration, args.pools)
        for path, r in ((f"outbox, 2 workers {args.pools}", outbox), ("baseline: _bulk", baseline)):
            ratio = f"{outbox['p99'] / baseline['p99']:.1f}" if r is outbox else "1.0"
            table.add_row(
                name,
                path,
                str(r["writes"]),
                f"{r['rate']:.0f}",
                f"{r['p50']:.2f}",
                f"{r['p99']:.2f}",
                f"{r['max']:.2f}",
                ratio,
            )
    console.print(table)
    console.print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
