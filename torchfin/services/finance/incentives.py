"""Listing and M&A incentives (上市奖励、并购): events recorded, rewards granted and paid.

A zone's administrators record listings (NEEQ, main boards) and mergers of their enterprises
(platform admins may record them too). The rewards granted for them are applications of the
policy engine under the zone's legacy listing or merger reward policy (no rules, no budget
limit, the amount the zone declares): granting one is an approved application, and paying it,
which only the zone's own administrators do, goes through the payment gateway on a worker
like every policy payout (`policies.applications`). These endpoints stay for the zones that
record rewards outside declared policies; declared policies are applied for by enterprises.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Enterprise, ListingEvent, Policy, PolicyApplication, User, Zone
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, ListingStage, ListingVenue, PolicyKind
from torchfin.services import enterprise_events
from torchfin.services.errors import Invalid, NotFound
from torchfin.services.finance import audit
from torchfin.services.finance.policies import applications, budgets
from torchfin.services.finance.policies.applications import application_subject, current_version
from torchfin.services.finance.policies.declarations import declare
from torchfin.services.finance.subjects import LISTING, subject_of
from torchfin.services.readiness.batches import zone_by_code
from torchfin.services.records import get_or_404
from torchfin.services.zone_access import require_own_zone_admin, require_zone_admin

# The legacy policy of each kind: the code the migration 0023 gave it, and its names.
LEGACY = {
    PolicyKind.LISTING_REWARD: (
        "legacy-listing-reward",
        "上市/挂牌奖励（历史记录）",
        "Listing rewards (recorded before policies)",
    ),
    PolicyKind.MERGER_REWARD: (
        "legacy-merger-reward",
        "并购奖励（历史记录）",
        "Merger rewards (recorded before policies)",
    ),
}


@dataclass(frozen=True)
class EventRewards:
    """A listing or merger with the rewards granted for it, as the API serves them."""

    id: int
    enterprise_id: int
    venue: ListingVenue
    stage: ListingStage
    event_on: date
    reference: str
    rewards: list[PolicyApplication]

    @classmethod
    def of(cls, event: ListingEvent, rewards: list[PolicyApplication]) -> "EventRewards":
        """The event and its rewards."""
        return cls(
            event.id,
            event.enterprise_id,
            event.venue,
            event.stage,
            event.event_on,
            event.reference,
            rewards,
        )


def record_event(user: User, data: dict) -> EventRewards:
    """Record a stage (filed, approved, listed) of a listing or merger of an enterprise of the
    caller's zone; a listing has one event per stage recorded."""
    enterprise = db.session.get(Enterprise, data["enterprise_id"])
    if enterprise is None:
        raise Invalid(
            "unknown enterprise",
            {"enterprise_id": [f"Enterprise {data['enterprise_id']} does not exist."]},
        )
    require_zone_admin(user, enterprise.zone)
    if enterprise.founded_on > data["event_on"]:
        raise Invalid("too early", {"event_on": ["Cannot be before the enterprise was founded."]})
    event = ListingEvent(**data)
    db.session.add(event)
    db.session.flush()
    enterprise_events.listing_recorded(event)
    db.session.commit()
    enterprise_events.announce_events()
    return EventRewards.of(event, [])


def legacy_policy(zone: Zone, venue: ListingVenue) -> Policy:
    """The zone's legacy reward policy for the venue's kind, declared when first needed."""
    kind = PolicyKind.MERGER_REWARD if venue == ListingVenue.MERGER else PolicyKind.LISTING_REWARD
    code, name_zh, name_en = LEGACY[kind]
    policy = current_version(db.session, zone.id, code)
    if policy is None:
        policy = declare(
            db.session,
            zone,
            {
                "code": code,
                "kind": kind,
                "name_zh": name_zh,
                "name_en": name_en,
                "valid_from": date(2000, 1, 1),
                "rules": [],
                "formula": {"type": "declared"},
                "yearly_budget": None,
                "legacy": True,
            },
        )
    return policy


def grant_reward(user: User, event_id: int, data: dict) -> PolicyApplication:
    """Record a reward the enterprise's zone grants for an event under one of its policies: an
    approved application of the zone's legacy reward policy, its name kept as the note."""
    event = get_or_404(ListingEvent, event_id, "listing event")
    zone = event.enterprise.zone
    require_zone_admin(user, zone)
    policy = legacy_policy(zone, event.venue)
    year = utcnow().year
    reward = PolicyApplication(
        policy=policy,
        zone_id=zone.id,
        policy_code=policy.code,
        enterprise_id=event.enterprise_id,
        subject=subject_of(LISTING, event.id),
        # Several rewards may follow one event: a stage of its own keeps each one live.
        stage=f"reward-{secrets.token_hex(6)}",
        evaluation={"results": [], "declared_by": user.id},
        amount=data["amount"],
        state=ApplicationState.APPROVED,
        note=data["note"],
        budget_year=year,
        decided_by_id=user.id,
        decided_at=utcnow(),
    )
    db.session.add(reward)
    budgets.reserve(db.session, policy, year, reward.amount)
    db.session.flush()
    audit.record(
        db.session,
        application_subject(reward.id),
        "grant",
        actor=user,
        to_state=reward.state,
        data={"policy": data["note"], "amount": f"{reward.amount:.2f}"},
    )
    db.session.commit()
    return reward


def pay_reward(user: User, reward_id: int) -> PolicyApplication:
    """Ask a worker to pay a granted reward through the gateway (the zone's own administrators
    only, since the money is the zone's); 409 once paid or while paying."""
    reward = db.session.get(PolicyApplication, reward_id)
    if reward is None or not reward.policy.legacy:
        raise NotFound(f"reward {reward_id} does not exist")
    require_own_zone_admin(user, reward.policy.zone, "pay its rewards")
    return applications.act(user, reward_id, "pay", {})


def zone_events(user: User, zone_code: str) -> list[EventRewards]:
    """The listings and mergers of a zone's enterprises, newest first, with their rewards."""
    zone = zone_by_code(zone_code)
    require_zone_admin(user, zone)
    events = list(
        db.session.scalars(
            select(ListingEvent)
            .join(Enterprise, Enterprise.id == ListingEvent.enterprise_id)
            .where(Enterprise.zone_id == zone.id)
            .order_by(ListingEvent.event_on.desc(), ListingEvent.id.desc())
        )
    )
    rewards: dict[str, list[PolicyApplication]] = {}
    for reward in db.session.scalars(
        select(PolicyApplication)
        .join(Policy)
        .where(PolicyApplication.zone_id == zone.id, Policy.legacy.is_(True))
        .order_by(PolicyApplication.id)
    ):
        rewards.setdefault(reward.subject, []).append(reward)
    return [EventRewards.of(e, rewards.get(subject_of(LISTING, e.id), [])) for e in events]
