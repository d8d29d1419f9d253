"""The page forms the bad-input test attacks: for each, who posts it where, with which valid
fields, and which fields get which corpus values.

Each builder makes the records its form needs (the suite empties every table after a test) and
returns a `Target`. Values are chosen per kind of field, a representative subset of
tests/bad_input.py: every value of a kind is one the field must refuse, so each must come back
with a message under that field.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

from tests.bad_input import (
    CONTROL_CHARACTERS,
    DIRECTION_CONTROLS,
    ES_INJECTION,
    HUGE_AND_NEGATIVE_AMOUNTS,
    IMPLAUSIBLE_DATES,
    IMPOSSIBLE_DATES,
    LONG_TEXT,
    LOOSE_AMOUNTS,
    MIXED_SCRIPTS,
    SQL_INJECTION,
)
from tests.factories.accounts import make_user, make_zone_admin
from tests.factories.finance import loss_parts, make_parties, make_pool
from tests.factories.funds import build_world
from tests.factories.matching import make_match_world
from tests.factories.policies import make_loan_case, qualify, zgc_policy
from tests.factories.registry import (
    credit_code,
    make_enterprise,
    make_industries,
    make_institution,
    make_zone,
)
from tests.matching.documents import PDF
from torchfin.extensions import db
from torchfin.models import DuplicateFlag, Enterprise, Placement, User
from torchfin.models.enums import ClaimState, InstitutionKind, Role
from torchfin.services.finance import guarantees, pools
from torchfin.services.finance.policies import applications
from torchfin.services.matching import deals
from torchfin.services.matching.pipeline_stages import stages_for
from torchfin.services.registry import access_grants

# Text no field may hold: far too long, with control characters or a direction override.
TEXT = [LONG_TEXT, *CONTROL_CHARACTERS[:3], DIRECTION_CONTROLS[0]]
# Amounts as a form sends them; none is a plain positive amount of at most two decimals. A page
# strips the blanks around what is typed (form_flow.submitted): " 100.00 " is the API's alone.
AMOUNTS = [str(value) for value in HUGE_AND_NEGATIVE_AMOUNTS] + [
    value for value in LOOSE_AMOUNTS if value == value.strip()
]
# Days no field may hold, impossible or outside every window.
DATES = [*IMPOSSIBLE_DATES, *IMPLAUSIBLE_DATES]
# Words, injection and garbage where a number is asked for.
WHOLE_NUMBERS = ["abc", "1.5", str(10**30), "-1", SQL_INJECTION[0], ES_INJECTION[1]]
# Naming an enterprise: a short code, letters outside GB 32100, injections, one nobody has.
CREDIT_CODES = [
    "91110108MA01ABCD",
    "91110108MA01ABCDEI",
    SQL_INJECTION[0],
    ES_INJECTION[1],
    MIXED_SCRIPTS[0],
    credit_code(987654),
]
# Anything but one of the listed choices.
CHOICES = [SQL_INJECTION[1], ES_INJECTION[0], ES_INJECTION[4], MIXED_SCRIPTS[0], LONG_TEXT]
# A file field sent plain text instead of a file, or a file whose bytes are no document.
# (A valid PDF under a long or control-laden name is fine: the name is cleaned and shortened.)
FILES = [
    "not a file",
    (b"' OR '1'='1", "report.pdf"),
    (LONG_TEXT.encode(), "long.pdf"),
    (b'{"match_all":{}}', "x" * 300 + ".docx"),
    (b"plain text", "名称\x00截断.xlsx"),
    (PDF, "report.exe"),
]
# Not ids, beyond an id column, and the largest id no record has (the service says 404).
BAD_PATH_IDS = ["abc", "-1", str(10**30), "1 OR 1=1", "*:*", str(2**62), str(2**31 - 1)]


def messages_after(html: str, name: str) -> list[str]:
    """The error messages a page shows between an input called `name` and the next input."""
    starts = [m.start() for m in re.finditer(f'name="{re.escape(name)}"', html)]
    if not starts:
        raise AssertionError(f"no field {name} on the page")
    found = []
    for start in starts:
        end = html.find(' name="', start + len(name) + 7)
        segment = html[start : end if end > 0 else len(html)]
        found += re.findall(
            r'class="(?:errors|alert alert-error)"[^>]*>(.*?)</(?:ul|span|p)>', segment, re.S
        )
    return [text for text in (unescape(re.sub(r"<[^>]+>", " ", f)).strip() for f in found) if text]


@dataclass
class Target:
    """One form: where it posts, as whom, what a valid post holds, and what is attacked.

    `url` has an `{id}` where a record id sits (replaced by bad ids too); `attacks` maps a posted
    field name to the values it must refuse. `accepted` is the status of the valid post.
    """

    user: User
    url: str
    record_id: int
    valid: dict
    attacks: dict[str, list] = field(default_factory=dict)
    locate: Callable[[str, str], list[str]] = messages_after
    accepted: tuple[int, ...] = (302, 303)

    def post_data(self, changes: dict | None = None) -> dict:
        """The valid fields with `changes`; (bytes, name) pairs become uploaded files."""
        data = {**self.valid, **(changes or {})}
        return {
            name: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
            for name, value in data.items()
        }


def _prefixed(prefix: str, fields: dict) -> dict:
    return {f"{prefix}-{name}": value for name, value in fields.items()}


def enterprise_profile() -> Target:
    """/my/enterprise: the SME keeps its registered enterprise's record."""
    industries = make_industries()
    enterprise = make_enterprise(make_zone(), [industries["nev"]])
    financial = {
        "year": "2024",
        "revenue": "12345678.90",
        "net_profit": "1000000.00",
        "rd_spend": "2000000.00",
        "total_assets": "50000000.00",
        "total_liabilities": "20000000.00",
        "employees": "120",
        "college_staff": "80",
    }
    valid = {
        "name": enterprise.name,
        "legal_form": "llc",
        "founded_on": "2015-03-01",
        "zone": "zhongguancun",
        "industries": "nev",
        "description": "研发动力电池管理系统",
        "employees": "120",
        "invention_patents_granted": "3",
        "invention_patents_pending": "1",
        "qualifications-0-kind": "",
        **_prefixed("financials-0", financial),
    }
    attacks = {
        "name": TEXT,
        "description": TEXT,
        "founded_on": DATES,
        "legal_form": CHOICES,
        "zone": CHOICES,
        "industries": CHOICES,
        "employees": WHOLE_NUMBERS,
        "invention_patents_granted": WHOLE_NUMBERS,
        "financials-0-year": WHOLE_NUMBERS,
        "financials-0-revenue": AMOUNTS,
        "financials-0-employees": WHOLE_NUMBERS,
    }
    user = make_user(Role.SME, enterprise=enterprise)
    return Target(user, "/my/enterprise", 0, valid, attacks)


def _subscription_messages(html: str, name: str) -> list[str]:
    # Saving a search answers with a list of "label：message" lines on top of the page.
    from torchfin.web.labels import label
    from torchfin.web.subscriptions import SAVE_FIELDS

    prefix = str(SAVE_FIELDS[name]) if name in SAVE_FIELDS else label("search_field", name)
    box = re.search(r'<div class="alert alert-error" role="alert">(.*?)</div>', html, re.S)
    items = re.findall(r"<li>(.*?)</li>", box.group(1), re.S) if box else []
    return [unescape(i) for i in items if unescape(i).startswith(prefix)]


def saved_search() -> Target:
    """/subscriptions: an investor saves a search from the search page."""
    make_zone()
    user = make_user(Role.INVESTOR, institution=make_institution())
    valid = {"name": "电池项目", "frequency": "daily", "q": "电池"}
    attacks = {
        "name": TEXT,
        "frequency": CHOICES,
        "q": TEXT,
        "amount_min": AMOUNTS,
        "stage": CHOICES[:3],
        "founded_from": WHOLE_NUMBERS,
    }
    return Target(user, "/subscriptions", 0, valid, attacks, _subscription_messages)


def readiness_facts() -> Target:
    """The readiness facts form of an enterprise, posted by the enterprise."""
    enterprise = make_enterprise(make_zone(), [make_industries()["it"]])
    user = make_user(Role.SME, enterprise=enterprise)
    valid = {"converted_on": "2020-01-02", "main_business": "芯片设计", "shares_lawful": "true"}
    attacks = {
        "converted_on": DATES,
        "main_business": TEXT,
        "shares_evidence": TEXT,
        "sponsor_broker_id": WHOLE_NUMBERS,
        "sponsor_engaged_on": DATES,
        "confirmation_letter_no": TEXT,
        "confirmation_letter_on": DATES,
    }
    url = "/enterprises/{id}/readiness/facts"
    return Target(user, url, enterprise.id, valid, attacks)


def readiness_meeting() -> Target:
    """The governance meeting form of the same page."""
    target = readiness_facts()
    valid = {"body": "board", "held_on": "2024-05-06", "minutes_ref": "董事会决议 2024-1"}
    attacks = {"body": CHOICES, "held_on": DATES, "minutes_ref": TEXT}
    url = "/enterprises/{id}/readiness/meetings"
    return Target(target.user, url, target.record_id, valid, attacks)


def _guarantee_parties() -> dict:
    enterprise = make_enterprise(make_zone(), [make_industries()["nev"]])
    bank = make_institution(InstitutionKind.BANK)
    agency = make_institution(InstitutionKind.GUARANTOR)
    return {
        "sme": make_user(Role.SME, enterprise=enterprise),
        "guarantor": make_user(Role.GUARANTOR, institution=agency),
        "bank_id": bank.id,
        "agency_id": agency.id,
    }


APPLICATION = {
    "principal": "3000000",
    "term_months": "12",
    "loan_rate": "0.0435",
    "fee_rate": "0.02",
    "purpose": "采购动力电池电芯",
}


def guarantee_application() -> Target:
    """/guarantees/new: an enterprise applies for a guarantee."""
    p = _guarantee_parties()
    valid = {"bank_id": str(p["bank_id"]), "agency_id": str(p["agency_id"]), **APPLICATION}
    attacks = {
        "bank_id": WHOLE_NUMBERS,
        "agency_id": WHOLE_NUMBERS,
        "principal": AMOUNTS,
        "term_months": WHOLE_NUMBERS,
        "loan_rate": AMOUNTS,
        "fee_rate": AMOUNTS,
        "purpose": TEXT,
    }
    return Target(p["sme"], "/guarantees/new", 0, valid, attacks)


def guarantee_action() -> Target:
    """A case action form (submit the due-diligence report); every field of the action form."""
    p = _guarantee_parties()
    data = {**APPLICATION, "bank_id": p["bank_id"], "agency_id": p["agency_id"]}
    case = guarantees.apply(p["sme"], guarantees_schema_load(data))
    for move in ("accept", "start_due_diligence"):
        guarantees.act(p["guarantor"], case.id, move, {})
    action = "submit_risk_review"
    valid = _prefixed(action, {"due_diligence_report": "尽调报告：经营正常"})
    attacks = {
        f"{action}-{name}": values
        for name, values in {
            "due_diligence_report": TEXT,
            "reason": TEXT,
            "contract_no": TEXT,
            "counter_guarantees": TEXT,
            "loan_no": TEXT,
            "repaid_on": DATES,
            "overdue_amount": AMOUNTS,
            "days_overdue": WHOLE_NUMBERS,
            "amount": AMOUNTS,
        }.items()
    }
    return Target(p["guarantor"], f"/guarantees/{{id}}/{action}", case.id, valid, attacks)


def guarantees_schema_load(data: dict) -> dict:
    """An application as the API's schema loads it."""
    from schemas.guarantee import GuaranteeApplySchema

    return GuaranteeApplySchema().load({k: str(v) for k, v in data.items()})


def _pool_world() -> dict:
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["nev"]])
    bank = make_institution(InstitutionKind.BANK)
    return {
        "pool_id": make_pool(zone).id,
        "enterprise_id": enterprise.id,
        "sponsor": make_zone_admin(zone),
        "banker": make_user(Role.BANK, institution=bank),
    }


def _pool_loan(w: dict):
    from schemas.pool import PoolLoanSchema

    maturity = date.today() + timedelta(days=365)
    loan = {
        "enterprise_id": w["enterprise_id"],
        "loan_no": "JK-2025-0001",
        "principal": "3000000.00",
        "maturity_on": maturity.isoformat(),
    }
    return pools.register_loan(w["banker"], w["pool_id"], PoolLoanSchema().load(loan))


def pool_deposit() -> Target:
    """The sponsor's deposit form on the pool's page."""
    w = _pool_world()
    valid = {"deposit-amount": "2500000.00"}
    return Target(
        w["sponsor"], "/pools/{id}/deposits", w["pool_id"], valid, {"deposit-amount": AMOUNTS}
    )


def pool_opening_balance() -> Target:
    """The sponsor's opening-balance form on the pool's page."""
    w = _pool_world()
    valid = _prefixed("opening", {"dated_on": str(date.today()), "amount": "2500000.00"})
    attacks = {"opening-dated_on": DATES, "opening-amount": AMOUNTS}
    return Target(w["sponsor"], "/pools/{id}/opening-balance", w["pool_id"], valid, attacks)


def pool_loan() -> Target:
    """A bank registers a loan into the pool."""
    w = _pool_world()
    valid = _prefixed(
        "loan",
        {
            "credit_code": db.session.get(Enterprise, w["enterprise_id"]).credit_code,
            "loan_no": "JK-2025-0100",
            "principal": "3000000.00",
            "maturity_on": str(date.today() + timedelta(days=365)),
        },
    )
    attacks = {
        "loan-credit_code": CREDIT_CODES,
        "loan-enterprise_id": WHOLE_NUMBERS,
        "loan-loan_no": TEXT,
        "loan-principal": AMOUNTS,
        "loan-registered_on": DATES,
        "loan-maturity_on": DATES,
    }
    return Target(w["banker"], "/pools/{id}/loans", w["pool_id"], valid, attacks)


def pool_claim() -> Target:
    """The bank's claim on one of its loans."""
    w = _pool_world()
    loan = _pool_loan(w)
    prefix = f"claim{loan.id}"
    valid = _prefixed(prefix, {**loss_parts("500000.00"), "days_overdue": "120"})
    attacks = {
        f"{prefix}-outstanding_principal": AMOUNTS,
        f"{prefix}-accrued_interest": AMOUNTS,
        f"{prefix}-collateral_realised": AMOUNTS,
        f"{prefix}-days_overdue": WHOLE_NUMBERS,
        f"{prefix}-filed_on": DATES,
    }
    url = f"/pools/{{id}}/loans/{loan.id}/claims"
    return Target(w["banker"], url, w["pool_id"], valid, attacks)


def pool_claim_action() -> Target:
    """The sponsor's decision on a claim under review: the reject form, the one with a field
    (review, approve and pay post the same form class without showing it)."""
    from schemas.pool import ClaimFileSchema

    w = _pool_world()
    loan = _pool_loan(w)
    claim = pools.file_claim(
        w["banker"], loan.id, ClaimFileSchema().load({**loss_parts("500000"), "days_overdue": 120})
    )
    pools.act_on_claim(w["sponsor"], claim.id, "review", {})
    prefix = f"reject{claim.id}"
    url = f"/pools/{{id}}/claims/{claim.id}/reject"
    valid = {f"{prefix}-reason": "贷款材料不全"}
    return Target(w["sponsor"], url, w["pool_id"], valid, {f"{prefix}-reason": TEXT})


def pool_repay() -> Target:
    """The bank reports one of its loans repaid."""
    w = _pool_world()
    loan = _pool_loan(w)
    prefix = f"repay{loan.id}"
    url = f"/pools/{{id}}/loans/{loan.id}/repay"
    valid = {f"{prefix}-repaid_on": str(date.today())}
    return Target(w["banker"], url, w["pool_id"], valid, {f"{prefix}-repaid_on": DATES})


def pool_recovery() -> Target:
    """The bank reports what it recovered on a paid claim."""
    from schemas.pool import ClaimFileSchema

    w = _pool_world()
    loan = _pool_loan(w)
    claim = pools.file_claim(
        w["banker"], loan.id, ClaimFileSchema().load({**loss_parts("500000"), "days_overdue": 120})
    )
    # Paying the claim is a worker's job, tested elsewhere; the form only needs a paid claim.
    claim.state, claim.payable = ClaimState.PAID, Decimal("250000.00")
    db.session.commit()
    prefix = f"recovery{claim.id}"
    url = f"/pools/{{id}}/claims/{claim.id}/recoveries"
    valid = {f"{prefix}-recovered": "100000.00"}
    return Target(w["banker"], url, w["pool_id"], valid, {f"{prefix}-recovered": AMOUNTS})


SUB_FUND = {
    "name": "中关村硬科技三号",
    "manager": "某私募股权投资管理有限公司",
    "vintage": "2024",
    "zone": "zhongguancun",
    "guidance_commitment": "25000000",
    "investment_period_end": "2029-12-31",
    "max_guidance_share": "0.25",
    "reinvestment_multiple": "1.5",
    "min_early_stage_share": "0.3",
    "limited_partners-0-name": "北京某产业投资有限公司",
    "limited_partners-0-commitment": "50000000",
}


def sub_fund() -> Target:
    """The guidance fund commits to a new sub-fund."""
    world = build_world()
    attacks = {
        "name": TEXT,
        "manager": TEXT,
        "vintage": WHOLE_NUMBERS,
        "zone": CHOICES,
        "guidance_commitment": AMOUNTS,
        "investment_period_end": DATES,
        "max_guidance_share": AMOUNTS,
        "reinvestment_multiple": [a for a in AMOUNTS if a != "1.001"],  # 1.001 times is fine
        "min_early_stage_share": AMOUNTS,
        "idle_alert_months": WHOLE_NUMBERS,
        "limited_partners-0-name": TEXT,
        "limited_partners-0-commitment": AMOUNTS,
    }
    url = "/funds/{id}/sub-funds/new"
    return Target(world.manager, url, world.guidance_fund_id, SUB_FUND, attacks)


def capital_call() -> Target:
    """A capital call of a sub-fund."""
    world = build_world()
    valid = {"call-called_on": "2024-03-01", "call-amount": "1000000"}
    attacks = {"call-called_on": DATES, "call-amount": AMOUNTS}
    url = "/funds/sub-funds/{id}/capital-calls"
    return Target(world.manager, url, world.early_id, valid, attacks)


def placement() -> Target:
    """A placement of a sub-fund into an enterprise."""
    world = build_world()
    investee = db.session.get(Placement, world.placement_ids[0]).enterprise
    valid = _prefixed(
        "placement",
        {
            "credit_code": investee.credit_code,
            "amount": "1000000",
            "placed_on": "2024-04-01",
            "round": "b",
            "instrument": "equity",
        },
    )
    attacks = {
        "placement-credit_code": CREDIT_CODES,
        "placement-enterprise_id": WHOLE_NUMBERS,
        "placement-amount": AMOUNTS,
        "placement-placed_on": DATES,
        "placement-round": CHOICES,
        "placement-instrument": CHOICES,
    }
    url = "/funds/sub-funds/{id}/placements"
    return Target(world.manager, url, world.early_id, valid, attacks)


def placement_exit() -> Target:
    """An exit from a placement."""
    world = build_world()
    placement_id = world.placement_ids[2]
    prefix = f"exit{placement_id}"
    valid = _prefixed(prefix, {"exited_on": "2024-01-15", "proceeds": "1000000"})
    attacks = {f"{prefix}-exited_on": DATES, f"{prefix}-proceeds": AMOUNTS}
    url = f"/funds/sub-funds/{{id}}/placements/{placement_id}/exits"
    return Target(world.manager, url, world.early_id, valid, attacks)


def data_room_upload() -> Target:
    """The enterprise uploads a document on the deal page."""
    w = make_match_world()
    deal = deals.express_interest(w["investor_user"], w["match"].id)
    valid = {"file": (PDF, "报告.pdf")}
    url = "/deals/{id}/documents"
    return Target(w["sme_user"], url, deal.id, valid, {"file": FILES})


def pipeline_stages() -> Target:
    """The institution renames and reorders its pipeline's stages."""
    w = make_match_world()
    user = w["investor_user"]
    stages = stages_for(user, user.institution_id)
    valid = {}
    for position, stage in enumerate(stages, start=1):
        valid |= {f"name-{stage.id}": stage.name, f"position-{stage.id}": str(position)}
    first = stages[0].id
    attacks = {f"name-{first}": TEXT, f"position-{first}": WHOLE_NUMBERS}
    return Target(user, "/deals/stages", 0, valid, attacks)


def access_decision() -> Target:
    """The SME grants an institution's request for its financials: no field but the path."""
    enterprise = make_enterprise(make_zone(), [make_industries()["nev"]])
    sme = make_user(Role.SME, enterprise=enterprise)
    investor = make_user(Role.INVESTOR, institution=make_institution())
    grant = access_grants.request_access(investor, enterprise.id, "尽职调查")
    return Target(sme, "/my/access/{id}/grant", grant.id, {})


def duplicate_merge() -> Target:
    """The admin merges a flagged pair, keeping the enterprise it names."""
    zone = make_zone()
    kept = make_enterprise(zone, [], name="北京锂动新能源科技有限公司")
    twin = make_enterprise(zone, [], name="北京锂动新能源有限公司")
    flag = DuplicateFlag(
        enterprise_id=twin.id,
        candidate_id=kept.id,
        enterprise_name=twin.name,
        candidate_name=kept.name,
        similarity=Decimal("0.900"),
    )
    db.session.add(flag)
    db.session.commit()
    admin = make_user(Role.ADMIN)
    attacks = {"survivor_id": [*WHOLE_NUMBERS, ""]}
    url = "/admin/duplicates/{id}/merge"
    return Target(admin, url, flag.id, {"survivor_id": str(kept.id)}, attacks)


def _policy_world() -> tuple:
    """中关村's interest subsidy and a qualified enterprise with a disbursed loan."""
    parties = make_parties()
    policy = zgc_policy(parties.zone, "zgc-loan-interest-subsidy")
    qualify(parties)
    return parties, policy, make_loan_case(parties)


def policy_application() -> Target:
    """/policies/<id>/apply: an SME applies under a policy for one of its loans."""
    parties, policy, case = _policy_world()
    valid = {"subject": f"guarantee:{case.id}", "note": "用于研发设备采购"}
    attacks = {"subject": CHOICES, "note": TEXT}
    return Target(parties.sme, "/policies/{id}/apply", policy.id, valid, attacks)


def policy_decision() -> Target:
    """An application's rejection by its zone, with the reason."""
    parties, policy, case = _policy_world()
    application = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case.id}"}
    )
    valid = {"reject-reason": "贷款用途与主营业务无关"}
    attacks = {"reject-reason": TEXT}
    return Target(
        parties.sponsor, "/policy-applications/{id}/reject", application.id, valid, attacks
    )


def policy_document() -> Target:
    """The enterprise attaches a document to its application."""
    parties, policy, case = _policy_world()
    application = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case.id}"}
    )
    valid = {"file": (PDF, "借款合同.pdf")}
    url = "/policy-applications/{id}/documents"
    return Target(parties.sme, url, application.id, valid, {"file": FILES})


TARGETS: dict[str, Callable[[], Target]] = {
    "enterprise profile": enterprise_profile,
    "saved search": saved_search,
    "readiness facts": readiness_facts,
    "readiness meeting": readiness_meeting,
    "guarantee application": guarantee_application,
    "guarantee action": guarantee_action,
    "pool deposit": pool_deposit,
    "pool opening balance": pool_opening_balance,
    "pool loan": pool_loan,
    "pool claim": pool_claim,
    "pool claim decision": pool_claim_action,
    "pool loan repaid": pool_repay,
    "pool recovery": pool_recovery,
    "sub-fund": sub_fund,
    "capital call": capital_call,
    "placement": placement,
    "exit": placement_exit,
    "data-room upload": data_room_upload,
    "pipeline stages": pipeline_stages,
    "access decision": access_decision,
    "duplicate merge": duplicate_merge,
    "policy application": policy_application,
    "policy decision": policy_decision,
    "policy document": policy_document,
}
