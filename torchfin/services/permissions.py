"""Who may change what: one place for the object-level rules."""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import AccessGrant, Enterprise, Institution, User
from torchfin.models.enums import GrantState, Role
from torchfin.services.errors import Forbidden

INSTITUTION_ROLES = frozenset({Role.INVESTOR, Role.FUND_MANAGER, Role.BANK, Role.GUARANTOR})


def is_admin(user: User) -> bool:
    """True for platform administrators."""
    return user.role == Role.ADMIN


def require_admin(user: User, action: str) -> None:
    """Refuse anyone but an admin."""
    if not is_admin(user):
        raise Forbidden(f"only an administrator may {action}")


def owns_enterprise(user: User, enterprise: Enterprise) -> bool:
    """True when `user` acts for `enterprise`."""
    return user.role == Role.SME and user.enterprise_id == enterprise.id


def is_enterprise_editor(user: User, enterprise: Enterprise) -> bool:
    """True for the enterprise's own users and admins, who change its records."""
    return is_admin(user) or owns_enterprise(user, enterprise)


def require_enterprise_editor(user: User, enterprise: Enterprise) -> None:
    """Only the enterprise's own users and admins change its records."""
    if not is_enterprise_editor(user, enterprise):
        raise Forbidden(f"you may not change the records of enterprise {enterprise.id}")


def may_read_financials(user: User, enterprise: Enterprise) -> bool:
    """Financials are confidential: the enterprise itself, admins, and users of an institution
    the enterprise has granted access (and not revoked it) read them.

    Every page, API and export that shows financials asks this, and then records the read with
    `access_grants.record_confidential_read`.
    """
    if is_admin(user) or owns_enterprise(user, enterprise):
        return True
    if user.role not in INSTITUTION_ROLES or user.institution_id is None:
        return False
    return holds_grant(user.institution_id, enterprise.id)


def holds_grant(institution_id: int, enterprise_id: int) -> bool:
    """True when the institution's access to the enterprise's financials is granted now."""
    granted = select(AccessGrant.id).where(
        AccessGrant.institution_id == institution_id,
        AccessGrant.enterprise_id == enterprise_id,
        AccessGrant.state == GrantState.GRANTED,
    )
    return db.session.scalar(granted.limit(1)) is not None


def require_institution_editor(user: User, institution: Institution) -> None:
    """Only the institution's own users and admins change it and its mandates."""
    if not (
        is_admin(user) or (user.role in INSTITUTION_ROLES and user.institution_id == institution.id)
    ):
        raise Forbidden(f"you may not change institution {institution.id}")
