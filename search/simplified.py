"""Traditional Chinese to simplified with OpenCC, so 動力電池 and 动力电池 are the same words.

Applied before segmentation, at index time and at query time alike, so a record written in
traditional characters and a query typed in them (Hong Kong and Taiwan investors) meet the
simplified ones. The `t2s` profile converts characters and the phrases whose characters are
ambiguous (乾燥 -> 干燥 but 乾坤 stays); it leaves simplified text as it is. Regional vocabulary
(人工智慧 for 人工智能, 晶片 for 芯片) is not converted here: the synonym table says it.
"""

import threading
import unicodedata
from functools import lru_cache

import opencc

_lock = threading.Lock()
_converter: opencc.OpenCC | None = None


def _ready_converter() -> opencc.OpenCC:
    global _converter
    with _lock:
        if _converter is None:
            _converter = opencc.OpenCC("t2s")
        return _converter


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """`text` in simplified characters, full-width letters and digits made plain (ＡＩ -> AI)."""
    if not text:
        return ""
    # NFKC first: OpenCC's dictionaries know the plain forms, and Ａ轮 is A轮 to a reader.
    return _ready_converter().convert(unicodedata.normalize("NFKC", text))
