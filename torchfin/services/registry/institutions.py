"""Institutions and their mandates."""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Industry, Institution, Mandate, User, Zone
from torchfin.services import dependants
from torchfin.services.errors import Conflict, Forbidden, Invalid
from torchfin.services.outbox import notify_search, record_delete, record_upsert
from torchfin.services.permissions import is_admin, require_admin, require_institution_editor
from torchfin.services.records import apply_fields, get_or_404

INSTITUTION_FIELDS = ("name", "kind", "province", "description")
MANDATE_FIELDS = (
    "name",
    "description",
    "industries",
    "stages",
    "instruments",
    "ticket_min",
    "ticket_max",
    "zones",
    "provinces",
    "excluded_industries",
    "active",
)


def save_institution(user: User, data: dict, institution_id: int | None = None) -> Institution:
    """Create an institution (admins), or update one (its own users or admins)."""
    if institution_id is None:
        require_admin(user, "register institutions")
        institution = Institution()
    else:
        institution = get_or_404(Institution, institution_id, "institution")
        require_institution_editor(user, institution)
    if "name" in data:
        clash = db.session.scalar(select(Institution.id).where(Institution.name == data["name"]))
        if clash is not None and clash != institution_id:
            raise Conflict(
                f"an institution named {data['name']} exists", {"name": ["already used"]}
            )
    apply_fields(institution, data, INSTITUTION_FIELDS)
    db.session.add(institution)
    db.session.flush()
    for mandate in institution.mandates:  # mandate documents carry the institution's name
        record_upsert(db.session, mandate)
    db.session.commit()
    notify_search()
    return institution


def delete_institution(user: User, institution_id: int) -> None:
    """Delete an institution with its mandates and pipeline stages; refused (409) while money
    or deals name it (`dependants.INSTITUTION`)."""
    require_admin(user, "delete institutions")
    institution = get_or_404(Institution, institution_id, "institution", lock=True)
    dependants.refuse_if_named("institution", institution_id, dependants.INSTITUTION)
    for mandate in institution.mandates:
        record_delete(db.session, mandate)
    db.session.delete(institution)
    db.session.commit()
    notify_search()


def _check_codes(data: dict) -> None:
    errors = {}
    for field, model in (
        ("industries", Industry),
        ("excluded_industries", Industry),
        ("zones", Zone),
    ):
        wanted = set(data.get(field) or [])
        if wanted:
            known = set(db.session.scalars(select(model.code).where(model.code.in_(wanted))))
            if wanted - known:
                errors[field] = [f"Unknown codes: {', '.join(sorted(wanted - known))}."]
    if errors:
        raise Invalid("unknown codes", errors)


def save_mandate(user: User, data: dict, mandate_id: int | None = None) -> Mandate:
    """Create a mandate for the caller's institution, or update one."""
    if mandate_id is None:
        institution_id = data.get("institution_id") or user.institution_id
        if institution_id is None:
            raise Invalid(
                "no institution", {"institution_id": ["Required: you act for no institution."]}
            )
        institution = db.session.get(Institution, institution_id)
        if institution is None:
            raise Invalid(
                "unknown", {"institution_id": [f"Institution {institution_id} does not exist."]}
            )
        require_institution_editor(user, institution)
        mandate = Mandate(institution=institution)
    else:
        mandate = get_or_404(Mandate, mandate_id, "mandate")
        require_institution_editor(user, mandate.institution)
        if data.get("institution_id") not in (None, mandate.institution_id) and not is_admin(user):
            raise Forbidden("a mandate cannot move to another institution")
    # The half-built mandate already sits in its institution's collection: no flush of it yet.
    with db.session.no_autoflush:
        _check_codes(data)
    apply_fields(mandate, data, MANDATE_FIELDS)
    if mandate.ticket_min > mandate.ticket_max:
        raise Invalid("ticket range", {"ticket_max": ["Must not be below ticket_min."]})
    db.session.add(mandate)
    record_upsert(db.session, mandate)
    db.session.commit()
    notify_search()
    return mandate


def delete_mandate(user: User, mandate_id: int) -> None:
    """Delete a mandate with its matches and remove it from search; refused (409) while a deal
    grew out of one of its matches."""
    mandate = get_or_404(Mandate, mandate_id, "mandate", lock=True)
    require_institution_editor(user, mandate.institution)
    dependants.refuse_if_named("mandate", mandate_id, dependants.MANDATE)
    record_delete(db.session, mandate)
    db.session.delete(mandate)
    db.session.commit()
    notify_search()
