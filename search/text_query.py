"""The full-text part of a search: what a query's words match, and how the matches rank.

A query is read first (search/understanding.py): the places, rounds and instruments it names
become boosts on their keyword fields (never filters: a record elsewhere still matches its
words), and the remaining words are searched as text, in simplified characters:

- the words as jieba segments them, all of them in one field (strongest) or most of them;
- the words as a phrase, and most of their characters, over the per-character fields (recall
  for words jieba splits differently, and for typos), weighed least;
- the query with a word replaced by a synonym (search/synonyms.py), below the words typed but
  above shared characters: 固态电池 (a narrower 动力电池) ranks above 插电式混合动力, which
  only shares 动, 力 and 电;
- the industry a word names (生物医药), lifting the records filed under it.
"""

from search.bigrams import bigrams
from search.segmentation import segment_for_query
from search.synonyms import alternatives, industries_named
from search.understanding import Term, Understanding, understand

# The text fields searched per kind, with their boosts: titles and names weigh most.
TEXT_FIELDS = {
    "project": {"title": 3.0, "summary": 1.0, "enterprise_name": 1.5},
    "enterprise": {"enterprise_name": 3.0, "description": 1.0},
    "mandate": {"name": 3.0, "description": 1.0},
}

# The keyword field each recognised term's filter boosts, per kind (the facets' fields).
TERM_FIELDS = {
    "project": {
        "zone": "zone_code",
        "province": "province",
        "stage": "stage",
        "instrument": "instrument",
    },
    "enterprise": {"zone": "zone_code", "province": "province"},
    "mandate": {},
}

# How many of a query's bigrams a record must hold to match through them alone: a lone one;
# all but one of two or three (电动车 in 电动汽车; 固态电池 needs two of 固态 态电 电池, not just
# 电池); all but two of four or five (a typo in the middle breaks two: 新能源气车); 60 % of more.
# 锂电 (one bigram) needs 锂电 itself, never a record sharing only 电.
RECALL = "1<-1 3<-2 5<60%"
# A synonym counts for less than the words typed.
SYNONYM_BOOST = 1.5
# What a record filed under an industry the query names gains, whatever its text says: about
# what a synonym in its summary brings.
INDUSTRY_BOOST = 5.0
# The kinds whose records are filed under industries.
INDUSTRY_KINDS = ("project", "enterprise")
# What a record meeting a recognised term is worth against one that does not: its score is
# multiplied, so the zone asked for leads whatever the scale of the text scores.
TERM_WEIGHT = 10.0


def understood_facets(kind: str) -> frozenset[str]:
    """The filters whose terms are recognised in a query of `kind`."""
    return frozenset(TERM_FIELDS[kind])


def read_query(kind: str, text: str, literal: frozenset[str] = frozenset()) -> Understanding:
    """`text` read for a search of `kind`: the terms it names that `kind` has filters for (but
    those in `literal`) and the words left to search."""
    return understand(text, understood_facets(kind), literal)


def _seg_fields(kind: str) -> list[str]:
    return [f"{name}_seg^{boost}" for name, boost in TEXT_FIELDS[kind].items()]


def _all_words(kind: str, words: str, boost: float) -> dict:
    """Every word of `words` (segmented) in one segmented field; the best field counts."""
    return {
        "multi_match": {
            "query": words,
            "fields": _seg_fields(kind),
            "operator": "and",
            "boost": boost,
        }
    }


def _recall(field: str, text: str, boost: float) -> list[dict]:
    """The query as a phrase and most of its units in `field`, weighed least."""
    return [
        {"match_phrase": {field: {"query": text, "boost": boost * 2}}},
        {"match": {field: {"query": text, "minimum_should_match": RECALL, "boost": boost * 0.2}}},
    ]


def words_query(kind: str, text: str, segmented: bool = True) -> dict:
    """The clause matching the words of `text` as they are (no terms, no synonyms).

    Recall beyond jieba's words comes from the character bigrams; a query with no bigram (a
    single character) falls back on the per-character fields. With `segmented=False` only the
    per-character fields are used (the baseline the relevance tests compare against).
    """
    words = segment_for_query(text)
    grams = bigrams(text)
    per_character = not segmented or all(len(gram) == 1 for gram in grams.split())
    should = []
    for name, boost in TEXT_FIELDS[kind].items():
        if segmented:
            should.append(
                {"match": {f"{name}_seg": {"query": words, "operator": "and", "boost": boost * 4}}}
            )
            should.append(
                {
                    "match": {
                        f"{name}_seg": {
                            "query": words,
                            "minimum_should_match": "60%",
                            "boost": boost,
                        }
                    }
                }
            )
        if per_character:
            should += _recall(name, text, boost)
        elif grams:
            should += _recall(f"{name}_bigrams", grams, boost)
    return {"bool": {"should": should, "minimum_should_match": 1}}


def highlight_query(kind: str, text: str, literal: frozenset[str] = frozenset()) -> dict | None:
    """What highlights mark: the searched words each as a whole (a phrase of its characters),
    never a lone character a record shares with them; None when only terms were typed."""
    reading = read_query(kind, text, literal)
    words = segment_for_query(reading.text).split()
    if not words:
        return None
    return {
        "bool": {
            "should": [
                {"match_phrase": {name: word}} for name in TEXT_FIELDS[kind] for word in words
            ]
        }
    }


def text_query(
    kind: str, text: str, literal: frozenset[str] = frozenset(), segmented: bool = True
) -> dict:
    """The full-text clause of a search for `text`, with its recognised terms as boosts (but
    those in `literal`, searched as words), and its synonyms. `segmented=False`: the
    per-character baseline, words only."""
    if not segmented:
        return words_query(kind, text, segmented=False)
    reading = read_query(kind, text, literal)
    if not reading.text:
        # Nothing but terms (深圳): records meeting one, or mentioning it, match.
        return {
            "bool": {
                "should": [
                    *({"terms": _term_filter(kind, term)} for term in reading.terms),
                    *(words_query(kind, term.text) for term in reading.terms),
                ],
                "minimum_should_match": 1,
            }
        }
    synonyms = [
        _all_words(kind, segment_for_query(other), SYNONYM_BOOST)
        for other in alternatives(reading.text)
    ]
    codes = industries_named(reading.text) if kind in INDUSTRY_KINDS else ()
    industry = [_industry_clause(codes)] if codes else []
    # The words or a synonym must match; being filed under an industry the words name only
    # lifts a record, so a search never returns records that share nothing with it.
    matches = {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": [words_query(kind, reading.text), *synonyms],
                        "minimum_should_match": 1,
                    }
                }
            ],
            "should": industry,
        }
    }
    phrase = {
        "multi_match": {"query": reading.text, "fields": list(TEXT_FIELDS[kind]), "type": "phrase"}
    }
    whole_words = [
        _all_words(kind, segment_for_query(reading.text), 1.0),
        phrase,
        *synonyms,
        *industry,
    ]
    if not reading.terms:
        return matches
    # A record meeting a term gains only where its words are there (as jieba's words, as a
    # phrase, through a synonym or its industry), not just their characters: a Shenzhen record
    # sharing 无 and 机 with 无人机 is not lifted by 深圳.
    return {
        "function_score": {
            "query": matches,
            "functions": [
                {
                    "filter": {
                        "bool": {
                            "filter": [{"terms": _term_filter(kind, term)}],
                            "should": whole_words,
                            "minimum_should_match": 1,
                        }
                    },
                    "weight": TERM_WEIGHT,
                }
                for term in reading.terms
            ],
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }


def _industry_clause(codes: tuple[str, ...]) -> dict:
    """Records filed under one of `codes` or under a sub-field of one."""
    filed = [
        {"terms": {"industry_codes": list(codes)}},
        {"terms": {"industry_parent_codes": list(codes)}},
    ]
    return {
        "constant_score": {
            "filter": {"bool": {"should": filed, "minimum_should_match": 1}},
            "boost": INDUSTRY_BOOST,
        }
    }


def _term_filter(kind: str, term: Term) -> dict:
    return {TERM_FIELDS[kind][term.facet]: list(term.values)}
