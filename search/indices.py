"""Index definitions, versioned index names behind aliases, and the zero-downtime alias swap."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from elasticsearch import Elasticsearch

KINDS = ("project", "enterprise", "mandate")

# Chinese text: `<field>_seg` holds jieba words (precision) and `<field>_bigrams` overlapping
# character bigrams (recall, search/bigrams.py), both split on whitespace; `<field>` itself,
# analysed per character by the standard analyser, is what highlights mark.
_TEXT = {"type": "text", "analyzer": "standard"}
_SEG = {"type": "text", "analyzer": "whitespace"}
_KW = {"type": "keyword"}


def _text_pair(name: str) -> dict:
    return {name: _TEXT, f"{name}_seg": _SEG, f"{name}_bigrams": _SEG}


def _pinyin(name: str) -> dict:
    """Type-ahead by pinyin prefix (search/pinyin.py): the whole name, its initials, and both
    from each later syllable on; keywords, looked up with prefix queries."""
    return {f"{name}_pinyin": _KW, f"{name}_initials": _KW, f"{name}_pinyin_tails": _KW}


_ENTERPRISE_FIELDS = {
    "enterprise_id": {"type": "long"},
    **_text_pair("enterprise_name"),
    "enterprise_name_kw": _KW,
    "zone_code": _KW,
    "zone_name": _KW,
    "province": _KW,
    "industry_codes": _KW,
    "industry_parent_codes": _KW,
    "qualifications": _KW,
    "legal_form": _KW,
    "founded_year": {"type": "integer"},
    "invention_patents": {"type": "integer"},
    "rd_intensity": {"type": "float"},
}

MAPPINGS = {
    "project": {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "long"},
            "doc_version": {"type": "long"},
            **_text_pair("title"),
            **_pinyin("title"),
            **_text_pair("summary"),
            "amount_sought": {"type": "double"},
            "instrument": _KW,
            "stage": _KW,
            "status": _KW,
            "deadline": {"type": "date"},
            "published_at": {"type": "date"},
            **_ENTERPRISE_FIELDS,
        },
    },
    "enterprise": {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "long"},
            "doc_version": {"type": "long"},
            **_text_pair("description"),
            **_ENTERPRISE_FIELDS,
            **_pinyin("enterprise_name"),
        },
    },
    "mandate": {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "long"},
            **_text_pair("name"),
            **_text_pair("description"),
            "institution_id": {"type": "long"},
            "institution_name": _KW,
            "institution_kind": _KW,
            "industries": _KW,
            "excluded_industries": _KW,
            "stages": _KW,
            "instruments": _KW,
            "zones": _KW,
            "provinces": _KW,
            "ticket_min": {"type": "double"},
            "ticket_max": {"type": "double"},
            "active": {"type": "boolean"},
        },
    },
}


@dataclass(frozen=True)
class IndexLayout:
    """How each new index spreads over the nodes (SEARCH_SHARDS, SEARCH_REPLICAS).

    The default suits one node; a cluster wants several primaries and a replica of each, so that
    losing a node loses no shard.
    """

    shards: int = 1
    replicas: int = 0

    def settings(self) -> dict:
        """The index settings of this layout."""
        return {
            "number_of_shards": self.shards,
            "number_of_replicas": self.replicas,
            "refresh_interval": "1s",
        }


SINGLE_NODE = IndexLayout()


def alias_name(prefix: str, kind: str) -> str:
    """The alias that readers and writers use for `kind`."""
    return f"{prefix}-{kind}"


def next_alias_name(prefix: str, kind: str) -> str:
    """Alias carried by an index being rebuilt, so live writes reach it during the bulk load."""
    return f"{prefix}-{kind}-next"


def new_index_name(prefix: str, kind: str) -> str:
    """A fresh versioned index name: the alias name plus a UTC timestamp and a random suffix."""
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return f"{alias_name(prefix, kind)}-{stamp}-{uuid4().hex[:6]}"


def create_index(
    es: Elasticsearch,
    name: str,
    kind: str,
    aliases: dict | None = None,
    layout: IndexLayout = SINGLE_NODE,
) -> None:
    """Create a versioned index for `kind` with its mapping, spread as `layout` says."""
    es.indices.create(
        index=name, mappings=MAPPINGS[kind], settings=layout.settings(), aliases=aliases or {}
    )


def indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    """Names of the indices an alias points at (empty when the alias does not exist)."""
    if not es.indices.exists_alias(name=alias):
        return []
    return sorted(es.indices.get_alias(name=alias).keys())


def ensure_indices(es: Elasticsearch, prefix: str, layout: IndexLayout = SINGLE_NODE) -> None:
    """Create a first versioned index behind each alias that does not exist yet."""
    for kind in KINDS:
        if not indices_behind(es, alias_name(prefix, kind)):
            alias = {alias_name(prefix, kind): {}}
            create_index(es, new_index_name(prefix, kind), kind, alias, layout)


def swap_alias(es: Elasticsearch, prefix: str, kind: str, new_index: str) -> list[str]:
    """Point the alias at `new_index` in one atomic action; return the indices it left."""
    alias = alias_name(prefix, kind)
    old = [name for name in indices_behind(es, alias) if name != new_index]
    actions = [{"add": {"index": new_index, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"remove": {"index": new_index, "alias": next_alias_name(prefix, kind)}})
    es.indices.update_aliases(actions=actions)
    return old


def drop_all(es: Elasticsearch, prefix: str) -> None:
    """Delete every index of this prefix (tests and `flask search reset`)."""
    # Wildcard deletes are refused by default (action.destructive_requires_name): list first.
    names = list(es.indices.get(index=f"{prefix}-*", allow_no_indices=True).keys())
    if names:
        es.indices.delete(index=",".join(names))
