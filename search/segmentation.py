"""Chinese word segmentation with jieba, taught the industry taxonomy as a user dictionary.

Elasticsearch here has no Chinese analyser, so text is segmented in Python into space-separated
lower-case words and indexed into a whitespace-analysed field.
"""

import logging
import threading
from functools import lru_cache

import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _ready_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            from torchfin.reference_data.industries import taxonomy_terms

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for term in taxonomy_terms():
                # A high frequency makes jieba keep taxonomy terms whole (新能源汽车, 物联网).
                tokenizer.add_word(term, freq=200000)
            _tokenizer = tokenizer
        return _tokenizer


def _clean(words) -> str:
    return " ".join(w.strip().lower() for w in words if w.strip())


# Names and recurring phrases (an enterprise's name in each of its projects) are segmented once.
@lru_cache(maxsize=65536)
def segment_for_index(text: str) -> str:
    """Words of `text` for indexing: whole terms plus their shorter parts (search mode)."""
    return _clean(_ready_tokenizer().cut_for_search(text or "")) if text else ""


@lru_cache(maxsize=4096)
def segment_for_query(text: str) -> str:
    """Words of a query: the most likely segmentation, so terms stay whole."""
    return _clean(_ready_tokenizer().cut(text or "", HMM=True)) if text else ""
