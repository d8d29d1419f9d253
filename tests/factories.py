"""Builders of records for tests, written straight to the database (test setup only)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from schemas.credit_code import complete_code
from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    Industry,
    Institution,
    Organisation,
    Zone,
)
from torchfin.models.enums import InstitutionKind, LegalForm, OrganisationKind, Role
from torchfin.services.accounts.tokens import issue_token
from torchfin.services.accounts.users import create_user

_seq = count(1)
PASSWORD = "correct horse battery"


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


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code, distinct for each n."""
    n = next(_seq) if n is None else n
    return complete_code(f"91110108{n:08d}")


def make_enterprise(zone: Zone, industries: list[Industry], name: str | None = None) -> Enterprise:
    """An enterprise with two years of financials."""
    enterprise = Enterprise(
        credit_code=credit_code(),
        name=name or f"北京测试科技有限公司{next(_seq)}",
        legal_form=LegalForm.LLC,
        founded_on=date(2015, 3, 1),
        zone=zone,
        industries=industries,
        description="研发动力电池管理系统",
        financials=[
            EnterpriseFinancial(
                year=year,
                revenue=Decimal("12345678.90"),
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


def make_user(
    role: Role, enterprise: Enterprise | None = None, institution: Institution | None = None
):
    """A user of `role`, acting for the given enterprise or institution."""
    organisation = None
    if enterprise is not None:
        organisation = Organisation(
            name=enterprise.name, kind=OrganisationKind.ENTERPRISE, enterprise=enterprise
        )
    elif institution is not None:
        organisation = Organisation(
            name=institution.name, kind=OrganisationKind.INSTITUTION, institution=institution
        )
    n = next(_seq)
    return create_user(f"{role}{n}@example.cn", PASSWORD, role, f"{role} {n}", organisation)


def make_institution(kind: InstitutionKind = InstitutionKind.VC) -> Institution:
    """An institution."""
    institution = Institution(name=f"测试创投{next(_seq)}", kind=kind, province="北京市")
    db.session.add(institution)
    db.session.commit()
    return institution


def auth(user, scopes: tuple[str, ...] | list[str] = ("read", "write")) -> dict[str, str]:
    """Headers carrying a fresh bearer token of `user` (all scopes unless told)."""
    plain, _ = issue_token(user, "test", timedelta(hours=1), scopes)
    return {"Authorization": f"Bearer {plain}"}
