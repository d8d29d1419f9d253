"""Search documents built from SQL rows: the only place that decides what the index holds.

Confidential financials never enter a document.
"""

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from search.pinyin import pinyin_fields
from search.segmentation import segment_for_index
from torchfin.models import Enterprise, Industry, Mandate, Project


def _with_seg(name: str, text: str) -> dict:
    return {name: text, f"{name}_seg": segment_for_index(text)}


def industry_fields(industries: list[Industry]) -> dict:
    """The industry facets of a record: its codes, and the top-level industries they belong to."""
    return {
        "industry_codes": sorted(i.code for i in industries),
        "industry_parent_codes": sorted({(i.parent or i).code for i in industries}),
    }


def enterprise_fields(enterprise: Enterprise) -> dict:
    """Fields about an enterprise, shared by its own document and its projects' documents
    (its industries are not: a project is filed under its own, `industry_fields`)."""
    return {
        "enterprise_id": enterprise.id,
        **_with_seg("enterprise_name", enterprise.name),
        "enterprise_name_kw": enterprise.name,
        "zone_code": enterprise.zone.code,
        "zone_name": enterprise.zone.name_zh,
        "province": enterprise.zone.province,
        "qualifications": sorted(q.kind for q in enterprise.qualifications),
        "legal_form": enterprise.legal_form,
        "founded_year": enterprise.founded_on.year,
        "invention_patents": enterprise.invention_patents_granted,
        # A ratio for filtering; the confidential figures behind it never enter the index.
        "rd_intensity": _rd_intensity(enterprise),
    }


def _rd_intensity(enterprise: Enterprise) -> float | None:
    latest = enterprise.latest_financial
    intensity = latest.rd_intensity if latest else None
    return round(float(intensity), 4) if intensity is not None else None


def project_document(project: Project) -> dict:
    """The search document of a financing project."""
    return {
        "id": project.id,
        **_with_seg("title", project.title),
        **pinyin_fields("title", project.title),
        **_with_seg("summary", project.summary),
        "amount_sought": float(project.amount_sought),
        "instrument": project.instrument,
        "stage": project.stage,
        "status": project.status,
        "deadline": project.deadline.isoformat() if project.deadline else None,
        "published_at": project.published_at.isoformat() if project.published_at else None,
        **enterprise_fields(project.enterprise),
        **industry_fields(project.industries),
    }


def enterprise_document(enterprise: Enterprise) -> dict:
    """The search document of an enterprise (public profile only)."""
    return {
        "id": enterprise.id,
        **_with_seg("description", enterprise.description),
        **enterprise_fields(enterprise),
        **industry_fields(enterprise.industries),
        **pinyin_fields("enterprise_name", enterprise.name),
    }


def mandate_document(mandate: Mandate) -> dict:
    """The search document of an institution's mandate."""
    return {
        "id": mandate.id,
        **_with_seg("name", mandate.name),
        **_with_seg("description", mandate.description),
        "institution_id": mandate.institution_id,
        "institution_name": mandate.institution.name,
        "institution_kind": mandate.institution.kind,
        "industries": mandate.industries,
        "excluded_industries": mandate.excluded_industries,
        "stages": mandate.stages,
        "instruments": mandate.instruments,
        "zones": mandate.zones,
        "provinces": mandate.provinces,
        "ticket_min": float(mandate.ticket_min),
        "ticket_max": float(mandate.ticket_max),
        "active": mandate.active,
    }


_ENTERPRISE_LOAD = (
    selectinload(Enterprise.zone),
    selectinload(Enterprise.industries),
    selectinload(Enterprise.qualifications),
    selectinload(Enterprise.financials),
)

# kind -> (model, eager loads, document builder)
BUILDERS: dict[str, tuple[type, Sequence, Callable[..., dict]]] = {
    "project": (
        Project,
        (
            selectinload(Project.enterprise).options(*_ENTERPRISE_LOAD),
            selectinload(Project.industries),
        ),
        project_document,
    ),
    "enterprise": (Enterprise, _ENTERPRISE_LOAD, enterprise_document),
    "mandate": (
        Mandate,
        (selectinload(Mandate.institution),),
        mandate_document,
    ),
}


def load_records(session: Session, kind: str, ids: Iterable[int]) -> dict[int, object]:
    """Rows of `kind` with everything their documents need, keyed by id (missing ids absent)."""
    model, loads, _ = BUILDERS[kind]
    rows = session.scalars(select(model).where(model.id.in_(list(ids))).options(*loads))
    return {row.id: row for row in rows}


def build_document(kind: str, record: object) -> dict:
    """The document for one loaded record of `kind`."""
    return BUILDERS[kind][2](record)


def iter_all_ids(session: Session, kind: str, chunk: int = 1000) -> Iterable[list[int]]:
    """All ids of `kind` in ascending chunks (for rebuilds)."""
    model = BUILDERS[kind][0]
    last = 0
    while True:
        ids = list(
            session.scalars(select(model.id).where(model.id > last).order_by(model.id).limit(chunk))
        )
        if not ids:
            return
        yield ids
        last = ids[-1]
