"""One user of every role, each acting for an organisation of its kind (API robustness tests)."""

from tests.factories import make_enterprise, make_industries, make_institution, make_user, make_zone
from tests.zone_factories import make_zone_admin
from torchfin.models import User
from torchfin.models.enums import InstitutionKind, Role

# The institution each institutional role acts for.
_INSTITUTION_KINDS = {
    Role.INVESTOR: InstitutionKind.VC,
    Role.FUND_MANAGER: InstitutionKind.GUIDANCE_FUND,
    Role.BANK: InstitutionKind.BANK,
    Role.GUARANTOR: InstitutionKind.GUARANTOR,
}


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
