"""Recording the events of enterprises that followers hear about, in the transaction that made
them, once per source record; and waking the delivery job after the commit.

Each service that makes such a change calls one function here before it commits:

- a project is published (`registry.projects.change_status`);
- a published project's round changes (`registry.projects.update_project`);
- a financing is recorded: on this platform that is a placement, a guidance sub-fund's
  investment into the enterprise (`funds.sub_funds.add_placement`); loans and guarantees are
  the enterprise's confidential dealings with its bank, not news for investors;
- a listing or merger is recorded (`finance.incentives.record_event`);
- a readiness result changes (`readiness.checks`, single checks and zone batches).

Events carry only what a follower may see anyway: a published project's title and round, a
ticker or counterparty, that a financing or a readiness change happened; no amounts, no
investor, no readiness details (those stay with the enterprise, its zone and the fund).
"""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import EnterpriseEvent, ListingEvent, Placement, Project, ReadinessCheck
from torchfin.models.bulk import insert_new_rows
from torchfin.models.enums import ListingStage, ListingVenue, ProjectStatus, Stage
from torchfin.models.watchlist import EnterpriseEventKind as Kind
from torchfin.queues import Job, enqueue_coalesced


def record_enterprise_event(
    enterprise_id: int,
    kind: Kind,
    source_ref: str,
    summary: str,
    *,
    stage: Stage | None = None,
    project_id: int | None = None,
) -> bool:
    """Record an event in the caller's transaction unless (kind, source_ref) already is one;
    True when this call recorded it."""
    row = {
        "enterprise_id": enterprise_id,
        "kind": kind,
        "source_ref": source_ref,
        "summary": summary[:300],
        "stage": stage,
        "project_id": project_id,
    }
    inserted = insert_new_rows(
        db.session, EnterpriseEvent.__table__, [row], ("kind", "source_ref"), EnterpriseEvent.id
    )
    return bool(inserted)


def project_published(project: Project) -> None:
    """A project went public: its followers hear of it (once, whatever happens to it later)."""
    record_enterprise_event(
        project.enterprise_id,
        Kind.PROJECT_PUBLISHED,
        f"project:{project.id}",
        project.title,
        stage=project.stage,
        project_id=project.id,
    )


def project_stage_changed(project: Project) -> bool:
    """A public project's round changed; a draft's rounds are nobody else's business. True
    when an event was recorded.

    Called after `record_upsert`: the new document version names this change, so a later
    change back and forth is an event of its own.
    """
    if project.status == ProjectStatus.DRAFT:
        return False
    return record_enterprise_event(
        project.enterprise_id,
        Kind.STAGE_CHANGED,
        f"project:{project.id}:v{project.doc_version}",
        project.title,
        stage=project.stage,
        project_id=project.id,
    )


def financing_recorded(placement: Placement) -> None:
    """A sub-fund invested into the enterprise (flushed: the placement has its id)."""
    record_enterprise_event(
        placement.enterprise_id,
        Kind.FINANCING_RECORDED,
        f"placement:{placement.id}",
        "",
        stage=placement.round,
    )


# What a listing event's summary adds to its ticker or counterparty before the listing (or the
# merger) took place: followers of an enterprise whose filing was accepted must not read, under
# the kind's label 上市挂牌, that it listed. A listed event says its ticker alone, as before.
STAGE_NOTES = {
    (False, ListingStage.FILED): "上市申请获受理",
    (False, ListingStage.APPROVED): "上市申请审核通过/注册",
    (True, ListingStage.FILED): "并购申请获受理",
    (True, ListingStage.APPROVED): "并购审核通过",
}


def listing_recorded(event: ListingEvent) -> None:
    """A listing reached a stage, or a merger did (flushed: the event has its id); each event
    of a listing (filed, then listed) is an event of its own, announced once."""
    merger = event.venue == ListingVenue.MERGER
    note = STAGE_NOTES.get((merger, event.stage))
    record_enterprise_event(
        event.enterprise_id,
        Kind.MERGER if merger else Kind.LISTING,
        f"listing_event:{event.id}",
        f"{event.reference}（{note}）" if note else event.reference,
    )


def readiness_checked(check: ReadinessCheck) -> bool:
    """A readiness check was kept (flushed): an event when its outcome differs from the one
    before it under the same rule set, or when it is the first (True then). Only that it
    changed is told."""
    previous = db.session.scalar(
        select(ReadinessCheck.outcome)
        .where(
            ReadinessCheck.enterprise_id == check.enterprise_id,
            ReadinessCheck.rule_set == check.rule_set,
            ReadinessCheck.id < check.id,
        )
        .order_by(ReadinessCheck.id.desc())
        .limit(1)
    )
    if previous == check.outcome:
        return False
    return record_enterprise_event(
        check.enterprise_id,
        Kind.READINESS_CHANGED,
        f"readiness_check:{check.id}",
        check.rule_set,
    )


def announce_events() -> None:
    """After a commit that recorded events: wake the instant delivery job (one
    waiting job serves every commit before it; the periodic sweep covers a lost wake-up)."""
    enqueue_coalesced(Job.DELIVER_WATCHLIST_EVENTS)
