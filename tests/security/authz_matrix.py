"""The authorisation matrix: roles x resources x actions, the one source of truth.

`docs/security.md` carries this table rendered as Markdown (between the `authz-matrix` markers)
and `test_authz_matrix.py` sends every cell to the real API. Change a rule here, then rewrite the
document with

    .venv/bin/python -m tests.security.authz_matrix

(a test fails while the two disagree). Cells: `ok` a 2xx answer, `401` not signed in, `403`
refused, `404` not shown to the caller at all (the record's existence is itself not theirs).
"""

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.security.authz_world import ROLES, TARGETS

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

Body = dict | Callable[[dict], dict] | None


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

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.resource}:{self.action}:{self.target}".replace(" ", "_")


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
    from tests.factories import credit_code

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

# Worlds ids used in bodies are resolved by the test from `World.ids` via "{key}" strings.
RULES: tuple[Rule, ...] = (
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
    Rule(
        "guarantee cases",
        "accept",
        "fresh case",
        "POST",
        "/guarantees/{case_id}/accept",
        only("guarantor", others="404", sme="403", bank="403", admin="403"),
        {},
    ),
    Rule(
        "guarantee cases",
        "timeline",
        "my case",
        "GET",
        "/guarantees/{case_id}/timeline",
        only("sme", "bank", "guarantor", "admin", others="404"),
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
        "pools", "timeline", "pool", "GET", "/pools/{pool_id}/timeline", only("zone_admin", "admin")
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
    Rule(
        "claims",
        "review",
        "fresh claim",
        "POST",
        "/claims/{claim_id}/review",
        only("zone_admin", others="404", bank="403", admin="403"),
        {},
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
        {"called_on": "2023-06-01", "amount": "1000.00"},
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
        "check",
        "mine",
        "POST",
        "/readiness/enterprises/{enterprise_id}/checks",
        only("sme", "zone_admin", "admin"),
        READY,
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
        "delete",
        "fresh saved search",
        "DELETE",
        "/saved-searches/{saved_search_id}",
        only("investor", others="404"),
    ),
    Rule("search", "search", "none", "GET", "/search?q=电池", EVERYONE),
    Rule("duplicates", "list", "none", "GET", "/duplicates", only("admin")),
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


def document_table(text: str) -> str:
    """The table currently between the markers of `docs/security.md`."""
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    if match is None:
        raise ValueError(f"{DOC} has no {START} ... {END} section")
    return match.group(1)


def write_document() -> None:
    """Rewrite the table in `docs/security.md` from RULES."""
    text = DOC.read_text(encoding="utf-8")
    old = document_table(text)
    DOC.write_text(text.replace(START + "\n" + old, START + "\n" + render_markdown()), "utf-8")


if __name__ == "__main__":
    write_document()
    sys.stdout.write(f"{len(RULES)} rules x {len(ROLES)} roles written to {DOC}\n")
