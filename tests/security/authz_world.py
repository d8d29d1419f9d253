"""The world the authorisation matrix runs in, and the targets its rows act on.

One of each role signs in with a bearer token. The SME owns enterprise `mine` (zone Z1,
Zhongguancun, whose administration the zone admin is); another SME owns `other` (zone Z2,
Wuhan). The investor's institution holds a granted access to `mine`'s financials and a revoked one
to `other`'s; the fund manager's institution only asked for `other`'s. The bank and the guarantee
agency are parties to `mine`'s guarantee case; another bank and agency to `other`'s. The pool of
Z1 holds a loan and a claim of the bank and of the other bank.

Targets (`TARGETS`) name what a row acts on. A target either points into this shared world (reads
and repeatable writes) or builds a fresh record per request (deletes, workflow moves), so no cell
depends on the order cells run in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from tests.factories import auth, make_enterprise, make_institution, make_user
from tests.funds.world import build_world
from tests.zone_factories import make_zone_admin
from torchfin.extensions import db
from torchfin.models import (
    AccessGrant,
    Enterprise,
    Industry,
    Mandate,
    Match,
    PoolClaim,
    PoolLoan,
    Project,
    RiskPool,
    User,
    Zone,
)
from torchfin.models.enums import (
    ClaimState,
    GrantState,
    InstitutionKind,
    Instrument,
    MatchStatus,
    PoolLoanState,
    ProjectStatus,
    Role,
    Stage,
)
from torchfin.services import deals, guarantees, saved_searches

ROLES = ("anonymous", "sme", "investor", "fund_manager", "bank", "guarantor", "zone_admin", "admin")
_seq = count(1)


@dataclass
class World:
    """Ids of the shared records and a bearer-token header per role."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def user(self, role: str) -> User:
        """The world's user of `role`, loaded in the current session."""
        return db.session.get(User, self.users[role])


def _project(enterprise: Enterprise, status: ProjectStatus) -> Project:
    project = Project(
        enterprise=enterprise,
        title=f"动力电池项目{next(_seq)}",
        summary="扩产",
        amount_sought=Decimal("5000000.00"),
        instrument=Instrument.EQUITY,
        stage=Stage.A,
        use_of_funds="",
        status=status,
    )
    db.session.add(project)
    db.session.commit()
    return project


def _mandate(institution_id: int) -> Mandate:
    mandate = Mandate(
        institution_id=institution_id,
        name=f"成长基金{next(_seq)}",
        instruments=["equity"],
        stages=["a"],
        ticket_min=Decimal("1000000.00"),
        ticket_max=Decimal("50000000.00"),
    )
    db.session.add(mandate)
    db.session.commit()
    return mandate


def _match(project_id: int, mandate_id: int) -> Match:
    match = Match(
        project_id=project_id,
        mandate_id=mandate_id,
        score=80.0,
        breakdown={},
        algorithm_version="2025.1",
        scored_on=date.today(),
        fingerprint="0" * 32,
        status=MatchStatus.SUGGESTED,
    )
    db.session.add(match)
    db.session.commit()
    return match


def _pool(zone: Zone) -> RiskPool:
    pool = RiskPool(
        name=f"科技信贷风险补偿资金池{next(_seq)}",
        sponsor="北京市科学技术委员会",
        zone=zone,
        coverage=Decimal("0.5000"),
        per_loan_cap=Decimal("2000000.00"),
        yearly_cap=Decimal("5000000.00"),
        days_overdue_threshold=90,
        bad_loan_ratio_threshold=Decimal("0.9000"),  # the matrix registers many loans
    )
    db.session.add(pool)
    db.session.commit()
    return pool


def _fresh_match_of(enterprise: Enterprise, mandate_id: int) -> Match:
    # A match is unique per project and mandate: each new one needs its own project.
    return _match(_project(enterprise, ProjectStatus.PUBLISHED).id, mandate_id)


def _grant(enterprise_id: int, institution_id: int, state: GrantState) -> AccessGrant:
    grant = AccessGrant(
        enterprise_id=enterprise_id, institution_id=institution_id, purpose="尽调", state=state
    )
    db.session.add(grant)
    db.session.commit()
    return grant


def _apply(sme: User, bank_id: int, agency_id: int) -> int:
    body = {
        "bank_id": bank_id,
        "agency_id": agency_id,
        "principal": Decimal("3000000.00"),
        "term_months": 12,
        "loan_rate": Decimal("0.0500"),
        "fee_rate": Decimal("0.0200"),
    }
    return guarantees.apply(sme, body).id


def _pool_loan(pool_id: int, bank_id: int, enterprise_id: int, state: PoolLoanState) -> PoolLoan:
    loan = PoolLoan(
        pool_id=pool_id,
        bank_id=bank_id,
        enterprise_id=enterprise_id,
        loan_no=f"L-{next(_seq)}",
        principal=Decimal("1000000.00"),
        registered_on=date.today() - timedelta(days=400),
        maturity_on=date.today() - timedelta(days=100),
        state=state,
        defaulted_on=date.today() - timedelta(days=95)
        if state == PoolLoanState.DEFAULTED
        else None,
    )
    db.session.add(loan)
    db.session.commit()
    return loan


def _claim(pool_id: int, bank_id: int, enterprise_id: int) -> PoolClaim:
    loan = _pool_loan(pool_id, bank_id, enterprise_id, PoolLoanState.DEFAULTED)
    claim = PoolClaim(
        pool_id=pool_id,
        loan_id=loan.id,
        net_loss=Decimal("400000.00"),
        days_overdue=95,
        filed_on=date.today(),
        payable=Decimal("200000.00"),
        working={},
        state=ClaimState.FILED,
    )
    db.session.add(claim)
    db.session.commit()
    return claim


def build() -> World:
    """Build the shared world (on top of the guidance-fund test world: zones, funds, manager)."""
    funds = build_world()
    z1 = db.session.scalar(select(Zone).where(Zone.code == "zhongguancun"))
    z2 = db.session.scalar(select(Zone).where(Zone.code == "wuhan"))
    industries = list(db.session.scalars(select(Industry).where(Industry.code == "it")))
    mine, other = make_enterprise(z1, industries), make_enterprise(z2, industries)
    vc = make_institution(InstitutionKind.VC)
    bank, other_bank = (make_institution(InstitutionKind.BANK) for _ in range(2))
    agency, other_agency = (make_institution(InstitutionKind.GUARANTOR) for _ in range(2))
    users = {
        "sme": make_user(Role.SME, enterprise=mine),
        "investor": make_user(Role.INVESTOR, institution=vc),
        "fund_manager": funds.manager,
        "bank": make_user(Role.BANK, institution=bank),
        "guarantor": make_user(Role.GUARANTOR, institution=agency),
        "zone_admin": make_zone_admin(z1),
        "admin": make_user(Role.ADMIN),
    }
    other_sme = make_user(Role.SME, enterprise=other)
    world = World(users={role: user.id for role, user in users.items()})
    world.headers = {"anonymous": {}} | {role: auth(user) for role, user in users.items()}

    _grant(mine.id, vc.id, GrantState.GRANTED)
    _grant(other.id, vc.id, GrantState.REVOKED)
    _grant(other.id, funds.guidance_fund_id, GrantState.PENDING)
    mandate = _mandate(vc.id)
    my_published = _project(mine, ProjectStatus.PUBLISHED)
    match = _match(my_published.id, mandate.id)
    deal = deals.express_interest(users["investor"], _fresh_match_of(mine, mandate.id).id)
    pool = _pool(z1)
    saved = saved_searches.create_saved_search(
        users["investor"], {"name": "电池", "frequency": "daily", "query": {"q": "电池"}}
    )
    world.ids = {
        "z1": z1.id,
        "z2": z2.id,
        "mine": mine.id,
        "other": other.id,
        "other_sme": other_sme.id,
        "vc": vc.id,
        "bank": bank.id,
        "agency": agency.id,
        "guidance_fund": funds.guidance_fund_id,
        "sub_fund": funds.early_id,
        "industry": industries[0].id,
        "mandate": mandate.id,
        "my_published": my_published.id,
        "my_draft": _project(mine, ProjectStatus.DRAFT).id,
        "other_published": _project(other, ProjectStatus.PUBLISHED).id,
        "other_draft": _project(other, ProjectStatus.DRAFT).id,
        "match": match.id,
        "deal": deal.id,
        "meeting_stage": next(s.id for s in deals.pipeline(vc.id) if s.key == "meeting"),
        "my_case": _apply(users["sme"], bank.id, agency.id),
        "other_case": _apply(other_sme, other_bank.id, other_agency.id),
        "pool": pool.id,
        "my_claim": _claim(pool.id, bank.id, mine.id).id,
        "other_claim": _claim(pool.id, other_bank.id, other.id).id,
        "saved_search": saved.id,
    }
    _pool_loan(pool.id, bank.id, mine.id, PoolLoanState.ACTIVE)
    _pool_loan(pool.id, other_bank.id, other.id, PoolLoanState.ACTIVE)
    return world


# -- targets: what a row acts on --------------------------------------------------------------

Params = dict[str, object]
Builder = Callable[[World, str], Params]


def _shared(**names: str) -> Builder:
    """A target in the shared world: path parameter -> key of `World.ids`."""
    return lambda world, role: {param: world.ids[key] for param, key in names.items()}


def _fresh_zone(world: World, role: str) -> Params:
    n = next(_seq)
    zone = Zone(
        code=f"z{n}",
        name_zh=f"测试园区{n}",
        name_en=f"Zone {n}",
        province="湖北省",
        city="武汉",
        year_approved=1991,
    )
    db.session.add(zone)
    db.session.commit()
    return {"zone_id": zone.id}


def _fresh_industry(world: World, role: str) -> Params:
    n = next(_seq)
    industry = Industry(code=f"i{n}", name_zh=f"测试产业{n}", name_en=f"Industry {n}")
    db.session.add(industry)
    db.session.commit()
    return {"industry_id": industry.id}


def _fresh_enterprise(world: World) -> Enterprise:
    zone = db.session.get(Zone, world.ids["z2"])
    return make_enterprise(zone, [db.session.get(Industry, world.ids["industry"])])


def _own_fresh_enterprise(world: World, role: str) -> Params:
    # The SME column acts as the fresh enterprise's own SME user.
    enterprise = _fresh_enterprise(world)
    params: Params = {"enterprise_id": enterprise.id}
    if role == "sme":
        params["headers"] = auth(make_user(Role.SME, enterprise=enterprise))
    return params


def _sme_without_enterprise(world: World, role: str) -> Params:
    # Registering an enterprise is for an SME user that has none yet.
    return {"headers": auth(make_user(Role.SME))} if role == "sme" else {}


def _fresh_project(key: str, status: ProjectStatus) -> Builder:
    def build_project(world: World, role: str) -> Params:
        enterprise = db.session.get(Enterprise, world.ids[key])
        return {"project_id": _project(enterprise, status).id}

    return build_project


def _fresh_institution(world: World, role: str) -> Params:
    return {"institution_id": make_institution().id}


def _fresh_mandate(world: World, role: str) -> Params:
    return {"mandate_id": _mandate(world.ids["vc"]).id}


def _fresh_grant(key: str, institution: str, state: GrantState) -> Builder:
    def build_grant(world: World, role: str) -> Params:
        return {"grant_id": _grant(world.ids[key], world.ids[institution], state).id}

    return build_grant


def _fresh_match(world: World, role: str) -> Params:
    mine = db.session.get(Enterprise, world.ids["mine"])
    return {"match_id": _fresh_match_of(mine, world.ids["mandate"]).id}


def _fresh_deal(world: World, role: str) -> Params:
    match = _fresh_match_of(db.session.get(Enterprise, world.ids["mine"]), world.ids["mandate"])
    deal = deals.express_interest(world.user("investor"), match.id)
    return {"deal_id": deal.id, "stage_id": world.ids["meeting_stage"]}


def _fresh_case(world: World, role: str) -> Params:
    return {"case_id": _apply(world.user("sme"), world.ids["bank"], world.ids["agency"])}


def _fresh_claim(world: World, role: str) -> Params:
    return {"claim_id": _claim(world.ids["pool"], world.ids["bank"], world.ids["mine"]).id}


def _fresh_saved_search(world: World, role: str) -> Params:
    saved = saved_searches.create_saved_search(
        world.user("investor"), {"name": "储能", "frequency": "daily", "query": {"q": "储能"}}
    )
    return {"saved_search_id": saved.id}


def _fresh_enterprise_target(world: World, role: str) -> Params:
    return {"enterprise_id": _fresh_enterprise(world).id}


def _fresh_pool(world: World, role: str) -> Params:
    # One payment at a time per pool: each deposit cell needs a pool of its own.
    return {"pool_id": _pool(db.session.get(Zone, world.ids["z1"])).id}


# name -> (what the docs call it, builder)
TARGETS: dict[str, tuple[str, Builder]] = {
    "none": ("—", lambda world, role: {}),
    "zone": ("a zone", _shared(zone_id="z1")),
    "fresh zone": ("a zone without enterprises", _fresh_zone),
    "industry": ("an industry", _shared(industry_id="industry")),
    "fresh industry": ("an unused industry", _fresh_industry),
    "mine": ("the SME's own enterprise", _shared(enterprise_id="mine")),
    "other": ("another SME's enterprise", _shared(enterprise_id="other")),
    "sme without enterprise": ("(an SME user with no enterprise yet)", _sme_without_enterprise),
    "fresh own enterprise": ("an enterprise of the caller's own", _own_fresh_enterprise),
    "fresh other enterprise": ("another SME's enterprise", _fresh_enterprise_target),
    "my published": ("the SME's published project", _shared(project_id="my_published")),
    "my draft": ("the SME's draft", _shared(project_id="my_draft")),
    "other published": ("another SME's published project", _shared(project_id="other_published")),
    "other draft": ("another SME's draft", _shared(project_id="other_draft")),
    "fresh my draft": ("the SME's draft", _fresh_project("mine", ProjectStatus.DRAFT)),
    "fresh other draft": ("another SME's draft", _fresh_project("other", ProjectStatus.DRAFT)),
    "fresh other published": (
        "another SME's published project",
        _fresh_project("other", ProjectStatus.PUBLISHED),
    ),
    "vc": ("the investor's institution", _shared(institution_id="vc")),
    "fresh institution": ("an institution", _fresh_institution),
    "mandate": ("the investor's mandate", _shared(mandate_id="mandate")),
    "fresh mandate": ("the investor's mandate", _fresh_mandate),
    "pending on mine": (
        "a pending request for the SME's financials",
        _fresh_grant("mine", "vc", GrantState.PENDING),
    ),
    "granted on mine": (
        "a granted access to the SME's financials",
        _fresh_grant("mine", "vc", GrantState.GRANTED),
    ),
    "pending on other": (
        "a pending request for another SME's financials",
        _fresh_grant("other", "guidance_fund", GrantState.PENDING),
    ),
    "match": ("the investor's match on the SME's project", _shared(match_id="match")),
    "fresh match": ("the investor's match on the SME's project", _fresh_match),
    "deal": ("the investor's deal with the SME", _shared(deal_id="deal")),
    "fresh deal": ("the investor's deal with the SME", _fresh_deal),
    "my case": ("the SME's case (bank, agency)", _shared(case_id="my_case")),
    "other case": ("a case of another SME, bank and agency", _shared(case_id="other_case")),
    "fresh case": ("the SME's case, applied", _fresh_case),
    "pool": ("Z1's pool", _shared(pool_id="pool")),
    "fresh pool": ("Z1's pool", _fresh_pool),
    "my claim": ("the bank's claim on Z1's pool", _shared(claim_id="my_claim")),
    "other claim": ("another bank's claim on Z1's pool", _shared(claim_id="other_claim")),
    "fresh claim": ("the bank's claim, filed", _fresh_claim),
    "guidance fund": (
        "the fund manager's guidance fund",
        _shared(guidance_fund_id="guidance_fund"),
    ),
    "sub-fund": ("a sub-fund of that guidance fund", _shared(sub_fund_id="sub_fund")),
    "z1 code": ("zone Z1 (the zone admin's)", lambda world, role: {"code": "zhongguancun"}),
    "z2 code": ("zone Z2 (another zone)", lambda world, role: {"code": "wuhan"}),
    "saved search": ("the investor's saved search", _shared(saved_search_id="saved_search")),
    "fresh saved search": ("the investor's saved search", _fresh_saved_search),
}
