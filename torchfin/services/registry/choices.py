"""Choices of the reference data as forms and filters offer them: zones, provinces, industries.

Plain dataclasses, so pages never hold ORM rows; zone and industry codes are named through them.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from torchfin.extensions import db
from torchfin.models import Industry, Zone


@dataclass(frozen=True)
class ZoneChoice:
    """A zone as offered in a filter."""

    code: str
    name_zh: str
    name_en: str
    province: str


@dataclass(frozen=True)
class IndustryChoice:
    """A top-level industry as offered in a filter."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class SubIndustryChoice:
    """A sub-field as offered in a filter, under its parent industry."""

    code: str
    name_zh: str
    name_en: str
    parent_code: str


def zone_choices() -> list[ZoneChoice]:
    """All zones, by province then name, for filters and for naming zone codes."""
    rows = db.session.execute(
        select(Zone.code, Zone.name_zh, Zone.name_en, Zone.province).order_by(
            Zone.province, Zone.name_zh
        )
    )
    return [ZoneChoice(*row) for row in rows]


def province_choices() -> list[str]:
    """The provinces that have at least one zone, sorted."""
    return list(db.session.scalars(select(Zone.province).distinct().order_by(Zone.province)))


def top_industry_choices() -> list[IndustryChoice]:
    """The top-level industries in taxonomy order, for filters and for naming industry codes."""
    rows = db.session.execute(
        select(Industry.code, Industry.name_zh, Industry.name_en)
        .where(Industry.parent_id.is_(None))
        .order_by(Industry.id)
    )
    return [IndustryChoice(*row) for row in rows]


def sub_industry_choices() -> list[SubIndustryChoice]:
    """The sub-fields of every industry in taxonomy order, with their parent's code."""
    parent = aliased(Industry)
    rows = db.session.execute(
        select(Industry.code, Industry.name_zh, Industry.name_en, parent.code)
        .join(parent, Industry.parent_id == parent.id)
        .order_by(parent.id, Industry.id)
    )
    return [SubIndustryChoice(*row) for row in rows]


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
