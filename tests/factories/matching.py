"""Matching records for tests: a seeded random world of projects and mandates, and one scored
match (with a deal) between two parties."""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.factories.accounts import auth, make_user
from tests.factories.registry import (
    credit_code,
    make_enterprise,
    make_industries,
    make_institution,
    make_zone,
    published_project,
)
from torchfin.extensions import db
from torchfin.matching.features import load_mandate_features, load_project_features
from torchfin.models import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    Industry,
    Institution,
    Mandate,
    Match,
    Project,
    Zone,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import InstitutionKind, LegalForm, ProjectStatus, Qualification, Role
from torchfin.reference_data.industries import TAXONOMY
from torchfin.services.matching import deals
from torchfin.services.matching.scoring import store_pairs
from torchfin.services.outbox import record_upsert

GROUPS = ("nev", "energy", "it", "bio")
ZONES = (("zgc", "北京市"), ("zhangjiang", "上海市"), ("donghu", "湖北省"))


def build_world(seed: int, projects: int, mandates: int) -> dict:
    """Zones, four industries with their sub-fields, enterprises with projects (a third filed
    under industries of their own), mandates."""
    rng = random.Random(seed)
    zones = [
        Zone(code=c, name_zh=c, name_en=c, province=p, city=c, year_approved=1991) for c, p in ZONES
    ]
    industries: list[Industry] = []
    for group in TAXONOMY:
        if group.industry.code in GROUPS:
            parent = Industry(code=group.industry.code, name_zh="x", name_en="x")
            industries.append(parent)
            industries += [
                Industry(code=s.code, name_zh="x", name_en="x", parent=parent)
                for s in group.subfields[:3]
            ]
    db.session.add_all([*zones, *industries])
    for n in range(projects):
        years = (2023, 2024)
        revenue = [Decimal(rng.randint(1, 50) * 1_000_000) for _ in years]
        enterprise = Enterprise(
            credit_code=credit_code(),
            name=f"企业{seed}-{n}",
            legal_form=LegalForm.LLC,
            founded_on=utcnow().date() - timedelta(days=2000),
            zone=rng.choice(zones),
            industries=rng.sample(industries, rng.randint(1, 2)),
            invention_patents_granted=rng.randint(0, 15),
            financials=[
                EnterpriseFinancial(
                    year=y,
                    revenue=r,
                    net_profit=Decimal(0),
                    rd_spend=(r * Decimal(rng.randint(0, 20)) / 100).quantize(Decimal("0.01")),
                    total_assets=Decimal(1),
                    total_liabilities=Decimal(0),
                    employees=10,
                    college_staff=5,
                )
                for y, r in zip(years, revenue, strict=True)
            ],
            qualifications=[
                EnterpriseQualification(kind=q)
                for q in rng.sample(list(Qualification), rng.randint(0, 2))
            ],
        )
        project = Project(
            enterprise=enterprise,
            title=f"项目{n}",
            summary="测试项目",
            amount_sought=Decimal(rng.choice((300, 500, 1000, 2000, 5000)) * 10_000),
            instrument=rng.choice(("equity", "bank_loan")),
            stage=rng.choice(("angel", "a", "b")),
            status=ProjectStatus.PUBLISHED,
            published_at=utcnow() - timedelta(days=rng.randint(0, 200)),
        )
        if n % 3 == 0:  # a third outside their enterprise's field, the rest under it (default)
            project.industries = rng.sample(industries, rng.randint(1, 2))
        db.session.add(project)
        record_upsert(db.session, project)
    institutions = [
        Institution(name=f"机构{seed}-{i}", kind=InstitutionKind.VC, province=p)
        for i, (_, p) in enumerate(ZONES)
    ]
    codes = [i.code for i in industries]
    for n in range(mandates):
        low = rng.choice((100, 300, 500)) * 10_000
        mandate = Mandate(
            institution=rng.choice(institutions),
            name=f"方向{n}",
            industries=rng.sample(codes, rng.randint(1, 3)) if rng.random() < 0.8 else [],
            excluded_industries=[rng.choice(codes)] if rng.random() < 0.15 else [],
            stages=rng.sample(["angel", "a", "b"], 2) if rng.random() < 0.5 else [],
            instruments=["equity", "bank_loan"] if rng.random() < 0.7 else ["equity"],
            ticket_min=Decimal(low),
            ticket_max=Decimal(low * rng.choice((5, 10, 20))),
            zones=[rng.choice(ZONES)[0]] if rng.random() < 0.1 else [],
            provinces=[rng.choice(ZONES)[1]] if rng.random() < 0.15 else [],
        )
        db.session.add(mandate)
        record_upsert(db.session, mandate)
    db.session.commit()
    return {"institutions": institutions}


def make_match_world() -> dict:
    """A suggested match of a published battery project and a VC mandate, with the investor's and
    the SME's users and bearer headers, and a stranger's (an investor of another VC)."""
    enterprise = make_enterprise(make_zone(), [make_industries()["nev.battery"]])
    institution = make_institution()
    project = published_project(enterprise, "电池", "20000000", "a")
    mandate = Mandate(
        institution=institution,
        name="电池基金",
        industries=["nev"],
        instruments=["equity"],
        ticket_min=Decimal("5000000"),
        ticket_max=Decimal("50000000"),
    )
    db.session.add_all([project, mandate])
    db.session.commit()
    (p,) = load_project_features(db.session, [project.id], date.today())
    (m,) = load_mandate_features(db.session, [mandate.id])
    store_pairs({p.project_id: p}, {m.mandate_id: m}, [(project.id, mandate.id)], date.today())
    db.session.commit()
    investor, sme = (
        make_user(Role.INVESTOR, institution=institution),
        make_user(Role.SME, enterprise),
    )
    return {
        "match": db.session.scalar(select(Match)),
        "investor_user": investor,
        "sme_user": sme,
        "investor": auth(investor),
        "sme": auth(sme),
        "stranger": auth(make_user(Role.INVESTOR, institution=make_institution())),
    }


def make_deal_world() -> dict:
    """`make_match_world` with the investor's deal on the match and another SME's headers."""
    w = make_match_world()
    w["deal"] = deals.express_interest(w["investor_user"], w["match"].id)
    other_sme = make_user(Role.SME, make_enterprise(make_zone("donghu", "东湖"), []))
    w["other_sme"] = auth(other_sme)
    return w
