"""Type-ahead on enterprise names and published project titles, in Chinese or by pinyin prefix.

What was typed is looked for in the name itself (any position, as a phrase prefix) and, when it
reads as pinyin, as a prefix of the name's full pinyin or initials (search/pinyin.py). The
scores are tiers: a hit on the name itself always ranks first (ordered among themselves by the
text score, as before pinyin), then names whose pinyin starts with the prefix, then names with
a later syllable that does.
"""

from dataclasses import dataclass

from elasticsearch import Elasticsearch

from search.indices import alias_name
from search.pinyin import pinyin_prefix

# Above any text score a phrase prefix of a few characters gets, so the tiers never mix.
NAME_HIT = 100.0
PINYIN_START = 2.0
PINYIN_LATER = 1.0


@dataclass(frozen=True)
class Suggestion:
    """One type-ahead entry: what it is, its id and the name to show."""

    kind: str
    id: int
    name: str


@dataclass(frozen=True)
class _Source:
    kind: str
    name_field: str  # the text field and the stem of its pinyin fields
    shown_field: str  # the source field holding the name as entered
    only: tuple[dict, ...] = ()  # filters every suggestion of this kind must pass


SOURCES = (
    _Source("enterprise", "enterprise_name", "enterprise_name_kw"),
    _Source("project", "title", "title", ({"term": {"status": "published"}},)),
)


def _prefix(field: str, value: str, boost: float) -> dict:
    return {"constant_score": {"filter": {"prefix": {field: value}}, "boost": boost}}


def suggest_query(source: _Source, text: str) -> dict:
    """The query of one source: the name's own words first, then its pinyin."""
    phrase = {"match_phrase_prefix": {source.name_field: {"query": text, "max_expansions": 50}}}
    should = [{"constant_score": {"filter": phrase, "boost": NAME_HIT}}, phrase]
    pinyin = pinyin_prefix(text)
    if pinyin:
        stem = source.name_field
        should += [
            _prefix(f"{stem}_pinyin", pinyin, PINYIN_START),
            _prefix(f"{stem}_initials", pinyin, PINYIN_START),
            _prefix(f"{stem}_pinyin_tails", pinyin, PINYIN_LATER),
        ]
    return {"bool": {"should": should, "minimum_should_match": 1, "filter": list(source.only)}}


def suggest_names(es: Elasticsearch, prefix: str, text: str, size: int = 8) -> list[Suggestion]:
    """Up to `size` enterprises and published projects for what was typed, best first."""
    ranked = []
    for order, source in enumerate(SOURCES):
        response = es.search(
            index=alias_name(prefix, source.kind),
            query=suggest_query(source, text),
            size=size,
            source=[source.shown_field],
            # Equal scores (the pinyin tiers) keep a stable order: the newest record first.
            sort=["_score", {"id": "desc"}],
            track_scores=True,
        )
        for hit in response["hits"]["hits"]:
            entry = Suggestion(source.kind, int(hit["_id"]), hit["_source"][source.shown_field])
            # On equal scores enterprises come before projects, each kind in its own order.
            ranked.append((-hit["_score"], order, entry))
    ranked.sort(key=lambda item: item[:2])
    return [entry for *_, entry in ranked[:size]]
