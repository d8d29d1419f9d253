"""Search quality over graded judgments: the sets, indexing one, and nDCG@10 and P@5.

One piece of code serves every set: `tests/search/test_relevance.py` asserts on the figures
and `python -m bench.relevance` prints them. A set is enterprises and projects as data
(`relevance_corpus.py`: Chinese words and their distractors; `investor_corpus.py`: investors'
queries with regions, rounds, synonyms, traditional characters and typos) with graded
judgments; it is written to SQL and indexed like any record, and ranked through the search API,
so whatever the API does with a query (its understanding of regions or rounds included) counts.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from elasticsearch import Elasticsearch
from flask.testing import FlaskClient
from sqlalchemy import select

from search.sync import rebuild
from tests.factories.registry import make_enterprise
from tests.search import investor_corpus, relevance_corpus
from torchfin.extensions import db
from torchfin.models import Industry, Project, Zone
from torchfin.models.base import utcnow
from torchfin.models.enums import ProjectStatus
from torchfin.reference_data.industries import INDUSTRIES
from torchfin.reference_data.zones import ZONES_BY_CODE

# P@5 counts a result as relevant from this grade on: 2 means the subject itself or close to it
# with every region, round and instrument asked for; a 1 (related) does not make a hit.
RELEVANT_GRADE = 2

# The ranking under evaluation: a query's project ids, best first.
Ranker = Callable[[str], list[int]]


@dataclass(frozen=True)
class RelevanceSet:
    """Enterprises (key -> name, zone code, industry codes), their projects (key -> title,
    summary, enterprise key, stage, instrument) and graded judgments (query -> key -> 0-3)."""

    name: str
    enterprises: Mapping[str, tuple[str, str, tuple[str, ...]]]
    projects: Mapping[str, tuple[str, str, str, str, str]]
    judgments: Mapping[str, Mapping[str, int]]


# The first set is about words: every project is one enterprise's, alike but for its text.
CHINESE_WORDS = RelevanceSet(
    "chinese-words",
    {"only": ("一二三有限公司", "zhongguancun", ("it",))},
    {
        key: (title, summary, "only", "a", "equity")
        for key, (title, summary) in relevance_corpus.DOCUMENTS.items()
    },
    relevance_corpus.JUDGMENTS,
)
INVESTOR_QUERIES = RelevanceSet(
    "investor-queries",
    investor_corpus.ENTERPRISES,
    investor_corpus.PROJECTS,
    investor_corpus.JUDGMENTS,
)
SETS = (CHINESE_WORDS, INVESTOR_QUERIES)


def ndcg_at_10(ranked: list[str], grades: Mapping[str, int]) -> float:
    """Normalised discounted cumulative gain of the first ten results (gain 2^grade - 1)."""

    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(key, 0) for key in ranked]) / ideal


def precision_at_5(ranked: list[str], grades: Mapping[str, int]) -> float:
    """The share of the first five results graded RELEVANT_GRADE or more (missing ones count
    as misses, so a query with fewer relevant records cannot reach 1)."""
    return sum(grades.get(key, 0) >= RELEVANT_GRADE for key in ranked[:5]) / 5


def best_precision_at_5(grades: Mapping[str, int]) -> float:
    """The P@5 of the ideal ranking: what a query's judgments allow at most."""
    return min(sum(g >= RELEVANT_GRADE for g in grades.values()), 5) / 5


@dataclass(frozen=True)
class Scores:
    """Per-query nDCG@10 and P@5 of one set under one ranking, and their means."""

    per_query: dict[str, tuple[float, float]]

    @property
    def ndcg(self) -> float:
        """Mean nDCG@10."""
        return sum(n for n, _ in self.per_query.values()) / len(self.per_query)

    @property
    def precision(self) -> float:
        """Mean P@5."""
        return sum(p for _, p in self.per_query.values()) / len(self.per_query)


def _reference_rows(zone_codes: set[str]) -> tuple[dict[str, Zone], dict[str, Industry]]:
    """The zones asked for and the whole industry taxonomy, as rows (added where missing)."""
    zones = {zone.code: zone for zone in db.session.scalars(select(Zone))}
    for code in zone_codes - set(zones):
        zones[code] = Zone(**ZONES_BY_CODE[code].model_fields())
        db.session.add(zones[code])
    industries = {industry.code: industry for industry in db.session.scalars(select(Industry))}
    for record in INDUSTRIES:  # parents come first
        if record.code not in industries:
            industries[record.code] = Industry(
                code=record.code,
                name_zh=record.name_zh,
                name_en=record.name_en,
                is_strategic_emerging=record.is_strategic_emerging,
                parent=industries[record.parent_code] if record.parent_code else None,
            )
            db.session.add(industries[record.code])
    db.session.commit()
    return zones, industries


def index_set(relevance_set: RelevanceSet, es: Elasticsearch, prefix: str) -> dict[int, str]:
    """Write the set's enterprises and published projects to SQL, rebuild the project index
    from SQL; project id -> project key."""
    zones, industries = _reference_rows({zone for _, zone, _ in relevance_set.enterprises.values()})
    enterprises = {
        key: make_enterprise(zones[zone], [industries[code] for code in codes], name=name)
        for key, (name, zone, codes) in relevance_set.enterprises.items()
    }
    projects = {
        key: Project(
            enterprise=enterprises[enterprise],
            title=title,
            summary=summary,
            amount_sought=Decimal("10000000.00"),
            instrument=instrument,
            stage=stage,
            status=ProjectStatus.PUBLISHED,
            published_at=utcnow(),
        )
        for key, (title, summary, enterprise, stage, instrument) in relevance_set.projects.items()
    }
    db.session.add_all(projects.values())
    db.session.commit()
    rebuild(db.session, es, prefix, "project")
    return {project.id: key for key, project in projects.items()}


def api_ranker(client: FlaskClient, headers: dict[str, str]) -> Ranker:
    """Rank through `GET /api/v1/search` as the caller of `headers`: the first ten projects."""

    def rank(query: str) -> list[int]:
        response = client.get(
            "/api/v1/search", query_string={"q": query, "page_size": 10}, headers=headers
        )
        assert response.status_code == 200, (query, response.get_json())
        return [hit["id"] for hit in response.get_json()["hits"]]

    return rank


def evaluate(relevance_set: RelevanceSet, keys: dict[int, str], rank: Ranker) -> Scores:
    """nDCG@10 and P@5 of every query of the set; `keys` maps project ids to the set's keys."""
    per_query = {}
    for query, grades in relevance_set.judgments.items():
        ranked = [keys[i] for i in rank(query)]
        per_query[query] = (ndcg_at_10(ranked, grades), precision_at_5(ranked, grades))
    return Scores(per_query)
