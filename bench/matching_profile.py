"""Where a full rescore's time goes: every job of one run called in this process, one after the
other, each phase timed (and all of it under cProfile with --profile FILE).

The database must hold data already (e.g. the one `bench.matching` seeds); its matches are kept
unless --fresh, which deletes them first so that every match is stored anew.

    DATABASE_URL=... .venv/bin/python -m bench.matching_profile [--fresh] [--profile out.prof]
"""

import argparse
import cProfile
import itertools
import time

from rich.console import Console
from sqlalchemy import delete, func, select

console = Console()


def main() -> None:
    """Run one rescore's jobs in order and print the seconds of each phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="delete the matches first")
    parser.add_argument("--profile", help="write cProfile statistics to this file")
    args = parser.parse_args()

    from torchfin import create_app
    from torchfin.extensions import db
    from torchfin.models import Match, MatchRun, MatchRunChunk
    from torchfin.queues import QUEUES, queue
    from torchfin.services.matching import scoring

    with create_app().app_context():
        db.session.execute(delete(MatchRun))
        if args.fresh:
            db.session.execute(delete(Match))
        db.session.commit()
        profiler = cProfile.Profile()
        if args.profile:
            profiler.enable()
        marks = [("start", time.perf_counter())]
        run, _ = scoring.start_rescore()
        marks.append(("enqueue: features loaded, encoded, published", time.perf_counter()))
        for chunk_id in [c.id for c in run.chunks]:
            scoring.work_chunk(chunk_id)
        marks.append(("scoring chunks (with their own pairs stored)", time.perf_counter()))
        scoring.finish_rescore(run.id)
        marks.append(("finish: union, stale removal, store chunks planned", time.perf_counter()))
        stores = select(MatchRunChunk.id).where(
            MatchRunChunk.run_id == run.id, MatchRunChunk.side == "store"
        )
        for chunk_id in db.session.scalars(stores).all():
            scoring.store_chunk(chunk_id)
        scoring.finish_rescore(run.id)
        marks.append(("store chunks and closing", time.perf_counter()))
        profiler.disable()
        for name in QUEUES:
            queue(name).empty()  # the jobs enqueued on the way ran here already
        for (_, before), (label, after) in itertools.pairwise(marks):
            console.print(f"{label}: {after - before:.2f} s")
        console.print(f"total: {marks[-1][1] - marks[0][1]:.2f} s")
        matches = db.session.scalar(select(func.count()).select_from(Match))
        console.print(f"{matches:,} matches")
        if args.profile:
            profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
