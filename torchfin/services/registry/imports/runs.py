"""Running an import: its rows planned and written chunk by chunk, set-wise.

Each chunk of `CHUNK` rows costs a handful of statements whatever its size: one query for the
enterprises it names (locked), one COPY (PostgreSQL) or executemany (SQLite) of the new ones,
one executemany per shape of update, and bulk inserts of their industries, certificates,
change records and outbox rows. The chunk's changes, its rows' outcomes and the import's
progress commit together, so a job killed mid-file resumes after the last chunk it committed;
and since a row that changes nothing writes nothing, running a whole file again converges on
the same state.
"""

import json
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    EnterpriseChange,
    EnterpriseQualification,
    Industry,
    Project,
    RegistryImport,
    RegistryImportChunk,
    Zone,
    enterprise_industry,
)
from torchfin.models.base import utcnow
from torchfin.models.bulk import allocate_ids, insert_rows
from torchfin.models.enums import BatchStatus, Qualification
from torchfin.services.job_failures import failure_recorded
from torchfin.services.outbox import notify_search, record_upserts
from torchfin.services.registry.imports.import_file import ImportRow, read_import_file
from torchfin.services.registry.imports.plans import (
    CREATED,
    DEFAULTS,
    ENTERPRISE_FIELDS,
    FAILED,
    QUALIFICATION_FIELDS,
    UNCHANGED,
    UPDATED,
    ChunkPlan,
    Outcome,
    Scope,
    plan_chunk,
)
from torchfin.services.registry.imports.results import result_xlsx

# Rows per chunk: large enough that per-statement costs vanish, small enough that a chunk's
# locks and transaction stay short and its code list stays inside every driver's bind limit.
CHUNK = 2000
INDUSTRIES, ZONE = "industries", "zone"


def chunks(rows: list[ImportRow]) -> Iterator[tuple[int, list[ImportRow]]]:
    """The rows in chunks of `CHUNK`, numbered from 0."""
    for number, start in enumerate(range(0, len(rows), CHUNK)):
        yield number, rows[start : start + CHUNK]


def scope_of(record: RegistryImport) -> Scope:
    """The zone an import is restricted to, with its code for messages."""
    if record.zone_id is None:
        return Scope(None)
    return Scope(record.zone_id, db.session.get(Zone, record.zone_id).code)


def run_import(import_id: int) -> RegistryImport | None:
    """Work the import's chunks not yet committed, then write its result file; a finished
    import is left as it is."""
    record = db.session.get(RegistryImport, import_id)
    if record is None or record.status == BatchStatus.DONE:
        return record
    record.status, record.error = BatchStatus.RUNNING, None
    db.session.commit()
    with failure_recorded(RegistryImport, import_id):
        parsed = read_import_file(record.filename, record.source)
        scope, user_id = scope_of(record), record.created_by_id
        names = _value_names(db.session)
        for chunk_no, rows in chunks(parsed.rows):
            _run_chunk(import_id, chunk_no, rows, scope, user_id, names)
        record = db.session.get(RegistryImport, import_id)
        record.result = result_xlsx(parsed, recorded_outcomes(import_id))
        record.status, record.finished_at = BatchStatus.DONE, utcnow()
        db.session.commit()
    return record


def _run_chunk(
    import_id: int,
    chunk_no: int,
    rows: list[ImportRow],
    scope: Scope,
    user_id: int | None,
    names: dict,
) -> None:
    # Locked and read afresh: a second delivery of the job waits here, then finds the chunk
    # recorded and moves on, so no chunk is written (or counted) twice.
    record = db.session.get(RegistryImport, import_id, with_for_update=True, populate_existing=True)
    recorded = db.session.scalar(
        select(RegistryImportChunk.id).where(
            RegistryImportChunk.import_id == import_id, RegistryImportChunk.chunk_no == chunk_no
        )
    )
    if recorded is not None:
        db.session.rollback()
        return
    plan = plan_chunk(db.session, scope, rows, lock=True)
    write_plan(db.session, plan, import_id, user_id, names)
    db.session.add(
        RegistryImportChunk(
            import_id=import_id,
            chunk_no=chunk_no,
            outcomes=json.dumps([[o.row_no, o.status, o.message] for o in plan.outcomes]),
        )
    )
    statuses = [outcome.status for outcome in plan.outcomes]
    record.done += len(rows)
    record.created += statuses.count(CREATED)
    record.updated += statuses.count(UPDATED)
    record.unchanged += statuses.count(UNCHANGED)
    record.failed += statuses.count(FAILED)
    db.session.commit()
    if plan.new or plan.changes:
        notify_search()


def recorded_outcomes(import_id: int) -> list[Outcome]:
    """Every row's outcome of an import's committed chunks, by row number."""
    outcomes = []
    for text in db.session.scalars(
        select(RegistryImportChunk.outcomes)
        .where(RegistryImportChunk.import_id == import_id)
        .order_by(RegistryImportChunk.chunk_no)
    ):
        outcomes.extend(Outcome(*item) for item in json.loads(text))
    return outcomes


def write_plan(
    session: Session, plan: ChunkPlan, import_id: int | None, user_id: int | None, names: dict
) -> None:
    """Write a chunk's plan: new enterprises, changed fields with their change records, and
    the outbox rows of every enterprise (and project of a changed one) search must refresh."""
    now = utcnow()
    versions = _create(session, plan.new, now)
    versions.update(_update(session, plan, now))
    _record_changes(session, plan, import_id, user_id, now, names)
    record_upserts(session, Enterprise, versions)
    _reindex_projects(session, list(plan.changes))


def _create(session: Session, new: list[dict], now: datetime) -> dict[int, int]:
    ids = allocate_ids(session, Enterprise.__table__, len(new))
    insert_rows(
        session,
        Enterprise.__table__,
        [
            {
                "id": enterprise_id,
                "credit_code": values["credit_code"],
                "zone_id": values[ZONE],
                **{name: values.get(name, DEFAULTS.get(name)) for name in ENTERPRISE_FIELDS},
                "doc_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for enterprise_id, values in zip(ids, new, strict=True)
        ],
    )
    _link_industries(
        session,
        {
            eid: values[INDUSTRIES]
            for eid, values in zip(ids, new, strict=True)
            if INDUSTRIES in values
        },
    )
    _insert_certificates(
        session,
        {
            eid: {column: values.get(name) for name, column in QUALIFICATION_FIELDS.items()}
            for eid, values in zip(ids, new, strict=True)
            if any(name in values for name in QUALIFICATION_FIELDS)
        },
    )
    return dict.fromkeys(ids, 1)


def _update(session: Session, plan: ChunkPlan, now: datetime) -> dict[int, int]:
    versions = {eid: plan.versions[eid] + 1 for eid in plan.changes}
    shapes: dict[tuple[str, ...], list[dict]] = {}
    industries = {}
    for eid, changes in plan.changes.items():
        values = {c.field: c.new for c in changes if c.field in ENTERPRISE_FIELDS}
        if any(c.field == ZONE for c in changes):
            values["zone_id"] = next(c.new for c in changes if c.field == ZONE)
        shape = tuple(sorted(values))
        shapes.setdefault(shape, []).append(
            {**values, "b_id": eid, "b_version": versions[eid], "b_now": now}
        )
        for change in changes:
            if change.field == INDUSTRIES:
                industries[eid] = change.new
    table = Enterprise.__table__
    for shape, params in shapes.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                {
                    **{name: bindparam(name) for name in shape},
                    "doc_version": bindparam("b_version"),
                    "updated_at": bindparam("b_now"),
                }
            )
        )
        session.execute(statement, params)
    if industries:
        session.execute(
            delete(enterprise_industry).where(enterprise_industry.c.enterprise_id.in_(industries))
        )
        _link_industries(session, industries)
    if plan.certificates:
        session.execute(
            delete(EnterpriseQualification.__table__).where(
                EnterpriseQualification.enterprise_id.in_(plan.certificates),
                EnterpriseQualification.kind == Qualification.HIGH_TECH,
            )
        )
        _insert_certificates(session, plan.certificates)
    return versions


def _link_industries(session: Session, industries: dict[int, tuple[int, ...]]) -> None:
    insert_rows(
        session,
        enterprise_industry,
        [
            {"enterprise_id": eid, "industry_id": industry_id}
            for eid, ids in industries.items()
            for industry_id in ids
        ],
    )


def _insert_certificates(session: Session, certificates: dict[int, dict[str, object]]) -> None:
    insert_rows(
        session,
        EnterpriseQualification.__table__,
        [
            {"enterprise_id": eid, "kind": Qualification.HIGH_TECH, **certificate}
            for eid, certificate in certificates.items()
        ],
    )


def _record_changes(
    session: Session,
    plan: ChunkPlan,
    import_id: int | None,
    user_id: int | None,
    now: datetime,
    names: dict,
) -> None:
    insert_rows(
        session,
        EnterpriseChange.__table__,
        [
            {
                "enterprise_id": change.enterprise_id,
                "import_id": import_id,
                "user_id": user_id,
                "field": change.field,
                "old_value": _as_text(change.field, change.old, names),
                "new_value": _as_text(change.field, change.new, names),
                "changed_at": now,
            }
            for changes in plan.changes.values()
            for change in changes
        ],
    )


def _reindex_projects(session: Session, enterprise_ids: list[int]) -> None:
    # Project documents carry their enterprise's fields, so they change with it.
    if not enterprise_ids:
        return
    table = Project.__table__
    versions = {
        project_id: version + 1
        for project_id, version in session.execute(
            select(table.c.id, table.c.doc_version).where(table.c.enterprise_id.in_(enterprise_ids))
        )
    }
    if not versions:
        return
    session.execute(
        update(table)
        .where(table.c.enterprise_id.in_(enterprise_ids))
        .values(doc_version=table.c.doc_version + 1)
    )
    record_upserts(session, Project, versions)


def _value_names(session: Session) -> dict:
    """Codes of zones and industries by id, so change records name them as people do."""
    return {
        ZONE: dict(session.execute(select(Zone.id, Zone.code)).all()),
        INDUSTRIES: dict(session.execute(select(Industry.id, Industry.code)).all()),
    }


def _as_text(name: str, value: object, names: dict) -> str | None:
    if value is None:
        return None
    if name == ZONE:
        return names[ZONE].get(value, str(value))
    if name == INDUSTRIES:
        return ",".join(names[INDUSTRIES].get(i, str(i)) for i in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
