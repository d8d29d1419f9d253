"""Listing and M&A incentives (上市奖励、并购): events recorded, rewards granted and paid.

A zone's administrators record listings (NEEQ, main boards) and mergers of their enterprises and
the rewards their policies grant (platform admins may record them too). Paying a reward, which
only the zone's own administrators do, books it in the double-entry ledger, from the zone's
account to the enterprise's, once: the ledger reference "reward:<id>" is the idempotency
key. (Rewards are not routed through the payment gateway: the gateway's settlement dispatch
belongs to the finance workflows and knows guarantees and pools only.)
"""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Enterprise, IncentiveReward, ListingEvent, User
from torchfin.models.enums import RewardStatus
from torchfin.services import enterprise_events
from torchfin.services.errors import Conflict, Invalid
from torchfin.services.finance.ledger import account, book_transfer
from torchfin.services.readiness.batches import zone_by_code
from torchfin.services.records import get_or_404
from torchfin.services.zone_access import require_own_zone_admin, require_zone_admin

REWARD_KIND = "incentive_reward"


def record_event(user: User, data: dict) -> ListingEvent:
    """Record a listing or merger of an enterprise of the caller's zone."""
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
    return event


def grant_reward(user: User, event_id: int, data: dict) -> IncentiveReward:
    """Record a reward the enterprise's zone grants for an event under one of its policies."""
    event = get_or_404(ListingEvent, event_id, "listing event")
    zone = event.enterprise.zone
    require_zone_admin(user, zone)
    reward = IncentiveReward(event=event, zone=zone, **data)
    db.session.add(reward)
    db.session.commit()
    return reward


def pay_reward(user: User, reward_id: int) -> IncentiveReward:
    """Book a recorded reward in the ledger (zone -> enterprise) and mark it paid, once: only on
    the decision of the zone's own administrators, since the money is the zone's."""
    reward = get_or_404(IncentiveReward, reward_id, "reward", lock=True)
    require_own_zone_admin(user, reward.zone, "pay its rewards")
    if reward.status == RewardStatus.PAID:
        raise Conflict(f"reward {reward_id} is already paid")
    book_transfer(
        db.session,
        f"reward:{reward.id}",
        REWARD_KIND,
        account("zone", reward.zone_id),
        account("enterprise", reward.event.enterprise_id),
        reward.amount,
    )
    reward.status = RewardStatus.PAID
    db.session.commit()
    return reward


def zone_events(user: User, zone_code: str) -> list[ListingEvent]:
    """The listings and mergers of a zone's enterprises, newest first, with their rewards."""
    zone = zone_by_code(zone_code)
    require_zone_admin(user, zone)
    return list(
        db.session.scalars(
            select(ListingEvent)
            .join(Enterprise, Enterprise.id == ListingEvent.enterprise_id)
            .where(Enterprise.zone_id == zone.id)
            .order_by(ListingEvent.event_on.desc(), ListingEvent.id.desc())
        )
    )
