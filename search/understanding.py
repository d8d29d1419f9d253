"""Understanding a search query: the places, rounds and financing instruments an investor names.

`understand("中关村 A轮 大数据")` finds 中关村 (the zone filter zhongguancun) and A轮 (the stage
filter a) and leaves 大数据 as the words to search for. The query builder boosts records that
meet a recognised term instead of filtering on it, so nothing is lost to a wrong guess; the
search page and the API show every term found, each with its one-click filter and a way to
search the words literally instead (`literal`).

A term is found only where it starts and ends on the query's word boundaries (search/
segmentation.py), longest first, case-insensitively, on the simplified query (動力 is 动力).
"""

from dataclasses import dataclass
from functools import cache, lru_cache

from search.regions import place_names
from search.segmentation import find_words, lookup_form
from search.simplified import to_simplified
from torchfin.models.enums import Instrument, Stage

# Round words -> the platform's stages. Pre-A sits between an angel round and an A round, so it
# stands for both; the platform's last stage before listing is Pre-IPO.
STAGE_WORDS: dict[str, tuple[Stage, ...]] = {
    **dict.fromkeys(("种子轮", "种子期", "种子阶段"), (Stage.SEED,)),
    **dict.fromkeys(("天使轮", "天使期", "天使", "天使投资"), (Stage.ANGEL,)),
    **dict.fromkeys(("pre-a", "pre-a轮", "prea轮"), (Stage.ANGEL, Stage.A)),
    **dict.fromkeys(("a轮", "a+轮", "a轮融资"), (Stage.A,)),
    **dict.fromkeys(("pre-b", "pre-b轮", "b轮", "b+轮", "b轮融资"), (Stage.B,)),
    **dict.fromkeys(
        ("c轮", "c+轮", "d轮", "e轮", "c轮融资", "c轮及以后", "成长期", "扩张期"), (Stage.C_PLUS,)
    ),
    **dict.fromkeys(
        ("pre-ipo", "pre-ipo轮", "preipo", "ipo前", "上市前", "拟上市"), (Stage.PRE_IPO,)
    ),
}

_LOANS = (Instrument.BANK_LOAN, Instrument.GUARANTEED_LOAN, Instrument.IP_PLEDGE_LOAN)

# Instrument words -> the platform's instruments. A loan is any of the three loans; debt is a
# loan or a convertible. Bare 租赁, 担保 and 信贷 are left out: 算力租赁, 担保机构 and 信贷风控 are
# subjects, not instruments.
INSTRUMENT_WORDS: dict[str, tuple[Instrument, ...]] = {
    **dict.fromkeys(("股权", "股权融资", "股权投资"), (Instrument.EQUITY,)),
    **dict.fromkeys(("贷款", "贷款融资"), _LOANS),
    **dict.fromkeys(("债权", "债权融资", "债务融资"), (*_LOANS, Instrument.CONVERTIBLE)),
    **dict.fromkeys(("银行贷款", "银行信贷", "流动资金贷款"), (Instrument.BANK_LOAN,)),
    **dict.fromkeys(("担保贷款", "担保融资", "融资担保"), (Instrument.GUARANTEED_LOAN,)),
    **dict.fromkeys(
        (
            "知识产权质押",
            "知识产权质押贷款",
            "知识产权质押融资",
            "知识产权贷款",
            "专利质押",
            "专利质押贷款",
        ),
        (Instrument.IP_PLEDGE_LOAN,),
    ),
    **dict.fromkeys(
        ("可转债", "可转换债券", "可转换债", "可转股债权", "可转债融资"), (Instrument.CONVERTIBLE,)
    ),
    **dict.fromkeys(("融资租赁", "租赁融资"), (Instrument.LEASING,)),
}

# Words that begin with a term but mean something else (a product for 股权激励 is no equity
# round): found like terms, so the shorter term inside them is not, and then left as text.
NOT_TERMS = frozenset({"股权激励", "股权结构", "股权管理", "天使投资人"})


@dataclass(frozen=True)
class Term:
    """A recognised term: the search filter it stands for (`facet`: zone, province, stage or
    instrument), that filter's values, and where it stands in the simplified query."""

    facet: str
    text: str
    values: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Understanding:
    """A query read: `query` simplified, the terms recognised in it, and `text`, the words left
    for the full-text search."""

    query: str
    terms: tuple[Term, ...]

    @property
    def text(self) -> str:
        """The query without its recognised terms: the words searched as text."""
        return _cut(self.query, self.terms)

    def query_without(self, term: Term) -> str:
        """The query without `term`: what the words become when its filter is set instead."""
        return _cut(self.query, (term,))


def _cut(query: str, terms: tuple[Term, ...]) -> str:
    kept, position = [], 0
    for term in sorted(terms, key=lambda t: t.start):
        kept.append(query[position : term.start])
        position = term.end
    kept.append(query[position:])
    return " ".join(" ".join(kept).split())


@cache
def vocabulary() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every term, in lookup form -> (facet, values): places, round words, instrument words."""
    words: dict[str, tuple[str, tuple[str, ...]]] = {
        lookup_form(name): (place.facet, place.values) for name, place in place_names().items()
    }
    words.update({w: ("stage", tuple(s.value for s in v)) for w, v in STAGE_WORDS.items()})
    words.update(
        {w: ("instrument", tuple(i.value for i in v)) for w, v in INSTRUMENT_WORDS.items()}
    )
    return words


@lru_cache(maxsize=4096)
def understand(
    query: str, facets: frozenset[str], literal: frozenset[str] = frozenset()
) -> Understanding:
    """Find the terms of `facets` in `query`, longest first, leaving alone the ones the searcher
    asked to take literally (`literal`, compared as typed or simplified, case-insensitively)."""
    simplified = " ".join(to_simplified(query).split())
    literally = {lookup_form(to_simplified(word)) for word in literal}
    table = {
        word: entry
        for word, entry in vocabulary().items()
        if entry[0] in facets and word not in literally
    }
    table.update(dict.fromkeys(NOT_TERMS))
    terms = tuple(
        Term(entry[0], simplified[start:end], entry[1], start, end)
        for start, end, entry in find_words(simplified, table)
        if entry
    )
    return Understanding(simplified, terms)
