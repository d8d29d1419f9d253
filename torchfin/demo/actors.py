"""Who acts in the demo's scripted steps: the seeded demo users and enterprises' contacts.

Users are looked up by e-mail each time they are needed, never kept: a test's worker run closes
the session, and a detached user could no longer load its organisation.
"""

from collections.abc import Sequence

from sqlalchemy import select

from torchfin.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USERS
from torchfin.extensions import db
from torchfin.models import Enterprise, Organisation, User, Zone
from torchfin.models.enums import OrganisationKind, Role
from torchfin.services.accounts.users import create_user

_EMAILS = dict(DEMO_USERS)


class DemoNotSeeded(RuntimeError):
    """The demo step needs `flask demo seed` to have run first."""


def demo_user(role: Role) -> User:
    """The seeded demo user of `role`."""
    user = db.session.scalar(select(User).where(User.email == _EMAILS[role]))
    if user is None:
        raise DemoNotSeeded(f"no demo user {_EMAILS[role]}: run `flask demo seed` first")
    return user


def enterprise_contact(enterprise_id: int) -> User:
    """The user who acts for an enterprise: the SME demo user for the showcase enterprise, else
    a contact account the demo creates once (`sme-<credit code>@demo...`, the demo password)."""
    user = db.session.scalar(
        select(User)
        .join(User.organisation)
        .where(Organisation.enterprise_id == enterprise_id, User.role == Role.SME)
        .order_by(User.id)
        .limit(1)
    )
    if user is not None:
        return user
    enterprise = db.session.get(Enterprise, enterprise_id)
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.enterprise_id == enterprise_id)
    ) or Organisation(
        name=enterprise.name, kind=OrganisationKind.ENTERPRISE, enterprise_id=enterprise_id
    )
    return create_user(
        f"sme-{enterprise.credit_code.lower()}@{DEMO_DOMAIN}",
        DEMO_PASSWORD,
        Role.SME,
        f"{enterprise.name[:80]}财务负责人",
        organisation,
    )


def pick_enterprises(
    count: int, *, zone_id: int | None = None, province: str | None = None, skip: Sequence[int] = ()
) -> list[int]:
    """`count` enterprise ids, lowest first: those of the zone or province first, then any other,
    so a small demo database still yields enough of them."""
    query = select(Enterprise.id).join(Zone, Enterprise.zone_id == Zone.id)
    preferred = query
    if zone_id is not None:
        preferred = preferred.where(Enterprise.zone_id == zone_id)
    if province is not None:
        preferred = preferred.where(Zone.province == province)
    chosen: list[int] = []
    for candidates in (preferred, query):
        for enterprise_id in db.session.scalars(candidates.order_by(Enterprise.id)):
            if len(chosen) == count:
                return chosen
            if enterprise_id not in chosen and enterprise_id not in skip:
                chosen.append(enterprise_id)
    if len(chosen) < count:
        raise DemoNotSeeded(f"the demo needs {count} enterprises, the database has fewer")
    return chosen
