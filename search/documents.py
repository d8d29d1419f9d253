"""Search documents built from SQL rows: the only place that decides what the index holds.

Documents are built a batch of ids at a time from a handful of set-based Core selects (the
records, their enterprise and zone, industries, qualifications, latest financials), never one
query per record and never ORM objects: a rebuild reads a million records without loading a
million object graphs. Confidential financials never enter a document.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, aliased

from search.bigrams import bigrams
from search.pinyin import pinyin_fields
from search.segmentation import segment_for_index
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
from torchfin.models.enterprise import enterprise_industry
from torchfin.models.project import project_industry

# kind -> the model whose rows become its documents
MODELS: dict[str, type] = {"project": Project, "enterprise": Enterprise, "mandate": Mandate}


def _with_seg(name: str, text: str) -> dict:
    return {
        name: text,
        f"{name}_seg": segment_for_index(text),
        f"{name}_bigrams": bigrams(text),
    }


def industry_fields(industries: Sequence[tuple[str, str | None]]) -> dict:
    """The industry facets of a record, from its (code, parent code) pairs: its codes, and the
    top-level industries they belong to."""
    return {
        "industry_codes": sorted(code for code, _ in industries),
        "industry_parent_codes": sorted({parent or code for code, parent in industries}),
    }


def _rd_intensity(latest: tuple[Decimal, Decimal] | None) -> float | None:
    # A ratio for filtering; the confidential figures behind it never enter the index.
    if latest is None:
        return None
    rd_spend, revenue = latest
    return round(float(rd_spend / revenue), 4) if revenue else None


def _industries_of(session: Session, link: Table, key: str, ids: list[int]) -> dict[int, list]:
    """(code, parent code) of each record's industries, through the link table `link`."""
    parent = aliased(Industry)
    rows = session.execute(
        select(link.c[key], Industry.code, parent.code)
        .join(Industry, Industry.id == link.c.industry_id)
        .outerjoin(parent, parent.id == Industry.parent_id)
        .where(link.c[key].in_(ids))
    )
    found: dict[int, list] = defaultdict(list)
    for record_id, code, parent_code in rows:
        found[record_id].append((code, parent_code))
    return found


def _enterprise_facts(session: Session, ids: Iterable[int]) -> dict[int, dict]:
    """The fields about each enterprise that its own document and its projects' documents share
    (its industries are not: a project is filed under its own)."""
    ids = sorted(set(ids))
    qualifications: dict[int, list] = defaultdict(list)
    for enterprise_id, kind in session.execute(
        select(EnterpriseQualification.enterprise_id, EnterpriseQualification.kind).where(
            EnterpriseQualification.enterprise_id.in_(ids)
        )
    ):
        qualifications[enterprise_id].append(kind)
    latest: dict[int, tuple[Decimal, Decimal]] = {}
    for enterprise_id, rd_spend, revenue in session.execute(
        select(
            EnterpriseFinancial.enterprise_id,
            EnterpriseFinancial.rd_spend,
            EnterpriseFinancial.revenue,
        )
        .where(EnterpriseFinancial.enterprise_id.in_(ids))
        .order_by(EnterpriseFinancial.enterprise_id, EnterpriseFinancial.year)
    ):
        latest[enterprise_id] = (rd_spend, revenue)  # the last year read is the latest
    rows = session.execute(
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.legal_form,
            Enterprise.founded_on,
            Enterprise.invention_patents_granted,
            Zone.code,
            Zone.name_zh,
            Zone.province,
        )
        .join(Zone, Zone.id == Enterprise.zone_id)
        .where(Enterprise.id.in_(ids))
    )
    return {
        row.id: {
            "enterprise_id": row.id,
            **_with_seg("enterprise_name", row.name),
            "enterprise_name_kw": row.name,
            "zone_code": row.code,
            "zone_name": row.name_zh,
            "province": row.province,
            "qualifications": sorted(qualifications[row.id]),
            "legal_form": row.legal_form,
            "founded_year": row.founded_on.year,
            "invention_patents": row.invention_patents_granted,
            "rd_intensity": _rd_intensity(latest.get(row.id)),
        }
        for row in rows
    }


def _project_documents(session: Session, ids: list[int]) -> dict[int, tuple[int, dict]]:
    rows = list(session.execute(select(Project.__table__).where(Project.id.in_(ids))))
    facts = _enterprise_facts(session, (row.enterprise_id for row in rows))
    industries = _industries_of(session, project_industry, "project_id", ids)
    return {
        row.id: (
            row.doc_version,
            {
                "id": row.id,
                "doc_version": row.doc_version,
                **_with_seg("title", row.title),
                **pinyin_fields("title", row.title),
                **_with_seg("summary", row.summary),
                # The exact decimal in _source (result rows show it); indexed as a double.
                "amount_sought": str(row.amount_sought),
                "instrument": row.instrument,
                "stage": row.stage,
                "status": row.status,
                "deadline": row.deadline.isoformat() if row.deadline else None,
                "published_at": row.published_at.isoformat() if row.published_at else None,
                **facts[row.enterprise_id],
                **industry_fields(industries[row.id]),
            },
        )
        for row in rows
    }


def _enterprise_documents(session: Session, ids: list[int]) -> dict[int, tuple[int, dict]]:
    rows = session.execute(
        select(
            Enterprise.id, Enterprise.name, Enterprise.description, Enterprise.doc_version
        ).where(Enterprise.id.in_(ids))
    )
    facts = _enterprise_facts(session, ids)
    industries = _industries_of(session, enterprise_industry, "enterprise_id", ids)
    return {
        row.id: (
            row.doc_version,
            {
                "id": row.id,
                "doc_version": row.doc_version,
                **_with_seg("description", row.description),
                **facts[row.id],
                **industry_fields(industries[row.id]),
                **pinyin_fields("enterprise_name", row.name),
            },
        )
        for row in rows
    }


def _mandate_documents(session: Session, ids: list[int]) -> dict[int, tuple[int, dict]]:
    rows = session.execute(
        select(Mandate.__table__, Institution.name.label("institution_name"), Institution.kind)
        .join(Institution, Institution.id == Mandate.institution_id)
        .where(Mandate.id.in_(ids))
    )
    return {
        row.id: (
            row.doc_version,
            {
                "id": row.id,
                **_with_seg("name", row.name),
                **_with_seg("description", row.description),
                "institution_id": row.institution_id,
                "institution_name": row.institution_name,
                "institution_kind": row.kind,
                "industries": row.industries,
                "excluded_industries": row.excluded_industries,
                "stages": row.stages,
                "instruments": row.instruments,
                "zones": row.zones,
                "provinces": row.provinces,
                "ticket_min": float(row.ticket_min),
                "ticket_max": float(row.ticket_max),
                "active": row.active,
            },
        )
        for row in rows
    }


_BUILD = {
    "project": _project_documents,
    "enterprise": _enterprise_documents,
    "mandate": _mandate_documents,
}


def load_documents(session: Session, kind: str, ids: Iterable[int]) -> dict[int, tuple[int, dict]]:
    """(document version, document) of each record of `kind` among `ids`, keyed by id; ids no
    longer in SQL are absent."""
    ids = list(ids)
    return _BUILD[kind](session, ids) if ids else {}


def iter_all_ids(session: Session, kind: str, chunk: int = 1000) -> Iterable[list[int]]:
    """All ids of `kind` in ascending chunks (for rebuilds)."""
    model = MODELS[kind]
    last = 0
    while True:
        ids = list(
            session.scalars(select(model.id).where(model.id > last).order_by(model.id).limit(chunk))
        )
        if not ids:
            return
        yield ids
        last = ids[-1]
