"""Matching benchmark: the vectorised scorer, a full rescore through RQ workers, the incremental
path for one project, and the reference scorer, in one run.

1. Vectorised: P x M synthetic features in memory (default 100,000 x 10,000), scored in blocks
   of projects as the bulk jobs do; prints pair-scores per second.
2. Reference: the plain-Python scorer on a sample of the same pairs; prints pairs per second and
   the vectorised / reference ratio.
3. Full rescore: `flask demo seed` into a database of its own (default 3,000 projects x 600
   mandates, the demo sizes), then `flask match rescore` with W real `flask rq worker --burst`
   processes; prints the wall time.
4. Incremental: the path a project's indexing triggers (Elasticsearch candidates, scoring,
   storing), timed for N projects of that database; prints p50 / p95.

    .venv/bin/python -m bench.matching --projects 100000 --mandates 10000
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
from sqlalchemy import create_engine, text

from bench.database import empty_database

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "tfbench-match"
console = Console()


def vectorised_rate(projects: int, mandates: int, seed: int) -> tuple[float, float]:
    """(pair-scores per second, seconds) of the vectorised scorer over projects x mandates."""
    from torchfin.matching.synthetic import sample
    from torchfin.matching.vectorised import (
        Vocabulary,
        encode_mandates,
        encode_projects,
        score_encoded,
    )
    from torchfin.services.matching.scoring import BLOCK, rows_of

    ps, ms = sample(seed, projects, mandates)
    started = time.perf_counter()
    vocab = Vocabulary.of(ps, ms)
    ep, em = encode_projects(ps, vocab), encode_mandates(ms, vocab)
    for start in range(0, projects, BLOCK):
        score_encoded(rows_of(ep, start, start + BLOCK), em)
    elapsed = time.perf_counter() - started
    return projects * mandates / elapsed, elapsed


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


def full_rescore(
    env: dict, db_projects: int, db_mandates: int, workers: int, reseed: bool
) -> tuple[float, float, tuple[int, int, int]]:
    """Seed (when asked) and time `flask match rescore` through `workers` worker processes:
    (wall seconds including process start-ups, seconds from the run's start to its end, and the
    published projects, mandates and matches the run found and stored)."""
    if reseed:
        empty_database(env["DATABASE_URL"])
    _flask(env, "db", "upgrade", capture_output=True)
    if reseed:
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
    started = time.perf_counter()
    _flask(env, "match", "rescore", "--no-follow", capture_output=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        proc.wait()
    # A worker may end its burst before the last chunk enqueued the final step: drain the rest.
    _flask(env, "rq", "worker", "--burst", capture_output=True)
    elapsed = time.perf_counter() - started
    status = _flask(env, "match", "status", capture_output=True, text=True).stderr
    console.print(status.strip().splitlines()[0] if status.strip() else "")
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        run = conn.execute(
            text("SELECT started_at, finished_at FROM match_run ORDER BY id DESC LIMIT 1")
        ).one()
        sizes = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM project WHERE status = 'published'),"
                " (SELECT count(*) FROM mandate), (SELECT count(*) FROM match)"
            )
        ).one()
    engine.dispose()
    return elapsed, (run.finished_at - run.started_at).total_seconds(), tuple(sizes)


def incremental_latency(env: dict, samples: int, seed: int) -> tuple[float, float]:
    """p50 / p95 seconds of the incremental path for one project."""
    os.environ.update(env)
    from sqlalchemy import select

    from torchfin import create_app
    from torchfin.extensions import db
    from torchfin.models import Project
    from torchfin.models.enums import ProjectStatus
    from torchfin.services.matching.scoring import match_project

    app = create_app()
    with app.app_context():
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
    """Parse the sizes, run the four measurements, print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000, help="vectorised: projects")
    parser.add_argument("--mandates", type=int, default=10_000, help="vectorised: mandates")
    parser.add_argument("--reference-pairs", type=int, default=50_000)
    parser.add_argument("--db-projects", type=int, default=3_000, help="rescore: projects")
    parser.add_argument("--db-mandates", type=int, default=600, help="rescore: mandates")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--incremental-samples", type=int, default=50)
    parser.add_argument("--no-reseed", dest="reseed", action="store_false")
    parser.add_argument("--seed", type=int, default=2011)
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
        "SEARCH_INDEX_PREFIX": PREFIX,
        "RQ_QUEUE_PREFIX": PREFIX,
    }
    rate, seconds = vectorised_rate(args.projects, args.mandates, args.seed)
    console.print(
        f"vectorised: {args.projects:,} x {args.mandates:,} pairs in {seconds:.1f} s "
        f"= {rate:,.0f} pair-scores/s"
    )
    reference = reference_rate(args.reference_pairs, args.seed)
    console.print(f"reference: {reference:,.0f} pairs/s; vectorised is {rate / reference:,.0f}x")
    wall, run_seconds, (published, mandates, matches) = full_rescore(
        env, args.db_projects, args.db_mandates, args.workers, args.reseed
    )
    console.print(
        f"full rescore: {published:,} published projects x {mandates:,} mandates through "
        f"{args.workers} workers in {wall:.1f} s wall ({run_seconds:.1f} s from the run's start "
        f"to its end; the rest is starting the flask processes); {matches:,} matches stored"
    )
    p50, p95 = incremental_latency(env, args.incremental_samples, args.seed)
    console.print(f"incremental, one project: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
