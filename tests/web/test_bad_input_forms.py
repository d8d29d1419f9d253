"""The main forms refuse the bad-input corpus: a 4xx page, the field's message, no row written."""

import re

import pytest

from tests.bad_input import (
    CONTROL_CHARACTERS,
    DIRECTION_CONTROLS,
    ES_INJECTION,
    LONG_TEXT,
    SQL_INJECTION,
    count_rows,
)
from tests.page_helpers import sign_in
from tests.web.form_targets import AMOUNTS, BAD_PATH_IDS, DATES, TARGETS

TEXT = [LONG_TEXT, *CONTROL_CHARACTERS, *DIRECTION_CONTROLS]
CHOICES = [*SQL_INJECTION, *ES_INJECTION]
PROJECT = {
    "title": "动力电池回收项目",
    "summary": "退役动力电池梯次利用",
    "amount_sought": "5000000.00",
    "instrument": "equity",
    "stage": "a",
    "use_of_funds": "",
    "valuation": "",
    "deadline": "",
}
PROJECT_CORPUS = [
    *[("title", v) for v in TEXT],
    *[("summary", v) for v in TEXT],
    *[("use_of_funds", v) for v in TEXT],
    *[("amount_sought", v) for v in AMOUNTS],
    *[("valuation", v) for v in AMOUNTS],
    *[("deadline", v) for v in DATES],
    *[("instrument", v) for v in CHOICES],
    *[("stage", v) for v in CHOICES],
]


def _field_errors(html: str, name: str) -> list[str]:
    """The messages the `field` macro renders under the input called `name`."""
    for block in re.findall(r'<div class="field">(.*?)</div>', html, re.S):
        if f'name="{name}"' in block:
            return re.findall(r"<li>(.*?)</li>", block.partition('class="errors"')[2], re.S)
    raise AssertionError(f"no field {name} on the page")


@pytest.fixture
def owner(web_seed, web_login):
    """The seeded SME, signed in through the login form."""
    web_login(web_seed.owner_email)
    return web_seed


@pytest.mark.parametrize(("field", "value"), PROJECT_CORPUS, ids=lambda v: repr(v)[:30])
def test_project_forms_refuse_bad_input_with_the_fields_message(web_client, owner, field, value):
    """New and edited projects alike: 422, the form again with a message under the field."""
    for url in ("/my/projects/new", f"/my/projects/{owner.draft_project_id}/edit"):
        before = count_rows()
        response = web_client.post(url, data={**PROJECT, field: value})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (url, response.status_code)
        assert _field_errors(html, field), f"{url}: no message under {field}"
        assert count_rows() == before


@pytest.mark.parametrize(
    "value",
    [LONG_TEXT, *CONTROL_CHARACTERS, *SQL_INJECTION, *ES_INJECTION],
    ids=lambda v: repr(v)[:30],
)
def test_login_refuses_bad_input_and_signs_no_one_in(web_client, web_seed, value):
    """Injection or garbage in either field: a 4xx sign-in page, no session, no row."""
    for data in (
        {"email": value, "password": "x"},
        {"email": web_seed.owner_email, "password": value},
    ):
        before = count_rows()
        response = web_client.post("/login", data=data)
        assert 400 <= response.status_code < 500, response.status_code
        assert web_client.get("/my/projects").status_code == 302  # still signed out
        assert count_rows() == before


@pytest.mark.parametrize("name", list(TARGETS))
def test_every_page_form_refuses_bad_input_with_the_fields_message(
    client, app, tmp_path, monkeypatch, name
):
    """Each attacked field: 422, the page again with a message at the field, no row changed.

    Ids in the form's address that are not ids are refused too (any 4xx), and the valid post
    goes through last: the refusals were for the values sent, not for the rest of the form.
    """
    monkeypatch.setitem(app.config, "DATA_ROOM_DIR", str(tmp_path / "data_room"))
    target = TARGETS[name]()
    sign_in(client, target.user)
    url = target.url.format(id=target.record_id)
    failures: list[str] = []
    for field, values in target.attacks.items():
        for value in values:
            label = f"{field}={str(value)[:40]!r}"
            before = count_rows()
            response = client.post(url, data=target.post_data({field: value}))
            html = response.get_data(as_text=True)
            if response.status_code != 422:
                failures.append(f"{label}: {response.status_code} {_text_of(html)[:300]}")
            elif not target.locate(html, field):
                failures.append(f"{label}: no message at the field; {_text_of(html)[:300]}")
            if count_rows() != before:
                failures.append(f"{label}: rows changed")
    if "{id}" in target.url:
        for bad in BAD_PATH_IDS:
            before = count_rows()
            response = client.post(target.url.format(id=bad), data=target.post_data())
            if not 400 <= response.status_code < 500:
                failures.append(f"id {bad!r}: {response.status_code}")
            if count_rows() != before:
                failures.append(f"id {bad!r}: rows changed")
    assert not failures, f"{name}: {len(failures)} refused badly:\n" + "\n".join(failures)
    response = client.post(url, data=target.post_data())
    assert response.status_code in target.accepted, _text_of(response.get_data(as_text=True))


def _text_of(html: str) -> str:
    """The visible words of a page's main content, to say what a failing page showed."""
    main = html.partition("<main")[2] or html
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())
