"""What a chunk of checked rows would do to the registry, worked out before anything is written.

The rules of a row:
- its credit code is the key: an enterprise with that code is updated, otherwise one is created
  (it then needs a name, a founding date, a legal form and a zone);
- an existing enterprise changes only in the fields the row carries, and only where they differ;
  a row that changes nothing leaves the enterprise (and its search document) alone;
- an import for a zone takes rows of that zone only: a row naming another zone, or the code of
  an enterprise registered in another zone, is refused;
- a row with a problem is refused whole, with every problem found, and never stops the others.

The plan is the same whether it is then written (`runs`) or only reported (a dry run).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from torchfin.models import Enterprise, EnterpriseQualification, enterprise_industry
from torchfin.models.enums import Qualification
from torchfin.services.registry.imports.columns import (
    BY_FIELD,
    FOUNDED_ON,
    HIGH_TECH_CERTIFICATE,
    HIGH_TECH_EXPIRES_ON,
    INDUSTRIES,
    REQUIRED_FOR_NEW,
    ZONE,
)
from torchfin.services.registry.imports.import_file import ImportRow, Problem

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
# Fields of the enterprise row itself (the zone is its zone_id).
ENTERPRISE_FIELDS = (
    "name",
    "legal_form",
    "founded_on",
    "registered_address",
    "description",
    "employees",
    "invention_patents_granted",
    "invention_patents_pending",
)
QUALIFICATION_FIELDS = {HIGH_TECH_CERTIFICATE: "certificate_no", HIGH_TECH_EXPIRES_ON: "expires_on"}
DEFAULTS = {
    "registered_address": "",
    "description": "",
    "employees": None,
    "invention_patents_granted": 0,
    "invention_patents_pending": 0,
}


@dataclass(frozen=True)
class Outcome:
    """A row's fate: its number in the file, CREATED / UPDATED / UNCHANGED / FAILED, and why."""

    row_no: int
    status: str
    message: str


@dataclass(frozen=True)
class Change:
    """One field of an existing enterprise the row changes, with its old and new value."""

    enterprise_id: int
    field: str
    old: object
    new: object


@dataclass
class ChunkPlan:
    """What a chunk does: each row's outcome, the enterprises to create (their values by field),
    and for existing ones the changes, by enterprise, with the document version they had."""

    outcomes: list[Outcome] = field(default_factory=list)
    new: list[dict] = field(default_factory=list)
    changes: dict[int, list[Change]] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)
    # The high-tech certificate an existing enterprise ends with, where the row changes it.
    certificates: dict[int, dict[str, object]] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """Whom the import is for: the zone it is restricted to (None: any zone, by the file)."""

    zone_id: int | None
    zone_code: str | None = None


@dataclass(frozen=True)
class Existing:
    """An enterprise as the registry holds it, in the form a row's values take."""

    id: int
    doc_version: int
    values: dict[str, object]


def plan_chunk(session: Session, scope: Scope, rows: list[ImportRow], lock: bool) -> ChunkPlan:
    """The plan of `rows` against the registry; with `lock`, the enterprises they name are
    locked until the transaction ends (the plan is about to be written)."""
    existing = _existing(session, [row.code for row in rows if row.code], lock)
    plan = ChunkPlan()
    for row in rows:
        outcome = _plan_row(row, scope, existing.get(row.code) if row.code else None, plan)
        plan.outcomes.append(outcome)
    return plan


def _plan_row(row: ImportRow, scope: Scope, current: Existing | None, plan: ChunkPlan) -> Outcome:
    problems = list(row.problems)
    values = dict(row.values)
    zone_label = BY_FIELD[ZONE].label
    if scope.zone_id is not None:
        if values.get("zone", scope.zone_id) != scope.zone_id:
            problems.append(
                Problem(
                    zone_label,
                    f"本次导入只接受高新区 {scope.zone_code} 的企业",
                    f"this import is for zone {scope.zone_code} only",
                )
            )
        elif current is not None and current.values["zone"] != scope.zone_id:
            problems.append(
                Problem(
                    BY_FIELD["credit_code"].label,
                    "该企业登记在其他高新区，不能由本次导入修改",
                    "the enterprise is registered in another zone; this import may not change it",
                )
            )
        values.setdefault("zone", scope.zone_id)
    if current is None:
        for name in (*REQUIRED_FOR_NEW, ZONE):
            if name not in values and not any(p.column == BY_FIELD[name].label for p in problems):
                problems.append(
                    Problem(BY_FIELD[name].label, "新企业必须填写", "required for a new enterprise")
                )
    if FOUNDED_ON in values and values[FOUNDED_ON] > date.today():
        problems.append(
            Problem(BY_FIELD[FOUNDED_ON].label, "不能晚于今天", "must not be in the future")
        )
    if problems:
        return Outcome(row.row_no, FAILED, "; ".join(map(str, problems)))
    if current is None:
        plan.new.append(values)
        return Outcome(row.row_no, CREATED, "新建企业 / enterprise created")
    changes = [
        Change(current.id, name, current.values.get(name), value)
        for name, value in values.items()
        if name != "credit_code" and current.values.get(name) != value
    ]
    if not changes:
        return Outcome(row.row_no, UNCHANGED, "无变化 / unchanged")
    plan.changes[current.id] = changes
    if any(change.field in QUALIFICATION_FIELDS for change in changes):
        plan.certificates[current.id] = {
            column: values.get(name, current.values.get(name))
            for name, column in QUALIFICATION_FIELDS.items()
        }
    plan.versions[current.id] = current.doc_version
    zh = "、".join(BY_FIELD[change.field].zh for change in changes)
    en = ", ".join(BY_FIELD[change.field].en for change in changes)
    return Outcome(row.row_no, UPDATED, f"已更新：{zh} / updated: {en}")


def _existing(session: Session, codes: list[str], lock: bool) -> dict[str, Existing]:
    if not codes:
        return {}
    columns = [getattr(Enterprise, name) for name in ENTERPRISE_FIELDS]
    query = select(
        Enterprise.id, Enterprise.credit_code, Enterprise.doc_version, Enterprise.zone_id, *columns
    ).where(Enterprise.credit_code.in_(codes))
    if lock:
        query = query.with_for_update(of=Enterprise)
    found = {}
    for row in session.execute(query):
        values = {name: getattr(row, name) for name in ENTERPRISE_FIELDS}
        values["zone"] = row.zone_id
        found[row.credit_code] = Existing(row.id, row.doc_version, values)
    ids = {item.id: item for item in found.values()}
    if not ids:
        return found
    industries: dict[int, list[int]] = {}
    for enterprise_id, industry_id in session.execute(
        select(enterprise_industry.c.enterprise_id, enterprise_industry.c.industry_id).where(
            enterprise_industry.c.enterprise_id.in_(ids)
        )
    ):
        industries.setdefault(enterprise_id, []).append(industry_id)
    for item in ids.values():
        item.values[INDUSTRIES] = tuple(sorted(industries.get(item.id, ())))
    for qualification in session.execute(
        select(
            EnterpriseQualification.enterprise_id,
            EnterpriseQualification.certificate_no,
            EnterpriseQualification.expires_on,
        ).where(
            EnterpriseQualification.enterprise_id.in_(ids),
            EnterpriseQualification.kind == Qualification.HIGH_TECH,
        )
    ):
        item = ids[qualification.enterprise_id]
        item.values[HIGH_TECH_CERTIFICATE] = qualification.certificate_no
        item.values[HIGH_TECH_EXPIRES_ON] = qualification.expires_on
    return found
