"""Records the web page tests start from, written straight to the database (test setup only)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.factories.accounts import PASSWORD
from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    Industry,
    Institution,
    Mandate,
    Organisation,
    Project,
    Zone,
)
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
from torchfin.services.accounts.users import create_user

OWNER_REVENUE = Decimal("87654321.00")  # 8,765.43万元 / CNY 87,654,321.00 on the page


@dataclass(frozen=True)
class WebSeed:
    """Ids and e-mails of the seeded records."""

    enterprise_id: int
    other_enterprise_id: int
    published_project_id: int
    draft_project_id: int
    owner_email: str
    other_email: str


def seed_records() -> WebSeed:
    """Two zones, a small industry tree, two enterprises (one with financials and a
    qualification) with an SME user each, a published and a draft project, and one institution
    with one mandate. Call inside an app context."""
    zgc = Zone(
        code="zhongguancun",
        name_zh="中关村科技园区",
        name_en="Zhongguancun Science Park",
        province="北京市",
        city="北京市",
        year_approved=1988,
        is_demonstration_zone=True,
        otc_pilot_since=2006,
    )
    wuhan = Zone(
        code="wuhan_donghu",
        name_zh="武汉东湖新技术开发区",
        name_en="Wuhan East Lake High-tech Development Zone",
        province="湖北省",
        city="武汉市",
        year_approved=1991,
    )
    it = Industry(
        code="it",
        name_zh="新一代信息技术",
        name_en="Next-generation information technology",
        is_strategic_emerging=True,
    )
    chips = Industry(
        code="it.ic",
        name_zh="集成电路",
        name_en="Integrated circuits",
        parent=it,
        is_strategic_emerging=True,
    )
    bio = Industry(code="bio", name_zh="生物", name_en="Biotechnology", is_strategic_emerging=True)
    owner_enterprise = Enterprise(
        credit_code="91110108MA00000001",
        name="北京芯算科技有限公司",
        legal_form=LegalForm.LLC,
        founded_on=date(2015, 3, 2),
        zone=zgc,
        # Listed under the industry and one of its sub-fields: counts once for the industry.
        industries=[chips, it],
        description="面向边缘计算的低功耗人工智能芯片。",
        invention_patents_granted=12,
        invention_patents_pending=5,
        employees=180,
        financials=[
            EnterpriseFinancial(
                year=2023,
                revenue=OWNER_REVENUE,
                net_profit=Decimal("6543210.00"),
                rd_spend=Decimal("17530864.20"),
                total_assets=Decimal("150000000.00"),
                total_liabilities=Decimal("60000000.00"),
                employees=180,
                college_staff=150,
            )
        ],
        qualifications=[
            EnterpriseQualification(
                kind=Qualification.HIGH_TECH,
                certificate_no="GR202311000123",
                expires_on=date(2026, 12, 31),
            )
        ],
    )
    other_enterprise = Enterprise(
        credit_code="91110108MA00000002",
        name="北京基因智造生物技术有限公司",
        legal_form=LegalForm.JSC,
        founded_on=date(2012, 6, 18),
        zone=zgc,
        industries=[bio],
    )
    published = Project(
        enterprise=owner_enterprise,
        title="边缘AI芯片量产线建设",
        summary="建设年产百万片的边缘AI芯片封测线。",
        amount_sought=Decimal("15000000.00"),
        instrument=Instrument.EQUITY,
        stage=Stage.B,
        use_of_funds="封测设备采购与流片。",
        deadline=date(2030, 6, 30),
        status=ProjectStatus.PUBLISHED,
    )
    draft = Project(
        enterprise=owner_enterprise,
        title="下一代芯片研发（草稿）",
        summary="尚未发布的融资需求。",
        amount_sought=Decimal("3000000.00"),
        instrument=Instrument.IP_PLEDGE_LOAN,
        stage=Stage.B,
        status=ProjectStatus.DRAFT,
    )
    fund = Institution(name="中关村创业投资引导基金", kind=InstitutionKind.GUIDANCE_FUND)
    fund.mandates.append(
        Mandate(
            name="集成电路早期项目",
            industries=["it"],
            stages=["seed", "angel", "a"],
            instruments=["equity"],
            ticket_min=Decimal("1000000.00"),
            ticket_max=Decimal("20000000.00"),
        )
    )
    owner_org = Organisation(
        name=owner_enterprise.name, kind=OrganisationKind.ENTERPRISE, enterprise=owner_enterprise
    )
    other_org = Organisation(
        name=other_enterprise.name, kind=OrganisationKind.ENTERPRISE, enterprise=other_enterprise
    )
    db.session.add_all([zgc, wuhan, it, chips, bio, owner_enterprise, other_enterprise])
    db.session.add_all([published, draft, fund, owner_org, other_org])
    db.session.commit()
    create_user("owner@example.com", PASSWORD, Role.SME, "张经理", owner_org)
    create_user("other@example.com", PASSWORD, Role.SME, "李总", other_org)
    return WebSeed(
        enterprise_id=owner_enterprise.id,
        other_enterprise_id=other_enterprise.id,
        published_project_id=published.id,
        draft_project_id=draft.id,
        owner_email="owner@example.com",
        other_email="other@example.com",
    )
