"""Zone batch runs: start one (enqueued on RQ), work it in a job, read its table."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import Enterprise, ReadinessBatch, ReadinessCheck, User, Zone
from torchfin.models.base import utcnow
from torchfin.models.enums import BatchStatus, ReadinessOutcome
from torchfin.queues import Job, enqueue_quietly
from torchfin.services import enterprise_events
from torchfin.services.errors import NotFound, Unavailable
from torchfin.services.job_failures import failure_recorded
from torchfin.services.readiness.checks import build_check, rule_set_named
from torchfin.services.readiness.rule_sets import RULE_SETS
from torchfin.services.spreadsheet_cells import safe_row
from torchfin.services.zone_access import require_zone_admin

# Checks are committed in chunks so progress shows and a killed job loses little work.
CHUNK = 50


def zone_by_code(code: str) -> Zone:
    """The zone with this code, or a 404."""
    zone = db.session.scalar(select(Zone).where(Zone.code == code))
    if zone is None:
        raise NotFound(f"zone {code} does not exist")
    return zone


def start_zone_run(user: User, zone_code: str, rule_set_code: str, as_of: date) -> ReadinessBatch:
    """Start a batch over the zone for one of its administrators."""
    require_zone_admin(user, zone_by_code(zone_code))
    return enqueue_zone_run(zone_code, rule_set_code, as_of)


def enqueue_zone_run(zone_code: str, rule_set_code: str, as_of: date) -> ReadinessBatch:
    """Create a batch over every enterprise of the zone and enqueue its job (operators' entry,
    used by `flask readiness run`; callers on behalf of a user go through `start_zone_run`)."""
    rule_set = rule_set_named(rule_set_code)
    zone = zone_by_code(zone_code)
    total = db.session.scalar(
        select(func.count()).select_from(Enterprise).where(Enterprise.zone_id == zone.id)
    )
    batch = ReadinessBatch(zone=zone, rule_set=rule_set.code, as_of=as_of, total=total or 0)
    db.session.add(batch)
    db.session.commit()
    job_id = enqueue_quietly(Job.RUN_READINESS_BATCH, batch.id)
    if job_id is None:
        batch.status, batch.error = BatchStatus.FAILED, "the job queue was unreachable"
        db.session.commit()
        raise Unavailable("the job queue is unreachable; try again shortly")
    batch.job_id = job_id
    db.session.commit()
    return batch


def work_batch(batch_id: int) -> ReadinessBatch:
    """Check every enterprise of the batch's zone not yet checked in it, committing per chunk.

    Idempotent: enterprises already checked in this batch are skipped, so a retried or repeated
    job finishes the work without duplicating it; a finished batch is left as it is.
    """
    batch = db.session.get(ReadinessBatch, batch_id)
    if batch is None or batch.status == BatchStatus.DONE:
        return batch
    batch.status = BatchStatus.RUNNING
    db.session.commit()
    rule_set = RULE_SETS[batch.rule_set]
    done = select(ReadinessCheck.enterprise_id).where(ReadinessCheck.batch_id == batch.id)
    pending = db.session.scalars(
        select(Enterprise.id)
        .where(Enterprise.zone_id == batch.zone_id, Enterprise.id.not_in(done))
        .order_by(Enterprise.id)
    ).all()
    with failure_recorded(ReadinessBatch, batch_id):
        for start in range(0, len(pending), CHUNK):
            checks = []
            for enterprise_id in pending[start : start + CHUNK]:
                check = build_check(
                    db.session.get(Enterprise, enterprise_id), rule_set, batch.as_of
                )
                check.batch_id = batch.id
                db.session.add(check)
                checks.append(check)
            db.session.flush()
            changed = [enterprise_events.readiness_checked(check) for check in checks]
            batch.done = _checked(batch.id)
            db.session.commit()
            if any(changed):
                enterprise_events.announce_events()
            db.session.expunge_all()  # keep memory flat over large zones
            batch = db.session.get(ReadinessBatch, batch_id)
    batch.done = _checked(batch.id)
    batch.total = max(batch.total, batch.done)
    batch.status, batch.finished_at = BatchStatus.DONE, utcnow()
    db.session.commit()
    return batch


def _checked(batch_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ReadinessCheck).where(ReadinessCheck.batch_id == batch_id)
    )


def get_batch(user: User, batch_id: int) -> ReadinessBatch:
    """A batch, for the administrators of its zone."""
    batch = db.session.get(ReadinessBatch, batch_id)
    if batch is None:
        raise NotFound(f"readiness batch {batch_id} does not exist")
    require_zone_admin(user, batch.zone)
    return batch


def latest_batch(zone: Zone, rule_set_code: str | None = None) -> ReadinessBatch | None:
    """The zone's most recent finished batch (of one rule set, when given)."""
    query = select(ReadinessBatch).where(
        ReadinessBatch.zone_id == zone.id, ReadinessBatch.status == BatchStatus.DONE
    )
    if rule_set_code:
        query = query.where(ReadinessBatch.rule_set == rule_set_code)
    return db.session.scalar(query.order_by(ReadinessBatch.id.desc()).limit(1))


def open_batches(zone: Zone) -> list[ReadinessBatch]:
    """The zone's batches still queued or running, newest first."""
    return list(
        db.session.scalars(
            select(ReadinessBatch)
            .where(
                ReadinessBatch.zone_id == zone.id,
                ReadinessBatch.status.in_([BatchStatus.QUEUED, BatchStatus.RUNNING]),
            )
            .order_by(ReadinessBatch.id.desc())
        )
    )


@dataclass(frozen=True)
class ReadinessRow:
    """One enterprise in a zone readiness table: its outcome and each rule's status."""

    enterprise_id: int
    enterprise_name: str
    outcome: ReadinessOutcome
    statuses: dict[str, str]


def batch_rows(batch: ReadinessBatch) -> list[ReadinessRow]:
    """The checks of a batch as table rows, not-ready first, then incomplete, then ready."""
    order = {
        ReadinessOutcome.NOT_READY: 0,
        ReadinessOutcome.INCOMPLETE: 1,
        ReadinessOutcome.READY: 2,
    }
    rows = db.session.execute(
        select(
            ReadinessCheck.enterprise_id,
            Enterprise.name,
            ReadinessCheck.outcome,
            ReadinessCheck.results,
        )
        .join(Enterprise, Enterprise.id == ReadinessCheck.enterprise_id)
        .where(ReadinessCheck.batch_id == batch.id)
        .order_by(ReadinessCheck.enterprise_id)
    )
    table = [
        ReadinessRow(eid, name, outcome, {r["code"]: r["status"] for r in results})
        for eid, name, outcome, results in rows
    ]
    return sorted(table, key=lambda row: order[row.outcome])


def outcome_counts(batch: ReadinessBatch | None) -> dict[str, int]:
    """How many enterprises of a batch are ready, incomplete and not ready (zeros without one)."""
    counts = dict.fromkeys((o.value for o in ReadinessOutcome), 0)
    if batch is None:
        return counts
    rows = db.session.execute(
        select(ReadinessCheck.outcome, func.count())
        .where(ReadinessCheck.batch_id == batch.id)
        .group_by(ReadinessCheck.outcome)
    )
    counts.update({outcome.value: n for outcome, n in rows})
    return counts


def batch_csv(batch: ReadinessBatch) -> str:
    """The readiness table of a batch as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    rule_set = RULE_SETS[batch.rule_set]
    codes = [rule.code for rule in rule_set.rules]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["enterprise_id", "enterprise", "outcome", *codes])
    for row in batch_rows(batch):
        writer.writerow(
            safe_row(
                [row.enterprise_id, row.enterprise_name, row.outcome.value]
                + [row.statuses.get(code, "") for code in codes]
            )
        )
    return out.getvalue()
