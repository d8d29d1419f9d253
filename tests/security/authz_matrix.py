"""The authorisation matrix: roles x resources x actions, the one source of truth.

`docs/security.md` carries this table rendered as Markdown (between the `authz-matrix` markers)
and `test_authz_matrix.py` sends every cell to the real API. Change a rule here, then rewrite the
document with

    .venv/bin/python -m tests.security.authz_matrix

(a test fails while the two disagree). Cells: `ok` a 2xx answer, `401` not signed in, `403`
refused, `404` not shown to the caller at all (the record's existence is itself not theirs).
"""

import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.factories.accounts import PASSWORD
from tests.factories.finance import loss_parts
from tests.matching.documents import PDF
from tests.security.authz_world import ROLES, TARGETS

API_PREFIX = "/api/v1"
SIGNED_IN = ROLES[1:]
INSTITUTIONS = ("investor", "fund_manager", "bank", "guarantor")
DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START, END = "<!-- authz-matrix:start -->", "<!-- authz-matrix:end -->"


def only(*allowed: str, others: str = "403", anon: str = "401", **special: str) -> dict:
    """Expected outcome per role: `ok` for `allowed`, `others` for the rest, `special` overrides."""
    expected = {role: "ok" if role in allowed else others for role in SIGNED_IN}
    return {"anonymous": anon} | expected | special


EVERYONE = only(*SIGNED_IN)
PUBLIC = only(*SIGNED_IN, anon="ok")
ADMINS = only("admin")
# The enterprise itself, its zone's administrators (Z1's for `mine`) and platform admins.
FOLLOWERS = only("sme", "zone_admin", "admin")
ZONE_Z1 = only("zone_admin", "admin")
FUND_MANAGERS = only("fund_manager", "admin")
# What only its owner (the investor) may see or touch: to anyone else it does not exist.
INVESTORS_OWN = only("investor", others="404")
# A deal's two parties and the admins who oversee deals; to anyone else the deal does not exist.
DEAL_PARTIES = only("sme", "investor", "admin", others="404")

Body = dict | Callable[[dict], dict] | None
Upload = Callable[[], dict] | None


@dataclass(frozen=True)
class Rule:
    """One row: who may take `action` on `resource` (the `target` record), through which call."""

    resource: str
    action: str
    target: str
    method: str
    path: str
    expect: dict
    body: Body = None
    upload: Upload = None  # a multipart form (field -> (stream, file name)), built per request

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.resource}:{self.action}:{self.target}".replace(" ", "_")

    @property
    def operation(self) -> str:
        """The OpenAPI operation the row calls: method and path template, query left out."""
        return f"{self.method} {API_PREFIX}{self.path.partition('?')[0]}"


def _zone_body(p: dict) -> dict:
    n = p["n"]
    return {
        "code": f"nz{n}",
        "name_zh": f"新园区{n}",
        "name_en": f"New zone {n}",
        "province": "湖北省",
        "city": "武汉",
        "year_approved": 1991,
    }


def _enterprise_body(p: dict) -> dict:
    from tests.factories.registry import credit_code

    return {
        "credit_code": credit_code(),
        "name": f"武汉新能科技有限公司{p['n']}",
        "legal_form": "llc",
        "founded_on": "2016-05-01",
        "zone": "wuhan",
        "industries": ["it"],
    }


def _project_body(enterprise_id: int) -> Callable[[dict], dict]:
    return lambda p: {
        "enterprise_id": enterprise_id,
        "title": "储能项目",
        "summary": "扩大产能",
        "amount_sought": "8000000.00",
        "instrument": "equity",
        "stage": "a",
    }


MANDATE_BODY = {
    "name": "早期基金",
    "instruments": ["equity"],
    "stages": ["a"],
    "ticket_min": "1000000.00",
    "ticket_max": "9000000.00",
}
APPLY_BODY = {"principal": "2000000.00", "term_months": 12, "loan_rate": "0.0500"}
POOL_BODY = {
    "sponsor": "武汉市科技局",
    "coverage": "0.5000",
    "per_loan_cap": "2000000.00",
    "yearly_cap": "5000000.00",
    "days_overdue_threshold": 90,
    "bad_loan_ratio_threshold": "0.0500",
}
LOAN_BODY = {"principal": "500000.00", "maturity_on": "2030-01-01"}
READY = {"rule_set": "neeq-2013", "as_of": "2025-06-30"}
MEETING_BODY = {"body": "board", "held_on": "2024-03-01", "minutes_ref": "董事会决议（2024）1号"}
CALL_BODY = {"called_on": "2023-06-01", "amount": "1000.00"}
PLACEMENT_BODY = {
    "enterprise_id": "{mine}",
    "amount": "1000.00",
    "placed_on": "2023-06-01",
    "round": "a",
    "instrument": "equity",
}
EXIT_BODY = {"exited_on": "2023-06-30", "proceeds": "1500.00"}
REWARD_BODY = {"policy": "中关村新三板挂牌资助", "amount": "500000.00"}
POLICY_BODY = {
    "code": "zgc-ip-pledge-interest",
    "kind": "ip_pledge_interest_subsidy",
    "name_zh": "知识产权质押贷款贴息",
    "name_en": "IP-pledge loan interest subsidy",
    "valid_from": "2026-01-01",
    "rules": [{"rule": "in_zone"}, {"rule": "loan_disbursed"}],
    "formula": {"type": "interest_share", "share": "0.3000", "cap": "300000.00"},
    "yearly_budget": "3000000.00",
}
# An application's enterprise, Z1's administrators and admins see it; nobody else knows of it.
APPLICATION_FOLLOWERS = only("sme", "zone_admin", "admin", others="404")
# Only Z1's own administrators decide and pay; the SME and admins see it but may not.
APPLICATION_DECIDERS = only("zone_admin", others="404", sme="403", admin="403")
QUARTER_2023_2 = "year=2023&quarter=2"


def _sub_fund_body(p: dict) -> dict:
    return {
        "name": f"新设子基金{p['n']}",
        "manager": "某创业投资管理有限公司",
        "vintage": 2024,
        "zone": "zhongguancun",
        "guidance_commitment": "10000000.00",
        "investment_period_end": "2030-12-31",
        "max_guidance_share": "0.2500",
        "reinvestment_multiple": "1.50",
        "min_early_stage_share": "0.3000",
        "limited_partners": [{"name": "甲", "commitment": "30000000.00"}],
    }


def _listing_body(enterprise_id: str) -> dict:
    return {
        "enterprise_id": enterprise_id,
        "venue": "neeq",
        "event_on": "2025-01-15",
        "reference": "874001",
    }


def _pdf_upload() -> dict:
    return {"file": (io.BytesIO(PDF), "商业计划书.pdf")}


def _repayment_file_upload() -> dict:
    # A loan number no pool has: a batch of one row in error, saved without a job to run.
    return {
        "file": (
            io.BytesIO("贷款编号,还款金额,还款日期\nL-none,1.00,2025-06-30\n".encode()),
            "m.csv",
        )
    }


def _case_move(action: str, state: str, by: str, body: dict) -> Rule:
    """A guarantee-case move on a fresh case in `state`, taken by `by` (the agency or the bank).

    The case's other parties and admins see the case and are refused (403); to everyone else
    it does not exist (404).
    """
    refused = {party: "403" for party in ("sme", "bank", "guarantor", "admin") if party != by}
    expect = only(by, others="404", **refused)
    path = f"/guarantees/{{case_id}}/{action}"
    return Rule("guarantee cases", action, f"fresh case {state}", "POST", path, expect, body)


# Each move of a case: the state it starts from, the party that takes it, what it needs.
CASE_MOVES = (
    ("accept", "applied", "guarantor", {}),
    ("start_due_diligence", "accepted", "guarantor", {}),
    ("submit_risk_review", "due_diligence", "guarantor", {"due_diligence_report": "尽调报告"}),
    ("submit_to_committee", "risk_review", "guarantor", {"risk_opinion": "风险可控"}),
    ("approve", "committee_review", "guarantor", {"committee_resolution": "评审会通过"}),
    ("reject", "applied", "guarantor", {"reason": "资料不全"}),
    (
        "sign_contract",
        "approved",
        "guarantor",
        {"contract_no": "DB-2025-001", "counter_guarantees": ["股权质押"]},
    ),
    ("collect_fee", "contract_signed", "guarantor", {}),
    ("disburse", "fee_collected", "bank", {"loan_no": "LN-2025-001"}),
    ("start_monitoring", "disbursed", "guarantor", {}),
    ("release", "monitoring", "bank", {"repaid_on": "2025-06-30"}),
    ("report_overdue", "monitoring", "bank", {"overdue_amount": "300000.00", "days_overdue": 95}),
    ("compensate", "overdue", "guarantor", {}),
    ("start_recovery", "compensated", "guarantor", {}),
    ("record_recovery", "recovering", "guarantor", {"amount": "1000.00"}),
    ("write_off", "recovering", "guarantor", {"reason": "追偿无果"}),
    ("close", "recovered", "guarantor", {}),
)


def _claim_move(action: str, target: str, body: dict) -> Rule:
    """A move of the bank's claim taken by the pool's sponsor (Z1's administration) only.

    The bank and admins see the claim and are refused (403); to everyone else it does not exist.
    """
    expect = only("zone_admin", others="404", bank="403", admin="403")
    return Rule("claims", action, target, "POST", f"/claims/{{claim_id}}/{action}", expect, body)


# Worlds ids used in bodies are resolved by the test from `World.ids` via "{key}" strings.
RULES: tuple[Rule, ...] = (
    # API bearer tokens
    Rule(
        "tokens",
        "create",
        "own credentials",
        "POST",
        "/auth/tokens",
        PUBLIC,
        {"email": "{email}", "password": PASSWORD},
    ),
    Rule(
        "tokens",
        "create",
        "wrong password",
        "POST",
        "/auth/tokens",
        only(others="401"),
        {"email": "{email}", "password": "not the password"},
    ),
    Rule("tokens", "list own", "none", "GET", "/auth/tokens", EVERYONE),
    Rule("tokens", "revoke", "carried token", "DELETE", "/auth/tokens", EVERYONE),
    Rule("tokens", "revoke", "own token", "DELETE", "/auth/tokens/{token_id}", EVERYONE),
    Rule(
        "tokens",
        "revoke",
        "investor's token",
        "DELETE",
        "/auth/tokens/{token_id}",
        only("investor", "admin", others="404"),
    ),
    Rule("sessions", "sign out everywhere", "own sessions", "DELETE", "/auth/sessions", EVERYONE),
    # reference data
    Rule("zones", "list", "none", "GET", "/zones", PUBLIC),
    Rule("zones", "read", "zone", "GET", "/zones/{zone_id}", PUBLIC),
    Rule("zones", "create", "none", "POST", "/zones", only("admin"), _zone_body),
    Rule("zones", "update", "zone", "PATCH", "/zones/{zone_id}", only("admin"), {"city": "北京"}),
    Rule("zones", "delete", "fresh zone", "DELETE", "/zones/{zone_id}", only("admin")),
    Rule("industries", "list", "none", "GET", "/industries", PUBLIC),
    Rule("industries", "read", "industry", "GET", "/industries/{industry_id}", PUBLIC),
    Rule(
        "industries",
        "create",
        "none",
        "POST",
        "/industries",
        only("admin"),
        lambda p: {"code": f"ni{p['n']}", "name_zh": "新产业", "name_en": "New industry"},
    ),
    Rule(
        "industries",
        "update",
        "industry",
        "PATCH",
        "/industries/{industry_id}",
        only("admin"),
        {"name_en": "New-generation IT"},
    ),
    Rule(
        "industries",
        "delete",
        "fresh industry",
        "DELETE",
        "/industries/{industry_id}",
        only("admin"),
    ),
    # enterprises and their confidential financials
    Rule("enterprises", "list", "none", "GET", "/enterprises", EVERYONE),
    Rule("enterprises", "read profile", "other", "GET", "/enterprises/{enterprise_id}", EVERYONE),
    Rule(
        "enterprises",
        "create",
        "sme without enterprise",
        "POST",
        "/enterprises",
        only("sme", "admin"),
        _enterprise_body,
    ),
    Rule(
        "enterprises",
        "update",
        "mine",
        "PATCH",
        "/enterprises/{enterprise_id}",
        only("sme", "admin"),
        {"description": "动力电池管理系统"},
    ),
    Rule(
        "enterprises",
        "update",
        "other",
        "PATCH",
        "/enterprises/{enterprise_id}",
        only("admin"),
        {"description": "动力电池管理系统"},
    ),
    Rule(
        "enterprises",
        "delete",
        "fresh own enterprise",
        "DELETE",
        "/enterprises/{enterprise_id}",
        only("sme", "admin"),
    ),
    Rule(
        "enterprises",
        "delete",
        "fresh other enterprise",
        "DELETE",
        "/enterprises/{enterprise_id}",
        only("admin"),
    ),
    Rule(
        "financials",
        "read",
        "mine",
        "GET",
        "/enterprises/{enterprise_id}/financials",
        only("sme", "investor", "admin"),
    ),
    Rule(
        "financials",
        "read",
        "other",
        "GET",
        "/enterprises/{enterprise_id}/financials",
        only("admin"),
    ),
    Rule(
        "access log",
        "read",
        "mine",
        "GET",
        "/enterprises/{enterprise_id}/access-log",
        only("sme", "admin"),
    ),
    Rule(
        "access log",
        "read",
        "other",
        "GET",
        "/enterprises/{enterprise_id}/access-log",
        only("admin"),
    ),
    # access grants to financials
    Rule(
        "access grants",
        "request",
        "fresh other enterprise",
        "POST",
        "/enterprises/{enterprise_id}/access-requests",
        only(*INSTITUTIONS),
        {"purpose": "投资尽调"},
    ),
    Rule("access grants", "list", "none", "GET", "/access-grants", EVERYONE),
    Rule(
        "access grants",
        "grant",
        "pending on mine",
        "POST",
        "/access-grants/{grant_id}/grant",
        only("sme"),
    ),
    Rule(
        "access grants",
        "deny",
        "pending on mine",
        "POST",
        "/access-grants/{grant_id}/deny",
        only("sme"),
    ),
    Rule(
        "access grants",
        "revoke",
        "granted on mine",
        "POST",
        "/access-grants/{grant_id}/revoke",
        only("sme"),
    ),
    Rule(
        "access grants",
        "grant",
        "pending on other",
        "POST",
        "/access-grants/{grant_id}/grant",
        only(),
    ),
    # financing projects
    Rule("projects", "list", "none", "GET", "/projects", EVERYONE),
    Rule("projects", "read", "other published", "GET", "/projects/{project_id}", EVERYONE),
    Rule(
        "projects",
        "read",
        "my draft",
        "GET",
        "/projects/{project_id}",
        only("sme", "admin", others="404"),
    ),
    Rule(
        "projects",
        "read",
        "other draft",
        "GET",
        "/projects/{project_id}",
        only("admin", others="404"),
    ),
    Rule(
        "projects",
        "create",
        "mine",
        "POST",
        "/projects",
        only("sme", "admin"),
        _project_body("{mine}"),
    ),
    Rule(
        "projects", "create", "other", "POST", "/projects", only("admin"), _project_body("{other}")
    ),
    Rule(
        "projects",
        "update",
        "my draft",
        "PATCH",
        "/projects/{project_id}",
        only("sme", "admin"),
        {"title": "动力电池扩产"},
    ),
    Rule(
        "projects",
        "update",
        "other published",
        "PATCH",
        "/projects/{project_id}",
        only("admin"),
        {"title": "动力电池扩产"},
    ),
    Rule(
        "projects",
        "publish",
        "fresh my draft",
        "POST",
        "/projects/{project_id}/publish",
        only("sme", "admin"),
    ),
    Rule(
        "projects",
        "publish",
        "fresh other draft",
        "POST",
        "/projects/{project_id}/publish",
        ADMINS,
    ),
    Rule(
        "projects",
        "withdraw",
        "fresh my published",
        "POST",
        "/projects/{project_id}/withdraw",
        only("sme", "admin"),
    ),
    Rule(
        "projects",
        "withdraw",
        "fresh other published",
        "POST",
        "/projects/{project_id}/withdraw",
        only("admin"),
    ),
    Rule(
        "projects",
        "delete",
        "fresh my draft",
        "DELETE",
        "/projects/{project_id}",
        only("sme", "admin"),
    ),
    Rule(
        "projects", "delete", "fresh other draft", "DELETE", "/projects/{project_id}", only("admin")
    ),
    # institutions and mandates
    Rule("institutions", "list", "none", "GET", "/institutions", EVERYONE),
    Rule("institutions", "read", "vc", "GET", "/institutions/{institution_id}", EVERYONE),
    Rule(
        "institutions",
        "create",
        "none",
        "POST",
        "/institutions",
        only("admin"),
        lambda p: {"name": f"新创投{p['n']}", "kind": "vc"},
    ),
    Rule(
        "institutions",
        "update",
        "vc",
        "PATCH",
        "/institutions/{institution_id}",
        only("investor", "admin"),
        {"description": "专注早期"},
    ),
    Rule(
        "institutions",
        "delete",
        "fresh institution",
        "DELETE",
        "/institutions/{institution_id}",
        only("admin"),
    ),
    Rule("mandates", "list", "none", "GET", "/mandates", EVERYONE),
    Rule("mandates", "read", "mandate", "GET", "/mandates/{mandate_id}", EVERYONE),
    Rule(
        "mandates",
        "create",
        "vc",
        "POST",
        "/mandates",
        only("investor", "admin"),
        MANDATE_BODY | {"institution_id": "{vc}"},
    ),
    Rule(
        "mandates",
        "update",
        "mandate",
        "PATCH",
        "/mandates/{mandate_id}",
        only("investor", "admin"),
        {"description": "A 轮"},
    ),
    Rule(
        "mandates",
        "delete",
        "fresh mandate",
        "DELETE",
        "/mandates/{mandate_id}",
        only("investor", "admin"),
    ),
    # matches and deals
    Rule("matches", "inbox", "none", "GET", "/matches", only(*INSTITUTIONS)),
    Rule(
        "matches",
        "read",
        "match",
        "GET",
        "/matches/{match_id}",
        only("sme", "investor", "admin", others="404"),
    ),
    Rule(
        "matches",
        "interest",
        "fresh match",
        "POST",
        "/matches/{match_id}/interest",
        only("investor", others="404", sme="403", admin="403"),
    ),
    Rule(
        "matches",
        "decline",
        "fresh match",
        "POST",
        "/matches/{match_id}/decline",
        only("investor", others="404", sme="403", admin="403"),
        {"reason": "阶段不符"},
    ),
    Rule(
        "matches",
        "of a project",
        "my published",
        "GET",
        "/projects/{project_id}/matches",
        only("sme", "admin"),
    ),
    Rule("deals", "list", "none", "GET", "/deals", only(*INSTITUTIONS, "sme", "admin")),
    Rule(
        "deals",
        "read",
        "deal",
        "GET",
        "/deals/{deal_id}",
        only("sme", "investor", "admin", others="404"),
    ),
    Rule(
        "deals",
        "move",
        "fresh deal",
        "POST",
        "/deals/{deal_id}/move",
        only("investor", others="404", sme="403", admin="403"),
        {"stage_id": "{meeting_stage}"},
    ),
    Rule(
        "deals",
        "message",
        "deal",
        "POST",
        "/deals/{deal_id}/messages",
        only("sme", "investor", "admin", others="404"),
        {"body": "您好，期待交流。"},
    ),
    Rule(
        "deals",
        "pipeline",
        "vc",
        "GET",
        "/institutions/{institution_id}/pipeline",
        only("investor", "admin"),
    ),
    Rule(
        "deals",
        "plan next action",
        "deal",
        "PATCH",
        "/deals/{deal_id}",
        only("investor", others="404", sme="403", admin="403"),
        {"next_action": "约见创始人", "next_action_on": "2030-01-15"},
    ),
    Rule(
        "deals",
        "reorder pipeline",
        "vc pipeline",
        "PUT",
        "/institutions/{institution_id}/pipeline",
        only("investor", "admin"),
        {"stage_ids": "{stage_ids}"},
    ),
    Rule(
        "deals",
        "pipeline history",
        "vc",
        "GET",
        "/institutions/{institution_id}/pipeline/history",
        only("investor", "admin"),
    ),
    Rule(
        "deals",
        "rename stage",
        "vc stage",
        "PATCH",
        "/pipeline-stages/{stage_id}",
        only("investor", "admin"),
        lambda p: {"name": f"会谈{p['n']}"},
    ),
    # deal data rooms: the enterprise shares, the two parties read; admins see the deal only
    Rule("data room", "list", "deal", "GET", "/deals/{deal_id}/documents", DEAL_PARTIES),
    Rule(
        "data room",
        "list",
        "other deal",
        "GET",
        "/deals/{deal_id}/documents",
        only("admin", others="404"),
    ),
    Rule(
        "data room",
        "upload",
        "deal",
        "POST",
        "/deals/{deal_id}/documents",
        only("sme", others="404", investor="403", admin="403"),
        upload=_pdf_upload,
    ),
    Rule(
        "data room",
        "upload",
        "other deal",
        "POST",
        "/deals/{deal_id}/documents",
        only(others="404", admin="403"),
        upload=_pdf_upload,
    ),
    Rule(
        "data room",
        "download",
        "document",
        "GET",
        "/documents/{document_id}/download",
        only("sme", "investor", others="404", admin="403"),
    ),
    Rule(
        "data room",
        "download",
        "other document",
        "GET",
        "/documents/{document_id}/download",
        only(others="404", admin="403"),
    ),
    Rule("data room", "download log", "deal", "GET", "/deals/{deal_id}/downloads", DEAL_PARTIES),
    # credit guarantees
    Rule("guarantee cases", "list", "none", "GET", "/guarantees", EVERYONE),
    Rule(
        "guarantee cases",
        "read",
        "my case",
        "GET",
        "/guarantees/{case_id}",
        only("sme", "bank", "guarantor", "admin", others="404"),
    ),
    Rule(
        "guarantee cases",
        "read",
        "other case",
        "GET",
        "/guarantees/{case_id}",
        only("admin", others="404"),
    ),
    Rule(
        "guarantee cases",
        "apply",
        "none",
        "POST",
        "/guarantees",
        only("sme"),
        APPLY_BODY | {"bank_id": "{bank}", "agency_id": "{agency}", "fee_rate": "0.0150"},
    ),
    *(_case_move(*move) for move in CASE_MOVES),
    Rule(
        "guarantee cases",
        "timeline",
        "my case",
        "GET",
        "/guarantees/{case_id}/timeline",
        only("sme", "bank", "guarantor", "admin", others="404"),
    ),
    Rule(
        "guarantee cases",
        "payments",
        "my case",
        "GET",
        "/guarantees/{case_id}/payments",
        only("sme", "bank", "guarantor", "admin", others="404"),
    ),
    Rule(
        "guarantee cases",
        "payments",
        "other case",
        "GET",
        "/guarantees/{case_id}/payments",
        only("admin", others="404"),
    ),
    # risk-compensation pools and claims
    Rule("pools", "list", "none", "GET", "/pools", EVERYONE),
    Rule("pools", "dashboard", "pool", "GET", "/pools/{pool_id}", EVERYONE),
    Rule(
        "pools",
        "create",
        "none",
        "POST",
        "/pools",
        only("zone_admin", "admin"),
        lambda p: POOL_BODY | {"name": f"资金池{p['n']}", "zone_id": p["z1"]},
    ),
    Rule(
        "pools",
        "deposit",
        "fresh pool",
        "POST",
        "/pools/{pool_id}/deposits",
        only("zone_admin", "admin"),
        {"amount": "1000.00"},
    ),
    Rule(
        "pools",
        "record opening balance",
        "fresh pool",
        "POST",
        "/pools/{pool_id}/opening-balance",
        only("zone_admin", "admin"),
        {"dated_on": "2025-01-01", "amount": "1000.00"},
    ),
    Rule(
        "pools", "timeline", "pool", "GET", "/pools/{pool_id}/timeline", only("zone_admin", "admin")
    ),
    Rule(
        "pools",
        "statement",
        "pool",
        "GET",
        "/pools/{pool_id}/statement?start=2025-01-01&end=2025-12-31",
        EVERYONE,
    ),
    Rule(
        "pool loans",
        "list",
        "pool",
        "GET",
        "/pools/{pool_id}/loans",
        only("bank", "zone_admin", "admin"),
    ),
    Rule(
        "pool loans",
        "register",
        "pool",
        "POST",
        "/pools/{pool_id}/loans",
        only("bank"),
        lambda p: LOAN_BODY | {"enterprise_id": p["mine"], "loan_no": f"NEW-{p['n']}"},
    ),
    Rule(
        "pool loans",
        "repay",
        "fresh my loan",
        "POST",
        "/pool-loans/{loan_id}/repay",
        only("bank"),
        {"repaid_on": "2025-06-30"},
    ),
    Rule(
        "pool loans",
        "repay",
        "fresh other loan",
        "POST",
        "/pool-loans/{loan_id}/repay",
        only(),
        {"repaid_on": "2025-06-30"},
    ),
    Rule(
        "pool loans",
        "file claim",
        "fresh my loan",
        "POST",
        "/pool-loans/{loan_id}/claims",
        only("bank"),
        {**loss_parts("400000.00"), "days_overdue": 95},
    ),
    Rule(
        "pool loans",
        "file claim",
        "fresh other loan",
        "POST",
        "/pool-loans/{loan_id}/claims",
        only(),
        {**loss_parts("400000.00"), "days_overdue": 95},
    ),
    Rule(
        "pool loans",
        "report repayment",
        "fresh my loan",
        "POST",
        "/pool-loans/{loan_id}/repayments",
        only("bank"),
        {"amount": "1000.00"},
    ),
    Rule(
        "pool loans",
        "report repayment",
        "fresh other loan",
        "POST",
        "/pool-loans/{loan_id}/repayments",
        only(),
        {"amount": "1000.00"},
    ),
    Rule(
        "pool batches",
        "upload repayment file",
        "pool",
        "POST",
        "/pools/{pool_id}/repayment-batches",
        only("bank"),
        upload=_repayment_file_upload,
    ),
    Rule(
        "pool batches",
        "approve claims",
        "fresh claim reviewing in pool",
        "POST",
        "/pools/{pool_id}/claim-approvals",
        only("zone_admin"),
        lambda p: {"claim_ids": [p["claim_id"]]},
    ),
    *(
        Rule(
            "pool batches",
            action,
            "fresh repayment batch",
            "GET",
            f"/pool-batches/{{batch_id}}{suffix}",
            only("bank", "zone_admin", "admin", others="404"),
        )
        for action, suffix in (("read", ""), ("rows", "/rows"), ("results", "/results"))
    ),
    Rule("claims", "list", "none", "GET", "/claims", EVERYONE),
    Rule(
        "claims",
        "read",
        "my claim",
        "GET",
        "/claims/{claim_id}",
        only("bank", "zone_admin", "admin", others="404"),
    ),
    Rule(
        "claims",
        "read",
        "other claim",
        "GET",
        "/claims/{claim_id}",
        only("zone_admin", "admin", others="404"),
    ),
    _claim_move("review", "fresh claim filed", {}),
    _claim_move("approve", "fresh claim reviewing", {}),
    _claim_move("reject", "fresh claim reviewing", {"reason": "未达逾期天数"}),
    _claim_move("pay", "fresh claim approved", {}),
    Rule(
        "claims",
        "report recovery",
        "fresh claim paid",
        "POST",
        "/claims/{claim_id}/recoveries",
        only("bank"),
        {"recovered": "100000.00"},
    ),
    Rule(
        "claims",
        "report recovery",
        "fresh other claim paid",
        "POST",
        "/claims/{claim_id}/recoveries",
        only(bank="404"),
        {"recovered": "100000.00"},
    ),
    Rule(
        "claims",
        "timeline",
        "my claim",
        "GET",
        "/claims/{claim_id}/timeline",
        only("bank", "zone_admin", "admin", others="404"),
    ),
    Rule(
        "claims",
        "timeline",
        "other claim",
        "GET",
        "/claims/{claim_id}/timeline",
        only("zone_admin", "admin", others="404"),
    ),
    # guidance funds
    Rule(
        "guidance funds",
        "list sub-funds",
        "guidance fund",
        "GET",
        "/funds/{guidance_fund_id}/sub-funds",
        only("fund_manager", "admin"),
    ),
    Rule(
        "guidance funds",
        "figures",
        "guidance fund",
        "GET",
        "/funds/{guidance_fund_id}/figures",
        only("fund_manager", "admin"),
    ),
    Rule(
        "guidance funds",
        "read sub-fund",
        "sub-fund",
        "GET",
        "/funds/sub-funds/{sub_fund_id}",
        only("fund_manager", "admin"),
    ),
    Rule(
        "guidance funds",
        "capital call",
        "sub-fund",
        "POST",
        "/funds/sub-funds/{sub_fund_id}/capital-calls",
        only("fund_manager", "admin"),
        CALL_BODY,
    ),
    Rule(
        "guidance funds",
        "list sub-funds",
        "other guidance fund",
        "GET",
        "/funds/{guidance_fund_id}/sub-funds",
        ADMINS,
    ),
    Rule(
        "guidance funds",
        "register sub-fund",
        "guidance fund",
        "POST",
        "/funds/{guidance_fund_id}/sub-funds",
        FUND_MANAGERS,
        _sub_fund_body,
    ),
    Rule(
        "guidance funds",
        "register sub-fund",
        "other guidance fund",
        "POST",
        "/funds/{guidance_fund_id}/sub-funds",
        ADMINS,
        _sub_fund_body,
    ),
    Rule(
        "guidance funds",
        "alerts",
        "guidance fund",
        "GET",
        "/funds/{guidance_fund_id}/alerts",
        FUND_MANAGERS,
    ),
    Rule(
        "guidance funds",
        "alerts",
        "other guidance fund",
        "GET",
        "/funds/{guidance_fund_id}/alerts",
        ADMINS,
    ),
    Rule(
        "guidance funds",
        "quarterly workbook",
        "guidance fund",
        "GET",
        f"/funds/{{guidance_fund_id}}/reports/quarterly.xlsx?{QUARTER_2023_2}",
        FUND_MANAGERS,
    ),
    Rule(
        "guidance funds",
        "quarterly workbook",
        "other guidance fund",
        "GET",
        f"/funds/{{guidance_fund_id}}/reports/quarterly.xlsx?{QUARTER_2023_2}",
        ADMINS,
    ),
    Rule(
        "guidance funds",
        "read sub-fund",
        "other sub-fund",
        "GET",
        "/funds/sub-funds/{sub_fund_id}",
        ADMINS,
    ),
    Rule(
        "guidance funds",
        "sub-fund figures",
        "sub-fund",
        "GET",
        "/funds/sub-funds/{sub_fund_id}/figures",
        FUND_MANAGERS,
    ),
    Rule(
        "guidance funds",
        "sub-fund figures",
        "other sub-fund",
        "GET",
        "/funds/sub-funds/{sub_fund_id}/figures",
        ADMINS,
    ),
    Rule(
        "guidance funds",
        "capital call",
        "other sub-fund",
        "POST",
        "/funds/sub-funds/{sub_fund_id}/capital-calls",
        ADMINS,
        CALL_BODY,
    ),
    Rule(
        "guidance funds",
        "placement",
        "sub-fund",
        "POST",
        "/funds/sub-funds/{sub_fund_id}/placements",
        FUND_MANAGERS,
        PLACEMENT_BODY,
    ),
    Rule(
        "guidance funds",
        "placement",
        "other sub-fund",
        "POST",
        "/funds/sub-funds/{sub_fund_id}/placements",
        ADMINS,
        PLACEMENT_BODY,
    ),
    Rule(
        "guidance funds",
        "exit",
        "placement",
        "POST",
        "/funds/placements/{placement_id}/exits",
        FUND_MANAGERS,
        EXIT_BODY,
    ),
    Rule(
        "guidance funds",
        "exit",
        "other placement",
        "POST",
        "/funds/placements/{placement_id}/exits",
        ADMINS,
        EXIT_BODY,
    ),
    # OTC readiness
    Rule("readiness", "rule sets", "none", "GET", "/readiness/rule-sets", EVERYONE),
    Rule(
        "readiness",
        "read facts",
        "mine",
        "GET",
        "/readiness/enterprises/{enterprise_id}/profile",
        only("sme", "zone_admin", "admin"),
    ),
    Rule(
        "readiness",
        "read facts",
        "other",
        "GET",
        "/readiness/enterprises/{enterprise_id}/profile",
        only("admin"),
    ),
    Rule(
        "readiness",
        "update facts",
        "mine",
        "PATCH",
        "/readiness/enterprises/{enterprise_id}/profile",
        only("sme", "zone_admin", "admin"),
        {"main_business": "动力电池管理系统"},
    ),
    Rule(
        "readiness",
        "update facts",
        "other",
        "PATCH",
        "/readiness/enterprises/{enterprise_id}/profile",
        ADMINS,
        {"main_business": "动力电池管理系统"},
    ),
    Rule(
        "readiness",
        "read meetings",
        "mine",
        "GET",
        "/readiness/enterprises/{enterprise_id}/meetings",
        FOLLOWERS,
    ),
    Rule(
        "readiness",
        "read meetings",
        "other",
        "GET",
        "/readiness/enterprises/{enterprise_id}/meetings",
        ADMINS,
    ),
    Rule(
        "readiness",
        "record meeting",
        "mine",
        "POST",
        "/readiness/enterprises/{enterprise_id}/meetings",
        FOLLOWERS,
        MEETING_BODY,
    ),
    Rule(
        "readiness",
        "record meeting",
        "other",
        "POST",
        "/readiness/enterprises/{enterprise_id}/meetings",
        ADMINS,
        MEETING_BODY,
    ),
    Rule(
        "readiness",
        "check",
        "mine",
        "POST",
        "/readiness/enterprises/{enterprise_id}/checks",
        only("sme", "zone_admin", "admin"),
        READY,
    ),
    Rule(
        "readiness",
        "check",
        "other",
        "POST",
        "/readiness/enterprises/{enterprise_id}/checks",
        ADMINS,
        READY,
    ),
    Rule(
        "readiness",
        "read checks",
        "mine",
        "GET",
        "/readiness/enterprises/{enterprise_id}/checks",
        FOLLOWERS,
    ),
    Rule(
        "readiness",
        "read checks",
        "other",
        "GET",
        "/readiness/enterprises/{enterprise_id}/checks",
        ADMINS,
    ),
    Rule(
        "readiness",
        "zone batch",
        "none",
        "POST",
        "/readiness/batches",
        only("zone_admin", "admin"),
        READY | {"zone": "zhongguancun"},
    ),
    Rule("readiness", "read batch", "z1 batch", "GET", "/readiness/batches/{batch_id}", ZONE_Z1),
    Rule("readiness", "read batch", "z2 batch", "GET", "/readiness/batches/{batch_id}", ADMINS),
    Rule(
        "readiness",
        "batch table",
        "z1 batch",
        "GET",
        "/readiness/batches/{batch_id}/rows",
        ZONE_Z1,
    ),
    Rule(
        "readiness",
        "batch table",
        "z2 batch",
        "GET",
        "/readiness/batches/{batch_id}/rows",
        ADMINS,
    ),
    Rule(
        "readiness",
        "batch CSV",
        "z1 batch",
        "GET",
        "/readiness/batches/{batch_id}/export",
        ZONE_Z1,
    ),
    Rule(
        "readiness",
        "batch CSV",
        "z2 batch",
        "GET",
        "/readiness/batches/{batch_id}/export",
        ADMINS,
    ),
    # zone dashboards and listings
    Rule(
        "dashboards",
        "read",
        "z1 code",
        "GET",
        "/dashboards/zones/{code}",
        only("zone_admin", "admin"),
    ),
    Rule("dashboards", "read", "z2 code", "GET", "/dashboards/zones/{code}", only("admin")),
    Rule(
        "listings", "list", "z1 code", "GET", "/listings/zones/{code}", only("zone_admin", "admin")
    ),
    Rule("listings", "list", "z2 code", "GET", "/listings/zones/{code}", ADMINS),
    Rule("listings", "record", "mine", "POST", "/listings", ZONE_Z1, _listing_body("{mine}")),
    Rule("listings", "record", "other", "POST", "/listings", ADMINS, _listing_body("{other}")),
    Rule(
        "listings",
        "grant reward",
        "my event",
        "POST",
        "/listings/{event_id}/rewards",
        ZONE_Z1,
        REWARD_BODY,
    ),
    Rule(
        "listings",
        "grant reward",
        "other event",
        "POST",
        "/listings/{event_id}/rewards",
        ADMINS,
        REWARD_BODY,
    ),
    Rule(
        "listings",
        "pay reward",
        "fresh my reward",
        "POST",
        "/listings/rewards/{reward_id}/pay",
        only("zone_admin"),
    ),
    Rule(
        "listings",
        "pay reward",
        "fresh other reward",
        "POST",
        "/listings/rewards/{reward_id}/pay",
        only(),
    ),
    # tech-finance policies and applications
    Rule("policies", "list", "z1 code", "GET", "/policies/zones/{code}", EVERYONE),
    Rule(
        "policies",
        "declare",
        "z1 code",
        "POST",
        "/policies/zones/{code}",
        only("zone_admin"),
        POLICY_BODY,
    ),
    Rule("policies", "declare", "z2 code", "POST", "/policies/zones/{code}", only(), POLICY_BODY),
    Rule("policies", "offers", "none", "GET", "/policies/offers", only("sme")),
    Rule("policy applications", "list", "none", "GET", "/policy-applications", EVERYONE),
    Rule(
        "policy applications",
        "apply",
        "my listing fresh",
        "POST",
        "/policy-applications",
        only("sme"),
        lambda p: {
            "policy_id": p["policy_id"],
            "subject": f"listing:{p['event_id']}",
            "stage": "filing",
        },
    ),
    *(
        Rule("policy applications", action, target, "GET", path, expect)
        for action, path in (
            ("read", "/policy-applications/{application_id}"),
            ("timeline", "/policy-applications/{application_id}/timeline"),
        )
        for target, expect in (
            ("my application", APPLICATION_FOLLOWERS),
            ("other application", only("admin", others="404")),
        )
    ),
    *(
        Rule(
            "policy applications",
            action,
            f"fresh application {state}",
            "POST",
            f"/policy-applications/{{application_id}}/{action}",
            APPLICATION_DECIDERS,
            body,
        )
        for action, state, body in (
            ("review", "applied", {}),
            ("approve", "reviewing", {}),
            ("reject", "reviewing", {"reason": "材料不全"}),
            ("pay", "approved", {}),
        )
    ),
    Rule(
        "policy applications",
        "attach document",
        "fresh application applied",
        "POST",
        "/policy-applications/{application_id}/documents",
        only("sme", others="404", zone_admin="403", admin="403"),
        upload=_pdf_upload,
    ),
    Rule(
        "policy applications",
        "attach document",
        "other application",
        "POST",
        "/policy-applications/{application_id}/documents",
        only(others="404", admin="403"),
        upload=_pdf_upload,
    ),
    Rule(
        "policy applications",
        "download document",
        "my application document",
        "GET",
        "/policy-applications/documents/{document_id}",
        APPLICATION_FOLLOWERS,
    ),
    Rule(
        "policy applications",
        "review",
        "other application",
        "POST",
        "/policy-applications/{application_id}/review",
        only(others="404", admin="403"),
        {},
    ),
    # saved searches, search, duplicates
    Rule("saved searches", "list own", "none", "GET", "/saved-searches", EVERYONE),
    Rule(
        "saved searches",
        "create",
        "none",
        "POST",
        "/saved-searches",
        EVERYONE,
        {"name": "新能源", "query": {"q": "新能源"}},
    ),
    Rule(
        "saved searches",
        "read",
        "saved search",
        "GET",
        "/saved-searches/{saved_search_id}",
        only("investor", others="404"),
    ),
    Rule(
        "saved searches",
        "rename",
        "saved search",
        "PATCH",
        "/saved-searches/{saved_search_id}",
        INVESTORS_OWN,
        {"name": "动力电池"},
    ),
    Rule(
        "saved searches",
        "delete",
        "fresh saved search",
        "DELETE",
        "/saved-searches/{saved_search_id}",
        only("investor", others="404"),
    ),
    Rule("notifications", "list own", "none", "GET", "/notifications", EVERYONE),
    Rule("notifications", "count unread", "none", "GET", "/notifications/unread-count", EVERYONE),
    Rule("notifications", "read all own", "none", "POST", "/notifications/read-all", EVERYONE),
    Rule(
        "notifications",
        "mark read",
        "notification",
        "POST",
        "/notifications/{notification_id}/read",
        INVESTORS_OWN,
    ),
    Rule("search", "search", "none", "GET", "/search?q=电池", EVERYONE),
    Rule("search", "suggest names", "none", "GET", "/search/suggest?q=北京", EVERYONE),
    Rule("duplicates", "list", "none", "GET", "/duplicates", only("admin")),
    Rule(
        "duplicates",
        "merge",
        "fresh flagged pair",
        "POST",
        "/duplicates/{flag_id}/merge",
        ADMINS,
        {"survivor_id": "{survivor_id}"},
    ),
    Rule(
        "duplicates",
        "dismiss",
        "fresh flagged pair",
        "POST",
        "/duplicates/{flag_id}/dismiss",
        ADMINS,
    ),
)


def _cell(outcome: str) -> str:
    return "✓" if outcome == "ok" else outcome


def render_markdown() -> str:
    """The matrix as a Markdown table (one row per rule, one column per role)."""
    head = ["resource", "action", "on", "call", *ROLES]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for rule in RULES:
        call = f"`{rule.method} {rule.path}`"
        on = TARGETS[rule.target][0]
        cells = [_cell(rule.expect[role]) for role in ROLES]
        lines.append("| " + " | ".join([rule.resource, rule.action, on, call, *cells]) + " |")
    return "\n".join(lines) + "\n"


def document_table(text: str, start: str = START, end: str = END) -> str:
    """The table currently between the markers (the matrix's unless told) of `docs/security.md`."""
    match = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), text, re.S)
    if match is None:
        raise ValueError(f"{DOC} has no {start} ... {end} section")
    return match.group(1)


def write_document(
    render: Callable[[], str] = render_markdown, start: str = START, end: str = END
) -> None:
    """Rewrite a table in `docs/security.md` (the matrix from RULES unless told)."""
    text = DOC.read_text(encoding="utf-8")
    old = document_table(text, start, end)
    DOC.write_text(text.replace(start + "\n" + old, start + "\n" + render()), "utf-8")


if __name__ == "__main__":
    write_document()
    sys.stdout.write(f"{len(RULES)} rules x {len(ROLES)} roles written to {DOC}\n")
