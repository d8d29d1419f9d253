"""Search quality on a fixed corpus: nDCG@10 over graded judgments, segmented vs per-character."""

import math
from decimal import Decimal

import pytest

from search.queries import run_search
from search.sync import rebuild
from tests.factories.registry import make_enterprise, make_industries, make_zone
from tests.search.relevance_corpus import DOCUMENTS, JUDGMENTS
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Stage

TARGET = 0.85


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    """Normalised discounted cumulative gain of the first ten results."""

    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(key, 0) for key in ranked]) / ideal


def test_ndcg_is_perfect_only_for_the_ideal_order():
    grades = {"a": 3, "b": 2}
    assert ndcg_at_10(["a", "b"], grades) == 1.0
    assert ndcg_at_10(["x", "a", "b"], grades) < ndcg_at_10(["a", "x", "b"], grades) < 1.0


@pytest.fixture
def corpus(app, es) -> dict[int, str]:
    """The corpus as published projects, indexed; returns project id -> document key."""
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]], name="一二三有限公司")
    projects = {
        key: Project(
            enterprise=enterprise,
            title=title,
            summary=summary,
            amount_sought=Decimal("1000000.00"),
            instrument=Instrument.EQUITY,
            stage=Stage.A,
            status=ProjectStatus.PUBLISHED,
            published_at=utcnow(),
        )
        for key, (title, summary) in DOCUMENTS.items()
    }
    db.session.add_all(projects.values())
    db.session.commit()
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "project")
    return {project.id: key for key, project in projects.items()}


def _mean_ndcg(app, es, corpus: dict[int, str], segmented: bool) -> tuple[float, dict[str, float]]:
    per_query = {}
    for query, grades in JUDGMENTS.items():
        page = run_search(
            es, app.config["SEARCH_INDEX_PREFIX"], "project", query, size=10, segmented=segmented
        )
        per_query[query] = ndcg_at_10([corpus[hit.id] for hit in page.hits], grades)
    return sum(per_query.values()) / len(per_query), per_query


def test_segmented_search_reaches_the_target_and_beats_per_character(app, es, corpus):
    assert len(JUDGMENTS) >= 30
    segmented, per_query = _mean_ndcg(app, es, corpus, segmented=True)
    per_character, baseline = _mean_ndcg(app, es, corpus, segmented=False)
    print(
        f"\nnDCG@10 over {len(JUDGMENTS)} queries: segmented {segmented:.3f}, "
        f"per-character {per_character:.3f}, ratio {segmented / per_character:.3f}"
    )
    for query in JUDGMENTS:
        print(
            f"  {query:<12} segmented {per_query[query]:.3f}  per-character {baseline[query]:.3f}"
        )
    assert segmented >= TARGET
    assert segmented > per_character
