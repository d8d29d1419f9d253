"""Pinyin of names for type-ahead, so `zgc` and `zhongguancun` both find 中关村… names.

A name becomes a list of syllables, one per Chinese character (letters and digits between them
count as words of their own, lower-cased). Three values are indexed per name: the full pinyin
of the whole name (zhongguancunkeji), its initials (zgckj), and both forms again from every
later syllable on (guancunkeji, gckj, …), so that 北京中关村… is found by `zgc` as well, ranked
below the names that start with it.

Readings are pypinyin's default, which reads a character within the phrase it belongs to (its
phrase dictionary): 重庆 is chongqing, 银行 yinhang, 长沙 changsha, 厦门 xiamen. Every reading of
a polyphonic character (heteronym=True) is deliberately not indexed: each such character would
multiply a name's spellings (单 alone has three), and the wrong readings would make names match
what no one types for them (银行 as yinxing, 重庆 as zhongqing). The price: a place name that
the phrase dictionary lacks may be read wrongly (单县 as danxian, not shanxian). ü is written v
(lv for 绿), as pinyin input methods take it.
"""

import re
import unicodedata

from pypinyin import lazy_pinyin

# Only prefixes are ever looked up, and the type-ahead takes at most 50 characters
# (schemas.search.SuggestArgsSchema): longer values would only weigh on the index.
LONGEST_PREFIX = 50

_WORD = re.compile(r"[0-9a-z]+")
# What a pinyin query may hold besides letters and digits: syllable separators.
_SEPARATORS = re.compile(r"[\s'’\-]+")


# Marks the runs of text that are not Chinese characters in pypinyin's output.
_OTHER = "\x00"


def _syllables(name: str) -> list[tuple[str, str]]:
    """(full pinyin, initial) per Chinese character; (word, word) for runs of letters/digits."""
    text = unicodedata.normalize("NFKC", name).lower()
    pairs = []
    # One reading of the name (the slow part, phrase lookups): a syllable's initial is its
    # first letter, as pypinyin's FIRST_LETTER style gives it.
    for item in lazy_pinyin(text, errors=lambda run: [_OTHER + run]):
        if item.startswith(_OTHER):
            pairs.extend((word, word) for word in _WORD.findall(item))  # punctuation dropped
        else:
            pairs.append((item, item[0]))  # a Chinese character's syllable
    return pairs


def pinyin_fields(field: str, name: str) -> dict[str, str | list[str]]:
    """The index values of `name` under `field`: `<field>_pinyin`, `<field>_initials` (the whole
    name) and `<field>_pinyin_tails` (both forms from each later syllable on)."""
    pairs = _syllables(name)
    fulls = [full for full, _ in pairs]
    initials = [initial for _, initial in pairs]
    tails = {
        "".join(forms[start:])[:LONGEST_PREFIX]
        for start in range(1, len(pairs))
        for forms in (fulls, initials)
    }
    return {
        f"{field}_pinyin": "".join(fulls)[:LONGEST_PREFIX],
        f"{field}_initials": "".join(initials)[:LONGEST_PREFIX],
        f"{field}_pinyin_tails": sorted(tails),
    }


def pinyin_prefix(text: str) -> str | None:
    """What was typed as a pinyin prefix (lower-case letters and digits, separators dropped),
    or None when it is not one (it holds Chinese characters or other signs, or no letter)."""
    typed = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())
    if not typed or not _WORD.fullmatch(typed) or typed.isdigit():
        return None
    return typed[:LONGEST_PREFIX]
