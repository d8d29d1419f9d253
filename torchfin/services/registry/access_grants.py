"""Confidentiality of financials: institutions ask, the enterprise grants, denies or revokes.

Every request and decision, and every read of confidential data (page, API, export), adds a row
to the access log, so an enterprise can see who read its figures and on whose authority.
"""

from dataclasses import dataclass

from sqlalchemy import Select, select

from torchfin.extensions import db
from torchfin.models import AccessGrant, AccessLogEntry, Enterprise, User
from torchfin.models.base import utcnow
from torchfin.models.enums import AccessEvent, GrantState, ReadChannel, Role
from torchfin.services.errors import Conflict, Forbidden
from torchfin.services.permissions import INSTITUTION_ROLES, is_admin, owns_enterprise
from torchfin.services.records import get_or_404
from torchfin.services.workflow import Move, allowed_actions, check_move

# The enterprise's decisions, in the order the page offers them; only its own users decide.
MOVES = {
    "deny": Move(frozenset({GrantState.PENDING}), GrantState.DENIED, Role.SME),
    "grant": Move(frozenset({GrantState.PENDING}), GrantState.GRANTED, Role.SME),
    "revoke": Move(frozenset({GrantState.GRANTED}), GrantState.REVOKED, Role.SME),
}
# What the access log calls each decision.
LOGGED_AS = {
    "deny": AccessEvent.DENIED,
    "grant": AccessEvent.GRANTED,
    "revoke": AccessEvent.REVOKED,
}
OPEN_STATES = (GrantState.PENDING, GrantState.GRANTED)


def allowed_moves(user: User, grant: AccessGrant) -> list[str]:
    """The decisions `user` may take on `grant` now: none unless it acts for the enterprise."""
    if not owns_enterprise(user, grant.enterprise):
        return []
    return allowed_actions(MOVES, grant.state, user.role)


def _log(
    event: AccessEvent,
    user: User,
    enterprise_id: int,
    grant: AccessGrant | None = None,
    channel: ReadChannel | None = None,
) -> None:
    db.session.add(
        AccessLogEntry(
            event=event,
            channel=channel,
            enterprise_id=enterprise_id,
            user_id=user.id,
            institution_id=user.institution_id,
            grant=grant,
        )
    )


def open_grant(institution_id: int, enterprise_id: int) -> AccessGrant | None:
    """The institution's pending or granted access to the enterprise, if there is one."""
    return db.session.scalar(
        select(AccessGrant).where(
            AccessGrant.institution_id == institution_id,
            AccessGrant.enterprise_id == enterprise_id,
            AccessGrant.state.in_(OPEN_STATES),
        )
    )


def latest_grant(user: User, enterprise_id: int) -> AccessGrant | None:
    """The most recent request of the user's institution for the enterprise (for the page)."""
    if user.institution_id is None:
        return None
    return db.session.scalar(
        select(AccessGrant)
        .where(
            AccessGrant.institution_id == user.institution_id,
            AccessGrant.enterprise_id == enterprise_id,
        )
        .order_by(AccessGrant.id.desc())
        .limit(1)
    )


def _acts_for_an_institution(user: User) -> bool:
    return user.role in INSTITUTION_ROLES and user.institution_id is not None


def may_request_access(user: User, enterprise: Enterprise) -> bool:
    """True when `user` may ask for its institution's access to `enterprise` now: it acts for an
    institution that has no request pending or granted (one open at a time)."""
    return _acts_for_an_institution(user) and open_grant(user.institution_id, enterprise.id) is None


def request_access(user: User, enterprise_id: int, purpose: str = "") -> AccessGrant:
    """An investor, fund, bank or guarantor user asks for its institution's access."""
    if not _acts_for_an_institution(user):
        raise Forbidden("only users acting for an institution may request access to financials")
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
    existing = open_grant(user.institution_id, enterprise.id)
    if existing is not None:
        raise Conflict(
            f"your institution's access to enterprise {enterprise.id} is already "
            f"{existing.state} (request {existing.id}); allowed now: nothing"
        )
    grant = AccessGrant(
        enterprise=enterprise,
        institution_id=user.institution_id,
        purpose=purpose,
        requested_by=user,
        state=GrantState.PENDING,
    )
    db.session.add(grant)
    _log(AccessEvent.REQUESTED, user, enterprise.id, grant)
    db.session.commit()
    return grant


def decide(user: User, grant_id: int, decision: str) -> AccessGrant:
    """The enterprise's own SME user grants, denies or revokes; other moves are refused (409)."""
    grant = get_or_404(AccessGrant, grant_id, "access grant", lock=True)
    if not owns_enterprise(user, grant.enterprise):
        raise Forbidden(f"only the users of enterprise {grant.enterprise_id} decide on its data")
    grant.state = check_move(MOVES, decision, grant.state, user.role, "access request", {}).target
    if decision == "revoke":
        grant.revoked_at = utcnow()
    else:
        grant.decided_by, grant.decided_at = user, utcnow()
    _log(LOGGED_AS[decision], user, grant.enterprise_id, grant)
    db.session.commit()
    return grant


def visible_grants(user: User) -> Select:
    """Requests `user` may see: its enterprise's, its institution's, or all for an admin."""
    query = select(AccessGrant).order_by(AccessGrant.id.desc())
    if is_admin(user):
        return query
    if user.role == Role.SME and user.enterprise_id is not None:
        return query.where(AccessGrant.enterprise_id == user.enterprise_id)
    if _acts_for_an_institution(user):
        return query.where(AccessGrant.institution_id == user.institution_id)
    return query.where(False)


@dataclass(frozen=True)
class AccessOverview:
    """What the enterprise's access page lists: requests with the decisions open on each,
    and the latest access-log entries."""

    grants: list[tuple[AccessGrant, list[str]]]
    log: list[AccessLogEntry]


def access_overview(user: User, enterprise: Enterprise, log_size: int) -> AccessOverview:
    """The requests about `enterprise` and its `log_size` latest log entries (its users, admins)."""
    log = list(db.session.scalars(access_log(user, enterprise).limit(log_size)))
    grants = db.session.scalars(
        select(AccessGrant)
        .where(AccessGrant.enterprise_id == enterprise.id)
        .order_by(AccessGrant.id.desc())
    )
    return AccessOverview([(g, allowed_moves(user, g)) for g in grants], log)


def access_log(user: User, enterprise: Enterprise) -> Select:
    """The enterprise's access log, newest first: for its own users and admins."""
    if not (is_admin(user) or owns_enterprise(user, enterprise)):
        raise Forbidden(f"only the users of enterprise {enterprise.id} read its access log")
    return (
        select(AccessLogEntry)
        .where(AccessLogEntry.enterprise_id == enterprise.id)
        .order_by(AccessLogEntry.id.desc())
    )


def record_confidential_read(user: User, enterprise: Enterprise, channel: ReadChannel) -> None:
    """Log that `user` was shown `enterprise`'s financials through `channel`, and commit.

    Call it after `may_read_financials` said yes, wherever figures leave the server. A read by
    an institution's user names the grant it relied on.
    """
    grant = open_grant(user.institution_id, enterprise.id) if user.institution_id else None
    _log(AccessEvent.READ, user, enterprise.id, grant, channel)
    db.session.commit()
