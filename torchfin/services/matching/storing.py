"""Storing scored pairs as matches, in bulk, and dropping stale suggestions, set-wise.

Every path (incremental, bulk, tests) stores through `store_pairs`: the existing rows of the
pairs are read by their unique (project, mandate) index, and only rows whose values change are
written (new rows by PostgreSQL COPY or one executemany insert on SQLite; changed rows through a
COPY-filled temporary table and one UPDATE ... FROM on PostgreSQL, an executemany update on
SQLite); investors' statuses follow the rules of `store_pairs`.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from torchfin.extensions import db
from torchfin.matching.features import MandateFeatures, ProjectFeatures, material_fingerprint
from torchfin.matching.reference import score_match
from torchfin.models import Match
from torchfin.models.base import utcnow
from torchfin.models.bulk import copy_rows, insert_rows, is_postgres
from torchfin.models.enums import MatchStatus

# What a refresh may change, besides the status rule of declines.
_SCORED = ("score", "breakdown", "algorithm_version", "scored_on", "fingerprint")
_UPDATED = (*_SCORED, "status", "declined_fingerprint", "decline_reason", "responded_at")
_TABLE = Match.__table__
_LOOKUP_CHUNK = 1000  # pairs per select of stored rows on SQLite
# The kept pairs of a pruning, in a temporary table of that name (created and dropped around it).
_KEEP = Table(
    "match_keep", MetaData(), Column("project_id", BigInteger), Column("mandate_id", BigInteger)
)


def _existing(pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    # The stored rows of exactly these pairs: row-value IN over the unique (project, mandate)
    # index, whether the pairs are one project's or spread over every id.
    found: dict[tuple[int, int], dict] = {}
    columns = (
        Match.id,
        Match.project_id,
        Match.mandate_id,
        Match.status,
        Match.declined_fingerprint,
        Match.decline_reason,
        Match.responded_at,
        *(getattr(Match, name) for name in _SCORED if name != "breakdown"),
        cast(Match.breakdown, Text).label("breakdown_text"),
    )
    if is_postgres(db.session):
        # One query: the pairs as two arrays unnested side by side (psycopg would otherwise
        # parse thousands of placeholders in Python).
        wanted = select(
            func.unnest(literal([p for p, _ in pairs], ARRAY(BigInteger))),
            func.unnest(literal([m for _, m in pairs], ARRAY(BigInteger))),
        )
        parts = [wanted] if pairs else []
    else:
        parts = [pairs[i : i + _LOOKUP_CHUNK] for i in range(0, len(pairs), _LOOKUP_CHUNK)]
    for part in parts:
        rows = db.session.execute(
            select(*columns).where(tuple_(Match.project_id, Match.mandate_id).in_(part))
        ).mappings()
        found.update({(row["project_id"], row["mandate_id"]): dict(row) for row in rows})
    return found


def _refreshed(row: dict, values: dict) -> dict | None:
    # The row's new values, or None when nothing changes. A declined match returns as suggested
    # only when the project's material fingerprint differs from the one saved at the decline.
    # The breakdown is compared as stored text first (as json.dumps wrote it): decoding every
    # row's JSON was a third of the storing time.
    text_ = row["breakdown_text"]
    same = text_ == json.dumps(values["breakdown"]) or json.loads(text_) == values["breakdown"]
    row["breakdown"] = values["breakdown"] if same else None  # stands for the stored one below
    new = {**{name: row[name] for name in _UPDATED}, **values}
    if new["status"] == MatchStatus.DECLINED and row["declined_fingerprint"] != new["fingerprint"]:
        new.update(
            status=MatchStatus.SUGGESTED,
            declined_fingerprint=None,
            decline_reason=None,
            responded_at=None,
        )
    if all(new[name] == row[name] for name in _UPDATED):
        return None
    return {"_id": row["id"], **new}


def store_pairs(
    projects: dict[int, ProjectFeatures],
    mandates: dict[int, MandateFeatures],
    pairs: Sequence[tuple[int, int]],
    as_of: date,
) -> int:
    """Insert or refresh the matches of `pairs` with the reference breakdown; return how many.

    Existing matches keep their status; a declined one returns as suggested only when the
    project's material fingerprint changed since the decline. Only rows whose values differ are
    written, so storing the same scores twice changes no row.
    """
    existing = _existing(pairs)
    fingerprints: dict[int, str] = {}
    inserts, updates, stored = [], [], 0
    for project_id, mandate_id in pairs:
        score = score_match(projects[project_id], mandates[mandate_id])
        if score is None:
            continue
        stored += 1
        values = {
            "score": score.total,
            "breakdown": score.breakdown_json(),
            "algorithm_version": score.version,
            "scored_on": as_of,
            "fingerprint": fingerprints.get(project_id)
            or fingerprints.setdefault(project_id, material_fingerprint(projects[project_id])),
        }
        row = existing.get((project_id, mandate_id))
        if row is None:
            inserts.append({"project_id": project_id, "mandate_id": mandate_id, **values})
        elif (changed := _refreshed(row, values)) is not None:
            updates.append(changed)
    _insert(inserts)
    _update(updates)
    return stored


def _insert(rows: list[dict]) -> None:
    if not rows:
        return
    now = utcnow()
    for row in rows:
        row.update(status=MatchStatus.SUGGESTED, created_at=now, updated_at=now)
    insert_rows(db.session, _TABLE, rows)


def _update(rows: list[dict]) -> None:
    if not rows:
        return
    now = utcnow()
    if not is_postgres(db.session):
        # Bound names must differ from the columns' own.
        db.session.execute(
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("_id"))
            .values({**{name: bindparam(f"new_{name}") for name in _UPDATED}, "updated_at": now}),
            [{"_id": row["_id"], **{f"new_{n}": row[n] for n in _UPDATED}} for row in rows],
        )
        return
    # COPY the new values into a temporary table, then one UPDATE ... FROM.
    db.session.execute(
        text(
            "CREATE TEMPORARY TABLE match_refresh ON COMMIT DROP AS SELECT id AS _id, "
            f"{', '.join(_UPDATED)} FROM match WITH NO DATA"
        )
    )
    _copy("match_refresh", ("_id", *_UPDATED), rows)
    assignments = ", ".join(f"{name} = r.{name}" for name in _UPDATED)
    db.session.execute(
        text(
            f"UPDATE match SET {assignments}, updated_at = :now FROM match_refresh r "
            "WHERE match.id = r._id"
        ),
        {"now": now},
    )
    db.session.execute(text("DROP TABLE match_refresh"))


def _copy(table: str, columns: Sequence[str], rows: list[dict]) -> None:
    copy_rows(db.session, table, columns, ([_copied(n, row[n]) for n in columns] for row in rows))


def _copied(name: str, value):
    # COPY takes text: JSON as a string, enums as their stored value.
    if name == "breakdown":
        return json.dumps(value)
    if isinstance(value, MatchStatus):
        return value.value
    return value


def prune_suggested(where, keep: np.ndarray | Iterable[tuple[int, int]]) -> int:
    """Delete the *suggested* matches selected by `where` that are not in `keep` (nobody acted
    on them and they no longer rank); acted-on matches stay. Set-wise: the kept pairs go into a
    temporary table (COPY on PostgreSQL) and one DELETE ... NOT EXISTS removes the rest. Returns
    how many went."""
    kept = np.asarray(keep if isinstance(keep, np.ndarray) else list(keep), dtype=np.int64)
    rows = [{"project_id": p, "mandate_id": m} for p, m in kept.reshape(-1, 2).tolist()]
    db.session.execute(
        text(
            "CREATE TEMPORARY TABLE match_keep "
            "(project_id BIGINT, mandate_id BIGINT, PRIMARY KEY (project_id, mandate_id))"
        )
    )
    # Inside the transaction: a failure rolls the temporary table back with the rest.
    if rows and is_postgres(db.session):
        _copy("match_keep", ("project_id", "mandate_id"), rows)
    elif rows:
        db.session.execute(insert(_KEEP), rows)
    found = select(_KEEP.c.project_id).where(
        _KEEP.c.project_id == _TABLE.c.project_id, _KEEP.c.mandate_id == _TABLE.c.mandate_id
    )
    gone = db.session.execute(
        delete(_TABLE).where(and_(where, _TABLE.c.status == MatchStatus.SUGGESTED, ~found.exists()))
    )
    db.session.execute(text("DROP TABLE match_keep"))
    return gone.rowcount
