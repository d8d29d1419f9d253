"""Features of projects and mandates, extracted from SQL rows: the one extraction every scoring
path (reference, incremental, bulk, benchmark) uses."""

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from torchfin.matching.model import AMOUNT_BAND_FACTOR
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    Industry,
    Institution,
    Mandate,
    Project,
    Zone,
)
from torchfin.models.enums import ProjectStatus
from torchfin.models.project import project_industry

# Projects still looking for money take part in matching.
MATCHABLE_STATUSES = (ProjectStatus.PUBLISHED, ProjectStatus.IN_TALKS)


@dataclass(frozen=True)
class ProjectFeatures:
    """What the scorer knows of a project and its enterprise."""

    project_id: int
    instrument: str
    stage: str
    amount: float  # yuan
    industries: tuple[str, ...]  # the project's own industry codes (sub-fields or top-level)
    zone: str
    province: str
    rd_intensity: float | None  # latest year's R&D spend / revenue
    patents: int  # granted invention patents
    growth: float | None  # latest year's revenue growth over the year before
    qualifications: tuple[str, ...]
    age_days: int  # days since publication, as of the scoring date


@dataclass(frozen=True)
class MandateFeatures:
    """What the scorer knows of a mandate and its institution."""

    mandate_id: int
    institution_id: int
    institution_province: str | None
    instruments: tuple[str, ...]
    stages: tuple[str, ...]
    ticket_min: float
    ticket_max: float
    industries: tuple[str, ...]
    excluded_industries: tuple[str, ...]
    zones: tuple[str, ...]
    provinces: tuple[str, ...]


def _growth(years: Sequence[tuple[int, Decimal]]) -> float | None:
    # (year, revenue) ascending. Needs two consecutive years and revenue in the earlier one.
    if len(years) < 2 or years[-2][0] != years[-1][0] - 1 or years[-2][1] <= 0:
        return None
    return float((years[-1][1] - years[-2][1]) / years[-2][1])


def matchable_project_ids(session: Session) -> list[int]:
    """Ids of the projects that take part in matching, ascending."""
    query = select(Project.id).where(Project.status.in_(MATCHABLE_STATUSES))
    return list(session.scalars(query.order_by(Project.id)))


def active_mandate_ids(session: Session) -> list[int]:
    """Ids of the active mandates, ascending."""
    query = select(Mandate.id).where(Mandate.active.is_(True))
    return list(session.scalars(query.order_by(Mandate.id)))


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _grouped(rows: Iterable[tuple]) -> dict[int, list]:
    # (key, value...) rows -> key: [value...] (one value) or [(values...)] (several).
    out: dict[int, list] = defaultdict(list)
    for key, *values in rows:
        out[key].append(values[0] if len(values) == 1 else tuple(values))
    return out


def _project_features_where(session: Session, where, as_of: date) -> list[ProjectFeatures]:
    # Set-based: one select per table (columns only, no ORM object per row), joined in Python.
    projects = select(Project.id).where(where).subquery()
    enterprises = select(Project.enterprise_id).where(where).subquery()
    rows = session.execute(
        select(
            Project.id,
            Project.enterprise_id,
            Project.instrument,
            Project.stage,
            Project.amount_sought,
            func.coalesce(Project.published_at, Project.created_at),
            Enterprise.invention_patents_granted,
            Zone.code,
            Zone.province,
        )
        .join(Enterprise, Enterprise.id == Project.enterprise_id)
        .join(Zone, Zone.id == Enterprise.zone_id)
        .where(where)
        .order_by(Project.id)
    ).all()
    industries = _grouped(
        session.execute(
            select(project_industry.c.project_id, Industry.code)
            .join(Industry, Industry.id == project_industry.c.industry_id)
            .where(project_industry.c.project_id.in_(select(projects.c.id)))
        )
    )
    years = _grouped(
        session.execute(
            select(
                EnterpriseFinancial.enterprise_id,
                EnterpriseFinancial.year,
                EnterpriseFinancial.revenue,
                EnterpriseFinancial.rd_spend,
            )
            .where(EnterpriseFinancial.enterprise_id.in_(select(enterprises.c.enterprise_id)))
            .order_by(EnterpriseFinancial.enterprise_id, EnterpriseFinancial.year)
        )
    )
    qualifications = _grouped(
        session.execute(
            select(EnterpriseQualification.enterprise_id, EnterpriseQualification.kind).where(
                EnterpriseQualification.enterprise_id.in_(select(enterprises.c.enterprise_id))
            )
        )
    )
    out = []
    for pid, eid, instrument, stage, amount, published, patents, zone, province in rows:
        filed = years.get(eid, [])
        latest = filed[-1] if filed else None
        # R&D spend / revenue of the latest year, None without revenue (EnterpriseFinancial).
        intensity = latest[2] / latest[1] if latest and latest[1] else None
        out.append(
            ProjectFeatures(
                project_id=pid,
                instrument=str(instrument),
                stage=str(stage),
                amount=float(amount),
                industries=tuple(sorted(industries.get(pid, ()))),
                zone=zone,
                province=province,
                rd_intensity=float(intensity) if intensity is not None else None,
                patents=patents,
                growth=_growth([(year, revenue) for year, revenue, _ in filed]),
                qualifications=tuple(sorted(str(q) for q in qualifications.get(eid, ()))),
                age_days=max(0, (as_of - published.date()).days),
            )
        )
    return out


def _mandate_features_where(session: Session, where) -> list[MandateFeatures]:
    rows = session.execute(
        select(
            Mandate.id,
            Mandate.institution_id,
            Institution.province,
            Mandate.instruments,
            Mandate.stages,
            Mandate.ticket_min,
            Mandate.ticket_max,
            Mandate.industries,
            Mandate.excluded_industries,
            Mandate.zones,
            Mandate.provinces,
        )
        .join(Institution, Institution.id == Mandate.institution_id)
        .where(where)
        .order_by(Mandate.id)
    )
    return [
        MandateFeatures(
            mandate_id=mid,
            institution_id=institution_id,
            institution_province=home,
            instruments=tuple(sorted(instruments)),
            stages=tuple(sorted(stages)),
            ticket_min=float(low),
            ticket_max=float(high),
            industries=tuple(sorted(codes)),
            excluded_industries=tuple(sorted(excluded)),
            zones=tuple(sorted(zones)),
            provinces=tuple(sorted(provinces)),
        )
        for (
            mid,
            institution_id,
            home,
            instruments,
            stages,
            low,
            high,
            codes,
            excluded,
            zones,
            provinces,
        ) in rows
    ]


def load_project_features(
    session: Session, ids: Iterable[int], as_of: date, chunk: int = 1000
) -> list[ProjectFeatures]:
    """Features of the given projects, in ascending id order (missing ids are skipped)."""
    out: list[ProjectFeatures] = []
    for part in _chunks(sorted(set(ids)), chunk):
        out += _project_features_where(session, Project.id.in_(part), as_of)
    return out


def load_mandate_features(
    session: Session, ids: Iterable[int], chunk: int = 1000
) -> list[MandateFeatures]:
    """Features of the given mandates, in ascending id order (missing ids are skipped)."""
    out: list[MandateFeatures] = []
    for part in _chunks(sorted(set(ids)), chunk):
        out += _mandate_features_where(session, Mandate.id.in_(part))
    return out


def load_matchable_features(
    session: Session, as_of: date
) -> tuple[list[ProjectFeatures], list[MandateFeatures]]:
    """Features of every matchable project and every active mandate, ascending ids: a handful
    of set-based selects whatever the number of records (the bulk path's one load per run)."""
    return (
        _project_features_where(session, Project.status.in_(MATCHABLE_STATUSES), as_of),
        _mandate_features_where(session, Mandate.active.is_(True)),
    )


def amount_band(amount: float) -> int:
    """The band of an amount: bands grow by AMOUNT_BAND_FACTOR (1.5x) from one yuan."""
    return math.floor(math.log(max(amount, 1.0)) / math.log(AMOUNT_BAND_FACTOR))


def material_fingerprint(features: ProjectFeatures) -> str:
    """A digest of what makes a project materially different for an investor who declined it.

    Material: the instrument, the stage, the project's industries, the enterprise's zone, or the
    amount moving to another band (about +-50 %). Edits of wording, quality figures or freshness
    are not.
    """
    parts = (
        features.instrument,
        features.stage,
        ",".join(features.industries),
        features.zone,
        str(amount_band(features.amount)),
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
