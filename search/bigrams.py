"""Overlapping character bigrams of Chinese text, built in Python at index and query time.

The Elasticsearch distribution used here has no CJK bigram analyser (no analysis-common module),
so `<field>_bigrams` holds the bigrams as whitespace-separated tokens. They give recall where the
segmenter splits a word differently from the query (锂电 inside 锂电池), without the single
characters that made a two-character query match every text sharing one of them (电).
"""

import re

from search.simplified import to_simplified

# Runs of Chinese characters, and runs of letters and digits (kept whole, lower-cased).
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def _is_chinese(run: str) -> bool:
    return not run[0].isascii()


def bigram_tokens(text: str) -> list[str]:
    """The tokens of `text`: each Chinese run as its overlapping bigrams (a lone character as
    itself), each run of letters or digits whole."""
    tokens: list[str] = []
    for run in _RUNS.findall(to_simplified(text).lower()):
        if _is_chinese(run) and len(run) > 1:
            tokens += [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            tokens.append(run)
    return tokens


def bigrams(text: str) -> str:
    """`bigram_tokens` of `text`, space-separated, for a whitespace-analysed field."""
    return " ".join(bigram_tokens(text))
