"""Who may work on a zone's records: its zone administrators and platform admins."""

from torchfin.models import Enterprise, User, Zone
from torchfin.models.enums import Role
from torchfin.services.errors import Forbidden
from torchfin.services.permissions import is_admin, owns_enterprise


def administered_zone_id(user: User) -> int | None:
    """The zone a zone administrator acts for (None for everyone else)."""
    if user.role != Role.ZONE_ADMIN or user.organisation is None:
        return None
    return user.organisation.zone_id


def may_administer_zone(user: User, zone: Zone) -> bool:
    """True for platform admins and the zone's own administrators."""
    return is_admin(user) or administered_zone_id(user) == zone.id


def require_zone_admin(user: User, zone: Zone) -> None:
    """Refuse anyone who does not administer `zone`."""
    if not may_administer_zone(user, zone):
        raise Forbidden(f"only administrators of zone {zone.code} may do this")


def require_own_zone_admin(user: User, zone: Zone, action: str) -> None:
    """Refuse anyone but `zone`'s own administrators, platform admins included.

    For decisions that move the zone's money to a third party: like a pool's claim payouts,
    which only its sponsor makes, they are the zone's to take and never the platform's.
    """
    if administered_zone_id(user) != zone.id:
        raise Forbidden(f"only the administrators of zone {zone.code} may {action}")


def may_follow_enterprise(user: User, enterprise: Enterprise) -> bool:
    """The enterprise itself, its zone's administrators and platform admins."""
    return owns_enterprise(user, enterprise) or may_administer_zone(user, enterprise.zone)


def require_enterprise_follower(user: User, enterprise: Enterprise) -> None:
    """Refuse anyone but the enterprise, its zone's administrators and platform admins."""
    if not may_follow_enterprise(user, enterprise):
        raise Forbidden(
            f"you may not see or change the listing records of enterprise {enterprise.id}"
        )
