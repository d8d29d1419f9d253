"""Search relevance: nDCG@10 and P@5 of every relevance set, ranked through the search API.

Each set (tests/search/relevance.py: the Chinese-words set and the investors' queries) is written
to a fresh SQLite database of its own, indexed under the prefix `tfbench-relevance`, and each of
its queries is sent to `GET /api/v1/search` as an investor; the judgments grade the first ten
results. Prints one row per set: queries, nDCG@10, P@5 and the best P@5 its judgments allow.

    .venv/bin/python -m bench.relevance [--per-query]
"""

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from tests.search.relevance import RelevanceSet, Scores

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "tfbench-relevance"
console = Console(width=150)


def measure(relevance_set: "RelevanceSet") -> "Scores":
    """The Scores of `relevance_set` on a database and indices of its own."""
    from flask_migrate import upgrade

    from search.indices import drop_all, ensure_indices
    from tests.factories.accounts import auth, make_user
    from tests.search.relevance import api_ranker, evaluate, index_set
    from torchfin import create_app
    from torchfin.extensions import db, search_client
    from torchfin.models.enums import Role

    database = ROOT / "instance" / f"bench-relevance-{relevance_set.name}.sqlite3"
    database.parent.mkdir(exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    app = create_app()
    with app.app_context():
        upgrade()
        es = search_client()
        drop_all(es, PREFIX)
        ensure_indices(es, PREFIX)
        keys = index_set(relevance_set, es, PREFIX)
        headers = auth(make_user(Role.INVESTOR))
    # Outside that context each request gets an app context of its own, as in production.
    scores = evaluate(relevance_set, keys, api_ranker(app.test_client(), headers))
    with app.app_context():
        drop_all(es, PREFIX)
        db.session.remove()
        db.engine.dispose()
    database.unlink(missing_ok=True)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-query", action="store_true", help="also print every query's figures")
    args = parser.parse_args()
    # Set before any app exists: an app reads its settings when it is created.
    os.environ.update(SEARCH_INDEX_PREFIX=PREFIX, RQ_QUEUE_PREFIX=PREFIX, TORCHFIN_ENV="testing")
    from tests.search.relevance import SETS, best_precision_at_5

    table = Table(title="Search relevance through GET /api/v1/search (first ten results)")
    for column in ("set", "queries", "nDCG@10", "P@5", "best P@5"):
        table.add_column(column, justify="left" if column == "set" else "right")
    for relevance_set in SETS:
        scores = measure(relevance_set)
        best = [best_precision_at_5(grades) for grades in relevance_set.judgments.values()]
        table.add_row(
            relevance_set.name,
            str(len(scores.per_query)),
            f"{scores.ndcg:.3f}",
            f"{scores.precision:.3f}",
            f"{sum(best) / len(best):.3f}",
        )
        if args.per_query:
            console.print(f"[bold]{relevance_set.name}[/bold]")
            for query, (ndcg, precision) in scores.per_query.items():
                console.print(f"  {query:<16} nDCG@10 {ndcg:.3f}  P@5 {precision:.3f}")
    console.print(table)


if __name__ == "__main__":
    main()
