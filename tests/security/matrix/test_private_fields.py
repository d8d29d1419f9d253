"""Field by field: every part of a record private to one party reaches exactly the parties
allowed, through every API call and page that shows the record, as every persona.

`private_fields` names the parts (a deal's internal notes, next action and owner; an enterprise's
confidential figures; a match's explanation and a decline's reason), who may see each, and the
reads. The world is the matrix's (`conftest.py`), given those parts once for the module. Each
assertion is on a body: a part is there where its persona may see it, and neither its key nor its
value is anywhere in the body otherwise, whatever the status code.
"""

import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import load_workbook

from search.indices import drop_all, ensure_indices
from search.sync import rebuild
from tests.factories.accounts import PASSWORD, auth
from tests.security.authz_matrix import DOC, document_table
from tests.security.authz_world import TARGETS, World
from tests.security.private_fields import (
    COLLEAGUE_EMAIL,
    DECLINE_REASON,
    END,
    EVIDENCE_EN,
    EVIDENCE_ZH,
    FIGURES,
    MESSAGE,
    NEXT_ACTION,
    NEXT_ACTION_ON,
    NOTE,
    PARTS,
    PERSONAS,
    READS,
    RECORDS,
    SCORE,
    START,
    Read,
    render_markdown,
)
from torchfin.extensions import db, search_client
from torchfin.models import Deal, Enterprise, Match, User
from torchfin.models.enums import Role
from torchfin.services.accounts.users import create_user
from torchfin.services.matching import deals
from torchfin.services.readiness.checks import build_check, rule_set_named


@dataclass
class Cast:
    """Every persona's bearer header and user (pages sign in), and the ids the reads take."""

    headers: dict[str, dict[str, str]]
    users: dict[str, int]
    ids: dict[str, int]


def _give_private_parts(world: World) -> Cast:
    """The world's records given their private parts, through the services where there is one:
    the investor's deal gets a message, an internal note, a next action and a hand-over to a
    colleague; *mine* its figures (and a readiness check on them); the investor's match a score
    and an explanation; and a match of *mine* is declined with a reason."""
    investor = world.user("investor")
    colleague = create_user(COLLEAGUE_EMAIL, PASSWORD, Role.INVESTOR, "同事", investor.organisation)
    deal_id = world.ids["deal"]
    deals.add_message(investor, deal_id, MESSAGE)
    deals.add_message(investor, deal_id, NOTE, internal=True)
    plan = {"next_action": NEXT_ACTION, "next_action_on": NEXT_ACTION_ON}
    deals.update_deal(investor, deal_id, plan)
    deals.update_deal(investor, deal_id, {"owner_id": colleague.id})
    mine = world.get(Enterprise, "mine")
    for year in mine.financials:
        for name, value in FIGURES.items():
            setattr(year, name, value)
    db.session.add(build_check(mine, rule_set_named("neeq-2013"), date.today()))
    match = world.get(Match, "match")
    match.score = SCORE
    match.breakdown = {
        "rd_intensity": {
            "points": 2.6,
            "max": 7,
            "tier": "rd_intensity",
            "evidence_zh": EVIDENCE_ZH,
            "evidence_en": EVIDENCE_EN,
        }
    }
    db.session.commit()
    declined = TARGETS["fresh match"][1](world, "investor")["match_id"]
    declined_project = deals.decline_match(investor, declined, DECLINE_REASON).project_id
    others = {
        "other_sme": world.ids["other_sme"],
        "colleague": colleague.id,
        "other_investor": db.session.get(Deal, world.ids["other_deal"]).owner_id,
    }
    return Cast(
        headers=world.headers
        | {name: auth(db.session.get(User, user_id)) for name, user_id in others.items()},
        users=world.users | others,
        ids=world.ids
        | {
            "deal_match": db.session.get(Deal, deal_id).match_id,
            "declined": declined,
            "declined_project": declined_project,
        },
    )


@pytest.fixture(scope="module")
def cast(app, world: World):
    """The private parts in the world, and every project and enterprise in the search index
    (exports and search read it); afterwards the indices are empty again, as other modules
    of this worker expect them."""
    with app.app_context():
        given = _give_private_parts(world)
        es, prefix = search_client(), app.config["SEARCH_INDEX_PREFIX"]
        drop_all(es, prefix)
        ensure_indices(es, prefix)
        for kind in ("project", "enterprise"):
            rebuild(db.session, es, prefix, kind)
        yield given
        drop_all(es, prefix)
        ensure_indices(es, prefix)


def _text(response, read: Read, ids: dict[str, int]) -> str:
    """The body to look for parts in: JSON dumped again without \\u escapes (of a list, only the
    record's entry when the read names it), every cell of a workbook, any other body as text."""
    if read.kind == "json" and response.is_json:
        body = response.get_json()
        if read.item is not None and isinstance(body, list):
            body = [entry for entry in body if entry.get("id") == ids[read.item]]
        return json.dumps(body, ensure_ascii=False)
    if read.kind == "xlsx" and response.status_code == 200:
        workbook = load_workbook(io.BytesIO(response.data))
        cells = (cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row)
        return "\n".join(str(value) for value in cells if value is not None)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("record", RECORDS)
def test_private_parts_reach_exactly_the_parties_allowed(client, cast: Cast, record, persona):
    """Each read of `record` as `persona`: every part is in the body exactly when the persona
    may see it and the read shows it."""
    if persona != "anonymous":
        email = db.session.get(User, cast.users[persona]).email
        signed_in = client.post("/login", data={"email": email, "password": PASSWORD})
        assert signed_in.status_code == 302
    wrong = []
    for read in (read for read in READS if read.record == record):
        url = read.path.format(**cast.ids)
        headers = cast.headers[persona] if read.kind == "json" else {}
        with client.get(url, headers=headers) as response:
            text = _text(response, read, cast.ids)
        for part in (part for part in PARTS if part.record == record):
            marker = read.marker(part)
            if marker is not None and (marker in text) != read.shows_to(part, persona):
                outcome = "missing for" if read.shows_to(part, persona) else "leaks to"
                wrong.append(f"{url} ({response.status_code}): {part.name} {outcome} {persona}")
    assert not wrong, "\n".join(wrong)


def test_every_part_is_shown_by_a_read_in_a_form_it_has():
    """No part goes unchecked, and no read claims to show a part it has no form for."""
    for part in PARTS:
        showing = [read for read in READS if part in read.shows]
        assert showing, part.name
        assert all(read.marker(part) is not None for read in showing), part.name
        assert all(read.record == part.record for read in showing), part.name


def test_docs_table_is_the_private_fields_source():
    """docs/security.md shows exactly this table; regenerate it with
    `.venv/bin/python -m tests.security.private_fields`."""
    assert document_table(DOC.read_text(encoding="utf-8"), START, END) == render_markdown()
