"""Matching records for tests: a seeded random world of projects and mandates."""

import random
from datetime import timedelta
from decimal import Decimal

from tests.factories.registry import credit_code
from torchfin.extensions import db
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
from torchfin.models.base import utcnow
from torchfin.models.enums import InstitutionKind, LegalForm, ProjectStatus, Qualification
from torchfin.reference_data.industries import TAXONOMY
from torchfin.services.outbox import record_upsert

GROUPS = ("nev", "energy", "it", "bio")
ZONES = (("zgc", "北京市"), ("zhangjiang", "上海市"), ("donghu", "湖北省"))


def build_world(seed: int, projects: int, mandates: int) -> dict:
    """Zones, four industries with their sub-fields, enterprises with projects, mandates."""
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
