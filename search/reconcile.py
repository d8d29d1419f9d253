"""Comparing SQL with the index: which documents are missing, extra or stale."""

from dataclasses import dataclass, field

from elasticsearch import Elasticsearch
from sqlalchemy import select
from sqlalchemy.orm import Session

from search.documents import MODELS
from search.indices import alias_name


@dataclass
class Divergence:
    """How one kind's index differs from SQL."""

    kind: str
    in_sql: int = 0
    in_index: int = 0
    missing: list[int] = field(default_factory=list)  # in SQL, not indexed
    extra: list[int] = field(default_factory=list)  # indexed, gone from SQL
    stale: list[int] = field(default_factory=list)  # indexed at an older version than SQL's

    @property
    def total(self) -> int:
        """Number of diverging documents."""
        return len(self.missing) + len(self.extra) + len(self.stale)


def _indexed_versions(es: Elasticsearch, index: str, batch: int = 5000) -> dict[int, int]:
    versions: dict[int, int] = {}
    after = None
    while True:
        page = es.search(
            index=index,
            query={"match_all": {}},
            sort=[{"id": "asc"}],
            size=batch,
            version=True,
            source=False,
            **({"search_after": after} if after else {}),
        )["hits"]["hits"]
        versions.update({int(hit["_id"]): hit["_version"] for hit in page})
        if len(page) < batch:
            return versions
        after = page[-1]["sort"]


def reconcile(session: Session, es: Elasticsearch, prefix: str, kind: str) -> Divergence:
    """Compare ids and document versions of `kind` between SQL and its alias."""
    model = MODELS[kind]
    sql = dict(session.execute(select(model.id, model.doc_version)).tuples().all())
    alias = alias_name(prefix, kind)
    es.indices.refresh(index=alias)
    indexed = _indexed_versions(es, alias)
    return Divergence(
        kind=kind,
        in_sql=len(sql),
        in_index=len(indexed),
        missing=sorted(set(sql) - set(indexed)),
        extra=sorted(set(indexed) - set(sql)),
        stale=sorted(i for i in set(sql) & set(indexed) if indexed[i] < sql[i]),
    )
