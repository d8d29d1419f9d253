"""Search quality on fixed corpora: nDCG@10 and P@5 over graded judgments.

The sets, their indexing and the measures are in tests/search/relevance.py;
`python -m bench.relevance` prints the same figures for every set.
"""

import pytest

from search.queries import run_search
from tests.factories.accounts import auth, make_user
from tests.search.relevance import (
    CHINESE_WORDS,
    INVESTOR_QUERIES,
    SETS,
    RelevanceSet,
    api_ranker,
    best_precision_at_5,
    evaluate,
    index_set,
    ndcg_at_10,
    precision_at_5,
)
from torchfin.models.enums import Instrument, Role, Stage

# The Chinese-words set, segmented search.
TARGET = 0.85
# The investor-queries set: the target (the query reached 0.915 when it came to
# understand regions, rounds, synonyms and traditional characters; 0.724 before).
INVESTOR_FLOOR = 0.90


def test_ndcg_is_perfect_only_for_the_ideal_order():
    grades = {"a": 3, "b": 2}
    assert ndcg_at_10(["a", "b"], grades) == 1.0
    assert ndcg_at_10(["x", "a", "b"], grades) < ndcg_at_10(["a", "x", "b"], grades) < 1.0


def test_precision_at_5_counts_grades_from_2_among_the_first_five():
    grades = {"a": 3, "b": 2, "c": 1, "f": 3}
    assert precision_at_5(["a", "c", "b", "x", "y", "f"], grades) == 2 / 5
    assert best_precision_at_5(grades) == 3 / 5


@pytest.mark.parametrize("relevance_set", SETS, ids=lambda s: s.name)
def test_every_judgment_grades_a_project_of_its_set(relevance_set: RelevanceSet):
    stages, instruments = {s.value for s in Stage}, {i.value for i in Instrument}
    for _, _, enterprise, stage, instrument in relevance_set.projects.values():
        assert enterprise in relevance_set.enterprises
        assert stage in stages and instrument in instruments
    for query, grades in relevance_set.judgments.items():
        assert set(grades) <= set(relevance_set.projects), query
        assert set(grades.values()) <= {1, 2, 3} and max(grades.values()) == 3, query


def _report(relevance_set: RelevanceSet, scores, **others) -> None:
    print(f"\n{relevance_set.name}: nDCG@10 {scores.ndcg:.3f}, P@5 {scores.precision:.3f}")
    for name, other in others.items():
        print(f"  {name}: nDCG@10 {other.ndcg:.3f}, P@5 {other.precision:.3f}")
    for query, (ndcg, precision) in scores.per_query.items():
        extra = "".join(f"  {name} {s.per_query[query][0]:.3f}" for name, s in others.items())
        print(f"  {query:<14} nDCG@10 {ndcg:.3f}  P@5 {precision:.3f}{extra}")


def test_segmented_search_reaches_the_target_and_beats_per_character(app, es, client):
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    keys = index_set(CHINESE_WORDS, es, prefix)
    assert len(CHINESE_WORDS.judgments) >= 30
    segmented = evaluate(CHINESE_WORDS, keys, api_ranker(client, auth(make_user(Role.INVESTOR))))

    def per_character_only(query: str) -> list[int]:
        page = run_search(es, prefix, "project", query, size=10, segmented=False)
        return [hit.id for hit in page.hits]

    baseline = evaluate(CHINESE_WORDS, keys, per_character_only)
    _report(CHINESE_WORDS, segmented, per_character=baseline)
    assert segmented.ndcg >= TARGET
    assert segmented.ndcg > baseline.ndcg


def test_investor_queries_reach_the_floor(app, es, client):
    assert len(INVESTOR_QUERIES.judgments) >= 60
    keys = index_set(INVESTOR_QUERIES, es, app.config["SEARCH_INDEX_PREFIX"])
    scores = evaluate(INVESTOR_QUERIES, keys, api_ranker(client, auth(make_user(Role.INVESTOR))))
    _report(INVESTOR_QUERIES, scores)
    assert scores.ndcg >= INVESTOR_FLOOR
