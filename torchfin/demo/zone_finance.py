"""Demo guidance sub-funds, OTC-readiness facts and listings (called by `seed_demo`).

Deterministic like the rest of the demo: every choice comes from a `random.Random` seeded from
the demo seed, dates are counted back from the demo clock, and rows are inserted directly.
The demo guidance fund (the fund-manager demo user's) gets sub-funds investing mostly in the
showcase zone; a third of the showcase zone's enterprises get readiness facts in every state
from complete to bare, so `flask readiness run --zone zhongguancun --as-of 2025-06-30` shows all
three outcomes.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import zip_longest

from sqlalchemy import select
from sqlalchemy.orm import Session

from torchfin.models import (
    CapitalCall,
    Enterprise,
    GovernanceRecord,
    Institution,
    LimitedPartner,
    ListingEvent,
    Placement,
    PlacementExit,
    ReadinessProfile,
    SubFund,
    Zone,
)
from torchfin.models.enums import (
    GovernanceBody,
    InstitutionKind,
    Instrument,
    LegalForm,
    ListingStage,
    ListingVenue,
    Stage,
)

TODAY = date(2026, 11, 25)  # the demo clock's date (seed.REFERENCE_NOW)
# Demo financials end with 2024, so readiness facts predate mid-2025 and a check as of
# 2025-06-30 (two complete fiscal years with filed financials) shows every outcome.
READINESS_DAY = date(2025, 6, 1)
WAN = Decimal(10_000)
SUB_FUNDS = (
    # name, manager, vintage, guidance (万元), other LPs (万元), early-stage minimum
    (
        "中关村早期成长创业投资基金",
        "北京火炬创业投资管理有限公司",
        2019,
        5000,
        (12000, 8000, 5000),
        "0.50",
    ),
    (
        "中关村新一代信息技术子基金",
        "北京示范股权投资管理有限公司",
        2021,
        8000,
        (15000, 10000),
        "0.30",
    ),
    ("中关村高端装备制造子基金", "北京智造投资管理有限公司", 2023, 10000, (9000, 6000), "0.30"),
)
ROUNDS = (Stage.SEED, Stage.ANGEL, Stage.A, Stage.A, Stage.B, Stage.C_PLUS)
# The stages recorded of the first three enterprises' NEEQ listings, in order.
LISTING_PATHS = (
    (ListingStage.FILED, ListingStage.LISTED),
    (ListingStage.FILED,),
    (ListingStage.LISTED,),
)


def seed_zone_finance(
    session: Session, institutions: list[Institution], zone: Zone, seed: int
) -> None:
    """Add the demo sub-funds, readiness facts and listings (flushed, not committed); the rewards
    for the listings are applied for under the zone's policies (`torchfin.demo.policies`)."""
    rng = random.Random(f"{seed}/zone-finance")
    # In the order they were created; of the others only the ids (a registry holds many).
    in_zone = list(
        session.scalars(
            select(Enterprise).where(Enterprise.zone_id == zone.id).order_by(Enterprise.id)
        )
    )
    elsewhere = list(
        session.scalars(
            select(Enterprise.id).where(Enterprise.zone_id != zone.id).order_by(Enterprise.id)
        )
    )
    guidance = next(i for i in institutions if i.kind == InstitutionKind.GUIDANCE_FUND)
    for row in SUB_FUNDS:
        _sub_fund(session, rng, guidance, zone, in_zone, elsewhere, *row)
    broker = next(i for i in institutions if i.kind == InstitutionKind.SECURITIES)
    # Joint-stock and limited companies alternate, so the three outcomes all appear.
    jsc = [e for e in in_zone if e.legal_form == LegalForm.JSC]
    llc = [e for e in in_zone if e.legal_form == LegalForm.LLC]
    mixed = [e for pair in zip_longest(jsc, llc) for e in pair if e is not None]
    for index, enterprise in enumerate(mixed[: max(3, len(mixed) // 3)]):
        _readiness_facts(session, rng, enterprise, broker, completeness=index % 3)
    # The first enterprise's listing went all the way (filed, then listed), the second's filing
    # was accepted and it waits for the listing, the third listed: the staged reward's every path.
    for enterprise, stages in zip(in_zone[:3], LISTING_PATHS, strict=False):
        _listing(session, rng, enterprise, stages)
    session.flush()


def _sub_fund(
    session: Session,
    rng: random.Random,
    guidance: Institution,
    zone: Zone,
    in_zone: list[Enterprise],
    elsewhere: list[int],
    name: str,
    manager: str,
    vintage: int,
    guidance_wan: int,
    lps_wan: tuple[int, ...],
    early_share: str,
) -> None:
    fund = SubFund(
        guidance_fund_id=guidance.id,
        name=name,
        manager=manager,
        vintage=vintage,
        zone=zone,
        guidance_commitment=guidance_wan * WAN,
        investment_period_end=date(vintage + 5, 12, 31),
        max_guidance_share=Decimal("0.2500"),
        reinvestment_multiple=Decimal("1.50"),
        min_early_stage_share=Decimal(early_share),
        idle_alert_months=12,
        limited_partners=[
            LimitedPartner(name=f"有限合伙人{label}", commitment=amount * WAN)
            for label, amount in zip("甲乙丙丁", lps_wan, strict=False)
        ],
    )
    session.add(fund)
    start = date(vintage, 6, 1)
    called = Decimal(0)
    for year in range(vintage, TODAY.year + 1):
        # Roughly a fifth of the size a year (never beyond it), so late vintages leave money idle.
        share = Decimal(rng.choice(("0.15", "0.20", "0.25")))
        amount = min((fund.size * share).quantize(WAN), fund.size - called)
        if amount <= 0:
            break
        called += amount
        fund.capital_calls.append(CapitalCall(called_on=date(year, 3, 15), amount=amount))
    deployed, day = Decimal(0), start
    while day < TODAY - timedelta(days=200):
        day += timedelta(days=rng.randint(60, 200))
        amount = Decimal(rng.randint(300, 2000)) * WAN
        available = sum((c.amount for c in fund.capital_calls if c.called_on <= day), Decimal(0))
        if deployed + amount > available or not in_zone:
            continue
        target = (
            rng.choice(in_zone).id if rng.random() < 0.7 or not elsewhere else rng.choice(elsewhere)
        )
        placement = Placement(
            enterprise_id=target,
            amount=amount,
            placed_on=day,
            round=rng.choice(ROUNDS),
            instrument=Instrument.EQUITY,
        )
        if day.year <= TODAY.year - 4 and rng.random() < 0.3:
            placement.exits.append(
                PlacementExit(
                    exited_on=day + timedelta(days=rng.randint(700, 1200)),
                    proceeds=(amount * Decimal(rng.choice(("0.6", "1.8", "3.2")))).quantize(WAN),
                )
            )
        fund.placements.append(placement)
        deployed += amount


def _readiness_facts(
    session: Session,
    rng: random.Random,
    enterprise: Enterprise,
    broker: Institution,
    completeness: int,
) -> None:
    """completeness 0: everything recorded; 1: no broker or opinion yet; 2: only a conversion."""
    profile = ReadinessProfile(enterprise_id=enterprise.id)
    converted = enterprise.founded_on + timedelta(days=rng.randint(400, 1500))
    if enterprise.legal_form == LegalForm.JSC and converted < READINESS_DAY:
        # Demo joint-stock companies began as limited companies converted at book value.
        profile.converted_on, profile.converted_at_book_value = converted, True
    if completeness < 2:
        profile.main_business = enterprise.description[:200] or enterprise.name
        session.add_all(
            GovernanceRecord(
                enterprise_id=enterprise.id,
                body=body,
                held_on=READINESS_DAY - timedelta(days=rng.randint(30, 300)),
                minutes_ref=f"{READINESS_DAY.year}年第{rng.randint(1, 4)}次会议决议",
            )
            for body in GovernanceBody
        )
    if completeness == 0:
        profile.shares_lawful = True
        profile.shares_evidence = (
            f"北京市某律师事务所法律意见书（{READINESS_DAY.year}）第{rng.randint(1, 99)}号"
        )
        profile.sponsor_broker_id = broker.id
        profile.sponsor_engaged_on = READINESS_DAY - timedelta(days=rng.randint(60, 400))
        profile.confirmation_letter_no = f"京科园函〔{READINESS_DAY.year}〕{rng.randint(1, 200)}号"
        profile.confirmation_letter_on = READINESS_DAY - timedelta(days=rng.randint(10, 50))
    session.add(profile)


def _listing(
    session: Session, rng: random.Random, enterprise: Enterprise, stages: tuple[ListingStage, ...]
) -> None:
    ticker = f"{rng.randint(430000, 839999)}"
    filed_on = TODAY - timedelta(days=rng.randint(300, 900))
    for stage in stages:
        # A NEEQ quotation follows its accepted filing by about two to six months.
        days = 0 if stage == ListingStage.FILED else rng.randint(60, 180)
        session.add(
            ListingEvent(
                enterprise_id=enterprise.id,
                venue=ListingVenue.NEEQ,
                stage=stage,
                event_on=filed_on + timedelta(days=days),
                reference=ticker,
            )
        )
