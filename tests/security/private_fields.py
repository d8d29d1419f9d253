"""Parts of records private to one party: who may see each, and every read that shows the record.

The one source of `matrix/test_private_fields.py`, which reads each record through every API
call and page listed here as every persona and asserts, part by part, on the bodies, and of the
table in `docs/security.md` (between the `private-fields` markers). After a change here rewrite
the document with

    .venv/bin/python -m tests.security.private_fields

(a test fails while the two disagree).

A part reads in one of two forms: `raw` as API bodies, CSV and XLSX cells and form fields carry
it (a JSON key, an exact decimal), `shown` as a page displays it (万元). Markers are values the
test world gives its records; none occurs anywhere else in the world.
"""

import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.security.authz_matrix import API_PREFIX, DOC, write_document
from torchfin.web.formatting import format_money

START, END = "<!-- private-fields:start -->", "<!-- private-fields:end -->"
# The matrix's roles (authz_world.ROLES) and the personas beside them that a field-level check
# needs: another SME (`other_sme`, of enterprise *other*), a second user of the investor's
# institution (`colleague`) and the investor of another institution (`other_investor`, whose
# deal is with *other*).
PERSONAS = (
    "anonymous",
    "sme",
    "other_sme",
    "investor",
    "colleague",
    "other_investor",
    "fund_manager",
    "bank",
    "guarantor",
    "zone_admin",
    "admin",
)
INSTITUTION = frozenset({"investor", "colleague"})
# A deal's or match's two parties, and the admins who oversee them.
PARTIES = frozenset({"sme", "investor", "colleague", "admin"})
# Financials: the enterprise, admins and the institution it granted access (the investor's).
FINANCIAL_READERS = frozenset({"sme", "investor", "colleague", "admin"})

# -- the values the test world gives the private parts -----------------------------------------

NOTE = "估值偏高，内部建议压价至两亿元"
MESSAGE = "欢迎贵司下周来访交流"
NEXT_ACTION = "约见创始人核实在手订单"
NEXT_ACTION_ON = date(2031, 2, 3)
COLLEAGUE_EMAIL = "colleague.private@example.cn"  # the deal is handed over to the colleague
# The enterprise's figures, every year; no other enterprise of the world has them.
FIGURES = {
    "revenue": Decimal("87654321.23"),
    "net_profit": Decimal("5123456.78"),
    "rd_spend": Decimal("3219876.54"),
    "total_assets": Decimal("98123456.71"),
    "total_liabilities": Decimal("41234567.89"),
}
SCORE = 73.61
EVIDENCE_ZH = "研发强度 3.7%，近一年研发投入占营业收入之比"
EVIDENCE_EN = "R&D intensity 3.7%: the latest year's R&D spend over revenue"
DECLINE_REASON = "团队不完整，暂不跟进（内部判断）"


@dataclass(frozen=True)
class Part:
    """One private part of a record, who may see it, and its `raw` and `shown` forms (None:
    the part has no such form, e.g. a JSON key on a page)."""

    record: str
    name: str
    allowed: frozenset[str]
    raw: str | None
    shown: str | None


@dataclass(frozen=True)
class Read:
    """One API call or page that shows a record; `path` takes the ids of `World.ids` and of the
    private records. `shows`: the parts it shows to those allowed; `readers`: who reads this
    record through it (None: anyone); `raw`: a page that shows values raw (a form); `item`: the
    id (a key of the ids) of the record's entry in a JSON list, the only entry to look at (the
    caller's own records beside it carry keys of their own)."""

    record: str
    path: str
    shows: tuple[Part, ...] = ()
    readers: frozenset[str] | None = None
    raw: bool = False
    item: str | None = None

    @property
    def kind(self) -> str:
        """How the body is read: json, csv, xlsx or html."""
        if self.path.startswith(API_PREFIX):
            return "json"
        extension = self.path.partition("?")[0].rpartition(".")[2]
        return extension if extension in ("csv", "xlsx") else "html"

    def marker(self, part: Part) -> str | None:
        """The form `part` takes in this read's body."""
        return part.raw if self.raw or self.kind != "html" else part.shown

    def shows_to(self, part: Part, persona: str) -> bool:
        """True when `persona` must find `part` in this read's body."""
        readers = PERSONAS if self.readers is None else self.readers
        return part in self.shows and persona in part.allowed and persona in readers


def _internal(name: str, raw: str | None, shown: str | None) -> Part:
    return Part("deal", name, INSTITUTION, raw, shown)


def _figure(name: str, key: str) -> Part:
    return Part("financials", name, FINANCIAL_READERS, str(FIGURES[key]), _shown(FIGURES[key]))


def _shown(amount: Decimal) -> str:
    return format_money(amount, "zh")  # the pages' language when none is chosen


D_NOTE = _internal("internal note", NOTE, NOTE)
D_NOTE_EVENTS = _internal("events of kind `note`", '"kind": "note"', 'data-kind="note"')
D_NEXT = _internal("next action", NEXT_ACTION, NEXT_ACTION)
D_NEXT_ON = _internal("next action's date", NEXT_ACTION_ON.isoformat(), NEXT_ACTION_ON.isoformat())
D_NEXT_KEY = _internal("`next_action` key", '"next_action": ', None)
D_NEXT_ON_KEY = _internal("`next_action_on` key", '"next_action_on": ', None)
D_NEXT_EVENTS = _internal(
    "events of kind `next_action`", '"kind": "next_action"', 'data-kind="next_action"'
)
D_OWNER = _internal("hand-over to a new owner (their e-mail)", COLLEAGUE_EMAIL, COLLEAGUE_EMAIL)
D_OWNER_KEY = _internal("`owner_id` key", '"owner_id": ', None)
D_OWNER_EVENTS = _internal("events of kind `owner`", '"kind": "owner"', 'data-kind="owner"')
# Not private: the check that the enterprise still sees what is shared with it.
D_MESSAGE = Part("deal", "message to the enterprise (shared)", PARTIES, MESSAGE, MESSAGE)
DEAL = (
    D_NOTE,
    D_NOTE_EVENTS,
    D_NEXT,
    D_NEXT_ON,
    D_NEXT_KEY,
    D_NEXT_ON_KEY,
    D_NEXT_EVENTS,
    D_OWNER,
    D_OWNER_KEY,
    D_OWNER_EVENTS,
    D_MESSAGE,
)
F_REVENUE = _figure("revenue", "revenue")
F_PROFIT = _figure("net profit", "net_profit")
F_RD = _figure("R&D spend", "rd_spend")
F_ASSETS = _figure("total assets", "total_assets")
F_LIABILITIES = _figure("total liabilities", "total_liabilities")
F_KEY = Part("financials", "`financials` key", FINANCIAL_READERS, '"financials": ', None)
FIGURE_PARTS = (F_REVENUE, F_PROFIT, F_RD, F_ASSETS, F_LIABILITIES)
EXPORTED = (F_REVENUE, F_PROFIT, F_RD)  # the export's financial columns
M_SCORE = Part("match", "score", PARTIES, f'"score": {SCORE}', None)
M_EVIDENCE_ZH = Part("match", "explanation (Chinese)", PARTIES, EVIDENCE_ZH, EVIDENCE_ZH)
M_EVIDENCE_EN = Part("match", "explanation (English)", PARTIES, EVIDENCE_EN, None)
EXPLANATION = (M_SCORE, M_EVIDENCE_ZH, M_EVIDENCE_EN)
# A decline is the institution's own business; admins, who oversee matching, read it too.
X_REASON = Part(
    "declined match", "decline reason", INSTITUTION | {"admin"}, DECLINE_REASON, DECLINE_REASON
)

PARTS = (*DEAL, *FIGURE_PARTS, F_KEY, *EXPLANATION, X_REASON)
API = API_PREFIX
READS = (
    # The investor's deal with the SME: a note, a planned next action, a hand-over, a message.
    Read("deal", API + "/deals/{deal}", DEAL),
    Read("deal", API + "/deals", DEAL, item="deal"),
    Read("deal", API + "/deals/{deal}/documents"),
    Read("deal", "/deals/{deal}", tuple(part for part in DEAL if part.shown is not None)),
    Read("deal", "/deals", (D_NEXT, D_NEXT_ON), INSTITUTION),  # the pipeline
    Read("deal", "/matches/{deal_match}"),
    Read("deal", "/my/matches"),
    # The SME's enterprise *mine*, whose financials the investor's institution was granted.
    Read("financials", API + "/enterprises/{mine}/financials", (*FIGURE_PARTS, F_KEY)),
    Read("financials", API + "/enterprises/{mine}"),
    Read("financials", API + "/search?kind=enterprise&page_size=100"),
    Read("financials", API + "/readiness/enterprises/{mine}/checks"),
    Read("financials", "/enterprises/{mine}", FIGURE_PARTS),
    Read("financials", "/my/enterprise", FIGURE_PARTS, frozenset({"sme"}), raw=True),
    Read("financials", "/enterprises/{mine}/readiness"),
    Read("financials", "/search/export.csv", EXPORTED),
    Read("financials", "/search/export.xlsx", EXPORTED),
    # The investor's match on the SME's project, with its explanation.
    Read("match", API + "/matches/{match}", EXPLANATION),
    Read("match", API + "/matches", EXPLANATION, INSTITUTION, item="match"),
    Read(
        "match",
        API + "/projects/{my_published}/matches",
        EXPLANATION,
        frozenset({"sme", "admin"}),
        item="match",
    ),
    Read("match", "/matches/{match}", (M_EVIDENCE_ZH,)),
    Read("match", "/my/matches", (M_EVIDENCE_ZH,), frozenset({"sme"})),
    # A match of the SME's the investor declined, with its reason.
    Read("declined match", API + "/matches/{declined}", (X_REASON,)),
    Read(
        "declined match",
        API + "/matches?status=declined",
        (X_REASON,),
        INSTITUTION,
        item="declined",
    ),
    Read("declined match", API + "/projects/{declined_project}/matches"),
    Read("declined match", "/matches/{declined}"),
    Read("declined match", "/my/matches"),
)
RECORDS = tuple(dict.fromkeys(part.record for part in PARTS))
_LABELS = {"other_sme": "other SME", "other_investor": "other investor"}


def render_markdown() -> str:
    """Who sees each private part (✓) and which reads show it, as a Markdown table."""
    head = ["record", "part", *(_LABELS.get(p, p) for p in PERSONAS), "shown by"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for part in PARTS:
        cells = ["✓" if persona in part.allowed else "" for persona in PERSONAS]
        shown_by = dict.fromkeys(_call(read) for read in READS if part in read.shows)
        row = [part.record, part.name, *cells, ", ".join(shown_by)]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "| record | every read checked |", "| --- | --- |"]
    for record in RECORDS:
        calls = dict.fromkeys(_call(read) for read in READS if read.record == record)
        lines.append(f"| {record} | {', '.join(calls)} |")
    return "\n".join(lines) + "\n"


def _call(read: Read) -> str:
    if read.kind == "json":
        return f"`GET {read.path.removeprefix(API_PREFIX)}`"
    return f"{'page' if read.kind == 'html' else 'export'} `{read.path}`"


if __name__ == "__main__":
    write_document(render_markdown, START, END)
    sys.stdout.write(f"{len(PARTS)} parts x {len(PERSONAS)} personas written to {DOC}\n")
