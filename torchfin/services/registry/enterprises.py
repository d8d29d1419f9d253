"""Enterprise records: registration, profile changes, deletion, each re-indexed via the outbox."""

from typing import TypeVar

from sqlalchemy import select

from schemas.credit_code import find_problems
from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    Organisation,
    User,
    Zone,
)
from torchfin.models.enums import OrganisationKind, Role
from torchfin.services import dependants
from torchfin.services.errors import Conflict, Forbidden, Invalid
from torchfin.services.outbox import notify_search, record_delete, record_upsert
from torchfin.services.permissions import is_admin, require_enterprise_editor
from torchfin.services.records import apply_fields, get_or_404
from torchfin.services.registry.duplicates import flag_similar_names
from torchfin.services.registry.reference import industries_by_code

Row = TypeVar("Row", EnterpriseQualification, EnterpriseFinancial)
PROFILE_FIELDS = (
    "name",
    "legal_form",
    "founded_on",
    "description",
    "invention_patents_granted",
    "invention_patents_pending",
    "employees",
)


def _resolve_zone(code: str) -> Zone:
    zone = db.session.scalar(select(Zone).where(Zone.code == code))
    if zone is None:
        raise Invalid("unknown zone", {"zone": [f"Unknown zone code {code!r}."]})
    return zone


def referenced_enterprise(data: dict) -> Enterprise:
    """The enterprise a request names (EnterpriseReferenceSchema); its id replaces a credit code.

    An unknown credit code that also fails a check says which one: a mistyped character is far
    likelier than an enterprise missing from the platform.
    """
    code = data.pop("credit_code", None)
    if code is None:
        enterprise = db.session.get(Enterprise, data["enterprise_id"])
        if enterprise is None:
            raise Invalid("unknown", {"enterprise_id": ["No enterprise with this id."]})
        return enterprise
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is None:
        failed = [f"{p.check}: {p.message}" for p in find_problems(code)]
        raise Invalid("unknown", {"credit_code": failed or ["No enterprise has this credit code."]})
    data["enterprise_id"] = enterprise.id
    return enterprise


def _apply(enterprise: Enterprise, data: dict) -> None:
    apply_fields(enterprise, data, PROFILE_FIELDS)
    if "zone" in data:
        enterprise.zone = _resolve_zone(data["zone"])
    if "industries" in data:
        enterprise.industries = industries_by_code(data["industries"])
    # Rows are replaced by their key in place: a row deleted and inserted again with the same
    # key would break the unique key in the flush (inserts go before deletes), and unchanged
    # rows keep their identity.
    if "qualifications" in data:
        by_kind = {q.kind: q for q in enterprise.qualifications}
        enterprise.qualifications = [
            _merge_row(by_kind.get(item["kind"]) or EnterpriseQualification(), item)
            for item in data["qualifications"]
        ]
    if "financials" in data:
        by_year = {f.year: f for f in enterprise.financials}
        enterprise.financials = [
            _merge_row(by_year.get(item["year"]) or EnterpriseFinancial(), item)
            for item in data["financials"]
        ]


def _merge_row(row: Row, item: dict) -> Row:
    for name, value in item.items():
        setattr(row, name, value)
    return row


def _reindex_with_projects(enterprise: Enterprise) -> None:
    # Project documents carry enterprise fields, so they change with the enterprise.
    record_upsert(db.session, enterprise)
    for project in enterprise.projects:
        record_upsert(db.session, project)


def register_enterprise(user: User, data: dict) -> Enterprise:
    """Register an enterprise; an SME user registers its own, an admin any.

    A credit code failing its checksum is accepted only from an admin with a reason. A name very
    close to another enterprise's in the same zone is flagged as a suspected duplicate.
    """
    if user.role == Role.SME:
        if user.enterprise_id is not None:
            raise Conflict("your organisation already has an enterprise record")
    elif not is_admin(user):
        raise Forbidden("only SME users and administrators register enterprises")
    code = data["credit_code"]
    existing = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if existing is not None:
        raise Conflict(
            f"credit code {code} is already registered as enterprise {existing.id}",
            {"credit_code": [f"Already registered: /api/v1/enterprises/{existing.id}"]},
        )
    reason = data.get("credit_code_override_reason")
    if find_problems(code) and reason:
        if not is_admin(user):
            raise Forbidden("only an administrator may override a failed credit code check")
    else:
        reason = None
    enterprise = Enterprise(credit_code=code, credit_code_override_reason=reason)
    _apply(enterprise, data)
    db.session.add(enterprise)
    if user.role == Role.SME:
        organisation = user.organisation or Organisation(
            name=enterprise.name, kind=OrganisationKind.ENTERPRISE
        )
        organisation.enterprise = enterprise
        user.organisation = organisation
    _reindex_with_projects(enterprise)
    # A near-identical name in the same zone is flagged for an admin, never refused.
    flag_similar_names(enterprise)
    db.session.commit()
    notify_search()
    return enterprise


def update_enterprise(user: User, enterprise_id: int, data: dict) -> Enterprise:
    """Change an enterprise's profile; the credit code itself is fixed once registered.

    A new name (or a move to another zone) is checked against the zone's names exactly as a
    registration is: a near-identical one is flagged for an admin, never refused.
    """
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
    require_enterprise_editor(user, enterprise)
    if "credit_code" in data and data["credit_code"] != enterprise.credit_code:
        raise Invalid(
            "credit code is fixed", {"credit_code": ["Cannot be changed once registered."]}
        )
    renamed = data.get("name", enterprise.name) != enterprise.name
    moved = data.get("zone", enterprise.zone.code) != enterprise.zone.code
    _apply(enterprise, data)
    _reindex_with_projects(enterprise)
    if renamed or moved:
        flag_similar_names(enterprise)
    db.session.commit()
    notify_search()
    return enterprise


def delete_enterprise(user: User, enterprise_id: int) -> None:
    """Delete an enterprise with its own records (projects, profile) and remove them from search;
    refused (409) while money or another party's records name it (`dependants.ENTERPRISE`)."""
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise", lock=True)
    require_enterprise_editor(user, enterprise)
    dependants.refuse_if_named("enterprise", enterprise_id, dependants.ENTERPRISE)
    for project in enterprise.projects:
        record_delete(db.session, project)
    record_delete(db.session, enterprise)
    db.session.delete(enterprise)
    db.session.commit()
    notify_search()
