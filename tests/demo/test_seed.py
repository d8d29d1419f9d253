"""Reference data and the demo generator: pure checks, then a small seed into in-memory SQLite.

No app and no services: the database tests build their own SQLite engine from the models.
"""

import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from schemas.credit_code import find_problems
from torchfin.demo import figures, names
from torchfin.demo.seed import (
    BRANCHES,
    DEMO_PASSWORD,
    DEMO_USERS,
    REFERENCE_NOW,
    DemoSummary,
    seed_demo,
)
from torchfin.models import (
    Base,
    Enterprise,
    EnterpriseFinancial,
    Institution,
    Mandate,
    Project,
    User,
    Zone,
)
from torchfin.models.enums import (
    InstitutionKind,
    Instrument,
    LegalForm,
    OrganisationKind,
    ProjectStatus,
    Role,
    Stage,
)
from torchfin.reference_data.industries import (
    INDUSTRIES,
    INDUSTRIES_BY_CODE,
    TAXONOMY,
    taxonomy_terms,
)
from torchfin.reference_data.zones import ZONES, ZONES_BY_CODE
from torchfin.services.accounts.passwords import verify_password

SMALL = {"enterprises": 50, "projects": 30, "institutions": 10, "mandates": 20}

# First two digits of GB/T 2260 division codes, by province.
PROVINCE_PREFIXES = {
    "北京市": "11", "天津市": "12", "河北省": "13", "山西省": "14", "内蒙古自治区": "15",
    "辽宁省": "21", "吉林省": "22", "黑龙江省": "23", "上海市": "31", "江苏省": "32",
    "浙江省": "33", "安徽省": "34", "福建省": "35", "江西省": "36", "山东省": "37",
    "河南省": "41", "湖北省": "42", "湖南省": "43", "广东省": "44", "广西壮族自治区": "45",
    "海南省": "46", "重庆市": "50", "四川省": "51", "贵州省": "52", "云南省": "53",
    "陕西省": "61", "甘肃省": "62", "新疆维吾尔自治区": "65",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides the suite-wide app context: these tests need no app and no services."""
    yield


def _seeded_session(seed: int = 20111) -> tuple[Session, DemoSummary]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    session = Session(engine)
    return session, seed_demo(session, seed=seed, **SMALL)


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Session, DemoSummary]]:
    """A small demo seed in an in-memory SQLite database, shared by the module's tests."""
    session, summary = _seeded_session()
    yield session, summary
    session.close()


# Reference data ---------------------------------------------------------------------------


def test_at_least_sixty_zones_with_unique_codes_and_names():
    assert len(ZONES) >= 60
    assert len({zone.code for zone in ZONES}) == len(ZONES)
    assert len({zone.name_zh for zone in ZONES}) == len(ZONES)
    assert all(len(zone.code) <= 32 and zone.code.isascii() for zone in ZONES)


def test_zone_approval_batches_match_history():
    by_year = [zone.year_approved for zone in ZONES]
    assert ZONES_BY_CODE["zhongguancun"].year_approved == 1988
    assert by_year.count(1991) == 26
    assert by_year.count(1992) == 25
    assert ZONES_BY_CODE["yangling"].year_approved == 1997
    assert all(
        zone.year_approved in (1988, 1991, 1992, 1997) or zone.year_approved >= 2007
        for zone in ZONES
    )


def test_three_demonstration_zones_of_the_2011_2015_plan_are_flagged():
    early = {zone.name_zh for zone in ZONES if (zone.demonstration_since or 9999) <= 2011}
    assert early == {"中关村科技园区", "武汉东湖新技术开发区", "上海张江高新技术产业开发区"}
    assert all(
        ZONES_BY_CODE[code].is_demonstration_zone
        for code in ("zhongguancun", "wuhan_donghu", "shanghai_zhangjiang")
    )
    assert not ZONES_BY_CODE["guilin"].is_demonstration_zone


def test_otc_pilot_zones_are_zhongguancun_then_three_from_2012():
    pilots = {zone.code: zone.otc_pilot_since for zone in ZONES if zone.otc_pilot_since}
    assert pilots == {
        "zhongguancun": 2006,
        "shanghai_zhangjiang": 2012,
        "wuhan_donghu": 2012,
        "tianjin_binhai": 2012,
    }


def test_zone_division_codes_lie_in_the_zone_province():
    for zone in ZONES:
        assert len(zone.division_code) == 6 and zone.division_code.isdigit(), zone.code
        assert zone.division_code[:2] == PROVINCE_PREFIXES[zone.province], zone.code


def test_zone_records_build_zone_models():
    zone = Zone(**ZONES_BY_CODE["zhongguancun"].model_fields())
    assert zone.name_zh == "中关村科技园区" and zone.is_demonstration_zone
    assert zone.otc_pilot_since == 2006


def test_seven_strategic_industries_each_have_four_to_eight_subfields():
    strategic = [group for group in TAXONOMY if group.industry.is_strategic_emerging]
    assert [group.industry.name_zh for group in strategic] == [
        "节能环保", "新一代信息技术", "生物", "高端装备制造", "新能源", "新材料", "新能源汽车",
    ]  # fmt: skip
    for group in strategic:
        assert 4 <= len(group.subfields) <= 8, group.industry.code
    names_zh = {group.industry.name_zh for group in TAXONOMY}
    assert {"现代服务业", "传统产业升级"} <= names_zh


def test_industry_codes_are_unique_prefixed_by_parent_and_fit_the_column():
    codes = [record.code for record in INDUSTRIES]
    assert len(set(codes)) == len(codes)
    for group in TAXONOMY:
        assert group.industry.parent_code is None
        for sub in group.subfields:
            assert sub.parent_code == group.industry.code
            assert sub.is_strategic_emerging == group.industry.is_strategic_emerging
    assert all(len(code) <= 32 and code.isascii() for code in codes)
    assert all(len(record.keywords) >= 2 for record in INDUSTRIES)


def test_taxonomy_terms_hold_every_name_and_keyword_once():
    terms = taxonomy_terms()
    assert len(terms) == len(set(terms))
    for record in INDUSTRIES:
        assert record.name_zh in terms
        assert set(record.keywords) <= set(terms)
    assert "高性能集成电路" in terms and "动力电池" in terms


def test_every_industry_has_name_words_and_every_parent_applications():
    assert {record.code for record in INDUSTRIES} <= set(names.NAME_WORDS)
    assert {group.industry.code for group in TAXONOMY} <= set(names.APPLICATIONS)


# Pure generators --------------------------------------------------------------------------


def test_generated_credit_codes_are_valid_and_carry_the_division_code():
    rng = random.Random(1)
    for index in range(3000):
        zone = ZONES[index % len(ZONES)]
        founded = 1995 + index % 29
        code = figures.credit_code(rng, zone.division_code, founded)
        assert find_problems(code) == [], code
        assert code.startswith("91" + zone.division_code)
        # Organisation bodies issued since the 2015 reform start with MA.
        assert code[8:10] == "MA" if founded >= 2016 else code[8:16].isdigit()


def test_financial_history_obeys_the_consistency_rules():
    rng = random.Random(2)
    solvent = total = 0
    for index in range(3000):
        founded = 1995 + index % 29
        history = figures.financial_history(rng, founded)
        assert [year.year for year in history] == [y for y in (2022, 2023, 2024) if y >= founded]
        for previous, year in pairwise(history):
            growth = year.revenue / previous.revenue - 1
            assert Decimal("-0.2001") <= growth <= Decimal("0.8001")
        for year in history:
            total += 1
            solvent += year.total_assets > year.total_liabilities
            assert year.revenue > 0
            assert 0 < year.rd_spend < year.revenue
            assert Decimal("0.03") <= year.rd_spend / year.revenue <= Decimal("0.25")
            assert Decimal("-0.30") <= year.net_profit / year.revenue <= Decimal("0.25")
            assert 0 <= year.college_staff <= year.employees
            for amount in (year.revenue, year.net_profit, year.rd_spend, year.total_assets):
                assert amount.as_tuple().exponent == -2
    assert solvent / total > 0.9


def test_rounds_follow_enterprise_age():
    rng = random.Random(3)
    young = {figures.stage_for_age(rng, 3) for _ in range(200)}
    old = {figures.stage_for_age(rng, 25) for _ in range(200)}
    assert young == {Stage.SEED, Stage.ANGEL}
    assert old == {Stage.C_PLUS, Stage.PRE_IPO}


def test_amounts_sought_stay_in_the_ranges_of_instrument_and_round():
    rng = random.Random(4)
    for stage in Stage:
        low, high = figures.EQUITY_RANGES[stage]
        for _ in range(200):
            equity = figures.amount_sought(rng, Instrument.EQUITY, stage, Decimal(10**7))
            assert low <= equity <= high
            loan = figures.amount_sought(rng, Instrument.BANK_LOAN, stage, Decimal(10**9))
            assert 1_000_000 <= loan <= 50_000_000
            assert equity % 100_000 == 0 and loan % 100_000 == 0


def test_use_of_funds_shares_add_up_to_one_hundred_percent():
    rng = random.Random(5)
    for instrument in ("equity", "bank_loan"):
        for _ in range(200):
            text = names.use_of_funds(rng, instrument)
            shares = [int(share) for share in re.findall(r"(\d+)%", text)]
            assert sum(shares) == 100 and min(shares) >= 10


def test_enterprise_name_suffix_matches_legal_form():
    rng = random.Random(6)
    for joint_stock in (True, False):
        for _ in range(200):
            name, label = names.enterprise_name(rng, "武汉市", "it.network", joint_stock)
            assert name.startswith("武汉") and label in name
            assert name.endswith("股份有限公司") == joint_stock


def test_enterprise_names_never_repeat_a_word():
    """No character twice in a row and no two characters twice (桂林峰融建筑科技科技有限公司,
    瑞智智能, 威海创威海工), over names from every zone's city and every industry."""
    rng = random.Random(8)
    cities = sorted({zone.city for zone in ZONES})
    for _ in range(20_000):
        name, _label = names.enterprise_name(
            rng, rng.choice(cities), rng.choice(sorted(names.NAME_WORDS)), rng.random() < 0.4
        )
        pairs = [name[i : i + 2] for i in range(len(name) - 1)]
        assert len(set(pairs)) == len(pairs), name
        assert all(a != b for a, b in pairs), name


# A small seed into SQLite -----------------------------------------------------------------


def test_small_seed_creates_the_requested_rows(seeded):
    _, summary = seeded
    assert summary.generated
    assert summary.zones == len(ZONES)
    assert summary.industries == len(INDUSTRIES)
    assert (summary.enterprises, summary.projects) == (50, 30)
    assert (summary.institutions, summary.mandates) == (10, 20)
    assert summary.users == len(Role) and summary.organisations == len(Role)
    assert summary.financials >= 50


def test_seeded_financials_keep_rd_below_revenue_and_graduates_within_staff(seeded):
    session, _ = seeded
    for row in session.scalars(select(EnterpriseFinancial)):
        assert 0 < row.rd_spend < row.revenue
        assert row.college_staff <= row.employees
        assert 2022 <= row.year <= 2024


def test_seeded_credit_codes_are_valid_and_unique(seeded):
    session, _ = seeded
    codes = session.scalars(select(Enterprise.credit_code)).all()
    assert len(codes) == len(set(codes)) == 50
    assert all(find_problems(code) == [] for code in codes)


def test_seeded_enterprises_name_their_legal_form_and_subfield_with_parent(seeded):
    session, _ = seeded
    for enterprise in session.scalars(select(Enterprise)):
        assert enterprise.name.endswith("股份有限公司") == (enterprise.legal_form == LegalForm.JSC)
        assert date(1995, 1, 1) <= enterprise.founded_on <= date(2023, 12, 31)
        parents = [i for i in enterprise.industries if i.parent_id is None]
        subs = [i for i in enterprise.industries if i.parent_id is not None]
        assert len(parents) == 1 and len(subs) <= 1
        assert all(sub.parent_id == parents[0].id for sub in subs)
        assert enterprise.description.count("。") >= 2


def test_seeded_mandates_suit_their_institution_kind(seeded):
    session, _ = seeded
    loans = {"bank_loan", "ip_pledge_loan", "leasing"}
    known = {record.code for record in INDUSTRIES}
    for mandate in session.scalars(select(Mandate)):
        kind = mandate.institution.kind
        assert 0 < mandate.ticket_min < mandate.ticket_max
        assert 1 <= len(mandate.industries) <= 4 and set(mandate.industries) <= known
        assert not set(mandate.excluded_industries) & set(mandate.industries)
        if kind == InstitutionKind.BANK:
            assert set(mandate.instruments) <= loans
        elif kind == InstitutionKind.GUARANTOR:
            assert mandate.instruments == ["guaranteed_loan"]
        else:
            assert set(mandate.instruments) <= {"equity", "convertible"}


def test_seeded_projects_are_mostly_published_within_the_last_eighteen_months(seeded):
    session, _ = seeded
    projects = session.scalars(select(Project)).all()
    for project in projects:
        assert date(2026, 1, 1) <= project.deadline <= date(2027, 12, 31)
        if project.status == ProjectStatus.DRAFT:
            assert project.published_at is None
        else:
            published = project.published_at.replace(tzinfo=REFERENCE_NOW.tzinfo)
            assert REFERENCE_NOW - timedelta(days=549) <= published <= REFERENCE_NOW
        if project.valuation is not None:
            assert project.instrument in (Instrument.EQUITY, Instrument.CONVERTIBLE)
            assert project.valuation > project.amount_sought
    published = sum(p.status == ProjectStatus.PUBLISHED for p in projects)
    assert published >= len(projects) // 2


def test_some_projects_are_filed_outside_their_enterprises_field():
    """Most projects carry their enterprise's industries; some branch out as BRANCHES says (a
    software company's energy-storage project), worded after the sub-field they are filed under."""
    session = Session(create_engine("sqlite://"))
    Base.metadata.create_all(session.bind)
    seed_demo(session, enterprises=300, projects=200, institutions=10, mandates=20)
    branched = []
    for project in session.scalars(select(Project)):
        own = {i.code for i in project.industries}
        enterprise = {i.code for i in project.enterprise.industries}
        if own == enterprise:
            continue
        (field,) = (code for code in enterprise if code in BRANCHES)
        target = INDUSTRIES_BY_CODE[BRANCHES[field]]
        assert own == {target.code, target.parent_code}, project.title
        assert any(word in project.summary for word in target.keywords), project.summary
        branched.append((field, target.code))
    assert 5 <= len(branched) <= 30  # of 200: most projects stay in their field
    assert ("it.software", "energy.grid") in branched
    session.close()


def test_one_demo_user_per_role_acting_for_the_right_organisation(seeded):
    session, _ = seeded
    users = {user.role: user for user in session.scalars(select(User))}
    assert set(users) == set(Role)
    assert [(role, users[role].email) for role in Role] == DEMO_USERS
    first_enterprise = session.scalars(select(Enterprise).order_by(Enterprise.id)).first()
    assert users[Role.SME].organisation.enterprise_id == first_enterprise.id
    expected_kinds = {
        Role.INVESTOR: InstitutionKind.VC,
        Role.FUND_MANAGER: InstitutionKind.GUIDANCE_FUND,
        Role.BANK: InstitutionKind.BANK,
        Role.GUARANTOR: InstitutionKind.GUARANTOR,
    }
    for role, kind in expected_kinds.items():
        assert users[role].organisation.institution.kind == kind
    zone_org = users[Role.ZONE_ADMIN].organisation
    assert zone_org.kind == OrganisationKind.ZONE and zone_org.zone.code == "zhongguancun"
    assert users[Role.ADMIN].organisation.kind == OrganisationKind.PLATFORM
    assert verify_password(users[Role.SME].password_hash, DEMO_PASSWORD)


def test_seeded_strings_fit_their_column_lengths(seeded):
    # SQLite ignores VARCHAR lengths; PostgreSQL would refuse the row.
    session, _ = seeded
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if length:
                longest = session.scalar(select(func.max(func.length(column))))
                assert (longest or 0) <= length, f"{table.name}.{column.name}"


def test_seeding_a_populated_database_again_changes_nothing(seeded):
    session, first = seeded
    again = seed_demo(session, seed=99, **SMALL)
    assert not again.generated
    assert (again.enterprises, again.projects, again.users) == (
        first.enterprises,
        first.projects,
        first.users,
    )


def _snapshot(session: Session) -> tuple[list, list, list]:
    enterprises = [
        (e.credit_code, e.name, e.description, e.founded_on,
         [(f.year, f.revenue, f.rd_spend, f.net_profit) for f in e.financials])
        for e in session.scalars(select(Enterprise).order_by(Enterprise.id))
    ]  # fmt: skip
    projects = [
        (p.title, p.summary, p.amount_sought, p.status, p.published_at)
        for p in session.scalars(select(Project).order_by(Project.id))
    ]
    mandates = [
        (m.institution.name, m.industries, m.ticket_min, m.ticket_max)
        for m in session.scalars(select(Mandate).order_by(Mandate.id))
    ]
    return enterprises, projects, mandates


def test_same_seed_gives_the_same_rows_and_another_seed_different_ones(seeded):
    session, _ = seeded
    twin, _ = _seeded_session()
    other, _ = _seeded_session(seed=7)
    try:
        assert _snapshot(twin) == _snapshot(session)
        assert _snapshot(other)[0] != _snapshot(session)[0]
        institutions = twin.scalars(select(Institution.name).order_by(Institution.id)).all()
        assert (
            institutions == session.scalars(select(Institution.name).order_by(Institution.id)).all()
        )
    finally:
        twin.close()
        other.close()


def test_seed_refuses_too_few_institutions_for_the_demo_users():
    session = Session(create_engine("sqlite://"))
    with pytest.raises(ValueError, match="institutions"):
        seed_demo(session, enterprises=5, projects=0, institutions=3, mandates=0)
