"""The SME profile page's services: its choices, and saving the whole profile in one go."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from torchfin.extensions import db
from torchfin.models import Enterprise, Industry, User
from torchfin.services.dashboards.overview import IndustryChoice
from torchfin.services.errors import ServiceError
from torchfin.services.registry.enterprises import register_enterprise, update_enterprise


def industry_choices() -> list[IndustryChoice]:
    """Every industry and sub-field in taxonomy order; a sub-field's names carry its parent's."""
    parent = aliased(Industry)
    rows = db.session.execute(
        select(Industry.code, Industry.name_zh, Industry.name_en, parent.name_zh, parent.name_en)
        .outerjoin(parent, Industry.parent_id == parent.id)
        # Each top-level industry, then its sub-fields.
        .order_by(func.coalesce(Industry.parent_id, Industry.id), Industry.parent_id.is_not(None))
        .order_by(Industry.id)
    )
    return [
        IndustryChoice(code, f"{pzh} · {zh}" if pzh else zh, f"{pen} · {en}" if pen else en)
        for code, zh, en, pzh, pen in rows
    ]


def save_profile(user: User, enterprise_id: int | None, data: dict) -> Enterprise:
    """Register the user's enterprise (`enterprise_id` None) or update it, all or nothing.

    The enterprise services raise before committing; the page then renders again in the same
    request, so the half-applied changes are rolled back here rather than left in the session.
    """
    try:
        if enterprise_id is None:
            return register_enterprise(user, data)
        return update_enterprise(user, enterprise_id, data)
    except ServiceError:
        db.session.rollback()
        raise
