"""Matching benchmark: the vectorised scorer, a full rescore through RQ workers, the incremental
path for one project, and the reference scorer, in one run.

1. Vectorised: P x M synthetic features in memory (default 100,000 x 10,000), scored in blocks
   of projects as the bulk jobs do, with both top-K selections; prints pair-scores per second.
2. Reference: the plain-Python scorer on a sample of the same pairs; prints pairs per second and
   the vectorised / reference ratio.
3. Full rescore: `flask demo seed` into a database of its own (default 3,000 projects x 600
   mandates, the demo sizes), then, for each worker count asked (--workers 2 4), W warm
   `flask rq worker` processes (started and listening before the clock starts) and a rescore
   timed from its enqueueing (features loaded and encoded, chunks enqueued) to the run's end:
   once with every match new, once again with nothing changed (the same day's rerun).
4. Incremental: the path a project's indexing triggers (Elasticsearch candidates, scoring,
   storing), timed for N projects of that database; prints p50 / p95.

    .venv/bin/python -m bench.matching --workers 2 4
    .venv/bin/python -m bench.matching --db-projects 100000 --db-mandates 10000  # national size
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from bench.database import empty_database
from bench.workers import start_workers, stop_workers

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "tfbench-match"
TOP_K = 20
console = Console()


def vectorised_rate(projects: int, mandates: int, seed: int) -> tuple[float, float, float]:
    """(pair-scores per second with encoding, seconds, pair-scores per second of the scoring and
    both top-K selections alone) of the vectorised scorer over projects x mandates."""
    from torchfin.matching.synthetic import sample
    from torchfin.matching.vectorised import Vocabulary, encode_mandates, encode_projects
    from torchfin.services.matching.scoring import score_chunk

    ps, ms = sample(seed, projects, mandates)
    started = time.perf_counter()
    vocab = Vocabulary.of(ps, ms)
    ep, em = encode_projects(ps, vocab), encode_mandates(ms, vocab)
    encoded = time.perf_counter()
    score_chunk(ep, em, TOP_K)
    ended = time.perf_counter()
    pairs = projects * mandates
    return pairs / (ended - started), ended - started, pairs / (ended - encoded)


def reference_rate(pairs: int, seed: int) -> float:
    """Pairs per second of the reference scorer on a sample of synthetic pairs."""
    from torchfin.matching.reference import score_match
    from torchfin.matching.synthetic import sample

    side = int(pairs**0.5) + 1
    ps, ms = sample(seed, side, side)
    started = time.perf_counter()
    for p in ps:
        for m in ms:
            score_match(p, m)
    return side * side / (time.perf_counter() - started)


def _flask(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        **kwargs,
    )


def seed(env: dict, db_projects: int, db_mandates: int) -> None:
    """Empty the benchmark's database and seed it with the demo data at the sizes asked."""
    empty_database(env["DATABASE_URL"])
    _flask(env, "db", "upgrade", capture_output=True)
    console.print(f"seeding {db_projects} projects, {db_mandates} mandates ...")
    _flask(
        env,
        "demo",
        "seed",
        "--projects",
        str(db_projects),
        "--mandates",
        str(db_mandates),
        "--enterprises",
        str(max(db_projects, 100)),
        capture_output=True,
    )


def timed_rescore(timeout: float = 3600) -> tuple[float, int, int]:
    """Start a rescore here (features loaded and encoded, chunks enqueued) and wait for the
    warm workers to end it: (seconds, chunks, matches stored)."""
    from torchfin.extensions import db
    from torchfin.models import MatchRun
    from torchfin.models.enums import BatchStatus
    from torchfin.services.matching.scoring import start_rescore

    started = time.perf_counter()
    run, _ = start_rescore()
    run_id = run.id
    while True:
        db.session.expire_all()
        run = db.session.get(MatchRun, run_id)
        if run.status in (BatchStatus.DONE, BatchStatus.FAILED):
            break
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"run {run_id} still {run.status} after {timeout} s")
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if run.status != BatchStatus.DONE:
        raise RuntimeError(f"run {run_id} failed: {run.error}")
    return elapsed, run.total_chunks, run.stored


def full_rescores(env: dict, workers: int) -> dict[str, tuple[float, int, int]]:
    """With `workers` warm workers: a rescore storing every match anew (matches and runs deleted
    first), then the same rescore again (today's rows, nothing to write)."""
    from sqlalchemy import delete

    from torchfin.extensions import db
    from torchfin.models import Match, MatchRun

    db.session.execute(delete(MatchRun))
    db.session.execute(delete(Match))
    db.session.commit()
    procs = start_workers(env, workers)
    try:
        return {"all new": timed_rescore(), "unchanged": timed_rescore()}
    finally:
        db.session.remove()
        stop_workers(procs)


def database_sizes() -> tuple[int, int]:
    """(matchable projects, active mandates) of the benchmark's database."""
    from torchfin.extensions import db
    from torchfin.matching.features import active_mandate_ids, matchable_project_ids

    return len(matchable_project_ids(db.session)), len(active_mandate_ids(db.session))


def incremental_latency(samples: int, seed: int) -> tuple[float, float]:
    """p50 / p95 seconds of the incremental path for one project."""
    from sqlalchemy import select

    from torchfin.extensions import db
    from torchfin.models import Project
    from torchfin.models.enums import ProjectStatus
    from torchfin.services.matching.scoring import match_project

    ids = list(
        db.session.scalars(select(Project.id).where(Project.status == ProjectStatus.PUBLISHED))
    )
    times = []
    for project_id in random.Random(seed).sample(ids, min(samples, len(ids))):
        started = time.perf_counter()
        match_project(project_id)
        times.append(time.perf_counter() - started)
        db.session.remove()
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    """Parse the sizes, run the measurements, print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000, help="vectorised: projects")
    parser.add_argument("--mandates", type=int, default=10_000, help="vectorised: mandates")
    parser.add_argument("--reference-pairs", type=int, default=50_000)
    parser.add_argument("--db-projects", type=int, default=3_000, help="rescore: projects")
    parser.add_argument("--db-mandates", type=int, default=600, help="rescore: mandates")
    parser.add_argument("--workers", type=int, nargs="+", default=[2], help="e.g. 2 4")
    parser.add_argument("--incremental-samples", type=int, default=50)
    parser.add_argument("--no-reseed", dest="reseed", action="store_false")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--prefix", default=PREFIX, help="queue and index prefix of the run")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_MATCHING_DATABASE_URL",
            "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_matching",
        ),
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SEARCH_INDEX_PREFIX": args.prefix,
        "RQ_QUEUE_PREFIX": args.prefix,
    }
    console.print(f"load: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    rate, seconds, scoring = vectorised_rate(args.projects, args.mandates, args.seed)
    console.print(
        f"vectorised + top-{TOP_K}: {args.projects:,} x {args.mandates:,} pairs in {seconds:.1f} s "
        f"= {rate:,.0f} pair-scores/s with encoding, {scoring:,.0f} pair-scores/s without"
    )
    reference = reference_rate(args.reference_pairs, args.seed)
    console.print(f"reference: {reference:,.0f} pairs/s; vectorised is {rate / reference:,.0f}x")
    if args.reseed:
        seed(env, args.db_projects, args.db_mandates)
    os.environ.update(env)
    from torchfin import create_app

    with create_app().app_context():
        projects, mandates = database_sizes()
        base = None
        for workers in args.workers:
            for label, (elapsed, chunks, stored) in full_rescores(env, workers).items():
                pairs = projects * mandates
                console.print(
                    f"full rescore ({label}), {projects:,} projects x {mandates:,} mandates "
                    f"({pairs:,} pairs), {workers} warm workers: {elapsed:.2f} s from enqueue "
                    f"to the run's end = {pairs / elapsed:,.0f} pairs/s; {chunks} chunks, "
                    f"{stored:,} matches stored"
                )
                if label == "all new":
                    base = base or elapsed
                    if workers != args.workers[0]:
                        console.print(
                            f"  speed-up of {workers} workers over {args.workers[0]}: "
                            f"{base / elapsed:.2f}x"
                        )
        p50, p95 = incremental_latency(args.incremental_samples, args.seed)
    console.print(f"incremental, one project: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
