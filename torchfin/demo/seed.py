"""Seed a database with deterministic demo data for Torchfin.

`seed_demo` inserts the reference data (zones, industries) where missing, then — on a database
without enterprises — believable enterprises with financials and qualifications, financing
projects, institutions with mandates, and one demo user per role. The same seed always gives
the same rows: every choice comes from `random.Random` streams seeded from it, and the demo
world's clock is fixed at `REFERENCE_NOW`.

Rows are inserted directly, not through the services, and no search outbox rows are written:
after seeding, rebuild the search index from SQL.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Generic, TypeVar

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from torchfin.demo import figures, names
from torchfin.demo.zone_finance import seed_zone_finance
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    Industry,
    Institution,
    Mandate,
    Organisation,
    Project,
    User,
    Zone,
)
from torchfin.models.bulk import allocate_ids, insert_rows
from torchfin.models.enums import (
    InstitutionKind,
    Instrument,
    LegalForm,
    OrganisationKind,
    ProjectStatus,
    Qualification,
    Role,
    Stage,
)
from torchfin.reference_data.industries import (
    INDUSTRIES,
    INDUSTRIES_BY_CODE,
    TAXONOMY,
    IndustryRecord,
)
from torchfin.reference_data.zones import ZONES, ZONES_BY_CODE, ZoneRecord
from torchfin.services.accounts.passwords import hash_password

if TYPE_CHECKING:
    from rich.progress import Progress

# The demo world's "now": projects were published in the 18 months before it.
REFERENCE_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DEMO_PASSWORD = "torchfin-demo"
DEMO_DOMAIN = "demo.torchfin.cn"
DEMO_USERS: list[tuple[Role, str]] = [(role, f"{role.value}@{DEMO_DOMAIN}") for role in Role]
SHOWCASE_ZONE = "zhongguancun"
CHUNK = 5000  # records per batch of inserts

T = TypeVar("T")

_DISPLAY_NAMES = {
    Role.SME: "李晓（企业演示账号）",
    Role.INVESTOR: "王磊（投资机构演示账号）",
    Role.FUND_MANAGER: "陈静（引导基金演示账号）",
    Role.BANK: "刘洋（银行演示账号）",
    Role.GUARANTOR: "赵敏（担保机构演示账号）",
    Role.ZONE_ADMIN: "孙涛（高新区管委会演示账号）",
    Role.ADMIN: "周平（平台管理员演示账号）",
}
# The institution kind each institution-side demo user acts for.
_ROLE_INSTITUTION = {
    Role.INVESTOR: InstitutionKind.VC,
    Role.FUND_MANAGER: InstitutionKind.GUIDANCE_FUND,
    Role.BANK: InstitutionKind.BANK,
    Role.GUARANTOR: InstitutionKind.GUARANTOR,
}

# Zones whose enterprises cluster in one industry: half of their enterprises come from it.
_ZONE_SPECIALTIES = {
    "zhongguancun": "it",
    "wuhan_donghu": "it.network",
    "shanghai_zhangjiang": "bio.pharma",
    "shenzhen": "it",
    "taizhou_pharma": "bio",
    "baotou": "material.special_metal",
    "yangling": "bio.agri",
    "zhuzhou": "equip.rail",
    "changzhou": "energy.solar",
    "hefei": "it.display",
}

# Projects outside their enterprise's field, as companies branch out along a value chain: the
# enterprise's sub-field -> the sub-field such a project is filed under. BRANCH_SHARE of the
# projects of these enterprises branch out; the others stay in the enterprise's field.
BRANCHES = {
    "it.software": "energy.grid",  # the energy-management system of a storage plant (储能)
    "it.iot": "eco.efficiency",  # energy-efficiency monitoring of factories
    "it.ic": "nev.motor",  # power modules for electric drives
    "eco.recycling": "nev.battery",  # recycling retired traction batteries
    "upgrade.chemical": "nev.battery",  # electrolyte and cathode chemicals
    "bio.agri": "energy.biomass",  # power from crop residue
}
BRANCH_SHARE = 0.3

_STATUSES = (
    (ProjectStatus.PUBLISHED, 80),
    (ProjectStatus.DRAFT, 7),
    (ProjectStatus.IN_TALKS, 8),
    (ProjectStatus.FUNDED, 5),
)
_INSTITUTION_KINDS = (
    (InstitutionKind.GUIDANCE_FUND, 10),
    (InstitutionKind.VC, 35),
    (InstitutionKind.ANGEL, 15),
    (InstitutionKind.BANK, 18),
    (InstitutionKind.GUARANTOR, 12),
    (InstitutionKind.SECURITIES, 6),
    (InstitutionKind.INSURER, 4),
)


@dataclass
class DemoSummary:
    """Rows of each kind in the database after seeding; `generated` is False when skipped."""

    zones: int = 0
    industries: int = 0
    enterprises: int = 0
    financials: int = 0
    qualifications: int = 0
    projects: int = 0
    institutions: int = 0
    mandates: int = 0
    organisations: int = 0
    users: int = 0
    generated: bool = False


@dataclass
class _Generated:
    """What project generation needs to know about an enterprise it created."""

    enterprise_id: int
    name: str
    industry_ids: list[int]
    label: str
    field: IndustryRecord
    parent: IndustryRecord
    founded_year: int
    revenue: Decimal
    has_patents: bool


class _Picker(Generic[T]):
    """Weighted choice over a fixed sequence, with the cumulative weights computed once."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum_weights = list(accumulate(weights))

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


def _stream(seed: int, stage: str) -> random.Random:
    # One stream per stage, so changing one count leaves the other stages' rows unchanged.
    return random.Random(f"{seed}/{stage}")


def _tracker(progress: "Progress | None", description: str, total: int) -> Callable[[int], None]:
    # Returns a function that advances one progress task, or does nothing without a display.
    if progress is None:
        return lambda _done: None
    task = progress.add_task(description, total=total)
    return lambda done: progress.advance(task, done)


class _RowWriter:
    """Collects plain rows of several tables and inserts them every CHUNK records.

    The tables are written in the order given (parents before the rows naming them), through
    `insert_rows`: COPY on PostgreSQL, so that a national-size registry seeds in minutes rather
    than the hours the ORM's unit of work would take. The progress display advances per record.
    """

    def __init__(self, session: Session, tables: Sequence[Table], advance: Callable[[int], None]):
        self.session = session
        self.advance = advance
        self.pending: dict[Table, list[dict]] = {table: [] for table in tables}
        self.records = 0

    def add(self, table: Table, row: dict) -> None:
        """Queue one row of `table`."""
        self.pending[table].append(row)

    def record_done(self) -> None:
        """Count one record (a row with its children), inserting the batch when it is full."""
        self.records += 1
        if self.records >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Insert the queued rows now."""
        for table, rows in self.pending.items():
            insert_rows(self.session, table, rows)
            rows.clear()
        self.advance(self.records)
        self.records = 0


def _add_all(session: Session, rows: list, advance: Callable[[int], None]) -> None:
    # Institutions and mandates number in the thousands at most: the ORM is quick enough, and
    # their JSON columns and relationships are written as everywhere else.
    session.add_all(rows)
    session.flush()
    advance(len(rows))


def seed_demo(
    session: Session,
    *,
    enterprises: int = 5000,
    projects: int = 3000,
    institutions: int = 300,
    mandates: int = 600,
    seed: int = 20111,
    progress: "Progress | None" = None,
) -> DemoSummary:
    """Fill the database with demo data and commit once; returns the row counts afterwards.

    Zones and industries missing from the database are always added. Everything else is
    generated only when there are no enterprises yet; otherwise the existing counts come back
    with `generated=False`, so running the seed twice is harmless. `progress`, when given,
    shows one task per stage.
    """
    kinds = len(InstitutionKind)
    if min(enterprises, projects, institutions, mandates) < 0:
        raise ValueError("counts must not be negative")
    if enterprises < 1 or institutions < kinds:
        raise ValueError(
            f"need at least 1 enterprise and {kinds} institutions (one of each kind) "
            "for the demo users to act for"
        )
    track_reference = _tracker(progress, "Reference data", 2)
    zones = _ensure_zones(session)
    track_reference(1)
    industries = _ensure_industries(session)
    track_reference(1)

    generated = not session.scalar(select(func.count()).select_from(Enterprise))
    if generated:
        created = _seed_enterprises(session, zones, industries, enterprises, seed, progress)
        _seed_projects(session, created, industries, projects, seed, progress)
        funds = _seed_institutions(session, institutions, seed, progress)
        _seed_mandates(session, funds, mandates, seed, progress)
        showcase = session.get(Enterprise, created[0].enterprise_id)
        _seed_users(session, showcase, funds, zones[SHOWCASE_ZONE], progress)
        seed_zone_finance(session, funds, zones[SHOWCASE_ZONE], seed)
    session.commit()
    summary = _count_rows(session)
    summary.generated = generated
    return summary


def _ensure_zones(session: Session) -> dict[str, Zone]:
    """Every reference zone as a row, by code, inserting the missing ones."""
    existing = session.scalars(select(Zone)).all()
    by_code = {zone.code: zone for zone in existing}
    by_name = {zone.name_zh: zone for zone in existing}
    zones: dict[str, Zone] = {}
    for record in ZONES:
        # A zone an admin entered under another code is reused, not duplicated.
        zone = by_code.get(record.code) or by_name.get(record.name_zh)
        if zone is None:
            zone = Zone(**record.model_fields())
            session.add(zone)
        zones[record.code] = zone
    session.flush()
    return zones


def _ensure_industries(session: Session) -> dict[str, Industry]:
    """Every reference industry as a row, by code, inserting the missing ones."""
    rows = {industry.code: industry for industry in session.scalars(select(Industry))}
    for record in INDUSTRIES:  # parents come first, so a sub-field's parent is always there
        if record.code in rows:
            continue
        parent = rows[record.parent_code] if record.parent_code else None
        industry = Industry(
            code=record.code,
            name_zh=record.name_zh,
            name_en=record.name_en,
            is_strategic_emerging=record.is_strategic_emerging,
            parent=parent,
        )
        session.add(industry)
        rows[record.code] = industry
    session.flush()
    return rows


def _count_rows(session: Session) -> DemoSummary:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return DemoSummary(
        zones=count(Zone),
        industries=count(Industry),
        enterprises=count(Enterprise),
        financials=count(EnterpriseFinancial),
        qualifications=count(EnterpriseQualification),
        projects=count(Project),
        institutions=count(Institution),
        mandates=count(Mandate),
        organisations=count(Organisation),
        users=count(User),
    )


def _zone_weight(record: ZoneRecord) -> int:
    # Older and larger zones host more enterprises.
    if record.code == SHOWCASE_ZONE:
        return 12
    if record.code in ("shanghai_zhangjiang", "shenzhen", "wuhan_donghu"):
        return 6
    return {1991: 3, 1992: 2}.get(record.year_approved, 1)


def _zone_picker() -> _Picker[ZoneRecord]:
    return _Picker(ZONES, [_zone_weight(record) for record in ZONES])


_FINANCIAL = EnterpriseFinancial.__table__
_QUALIFICATION = EnterpriseQualification.__table__
_ENTERPRISE_INDUSTRY = Enterprise.industries.property.secondary
_PROJECT_INDUSTRY = Project.industries.property.secondary
_PARENTS = {group.industry.code: group for group in TAXONOMY}
_SUBFIELDS = [sub for group in TAXONOMY for sub in group.subfields]
# Strategic emerging sub-fields are what the platform is for: three times as common.
_SUBFIELD_PICKER = _Picker(
    _SUBFIELDS, [3 if sub.is_strategic_emerging else 1 for sub in _SUBFIELDS]
)


def _pick_field(rng: random.Random, zone_code: str) -> IndustryRecord:
    """A sub-field for a new enterprise, leaning to the zone's specialty where it has one."""
    specialty = _ZONE_SPECIALTIES.get(zone_code)
    if specialty and rng.random() < 0.5:
        if specialty in _PARENTS:
            return rng.choice(_PARENTS[specialty].subfields)
        return next(sub for sub in _SUBFIELDS if sub.code == specialty)
    return _SUBFIELD_PICKER(rng)


def _founded_on(rng: random.Random, first: bool) -> date:
    # Young enterprises outnumber old ones; the showcase enterprise is old enough for NEEQ.
    year = rng.randint(2009, 2016) if first else 2023 - int(rng.triangular(0, 28.99, 3))
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def _rd_threshold(revenue: Decimal) -> Decimal:
    # R&D intensity the high-tech enterprise rules ask for, by revenue band.
    if revenue <= 50_000_000:
        return Decimal("0.05")
    return Decimal("0.04") if revenue <= 200_000_000 else Decimal("0.03")


def _qualifications(
    rng: random.Random,
    founded_on: date,
    history: list[figures.FinancialYear],
    patents_granted: int,
    division_code: str,
    serials: dict[tuple[int, str], int],
) -> list[dict]:
    """Qualification rows (kind, certificate_no, expires_on) with plausible frequencies given
    age, size and R&D."""
    latest = history[-1]
    held: list[dict] = []
    age = figures.FINANCIAL_YEARS[-1] - founded_on.year
    eligible = age >= 1 and latest.rd_spend / latest.revenue >= _rd_threshold(latest.revenue)
    if eligible and rng.random() < (0.55 if patents_granted else 0.2):
        # Certificates run three years from issue; some issued in 2022 have lapsed by now.
        year = max(founded_on.year + 1, rng.choices((2022, 2023, 2024, 2025), (1, 3, 3, 3))[0])
        issued = date(year, rng.randint(10, 12), rng.randint(1, 28))
        province = division_code[:2]
        serial = serials.setdefault((year, province), rng.randint(1, 3000)) + 1
        serials[(year, province)] = serial
        held.append(
            _qualification(
                Qualification.HIGH_TECH,
                f"GR{year}{province}{serial:06d}",
                issued.replace(year=year + 3),
            )
        )
    small = (
        latest.employees <= 500
        and latest.revenue <= 200_000_000
        and latest.total_assets <= 200_000_000
    )
    if small and rng.random() < 0.6:
        held.append(_qualification(Qualification.TECH_SME))
    if founded_on.year >= 2021 and latest.employees <= 100 and rng.random() < 0.5:
        held.append(_qualification(Qualification.INCUBATOR))
    elif 2016 <= founded_on.year <= 2021 and 30 <= latest.employees <= 500 and rng.random() < 0.2:
        held.append(_qualification(Qualification.ACCELERATOR))
    if rng.random() < 0.08:
        held.append(_qualification(Qualification.RETURNEE))
    return held


def _qualification(
    kind: Qualification, certificate_no: str | None = None, expires_on: date | None = None
) -> dict:
    return {"kind": kind, "certificate_no": certificate_no, "expires_on": expires_on}


def _registered_at(rng: random.Random, earliest_days: int, latest_days: int) -> datetime:
    # When a row was entered on the platform, counted back from the demo world's "now".
    return REFERENCE_NOW - timedelta(days=rng.uniform(earliest_days, latest_days))


def _seed_enterprises(
    session: Session,
    zones: dict[str, Zone],
    industries: dict[str, Industry],
    count: int,
    seed: int,
    progress: "Progress | None",
) -> list[_Generated]:
    """Create `count` enterprises with financials and qualifications; the first is a showcase."""
    rng = _stream(seed, "enterprises")
    pick_zone = _zone_picker()
    taken_codes: set[str] = set()  # membership tests only: never iterated
    taken_names: set[str] = set()
    serials: dict[tuple[int, str], int] = {}
    created: list[_Generated] = []
    tables = (Enterprise.__table__, _FINANCIAL, _QUALIFICATION, _ENTERPRISE_INDUSTRY)
    writer = _RowWriter(session, tables, _tracker(progress, "Enterprises", count))
    ids = allocate_ids(session, Enterprise.__table__, count)
    for index, enterprise_id in enumerate(ids):
        first = index == 0
        record: ZoneRecord = ZONES_BY_CODE[SHOWCASE_ZONE] if first else pick_zone(rng)
        field = _pick_field(rng, record.code)
        parent = _PARENTS[field.parent_code or field.code].industry
        # Most enterprises name a sub-field; some register only the broad industry.
        detailed = first or rng.random() < 0.9
        described = field if detailed else parent
        founded_on = _founded_on(rng, first)
        age = figures.FINANCIAL_YEARS[-1] - founded_on.year
        joint_stock = first or rng.random() < min(0.45, 0.1 + 0.015 * age)
        name, label = names.enterprise_name(rng, record.city, field.code, joint_stock)
        while name in taken_names:
            name, label = names.enterprise_name(rng, record.city, field.code, joint_stock)
        taken_names.add(name)
        code = figures.credit_code(rng, record.division_code, founded_on.year)
        while code in taken_codes:
            code = figures.credit_code(rng, record.division_code, founded_on.year)
        taken_codes.add(code)

        history = figures.financial_history(rng, founded_on.year)
        latest = history[-1]
        granted, pending = figures.invention_patents(
            rng, age, float(latest.rd_spend / latest.revenue)
        )
        qualifications = _qualifications(
            rng, founded_on, history, granted, record.division_code, serials
        )
        held = {q["kind"] for q in qualifications}
        registered = _registered_at(rng, 600, 1100)
        writer.add(
            Enterprise.__table__,
            {
                "id": enterprise_id,
                "credit_code": code,
                "name": name,
                "legal_form": LegalForm.JSC if joint_stock else LegalForm.LLC,
                "founded_on": founded_on,
                "zone_id": zones[record.code].id,
                "description": names.enterprise_description(
                    rng,
                    name=name,
                    founded_year=founded_on.year,
                    zone_name=record.name_zh,
                    field=described,
                    parent=parent,
                    patents_granted=granted,
                    patents_pending=pending,
                    high_tech=Qualification.HIGH_TECH in held,
                    returnee=Qualification.RETURNEE in held,
                ),
                "invention_patents_granted": granted,
                "invention_patents_pending": pending,
                "employees": latest.employees,
                "created_at": registered,
                "updated_at": registered,
            },
        )
        for year in history:
            writer.add(
                _FINANCIAL,
                {
                    "enterprise_id": enterprise_id,
                    "year": year.year,
                    "revenue": year.revenue,
                    "net_profit": year.net_profit,
                    "rd_spend": year.rd_spend,
                    "total_assets": year.total_assets,
                    "total_liabilities": year.total_liabilities,
                    "employees": year.employees,
                    "college_staff": year.college_staff,
                },
            )
        for qualification in qualifications:
            writer.add(_QUALIFICATION, {"enterprise_id": enterprise_id, **qualification})
        industry_ids = [industries[field.code].id, industries[parent.code].id]
        industry_ids = industry_ids if detailed else [industries[parent.code].id]
        for industry_id in industry_ids:
            writer.add(
                _ENTERPRISE_INDUSTRY, {"enterprise_id": enterprise_id, "industry_id": industry_id}
            )
        writer.record_done()
        created.append(
            _Generated(
                enterprise_id=enterprise_id,
                name=name,
                industry_ids=industry_ids,
                label=label,
                field=described,
                parent=parent,
                founded_year=founded_on.year,
                revenue=latest.revenue,
                has_patents=granted > 0,
            )
        )
    writer.flush()
    return created


def _project_dates(
    rng: random.Random, status: ProjectStatus
) -> tuple[datetime, datetime | None, date]:
    """created_at, published_at and deadline of a project with this status."""
    deadline = date(2026, 12, 1) + timedelta(days=rng.randint(0, 395))  # to 2027-12-31
    if status is ProjectStatus.DRAFT:
        return _registered_at(rng, 0, 90), None, deadline
    published = _registered_at(rng, 0, 548)  # the last 18 months
    return published - timedelta(days=rng.uniform(1, 20)), published, deadline


def _branch(rng: random.Random, source: _Generated) -> IndustryRecord | None:
    """The sub-field outside its enterprise's field a project of `source` is filed under, or None
    (most projects) for the enterprise's own."""
    target = BRANCHES.get(source.field.code)
    if target is None or rng.random() >= BRANCH_SHARE:
        return None
    return INDUSTRIES_BY_CODE[target]


def _seed_projects(
    session: Session,
    created: list[_Generated],
    industries: dict[str, Industry],
    count: int,
    seed: int,
    progress: "Progress | None",
) -> None:
    """Create `count` financing projects of the given enterprises; the showcase gets the first.

    A project is filed under its enterprise's industries, or branches out (`BRANCHES`), worded
    after the sub-field it is filed under.
    """
    rng = _stream(seed, "projects")
    # Its own stream, so the choice of branching leaves the other draws as they are.
    branching = _stream(seed, "project-branches")
    pick_status = _Picker([s for s, _ in _STATUSES], [w for _, w in _STATUSES])
    writer = _RowWriter(
        session, (Project.__table__, _PROJECT_INDUSTRY), _tracker(progress, "Projects", count)
    )
    for index, project_id in enumerate(allocate_ids(session, Project.__table__, count)):
        source = created[0] if index == 0 else rng.choice(created)
        branch = None if index == 0 else _branch(branching, source)
        field = branch or source.field
        parent = _PARENTS[branch.parent_code].industry if branch else source.parent
        stage = figures.stage_for_age(rng, figures.CURRENT_YEAR - source.founded_year)
        # The showcase enterprise's own project is an equity round, the platform's core case.
        instrument = (
            Instrument.EQUITY
            if index == 0
            else figures.instrument_for(rng, stage, source.has_patents)
        )
        amount = figures.amount_sought(rng, instrument, stage, source.revenue)
        equity = instrument in figures.EQUITY_INSTRUMENTS
        status = ProjectStatus.PUBLISHED if index == 0 else pick_status(rng)
        created_at, published_at, deadline = _project_dates(rng, status)
        writer.add(
            Project.__table__,
            {
                "id": project_id,
                "enterprise_id": source.enterprise_id,
                "title": names.project_title(
                    rng, field, instrument.value, stage.value, source.label
                ),
                "summary": names.project_summary(
                    rng,
                    enterprise_name=source.name,
                    field=field,
                    parent=parent,
                    amount=int(amount),
                    instrument=instrument.value,
                    expertise=source.field if branch else None,
                ),
                "amount_sought": amount,
                "instrument": instrument,
                "stage": stage,
                "use_of_funds": names.use_of_funds(rng, instrument.value),
                "valuation": figures.valuation_for(rng, amount)
                if equity and rng.random() < 0.75
                else None,
                "deadline": deadline,
                "status": status,
                "published_at": published_at,
                "created_at": created_at,
                "updated_at": published_at or created_at,
            },
        )
        industry_ids = (
            [industries[field.code].id, industries[parent.code].id]
            if branch
            else source.industry_ids
        )
        for industry_id in industry_ids:
            writer.add(_PROJECT_INDUSTRY, {"project_id": project_id, "industry_id": industry_id})
        writer.record_done()
    writer.flush()


def _seed_institutions(
    session: Session, count: int, seed: int, progress: "Progress | None"
) -> list[Institution]:
    """Create `count` institutions: one of each kind first, then a weighted mix."""
    rng = _stream(seed, "institutions")
    pick_zone = _zone_picker()
    pick_kind = _Picker([k for k, _ in _INSTITUTION_KINDS], [w for _, w in _INSTITUTION_KINDS])
    taken: set[str] = set()  # membership tests only
    rows = []
    for index in range(count):
        kind = list(InstitutionKind)[index] if index < len(InstitutionKind) else pick_kind(rng)
        record = pick_zone(rng)
        name = names.institution_name(rng, kind.value, record.province, record.city)
        while name in taken:
            record = pick_zone(rng)
            name = names.institution_name(rng, kind.value, record.province, record.city)
        taken.add(name)
        registered = _registered_at(rng, 560, 1100)
        institution = Institution(
            name=name,
            kind=kind,
            province=record.province,
            description=names.INSTITUTION_BLURBS[kind.value].format(
                province=names.short_place(record.province),
                city=names.short_place(record.city),
            ),
            created_at=registered,
            updated_at=registered,
        )
        rows.append(institution)
    _add_all(session, rows, _tracker(progress, "Institutions", count))
    return rows


_ALL_STAGES = [stage.value for stage in Stage]
_WAN = 10_000  # 万元: tickets are quoted in ten-thousands of yuan

# Per kind: (stages, instruments, ticket_min choices, ticket_max choices) in 万元.
_MANDATE_SHAPES: dict[InstitutionKind, tuple[tuple[tuple, tuple, tuple, tuple], ...]] = {
    InstitutionKind.GUIDANCE_FUND: (
        (("seed", "angel", "a"), ("equity",), (200, 300, 500), (2000, 3000)),
        (("angel", "a", "b"), ("equity", "convertible"), (500, 1000), (3000, 5000)),
    ),
    InstitutionKind.VC: (
        (("angel", "a"), ("equity",), (200, 300, 500), (2000, 3000, 5000)),
        (("a", "b"), ("equity", "convertible"), (1000, 2000), (6000, 8000, 10000)),
        (("b", "c_plus", "pre_ipo"), ("equity",), (3000, 5000), (15000, 20000, 30000)),
    ),
    InstitutionKind.ANGEL: (
        (("seed", "angel"), ("equity",), (50, 100), (300, 500)),
        (("seed", "angel", "a"), ("equity", "convertible"), (100, 200), (500, 1000)),
    ),
    InstitutionKind.BANK: (
        (("a", "b", "c_plus", "pre_ipo"), ("bank_loan",), (50, 100), (1000, 3000, 5000)),
        (tuple(_ALL_STAGES), ("bank_loan", "ip_pledge_loan"), (50, 100), (1000, 2000)),
        (("angel", "a", "b", "c_plus"), ("ip_pledge_loan",), (50, 100), (500, 1000, 2000)),
        # Banks' leasing arms (金融租赁) finance equipment.
        (("a", "b", "c_plus", "pre_ipo"), ("bank_loan", "leasing"), (100, 200), (3000, 5000)),
    ),
    InstitutionKind.GUARANTOR: (
        (("angel", "a", "b", "c_plus"), ("guaranteed_loan",), (50, 100), (500, 1000, 2000)),
        (tuple(_ALL_STAGES), ("guaranteed_loan",), (30, 50), (300, 500)),
    ),
    InstitutionKind.SECURITIES: (
        (("b", "c_plus", "pre_ipo"), ("equity",), (2000, 3000), (10000, 20000)),
        (("c_plus", "pre_ipo"), ("equity", "convertible"), (3000, 5000), (20000, 30000)),
    ),
    InstitutionKind.INSURER: (
        (("c_plus", "pre_ipo"), ("equity",), (5000,), (20000, 50000)),
        (("b", "c_plus", "pre_ipo"), ("equity", "convertible"), (3000, 5000), (20000, 30000)),
    ),
}
_STRATEGIC_PARENTS = [group for group in TAXONOMY if group.industry.is_strategic_emerging]
_PROVINCES = list(dict.fromkeys(record.province for record in ZONES))


def _mandate_industries(rng: random.Random) -> tuple[list[str], list[str]]:
    """1-4 industry codes (parents or sub-fields) and, sometimes, excluded codes."""
    groups = rng.sample(_STRATEGIC_PARENTS, rng.randint(1, 3))
    if rng.random() < 0.15:
        groups.append(_PARENTS["service" if rng.random() < 0.5 else "upgrade"])
    codes: list[str] = []
    whole_groups = []
    for group in groups:
        if rng.random() < 0.5:
            codes.append(group.industry.code)
            whole_groups.append(group)
        else:
            codes.extend(sub.code for sub in rng.sample(group.subfields, rng.randint(1, 2)))
    codes = codes[:4]
    whole_groups = [group for group in whole_groups if group.industry.code in codes]
    excluded: list[str] = []
    if rng.random() < 0.15:
        # Either carve a sub-field out of a whole industry, or rule out one not invested in.
        if whole_groups and rng.random() < 0.6:
            excluded.append(rng.choice(rng.choice(whole_groups).subfields).code)
        else:
            others = [code for code in ("upgrade", "service") if code not in codes]
            excluded.extend(others[:1])
    return codes, excluded


def _mandate(rng: random.Random, institution: Institution) -> Mandate:
    """One mandate whose stages, instruments and tickets suit the institution's kind."""
    kind = InstitutionKind(institution.kind)
    stages, instruments, minimums, maximums = rng.choice(_MANDATE_SHAPES[kind])
    ticket_min = Decimal(rng.choice(minimums) * _WAN)
    ticket_max = Decimal(rng.choice(maximums) * _WAN)
    industries, excluded = _mandate_industries(rng)
    local_zones = [z.code for z in ZONES if z.province == institution.province]
    provinces: list[str] = []
    zones: list[str] = []
    if kind in (InstitutionKind.GUIDANCE_FUND, InstitutionKind.GUARANTOR):
        # Public money and local guarantee schemes stay in their own province.
        provinces = [institution.province] if rng.random() < 0.85 else []
        if local_zones and rng.random() < 0.4:
            zones = rng.sample(local_zones, min(len(local_zones), rng.randint(1, 3)))
    elif kind is InstitutionKind.BANK and rng.random() < 0.6:
        provinces = [institution.province]
    elif kind in (InstitutionKind.VC, InstitutionKind.ANGEL) and rng.random() < 0.25:
        provinces = list(dict.fromkeys([institution.province, rng.choice(_PROVINCES)]))
    base = rng.choice(names.MANDATE_NAMES[kind.value])
    if kind in (InstitutionKind.VC, InstitutionKind.ANGEL, InstitutionKind.GUIDANCE_FUND):
        base += rng.choice(("一期", "二期", "三期"))
    field_names = "、".join(INDUSTRIES_BY_CODE[code].name_zh for code in industries)
    stage_names = (
        "各发展阶段"
        if list(stages) == _ALL_STAGES
        else "处于" + "、".join(names.STAGE_ZH[stage] for stage in stages) + "阶段"
    )
    return Mandate(
        institution_id=institution.id,
        name=base,
        description=(
            f"重点支持{field_names}领域{stage_names}的企业，"
            f"单笔{int(ticket_min) // _WAN}万元至{int(ticket_max) // _WAN}万元。"
        ),
        industries=industries,
        stages=list(stages),
        instruments=list(instruments),
        ticket_min=ticket_min.quantize(figures.CENT),
        ticket_max=ticket_max.quantize(figures.CENT),
        zones=zones,
        provinces=provinces,
        excluded_industries=excluded,
        created_at=institution.created_at,
        updated_at=institution.created_at,
    )


def _seed_mandates(
    session: Session,
    institutions: list[Institution],
    count: int,
    seed: int,
    progress: "Progress | None",
) -> None:
    """Create `count` mandates: one per institution first, the rest spread at random."""
    rng = _stream(seed, "mandates")
    rows = []
    for index in range(count):
        owner = institutions[index] if index < len(institutions) else rng.choice(institutions)
        rows.append(_mandate(rng, owner))
    _add_all(session, rows, _tracker(progress, "Mandates", count))


def _organisation_for(
    role: Role, showcase: Enterprise, institutions: list[Institution], zone: Zone
) -> Organisation:
    """The body a demo user of `role` acts for."""
    if role is Role.SME:
        return Organisation(
            name=showcase.name, kind=OrganisationKind.ENTERPRISE, enterprise_id=showcase.id
        )
    if role in _ROLE_INSTITUTION:
        institution = next(i for i in institutions if i.kind == _ROLE_INSTITUTION[role])
        return Organisation(
            name=institution.name, kind=OrganisationKind.INSTITUTION, institution_id=institution.id
        )
    if role is Role.ZONE_ADMIN:
        return Organisation(
            name=f"{zone.name_zh}管理委员会", kind=OrganisationKind.ZONE, zone_id=zone.id
        )
    return Organisation(name="火炬投融资项目数据库运营中心", kind=OrganisationKind.PLATFORM)


def _seed_users(
    session: Session,
    showcase: Enterprise,
    institutions: list[Institution],
    zone: Zone,
    progress: "Progress | None",
) -> None:
    """One organisation and one user per role; existing demo e-mail addresses are left alone."""
    track = _tracker(progress, "Demo users", len(DEMO_USERS))
    taken = set(session.scalars(select(User.email)))
    password_hash = hash_password(DEMO_PASSWORD)  # Argon2 is slow on purpose: hash once
    joined = REFERENCE_NOW - timedelta(days=600)
    for role, email in DEMO_USERS:
        track(1)
        if email in taken:
            continue
        organisation = _organisation_for(role, showcase, institutions, zone)
        organisation.created_at = organisation.updated_at = joined
        session.add(
            User(
                email=email,
                display_name=_DISPLAY_NAMES[role],
                password_hash=password_hash,
                role=role,
                organisation=organisation,
                created_at=joined,
                updated_at=joined,
            )
        )
    session.flush()
