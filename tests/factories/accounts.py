"""Users for tests: one of a role, a zone administrator, one of every role, and bearer tokens."""

from datetime import timedelta

from tests.factories import numbers
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import Enterprise, Institution, Organisation, User, Zone
from torchfin.models.enums import InstitutionKind, OrganisationKind, Role
from torchfin.services.accounts.tokens import issue_token
from torchfin.services.accounts.users import create_user

PASSWORD = "correct horse battery"

# The institution each institutional role acts for.
_INSTITUTION_KINDS = {
    Role.INVESTOR: InstitutionKind.VC,
    Role.FUND_MANAGER: InstitutionKind.GUIDANCE_FUND,
    Role.BANK: InstitutionKind.BANK,
    Role.GUARANTOR: InstitutionKind.GUARANTOR,
}


def make_user(
    role: Role, enterprise: Enterprise | None = None, institution: Institution | None = None
) -> User:
    """A user of `role`, acting for the given enterprise or institution."""
    organisation = None
    if enterprise is not None:
        organisation = Organisation(
            name=enterprise.name, kind=OrganisationKind.ENTERPRISE, enterprise=enterprise
        )
    elif institution is not None:
        organisation = Organisation(
            name=institution.name, kind=OrganisationKind.INSTITUTION, institution=institution
        )
    n = next(numbers)
    return create_user(f"{role}{n}@example.cn", PASSWORD, role, f"{role} {n}", organisation)


def make_zone_admin(zone: Zone) -> User:
    """A zone administrator acting for `zone`'s administrative committee (管委会), which also
    sponsors the zone's risk pools."""
    user = make_user(Role.ZONE_ADMIN)
    user.organisation = Organisation(
        name=f"{zone.name_zh}管委会", kind=OrganisationKind.ZONE, zone=zone
    )
    db.session.commit()
    return user


def make_personas() -> dict[Role, User]:
    """A zone with its administrator, an SME with its enterprise, one user per institution kind,
    and a platform admin: enough for every API operation to reach its service code."""
    zone = make_zone()
    industries = make_industries()
    enterprise = make_enterprise(zone, [industries["nev.battery"]])
    personas = {
        Role.SME: make_user(Role.SME, enterprise=enterprise),
        Role.ZONE_ADMIN: make_zone_admin(zone),
        Role.ADMIN: make_user(Role.ADMIN),
    }
    for role, kind in _INSTITUTION_KINDS.items():
        personas[role] = make_user(role, institution=make_institution(kind))
    return personas


def auth(user: User, scopes: tuple[str, ...] | list[str] = ("read", "write")) -> dict[str, str]:
    """Headers carrying a fresh bearer token of `user` (all scopes unless told)."""
    plain, _ = issue_token(user, "test", timedelta(hours=1), scopes)
    return {"Authorization": f"Bearer {plain}"}
