"""Read-only listings of the policy pages: the application queue, a zone's policies with this
year's budget left, and the platform records an application's subject names.

Nothing here changes state; every step of an application goes through applications.py, as the
API's do. Each listing is a fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import (
    GuaranteeCase,
    ListingEvent,
    Placement,
    Policy,
    PolicyApplication,
    PolicyBudget,
    User,
    Zone,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, Role
from torchfin.services.finance.policies.applications import current_policies, visible_applications
from torchfin.services.finance.policies.budgets import budget_left
from torchfin.services.finance.subjects import GUARANTEE, LISTING, PLACEMENT, parse_subject
from torchfin.services.readiness.batches import zone_by_code
from torchfin.services.zone_access import administered_zone_id, require_zone_admin

QUEUE_PAGE = 50
SUBJECT_MODELS = {GUARANTEE: GuaranteeCase, LISTING: ListingEvent, PLACEMENT: Placement}


@dataclass(frozen=True)
class QueuePage:
    """One page of the applications a user may see, and whether more follow."""

    applications: list[PolicyApplication]
    page: int
    has_more: bool


def application_queue(
    user: User,
    state: ApplicationState | None = None,
    policy_code: str | None = None,
    page: int = 1,
) -> QueuePage:
    """The applications `user` may see (applications.visible_applications), newest first, of
    one state and one policy code when asked, `QUEUE_PAGE` a page."""
    query = visible_applications(user, state)
    if policy_code:
        query = query.where(PolicyApplication.policy_code == policy_code)
    page = max(page, 1)
    # The page names each row's enterprise and policy: loaded in two queries, not one a row.
    query = query.options(
        selectinload(PolicyApplication.enterprise), selectinload(PolicyApplication.policy)
    )
    rows = list(db.session.scalars(query.offset((page - 1) * QUEUE_PAGE).limit(QUEUE_PAGE + 1)))
    return QueuePage(rows[:QUEUE_PAGE], page, len(rows) > QUEUE_PAGE)


@dataclass(frozen=True)
class PolicyStanding:
    """A current policy of a zone with its budget this year (nothing reserved or paid yet when
    no approval has touched it; `left` None for no limit)."""

    policy: Policy
    year: int
    budget: Decimal | None
    reserved: Decimal
    paid: Decimal
    left: Decimal | None


def zone_policy_standings(user: User, zone_code: str) -> tuple[Zone, list[PolicyStanding]]:
    """The zone and its current policies (legacy rewards last) with this year's budget left,
    for its administrators and platform admins."""
    zone = zone_by_code(zone_code)
    require_zone_admin(user, zone)
    year = utcnow().year
    budgets = {
        b.policy_code: b
        for b in db.session.scalars(
            select(PolicyBudget).where(PolicyBudget.zone_id == zone.id, PolicyBudget.year == year)
        )
    }
    standings = []
    for policy in sorted(current_policies(db.session, zone.id), key=lambda p: (p.legacy, p.code)):
        budget = budgets.get(policy.code) or unused_budget(policy)
        standings.append(
            PolicyStanding(
                policy, year, budget.amount, budget.reserved, budget.paid, budget_left(budget)
            )
        )
    return zone, standings


def unused_budget(policy: Policy) -> PolicyBudget:
    """A year's budget of `policy` that no approval has touched yet (not added to the session:
    the first approval of the year makes the row, budgets.locked_budget)."""
    return PolicyBudget(
        zone_id=policy.zone_id,
        policy_code=policy.code,
        amount=policy.yearly_budget,
        reserved=Decimal("0.00"),
        paid=Decimal("0.00"),
    )


def queue_policies(user: User) -> list[Policy]:
    """The policies the application queue can be filtered by: the current ones of the zone the
    user administers or its enterprise is in (none for platform admins, who filter by code)."""
    zone_id = administered_zone_id(user)
    if zone_id is None and user.role == Role.SME and user.enterprise_id is not None:
        zone_id = user.organisation.enterprise.zone_id
    return [] if zone_id is None else current_policies(db.session, zone_id)


def subject_records(subjects: list[str]) -> dict[str, object]:
    """The guarantee cases, listing events and placements `subjects` name, by subject (one
    query per kind of record)."""
    ids: dict[str, set[int]] = {}
    for subject in subjects:
        try:
            kind, record_id = parse_subject(subject)
        except ValueError:
            continue
        if kind in SUBJECT_MODELS:
            ids.setdefault(kind, set()).add(record_id)
    found: dict[str, object] = {}
    for kind, wanted in ids.items():
        model = SUBJECT_MODELS[kind]
        for record in db.session.scalars(select(model).where(model.id.in_(wanted))):
            found[f"{kind}:{record.id}"] = record
    return found
