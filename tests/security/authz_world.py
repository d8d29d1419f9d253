"""The world the authorisation matrix runs in, and the targets its rows act on.

One of each role signs in with a bearer token. The SME owns enterprise `mine` (zone Z1,
Zhongguancun, whose administration the zone admin is); another SME owns `other` (zone Z2,
Wuhan). The investor's institution holds a granted access to `mine`'s financials and a revoked one
to `other`'s; the fund manager's institution only asked for `other`'s. The investor has a deal
with `mine` whose data room holds a document; another investor has a deal with `other`, with a
document of its own. The bank and the guarantee agency are parties to `mine`'s guarantee case;
another bank and agency to `other`'s. The pool of Z1 (funded) holds a loan and a claim of the bank
and of the other bank. The fund manager's guidance fund has sub-funds with placements, and so
does another guidance fund. Each zone has a finished readiness batch and a recorded listing.

Targets (`TARGETS`) name what a row acts on. A target either points into this shared world (reads
and repeatable writes) or builds a fresh record per request (deletes, workflow moves), so no cell
depends on the order cells run in.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from tests.factories.accounts import auth, make_user, make_zone_admin
from tests.factories.funds import build_world
from tests.factories.policies import zgc_policy
from tests.factories.registry import make_enterprise, make_institution
from tests.matching.documents import PDF
from torchfin.extensions import db
from torchfin.models import (
    AccessGrant,
    DuplicateFlag,
    Enterprise,
    GuaranteeCase,
    Industry,
    ListingEvent,
    Mandate,
    Match,
    Notification,
    PoolBatch,
    PoolBatchRow,
    PoolClaim,
    PoolLoan,
    Project,
    ReadinessBatch,
    RiskPool,
    User,
    Zone,
)
from torchfin.models.enums import (
    ApplicationState,
    BatchRowStatus,
    BatchStatus,
    ClaimState,
    GrantState,
    GuaranteeState,
    InstitutionKind,
    Instrument,
    ListingVenue,
    MatchStatus,
    PaymentPurpose,
    PaymentState,
    PoolBatchKind,
    PoolLoanState,
    ProjectStatus,
    Role,
    Stage,
)
from torchfin.services import policy_documents
from torchfin.services.accounts.tokens import issue_token
from torchfin.services.alerts import saved_searches
from torchfin.services.finance import guarantees, incentives, ledger, pools
from torchfin.services.finance.payments.requests import request_payment
from torchfin.services.finance.policies import applications
from torchfin.services.funds import sub_funds
from torchfin.services.matching import data_room, deals
from torchfin.services.readiness.checks import build_check, rule_set_named

ROLES = ("anonymous", "sme", "investor", "fund_manager", "bank", "guarantor", "zone_admin", "admin")
_seq = count(1)
M = Decimal(1_000_000)


@dataclass
class World:
    """Ids of the shared records and a bearer-token header per role."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def user(self, role: str) -> User:
        """The world's user of `role`, loaded in the current session."""
        return db.session.get(User, self.users[role])

    def get(self, model: type, key: str):
        """The shared record of `model` named `key` in `ids`, loaded in the current session."""
        return db.session.get(model, self.ids[key])


# -- records ----------------------------------------------------------------------------------


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
        # The matrix approves and pays many claims and registers many loans in one pool.
        yearly_cap=Decimal("1000000000.00"),
        days_overdue_threshold=90,
        bad_loan_ratio_threshold=Decimal("0.9000"),
    )
    db.session.add(pool)
    db.session.commit()
    return pool


def _fund_pool(pool: RiskPool) -> None:
    # Booked straight into the ledger: approving a claim needs money in the pool.
    ledger.book_transfer(
        db.session,
        f"matrix:{pool.id}",
        PaymentPurpose.POOL_DEPOSIT,
        ledger.account("sponsor", pool.id),
        pools.pool_subject(pool.id),
        Decimal("100000000.00"),
    )
    db.session.commit()


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


def _succeeded_payment(case_id: int, purpose: PaymentPurpose, amount: Decimal) -> None:
    # The case rules read only the amounts paid, not the accounts, so these stay symbolic.
    subject = guarantees.subject(case_id)
    payment = request_payment(db.session, subject, purpose, amount, "matrix:a", "matrix:b", None)
    payment.state = PaymentState.SUCCEEDED
    db.session.commit()


def _case_at(world: World, state: GuaranteeState, recovered: bool = False) -> int:
    """A fresh case of the SME, bank and agency put straight into `state`, with what the moves
    there record: the overdue amount, the compensation paid and, if `recovered`, recovered."""
    case_id = _apply(world.user("sme"), world.ids["bank"], world.ids["agency"])
    case = db.session.get(GuaranteeCase, case_id)
    case.state = state
    if state in (GuaranteeState.OVERDUE, GuaranteeState.COMPENSATED, GuaranteeState.RECOVERING):
        case.overdue_amount, case.days_overdue = Decimal("300000.00"), 95
    db.session.commit()
    if state in (GuaranteeState.COMPENSATED, GuaranteeState.RECOVERING):
        _succeeded_payment(case_id, PaymentPurpose.COMPENSATION, case.overdue_amount)
    if recovered:
        _succeeded_payment(case_id, PaymentPurpose.GUARANTEE_RECOVERY, case.overdue_amount)
    return case_id


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


def _claim(
    pool_id: int, bank_id: int, enterprise_id: int, state: ClaimState = ClaimState.FILED
) -> PoolClaim:
    loan = _pool_loan(pool_id, bank_id, enterprise_id, PoolLoanState.DEFAULTED)
    claim = PoolClaim(
        pool_id=pool_id,
        loan_id=loan.id,
        net_loss=Decimal("400000.00"),
        days_overdue=95,
        filed_on=date.today(),
        payable=Decimal("200000.00"),
        working={},
        state=state,
    )
    db.session.add(claim)
    db.session.commit()
    return claim


def _document(deal_id: int, uploader: User) -> int:
    # Through the service, so the file really is in the data room and downloadable.
    stream = io.BytesIO(PDF)
    return data_room.upload_document(uploader, deal_id, "尽调资料.pdf", stream).id


def _notification(user: User, saved_search_id: int, project_id: int) -> int:
    notification = Notification(
        user_id=user.id, saved_search_id=saved_search_id, title="电池", project_ids=[project_id]
    )
    db.session.add(notification)
    db.session.commit()
    return notification.id


def _finished_batch(zone: Zone, enterprise: Enterprise) -> int:
    batch = ReadinessBatch(
        zone=zone, rule_set="neeq-2013", as_of=date(2025, 6, 30), status=BatchStatus.DONE
    )
    db.session.add(batch)
    db.session.flush()
    check = build_check(enterprise, rule_set_named(batch.rule_set), batch.as_of)
    check.batch_id = batch.id
    db.session.add(check)
    batch.total = batch.done = 1
    db.session.commit()
    return batch.id


def _listing_event(enterprise_id: int) -> ListingEvent:
    event = ListingEvent(
        enterprise_id=enterprise_id,
        venue=ListingVenue.NEEQ,
        event_on=date(2024, 1, 15),
        reference=f"87{next(_seq):04d}",
    )
    db.session.add(event)
    db.session.commit()
    return event


def _other_guidance_fund(enterprise: Enterprise) -> dict[str, int]:
    """Another guidance fund, managed by someone else, with a called sub-fund and a placement."""
    fund = make_institution(InstitutionKind.GUIDANCE_FUND)
    manager = make_user(Role.FUND_MANAGER, institution=fund)
    sub_fund = sub_funds.create_sub_fund(
        manager,
        {
            "name": "东湖成长三号",
            "manager": "另一家股权投资管理有限公司",
            "vintage": 2021,
            "zone": "wuhan",
            "guidance_commitment": 10 * M,
            "limited_partners": [{"name": "己", "commitment": 40 * M}],
            "investment_period_end": date(2027, 12, 31),
            "max_guidance_share": Decimal("0.2500"),
            "reinvestment_multiple": Decimal("1.00"),
            "min_early_stage_share": Decimal("0.3000"),
            "idle_alert_months": 12,
        },
    )
    sub_funds.add_capital_call(
        manager, sub_fund.id, {"called_on": date(2021, 6, 1), "amount": 20 * M}
    )
    placement = sub_funds.add_placement(
        manager,
        sub_fund.id,
        {
            "enterprise_id": enterprise.id,
            "amount": 5 * M,
            "placed_on": date(2022, 1, 10),
            "round": Stage.A,
            "instrument": Instrument.EQUITY,
        },
    )
    return {
        "other_guidance_fund": fund.id,
        "other_sub_fund": sub_fund.id,
        "other_placement": placement.id,
    }


# -- the shared world -------------------------------------------------------------------------


def _deal_flow(world: World) -> dict[str, int]:
    """Grants, projects, the match, the deals with their documents, the saved search."""
    mine, other = world.get(Enterprise, "mine"), world.get(Enterprise, "other")
    investor, vc = world.user("investor"), world.ids["vc"]
    _grant(mine.id, vc, GrantState.GRANTED)
    _grant(other.id, vc, GrantState.REVOKED)
    _grant(other.id, world.ids["guidance_fund"], GrantState.PENDING)
    mandate = _mandate(vc)
    my_published = _project(mine, ProjectStatus.PUBLISHED)
    deal = deals.express_interest(investor, _fresh_match_of(mine, mandate.id).id)
    other_vc = make_institution(InstitutionKind.VC)
    other_investor = make_user(Role.INVESTOR, institution=other_vc)
    other_deal = deals.express_interest(
        other_investor, _fresh_match_of(other, _mandate(other_vc.id).id).id
    )
    saved = saved_searches.create_saved_search(
        investor, {"name": "电池", "frequency": "daily", "query": {"q": "电池"}}
    )
    return {
        "mandate": mandate.id,
        "my_published": my_published.id,
        "my_draft": _project(mine, ProjectStatus.DRAFT).id,
        "other_published": _project(other, ProjectStatus.PUBLISHED).id,
        "other_draft": _project(other, ProjectStatus.DRAFT).id,
        "match": _match(my_published.id, mandate.id).id,
        "deal": deal.id,
        "meeting_stage": next(s.id for s in deals.pipeline(vc) if s.key == "meeting"),
        "document": _document(deal.id, world.user("sme")),
        "other_deal": other_deal.id,
        "other_document": _document(other_deal.id, world.get(User, "other_sme")),
        "saved_search": saved.id,
        "notification": _notification(investor, saved.id, my_published.id),
    }


def _finance(world: World) -> dict[str, int]:
    """The two guarantee cases, Z1's funded pool with its loans and claims."""
    ids = world.ids
    pool = _pool(world.get(Zone, "z1"))
    _fund_pool(pool)
    _pool_loan(pool.id, ids["bank"], ids["mine"], PoolLoanState.ACTIVE)
    _pool_loan(pool.id, ids["other_bank"], ids["other"], PoolLoanState.ACTIVE)
    other_case = _apply(world.get(User, "other_sme"), ids["other_bank"], ids["other_agency"])
    return {
        "my_case": _apply(world.user("sme"), ids["bank"], ids["agency"]),
        "other_case": other_case,
        "pool": pool.id,
        "my_claim": _claim(pool.id, ids["bank"], ids["mine"]).id,
        "other_claim": _claim(pool.id, ids["other_bank"], ids["other"]).id,
    }


def _zone_records(world: World) -> dict[str, int]:
    """Each zone's finished readiness batch and recorded listing."""
    mine, other = world.get(Enterprise, "mine"), world.get(Enterprise, "other")
    return {
        "z1_batch": _finished_batch(world.get(Zone, "z1"), mine),
        "z2_batch": _finished_batch(world.get(Zone, "z2"), other),
        "my_event": _listing_event(mine.id).id,
        "other_event": _listing_event(other.id).id,
    }


def build() -> World:
    """Build the shared world (on top of the guidance-fund test world: zones, funds, manager)."""
    fund_world = build_world()
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
        "fund_manager": fund_world.manager,
        "bank": make_user(Role.BANK, institution=bank),
        "guarantor": make_user(Role.GUARANTOR, institution=agency),
        "zone_admin": make_zone_admin(z1),
        "admin": make_user(Role.ADMIN),
    }
    world = World(users={role: user.id for role, user in users.items()})
    world.headers = {"anonymous": {}} | {role: auth(user) for role, user in users.items()}
    world.ids = {
        "z1": z1.id,
        "z2": z2.id,
        "mine": mine.id,
        "other": other.id,
        "other_sme": make_user(Role.SME, enterprise=other).id,
        "vc": vc.id,
        "bank": bank.id,
        "other_bank": other_bank.id,
        "agency": agency.id,
        "other_agency": other_agency.id,
        "guidance_fund": fund_world.guidance_fund_id,
        "sub_fund": fund_world.early_id,
        "placement": fund_world.placement_ids[2],
        "industry": industries[0].id,
    }
    world.ids |= _other_guidance_fund(other)
    world.ids |= _deal_flow(world)
    world.ids |= _finance(world)
    world.ids |= _zone_records(world)
    world.ids |= _policies(world)
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
    return make_enterprise(world.get(Zone, "z2"), [world.get(Industry, "industry")])


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
        return {"project_id": _project(world.get(Enterprise, key), status).id}

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
    return {"match_id": _fresh_match_of(world.get(Enterprise, "mine"), world.ids["mandate"]).id}


def _fresh_deal(world: World, role: str) -> Params:
    match = _fresh_match_of(world.get(Enterprise, "mine"), world.ids["mandate"])
    deal = deals.express_interest(world.user("investor"), match.id)
    return {"deal_id": deal.id, "stage_id": world.ids["meeting_stage"]}


def _vc_pipeline(world: World, role: str) -> Params:
    # Reordering names every stage once; the current order is a valid one.
    stages = deals.pipeline(world.ids["vc"])
    return {"institution_id": world.ids["vc"], "stage_ids": [stage.id for stage in stages]}


def _fresh_case(state: GuaranteeState, recovered: bool = False) -> Builder:
    return lambda world, role: {"case_id": _case_at(world, state, recovered)}


def _fresh_claim(bank: str, enterprise: str, state: ClaimState) -> Builder:
    def build_claim(world: World, role: str) -> Params:
        ids = world.ids
        return {"claim_id": _claim(ids["pool"], ids[bank], ids[enterprise], state).id}

    return build_claim


def _fresh_loan(bank: str, enterprise: str) -> Builder:
    def build_loan(world: World, role: str) -> Params:
        ids = world.ids
        loan = _pool_loan(ids["pool"], ids[bank], ids[enterprise], PoolLoanState.ACTIVE)
        return {"loan_id": loan.id}

    return build_loan


def _fresh_claim_in_pool(world: World, role: str) -> Params:
    ids = world.ids
    claim = _claim(ids["pool"], ids["bank"], ids["mine"], ClaimState.REVIEWING)
    return {"pool_id": ids["pool"], "claim_id": claim.id}


def _fresh_repayment_batch(world: World, role: str) -> Params:
    batch = PoolBatch(
        pool_id=world.ids["pool"],
        kind=PoolBatchKind.REPAYMENTS,
        created_by_id=world.users["bank"],
        filename="2025-06.csv",
        file_sha256="",
        status=BatchStatus.DONE,
        total=1,
        done=1,
    )
    batch.rows.append(
        PoolBatchRow(
            row_no=2,
            loan_no="L-unknown",
            reference="",
            idempotency_key="",
            status=BatchRowStatus.ERROR,
            message="未找到贷款 / no loan numbered L-unknown",
        )
    )
    db.session.add(batch)
    db.session.commit()
    return {"batch_id": batch.id}


def _fresh_saved_search(world: World, role: str) -> Params:
    saved = saved_searches.create_saved_search(
        world.user("investor"), {"name": "储能", "frequency": "daily", "query": {"q": "储能"}}
    )
    return {"saved_search_id": saved.id}


def _fresh_enterprise_target(world: World, role: str) -> Params:
    return {"enterprise_id": _fresh_enterprise(world).id}


def _fresh_pool(world: World, role: str) -> Params:
    # One payment at a time per pool: each deposit cell needs a pool of its own.
    return {"pool_id": _pool(world.get(Zone, "z1")).id}


def _fresh_flag(world: World, role: str) -> Params:
    first, second = _fresh_enterprise(world), _fresh_enterprise(world)
    flag = DuplicateFlag(
        enterprise_id=first.id,
        candidate_id=second.id,
        enterprise_name=first.name,
        candidate_name=second.name,
        similarity=Decimal("0.950"),
    )
    db.session.add(flag)
    db.session.commit()
    return {"flag_id": flag.id, "survivor_id": first.id}


def _fresh_reward(key: str) -> Builder:
    # Z1's rewards are granted by its zone administrator, Z2's (no administrator here) by an admin.
    granter = {"mine": "zone_admin", "other": "admin"}[key]

    def build_reward(world: World, role: str) -> Params:
        event = _listing_event(world.ids[key])
        data = {"note": "挂牌资助", "amount": Decimal("500000.00")}
        reward = incentives.grant_reward(world.user(granter), event.id, data)
        return {"reward_id": reward.id}

    return build_reward


def _policies(world: World) -> dict[str, int]:
    """Z1's staged listing reward and Z2's, with an application of each zone's SME."""
    ids = world.ids
    z1, z2 = world.get(Zone, "z1"), world.get(Zone, "z2")
    # Without a cap per enterprise, and a budget for every fresh approval the matrix makes.
    z1_policy = zgc_policy(
        z1, "zgc-listing-reward", per_enterprise_cap=None, yearly_budget="9000000000.00"
    )
    z2_policy = zgc_policy(z2, "zgc-listing-reward")
    mine = applications.apply(
        world.user("sme"),
        {"policy_id": z1_policy.id, "subject": f"listing:{ids['my_event']}", "stage": "filing"},
    )
    other = applications.apply(
        world.get(User, "other_sme"),
        {"policy_id": z2_policy.id, "subject": f"listing:{ids['other_event']}", "stage": "filing"},
    )
    attached = policy_documents.attach_document(
        world.user("sme"), mine.id, "受理通知书.pdf", io.BytesIO(PDF)
    )
    return {
        "z1_policy": z1_policy.id,
        "my_application": mine.id,
        "other_application": other.id,
        "my_application_document": attached.id,
    }


# The zone administrator's steps to bring a fresh application to a state.
_APPLICATION_STEPS = {
    ApplicationState.APPLIED: (),
    ApplicationState.REVIEWING: ("review",),
    ApplicationState.APPROVED: ("review", "approve"),
}


def _fresh_listing(world: World, role: str) -> Params:
    event = _listing_event(world.ids["mine"])
    return {"event_id": event.id, "policy_id": world.ids["z1_policy"]}


def _fresh_application(state: ApplicationState) -> Builder:
    def build_application(world: World, role: str) -> Params:
        event = _listing_event(world.ids["mine"])
        application = applications.apply(
            world.user("sme"),
            {
                "policy_id": world.ids["z1_policy"],
                "subject": f"listing:{event.id}",
                "stage": "filing",
            },
        )
        for action in _APPLICATION_STEPS[state]:
            applications.act(world.user("zone_admin"), application.id, action, {})
        return {"application_id": application.id}

    return build_application


def _token_of(role: str) -> Builder:
    """A fresh token of `role`'s user (not the one the request carries); "caller" is the cell's
    own role, and an anonymous caller is given the investor's."""

    def build_token(world: World, cell_role: str) -> Params:
        owner = cell_role if role == "caller" and cell_role != "anonymous" else "investor"
        _, token = issue_token(world.user(owner), "matrix", timedelta(hours=1))
        return {"token_id": token.id}

    return build_token


def _carried_token(world: World, role: str) -> Params:
    # Revoking the token a request carries must not revoke the world's token of that role.
    return {} if role == "anonymous" else {"headers": auth(world.user(role))}


def _stand_in(world: World, role: str) -> Params:
    # Signing out everywhere revokes every token of the caller: a stand-in of the role does it,
    # so the world's own token of that role keeps working.
    return {} if role == "anonymous" else {"headers": auth(make_user(Role(role)))}


def _own_credentials(world: World, role: str) -> Params:
    # The anonymous caller is someone signing in for the first time.
    user = make_user(Role.SME) if role == "anonymous" else world.user(role)
    return {"email": user.email}


def _investor_email(world: World, role: str) -> Params:
    return {"email": world.user("investor").email}


CASE_STATES = (
    "applied",
    "accepted",
    "due_diligence",
    "risk_review",
    "committee_review",
    "approved",
    "contract_signed",
    "fee_collected",
    "disbursed",
    "monitoring",
    "overdue",
    "compensated",
    "recovering",
)

# name -> (what the docs call it, builder)
TARGETS: dict[str, tuple[str, Builder]] = {
    "none": ("—", lambda world, role: {}),
    "own credentials": ("the caller's own e-mail and password", _own_credentials),
    "wrong password": ("the investor's e-mail, a wrong password", _investor_email),
    "carried token": ("the token the request carries", _carried_token),
    "own sessions": ("the caller's sessions and tokens (a stand-in of the role)", _stand_in),
    "own token": ("another token of the caller's", _token_of("caller")),
    "investor's token": ("a token of the investor's", _token_of("investor")),
    "zone": ("a zone", _shared(zone_id="z1")),
    "fresh zone": ("a zone without enterprises", _fresh_zone),
    "industry": ("an industry", _shared(industry_id="industry")),
    "fresh industry": ("an unused industry", _fresh_industry),
    "mine": ("the SME's own enterprise", _shared(enterprise_id="mine")),
    "other": ("another SME's enterprise", _shared(enterprise_id="other")),
    "sme without enterprise": ("(an SME user with no enterprise yet)", _sme_without_enterprise),
    "fresh own enterprise": ("an enterprise of the caller's own", _own_fresh_enterprise),
    "fresh other enterprise": ("another SME's enterprise", _fresh_enterprise_target),
    "fresh flagged pair": ("a suspected duplicate pair", _fresh_flag),
    "my published": ("the SME's published project", _shared(project_id="my_published")),
    "my draft": ("the SME's draft", _shared(project_id="my_draft")),
    "other published": ("another SME's published project", _shared(project_id="other_published")),
    "other draft": ("another SME's draft", _shared(project_id="other_draft")),
    "fresh my draft": ("the SME's draft", _fresh_project("mine", ProjectStatus.DRAFT)),
    "fresh my published": (
        "the SME's published project",
        _fresh_project("mine", ProjectStatus.PUBLISHED),
    ),
    "fresh other draft": ("another SME's draft", _fresh_project("other", ProjectStatus.DRAFT)),
    "fresh other published": (
        "another SME's published project",
        _fresh_project("other", ProjectStatus.PUBLISHED),
    ),
    "vc": ("the investor's institution", _shared(institution_id="vc")),
    "vc pipeline": ("the investor's institution's stages", _vc_pipeline),
    "vc stage": ("a stage of the investor's pipeline", _shared(stage_id="meeting_stage")),
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
    "other deal": ("another investor's deal with another SME", _shared(deal_id="other_deal")),
    "document": ("a document in the investor's deal with the SME", _shared(document_id="document")),
    "other document": (
        "a document in another investor's deal with another SME",
        _shared(document_id="other_document"),
    ),
    "my case": ("the SME's case (bank, agency)", _shared(case_id="my_case")),
    "other case": ("a case of another SME, bank and agency", _shared(case_id="other_case")),
    **{
        f"fresh case {state}": (
            f"the SME's case, {state.replace('_', ' ')}",
            _fresh_case(GuaranteeState(state)),
        )
        for state in CASE_STATES
    },
    "fresh case recovered": (
        "the SME's case, recovering, compensation fully recovered",
        _fresh_case(GuaranteeState.RECOVERING, recovered=True),
    ),
    "pool": ("Z1's pool", _shared(pool_id="pool")),
    "fresh pool": ("Z1's pool", _fresh_pool),
    "fresh my loan": ("the bank's active loan in Z1's pool", _fresh_loan("bank", "mine")),
    "fresh other loan": (
        "another bank's active loan in Z1's pool",
        _fresh_loan("other_bank", "other"),
    ),
    "my claim": ("the bank's claim on Z1's pool", _shared(claim_id="my_claim")),
    "other claim": ("another bank's claim on Z1's pool", _shared(claim_id="other_claim")),
    **{
        f"fresh claim {state}": (f"the bank's claim, {state}", _fresh_claim("bank", "mine", state))
        for state in (ClaimState.FILED, ClaimState.REVIEWING, ClaimState.APPROVED, ClaimState.PAID)
    },
    "fresh claim reviewing in pool": (
        "the bank's claim in Z1's pool, reviewing",
        _fresh_claim_in_pool,
    ),
    "fresh repayment batch": ("the bank's repayment file on Z1's pool", _fresh_repayment_batch),
    "fresh other claim paid": (
        "another bank's claim, paid",
        _fresh_claim("other_bank", "other", ClaimState.PAID),
    ),
    "guidance fund": (
        "the fund manager's guidance fund",
        _shared(guidance_fund_id="guidance_fund"),
    ),
    "other guidance fund": (
        "another manager's guidance fund",
        _shared(guidance_fund_id="other_guidance_fund"),
    ),
    "sub-fund": ("a sub-fund of that guidance fund", _shared(sub_fund_id="sub_fund")),
    "other sub-fund": (
        "a sub-fund of another guidance fund",
        _shared(sub_fund_id="other_sub_fund"),
    ),
    "placement": ("a placement of that sub-fund", _shared(placement_id="placement")),
    "other placement": (
        "a placement of another guidance fund's sub-fund",
        _shared(placement_id="other_placement"),
    ),
    "z1 code": ("zone Z1 (the zone admin's)", lambda world, role: {"code": "zhongguancun"}),
    "z2 code": ("zone Z2 (another zone)", lambda world, role: {"code": "wuhan"}),
    "z1 batch": ("Z1's readiness batch", _shared(batch_id="z1_batch")),
    "z2 batch": ("Z2's readiness batch", _shared(batch_id="z2_batch")),
    "my event": ("the SME's listing (zone Z1)", _shared(event_id="my_event")),
    "other event": ("another SME's listing (zone Z2)", _shared(event_id="other_event")),
    "fresh my reward": ("a reward for the SME's listing, recorded", _fresh_reward("mine")),
    "fresh other reward": ("a reward for another SME's listing, recorded", _fresh_reward("other")),
    "my listing fresh": ("a new listing of the SME, with Z1's listing reward", _fresh_listing),
    "my application": (
        "the SME's application under Z1's listing reward",
        _shared(application_id="my_application"),
    ),
    "my application document": (
        "a document of the SME's application under Z1's listing reward",
        _shared(document_id="my_application_document"),
    ),
    "other application": (
        "another SME's application under Z2's listing reward",
        _shared(application_id="other_application"),
    ),
    **{
        f"fresh application {state}": (
            f"the SME's application, {state}",
            _fresh_application(state),
        )
        for state in _APPLICATION_STEPS
    },
    "saved search": ("the investor's saved search", _shared(saved_search_id="saved_search")),
    "fresh saved search": ("the investor's saved search", _fresh_saved_search),
    "notification": ("the investor's notification", _shared(notification_id="notification")),
}
