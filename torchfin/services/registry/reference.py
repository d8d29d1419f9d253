"""Reference data: zones and industries, changed by admins only, and looked up by code."""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Industry, User, Zone
from torchfin.services import dependants
from torchfin.services.errors import Conflict, Invalid
from torchfin.services.permissions import require_admin
from torchfin.services.records import apply_fields, get_or_404

ZONE_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "province",
    "city",
    "year_approved",
    "is_demonstration_zone",
    "otc_pilot_since",
)
INDUSTRY_FIELDS = ("code", "name_zh", "name_en", "is_strategic_emerging")


def _unique(model: type, column: str, value: str, record_id: int | None) -> None:
    clash = db.session.scalar(select(model.id).where(getattr(model, column) == value))
    if clash is not None and clash != record_id:
        raise Conflict(f"{column} {value!r} is already used", {column: ["already used"]})


def industries_by_code(codes: list[str]) -> list[Industry]:
    """The industries `codes` name, in their order; unknown codes are refused (422 naming the
    `industries` field)."""
    found = {
        i.code: i for i in db.session.scalars(select(Industry).where(Industry.code.in_(codes)))
    }
    missing = [c for c in codes if c not in found]
    if missing:
        raise Invalid(
            "unknown industries", {"industries": [f"Unknown codes: {', '.join(missing)}."]}
        )
    return [found[c] for c in codes]


def save_zone(user: User, data: dict, zone_id: int | None = None) -> Zone:
    """Create a zone, or update zone `zone_id`."""
    require_admin(user, "change zones")
    zone = get_or_404(Zone, zone_id, "zone") if zone_id is not None else Zone()
    for column in ("code", "name_zh"):
        if column in data:
            _unique(Zone, column, data[column], zone_id)
    apply_fields(zone, data, ZONE_FIELDS)
    db.session.add(zone)
    db.session.commit()
    return zone


def delete_zone(user: User, zone_id: int) -> None:
    """Delete a zone no enterprise, fund, pool or reward names (`dependants.ZONE`)."""
    require_admin(user, "delete zones")
    zone = get_or_404(Zone, zone_id, "zone", lock=True)
    dependants.refuse_if_named("zone", zone_id, dependants.ZONE)
    db.session.delete(zone)
    db.session.commit()


def save_industry(user: User, data: dict, industry_id: int | None = None) -> Industry:
    """Create an industry, or update industry `industry_id`."""
    require_admin(user, "change industries")
    industry = (
        get_or_404(Industry, industry_id, "industry") if industry_id is not None else Industry()
    )
    if "code" in data:
        _unique(Industry, "code", data["code"], industry_id)
    if "parent_code" in data:
        parent = None
        if data["parent_code"]:
            parent = db.session.scalar(select(Industry).where(Industry.code == data["parent_code"]))
            if parent is None or parent.id == industry_id or parent.parent_id is not None:
                raise Invalid(
                    "unknown parent", {"parent_code": ["Must be the code of a top-level industry."]}
                )
        industry.parent = parent
    apply_fields(industry, data, INDUSTRY_FIELDS)
    db.session.add(industry)
    db.session.commit()
    return industry


def delete_industry(user: User, industry_id: int) -> None:
    """Delete an industry that has no sub-fields and no enterprises or projects."""
    require_admin(user, "delete industries")
    industry = get_or_404(Industry, industry_id, "industry", lock=True)
    dependants.refuse_if_named("industry", industry_id, dependants.INDUSTRY)
    db.session.delete(industry)
    db.session.commit()
