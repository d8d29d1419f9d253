"""Registry imports as records: starting one (or a dry run), who may read it, its summary, and
the template to fill in.

Zone administrators import for their own zone only; platform admins (and an operator at the
console) for any zone, or for the zones the file names when no zone is given.
"""

import hashlib
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import RegistryImport, User, Zone
from torchfin.models.enums import BatchStatus, Role
from torchfin.queues import Job, enqueue_quietly
from torchfin.services.errors import Forbidden, Invalid, NotFound, Unavailable
from torchfin.services.permissions import is_admin
from torchfin.services.registry.imports.columns import COLUMNS
from torchfin.services.registry.imports.import_file import read_import_file
from torchfin.services.registry.imports.plans import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    Outcome,
    Scope,
    plan_chunk,
)
from torchfin.services.registry.imports.runs import chunks, recorded_outcomes
from torchfin.services.spreadsheet_cells import append_safe_row
from torchfin.services.zone_access import administered_zone_id

STATUSES = (CREATED, UPDATED, UNCHANGED, FAILED)


@dataclass
class DryRun:
    """What importing a file would do, row by row; nothing of it is written."""

    filename: str
    file_sha256: str
    zone_id: int | None
    outcomes: list[Outcome] = field(default_factory=list)


def start_import(
    user: User | None, filename: str, content: bytes, zone_code: str | None, dry_run: bool
) -> RegistryImport | DryRun:
    """Check a registry file and either report what importing it would do (`dry_run`) or save
    it and enqueue the job that imports it. `user` None is an operator at the console.

    A file that cannot be read raises `Invalid` under `file` and writes nothing.
    """
    scope = _scope(user, zone_code)
    parsed = read_import_file(filename, content)
    digest = hashlib.sha256(content).hexdigest()
    if dry_run:
        report = DryRun(filename, digest, scope.zone_id)
        for _, rows in chunks(parsed.rows):
            report.outcomes.extend(plan_chunk(db.session, scope, rows, lock=False).outcomes)
        db.session.rollback()
        return report
    record = RegistryImport(
        created_by_id=user.id if user else None,
        zone_id=scope.zone_id,
        filename=filename[:255],
        file_sha256=digest,
        status=BatchStatus.QUEUED,
        total=len(parsed.rows),
        done=0,
        created=0,
        updated=0,
        unchanged=0,
        failed=0,
        source=content,
    )
    db.session.add(record)
    db.session.commit()
    job_id = enqueue_quietly(Job.RUN_REGISTRY_IMPORT, record.id)
    if job_id is None:
        record.status, record.error = BatchStatus.FAILED, "the job queue was unreachable"
        db.session.commit()
        raise Unavailable(
            "任务队列不可用，请稍后重试 / the job queue is unreachable; try again shortly"
        )
    record.job_id = job_id
    db.session.commit()
    return record


def require_importer(user: User) -> None:
    """Refuse anyone but zone administrators and platform admins."""
    if not is_admin(user) and user.role != Role.ZONE_ADMIN:
        raise Forbidden("only zone administrators and platform admins may import the registry")


def _scope(user: User | None, zone_code: str | None) -> Scope:
    if user is not None:
        require_importer(user)
    zone = None
    if zone_code:
        zone = db.session.scalar(select(Zone).where(Zone.code == zone_code))
        if zone is None:
            raise Invalid("unknown zone", {"zone": [f"未知的高新区 / Unknown zone {zone_code!r}."]})
    own = administered_zone_id(user) if user is not None else None
    if user is not None and user.role == Role.ZONE_ADMIN:
        if own is None or (zone is not None and zone.id != own):
            raise Forbidden("zone administrators import for their own zone only")
        zone = db.session.get(Zone, own)
    return Scope(zone.id, zone.code) if zone else Scope(None)


def may_read(user: User, record: RegistryImport) -> bool:
    """Platform admins, the user who started the import, and its zone's administrators."""
    if is_admin(user) or record.created_by_id == user.id:
        return True
    return record.zone_id is not None and administered_zone_id(user) == record.zone_id


def get_import(user: User, import_id: int) -> RegistryImport:
    """An import `user` may read (else 404: imports carry a zone's registry)."""
    record = db.session.get(RegistryImport, import_id)
    if record is None or not may_read(user, record):
        raise NotFound(f"导入 {import_id} 不存在 / registry import {import_id} does not exist")
    return record


def summary(record: RegistryImport | DryRun, error_limit: int = 200) -> dict:
    """An import or a dry run as the API, the page and the CLI show it: progress, counts, and
    the rows refused (all rows' fates for a dry run)."""
    if isinstance(record, DryRun):
        statuses = [outcome.status for outcome in record.outcomes]
        counts = {status: statuses.count(status) for status in STATUSES}
        return {
            "id": None,
            "dry_run": True,
            "status": "dry_run",
            "filename": record.filename,
            "file_sha256": record.file_sha256,
            "zone_id": record.zone_id,
            "total": len(record.outcomes),
            "done": len(record.outcomes),
            "counts": counts,
            "rows": record.outcomes,
            "error": None,
            "has_result": False,
        }
    failed = [o for o in recorded_outcomes(record.id) if o.status == FAILED][:error_limit]
    return {
        "id": record.id,
        "dry_run": False,
        "status": record.status.value,
        "filename": record.filename,
        "file_sha256": record.file_sha256,
        "zone_id": record.zone_id,
        "total": record.total,
        "done": record.done,
        "counts": {
            CREATED: record.created,
            UPDATED: record.updated,
            UNCHANGED: record.unchanged,
            FAILED: record.failed,
        },
        "rows": failed,
        "error": record.error,
        "has_result": record.status == BatchStatus.DONE,
    }


def result_file(record: RegistryImport) -> bytes:
    """The import's result file (XLSX), once it is done."""
    if record.status != BatchStatus.DONE or record.result is None:
        raise NotFound(
            f"导入 {record.id} 尚未完成 / registry import {record.id} has no result file yet"
        )
    return record.result


def template_xlsx() -> bytes:
    """The template to fill in: one sheet headed by the columns' Chinese names, and a second
    naming each in English with the other headers taken (a second header row would be data)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业 enterprises"
    append_safe_row(sheet, [column.zh for column in COLUMNS])
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("说明 notes")
    append_safe_row(notes, ["列 column", "English", "其他可用表头 other headers taken"])
    for column in COLUMNS:
        append_safe_row(notes, [column.zh, column.en, "、".join(column.synonyms)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def recent_imports(user: User, limit: int = 20) -> list[RegistryImport]:
    """The newest imports `user` may read: a zone administrator's zone's, or all for admins."""
    require_importer(user)
    query = select(RegistryImport).order_by(RegistryImport.id.desc()).limit(limit)
    if not is_admin(user):
        query = query.where(RegistryImport.zone_id == administered_zone_id(user))
    return list(db.session.scalars(query))


def zones_offered(user: User) -> list[Zone]:
    """The zones `user` may import for: their own, or every zone for platform admins."""
    require_importer(user)
    if is_admin(user):
        return list(db.session.scalars(select(Zone).order_by(Zone.code)))
    return [db.session.get(Zone, administered_zone_id(user))]
