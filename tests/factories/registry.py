"""Registry records for tests: zones, industries, enterprises, institutions and projects."""

from datetime import date, timedelta
from decimal import Decimal

from schemas.credit_code import complete_code
from tests.factories import numbers
from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    Industry,
    Institution,
    Project,
    Zone,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import InstitutionKind, LegalForm, ProjectStatus

REVENUE_API = "12345678.90"  # make_enterprise's revenue, as the API writes it
REVENUE_PAGE = "1,234.57万元"  # and as the Chinese page shows it
STORAGE_TITLE = "储能电站能量管理系统研发及产业化"  # a software company's energy-storage project


def make_zone(code: str = "zhongguancun", name_zh: str = "中关村科技园区") -> Zone:
    """A zone."""
    zone = Zone(
        code=code,
        name_zh=name_zh,
        name_en=code.title(),
        province="北京市",
        city="北京",
        year_approved=1988,
        is_demonstration_zone=True,
        otc_pilot_since=2006,
    )
    db.session.add(zone)
    db.session.commit()
    return zone


def make_industries() -> dict[str, Industry]:
    """The new-energy-vehicle industry with its battery sub-field, and new-generation IT."""
    nev = Industry(
        code="nev", name_zh="新能源汽车", name_en="New-energy vehicles", is_strategic_emerging=True
    )
    battery = Industry(
        code="nev.battery", name_zh="动力电池", name_en="Traction batteries", parent=nev
    )
    it = Industry(
        code="it", name_zh="新一代信息技术", name_en="New-generation IT", is_strategic_emerging=True
    )
    db.session.add_all([nev, battery, it])
    db.session.commit()
    return {"nev": nev, "nev.battery": battery, "it": it}


def make_software_and_energy_industries() -> dict[str, Industry]:
    """新一代信息技术 with its software sub-field, and 新能源 with its smart-grid sub-field (where
    energy storage, 储能, is filed)."""
    it = Industry(
        code="it", name_zh="新一代信息技术", name_en="New-generation IT", is_strategic_emerging=True
    )
    software = Industry(
        code="it.software", name_zh="高端软件和信息技术服务", name_en="Software", parent=it
    )
    energy = Industry(
        code="energy", name_zh="新能源", name_en="New energy", is_strategic_emerging=True
    )
    grid = Industry(code="energy.grid", name_zh="智能电网", name_en="Smart grid", parent=energy)
    db.session.add_all([it, software, energy, grid])
    db.session.commit()
    return {i.code: i for i in (it, software, energy, grid)}


def make_software_company(zone: Zone, industries: dict[str, Industry]) -> Enterprise:
    """A software enterprise (`make_software_and_energy_industries`): 新一代信息技术 · 高端软件."""
    return make_enterprise(
        zone, [industries["it"], industries["it.software"]], name="北京云图软件科技有限公司"
    )


def storage_project(enterprise: Enterprise, industries: dict[str, Industry]) -> Project:
    """The software enterprise's energy-storage project, filed under 新能源 · 智能电网 (published
    a day ago, not yet added to the session)."""
    project = published_project(enterprise, STORAGE_TITLE, "30000000", "a")
    project.industries = [industries["energy"], industries["energy.grid"]]
    return project


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code, distinct for each n."""
    n = next(numbers) if n is None else n
    return complete_code(f"91110108{n:08d}")


def make_enterprise(zone: Zone, industries: list[Industry], name: str | None = None) -> Enterprise:
    """An enterprise with two years of financials."""
    enterprise = Enterprise(
        credit_code=credit_code(),
        name=name or f"北京测试科技有限公司{next(numbers)}",
        legal_form=LegalForm.LLC,
        founded_on=date(2015, 3, 1),
        zone=zone,
        industries=industries,
        description="研发动力电池管理系统",
        financials=[
            EnterpriseFinancial(
                year=year,
                revenue=Decimal(REVENUE_API),
                net_profit=Decimal("1000000.00"),
                rd_spend=Decimal("2000000.00"),
                total_assets=Decimal("50000000.00"),
                total_liabilities=Decimal("20000000.00"),
                employees=120,
                college_staff=80,
            )
            for year in (2023, 2024)
        ],
    )
    db.session.add(enterprise)
    db.session.commit()
    return enterprise


def make_institution(kind: InstitutionKind = InstitutionKind.VC) -> Institution:
    """An institution."""
    institution = Institution(name=f"测试创投{next(numbers)}", kind=kind, province="北京市")
    db.session.add(institution)
    db.session.commit()
    return institution


def published_project(
    enterprise: Enterprise, title: str, amount: str, stage: str, summary: str | None = None
) -> Project:
    """An equity project published a day ago (not yet added to the session); its summary is its
    title unless given."""
    return Project(
        enterprise=enterprise,
        title=title,
        summary=summary or title,
        amount_sought=Decimal(amount),
        instrument="equity",
        stage=stage,
        status=ProjectStatus.PUBLISHED,
        published_at=utcnow() - timedelta(days=1),
    )
