"""Features of projects and mandates, extracted from SQL rows: the one extraction every scoring
path (reference, incremental, bulk, benchmark) uses."""

import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from torchfin.matching.model import AMOUNT_BAND_FACTOR
from torchfin.models import Enterprise, Institution, Mandate, Project
from torchfin.models.enums import ProjectStatus

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


def _growth(enterprise: Enterprise) -> float | None:
    # Needs two consecutive years and revenue in the earlier one.
    years = enterprise.financials
    if len(years) < 2 or years[-2].year != years[-1].year - 1 or years[-2].revenue <= 0:
        return None
    return float((years[-1].revenue - years[-2].revenue) / years[-2].revenue)


def project_features(project: Project, as_of: date) -> ProjectFeatures:
    """Features of a loaded project (its industries; its enterprise's zone, financials and
    qualifications)."""
    enterprise = project.enterprise
    latest = enterprise.latest_financial
    intensity = latest.rd_intensity if latest else None
    published = (project.published_at or project.created_at).date()
    return ProjectFeatures(
        project_id=project.id,
        instrument=str(project.instrument),
        stage=str(project.stage),
        amount=float(project.amount_sought),
        industries=tuple(sorted(i.code for i in project.industries)),
        zone=enterprise.zone.code,
        province=enterprise.zone.province,
        rd_intensity=float(intensity) if intensity is not None else None,
        patents=enterprise.invention_patents_granted,
        growth=_growth(enterprise),
        qualifications=tuple(sorted(str(q.kind) for q in enterprise.qualifications)),
        age_days=max(0, (as_of - published).days),
    )


def mandate_features(mandate: Mandate) -> MandateFeatures:
    """Features of a loaded mandate (with its institution)."""
    return MandateFeatures(
        mandate_id=mandate.id,
        institution_id=mandate.institution_id,
        institution_province=mandate.institution.province,
        instruments=tuple(sorted(mandate.instruments)),
        stages=tuple(sorted(mandate.stages)),
        ticket_min=float(mandate.ticket_min),
        ticket_max=float(mandate.ticket_max),
        industries=tuple(sorted(mandate.industries)),
        excluded_industries=tuple(sorted(mandate.excluded_industries)),
        zones=tuple(sorted(mandate.zones)),
        provinces=tuple(sorted(mandate.provinces)),
    )


_PROJECT_LOAD = (
    selectinload(Project.industries),
    selectinload(Project.enterprise).selectinload(Enterprise.financials),
    selectinload(Project.enterprise).selectinload(Enterprise.qualifications),
    selectinload(Project.enterprise).selectinload(Enterprise.zone),
)


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


def load_project_features(
    session: Session, ids: Iterable[int], as_of: date, chunk: int = 1000
) -> list[ProjectFeatures]:
    """Features of the given projects, in ascending id order (missing ids are skipped)."""
    out: list[ProjectFeatures] = []
    for part in _chunks(sorted(set(ids)), chunk):
        rows = session.scalars(select(Project).where(Project.id.in_(part)).options(*_PROJECT_LOAD))
        out += [project_features(row, as_of) for row in rows]
    return sorted(out, key=lambda f: f.project_id)


def load_mandate_features(
    session: Session, ids: Iterable[int], chunk: int = 1000
) -> list[MandateFeatures]:
    """Features of the given mandates, in ascending id order (missing ids are skipped)."""
    out: list[MandateFeatures] = []
    for part in _chunks(sorted(set(ids)), chunk):
        rows = session.scalars(
            select(Mandate)
            .where(Mandate.id.in_(part))
            .options(selectinload(Mandate.institution).load_only(Institution.province))
        )
        out += [mandate_features(row) for row in rows]
    return sorted(out, key=lambda f: f.mandate_id)


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
