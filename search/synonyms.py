"""Synonyms and abbreviations of a query, from the reviewed table search/synonyms.tsv.

The Elasticsearch server has no synonym filter, so a query is expanded here: `alternatives`
gives the query again with one of its words replaced by a synonym (太阳能 -> 光伏), and the
query builder searches those with a lower boost than the words typed, so a record found through
a synonym ranks below one with the word itself. A term's synonyms are the other terms of each
line it can expand by, without chaining lines: 太阳能 -> 光伏 does not make 太阳能 -> 太阳能光伏.
The industry taxonomy is a table of its own: a word naming an industry (生物医药) also finds
the records filed under it (`industries_named`).
"""

from functools import cache, lru_cache
from pathlib import Path

from search.segmentation import find_words, lookup_form
from torchfin.reference_data.industries import INDUSTRIES

TABLE = Path(__file__).with_name("synonyms.tsv")

# Alternative queries searched at most: each costs a clause of the Elasticsearch query.
MAX_ALTERNATIVES = 4


def parse_table(text: str) -> dict[str, tuple[str, ...]]:
    """The table's lines -> each term (lookup form) and its synonyms, in the table's order.

    A term's synonyms are the other terms of its `=` lines, and the narrower terms of its `>`
    lines and of those of its equals (新能源车 = 新能源汽车 and 新能源汽车 > 纯电动: 新能源车 finds
    纯电动 too). ValueError names a malformed line: an unknown relation, fewer than two terms
    or a term repeated within its line."""
    equal: dict[str, list[str]] = {}
    narrower: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        relation, *terms = [field.strip() for field in line.split("\t")]
        keys = [lookup_form(term) for term in terms]
        if relation not in ("=", ">") or len(terms) < 2 or len(set(keys)) < len(keys):
            raise ValueError(f"{TABLE.name} line {number}: not a synonym row: {line!r}")
        if relation == ">":
            narrower.setdefault(keys[0], []).extend(terms[1:])
            continue
        for key in keys:
            equal.setdefault(key, []).extend(
                t for t, k in zip(terms, keys, strict=True) if k != key
            )
    synonyms = {}
    for key in equal.keys() | narrower.keys():
        found = [*equal.get(key, []), *narrower.get(key, [])]
        for other in equal.get(key, []):
            found += narrower.get(lookup_form(other), [])
        synonyms[key] = tuple(dict.fromkeys(t for t in found if lookup_form(t) != key))
    return synonyms


@cache
def synonym_table() -> dict[str, tuple[str, ...]]:
    """The reviewed table, read once."""
    return parse_table(TABLE.read_text(encoding="utf-8"))


@cache
def _industry_names() -> dict[str, str | None]:
    # Words of the synonym table are looked up too, so that the longest word wins: 新能源车 is
    # a vehicle, not the industry 新能源 (energy) its first three characters name.
    names: dict[str, str | None] = dict.fromkeys(synonym_table())
    names.update({lookup_form(record.name_zh): record.code for record in INDUSTRIES})
    return names


@lru_cache(maxsize=4096)
def alternatives(text: str) -> tuple[str, ...]:
    """`text` (simplified) with one word replaced by a synonym, for each word with synonyms,
    in the order the words and the synonyms come; at most MAX_ALTERNATIVES. A synonym already
    in the query is no alternative."""
    present = lookup_form(text)
    found = [
        f"{text[:start]} {synonym} {text[end:]}"
        for start, end, synonyms in find_words(text, synonym_table())
        for synonym in synonyms
        if lookup_form(synonym) not in present
    ]
    return tuple(" ".join(query.split()) for query in found[:MAX_ALTERNATIVES])


@lru_cache(maxsize=4096)
def industries_named(text: str) -> tuple[str, ...]:
    """The codes of the taxonomy industries named by words of `text` (simplified) or of its
    alternatives (生物医药 -> bio.pharma, 光伏 -> 太阳能光伏 -> energy.solar): a record filed
    under one answers the word even where its own text does not say it."""
    codes = (
        code
        for query in (text, *alternatives(text))
        for _, _, code in find_words(query, _industry_names())
        if code
    )
    return tuple(dict.fromkeys(codes))
