"""Forms laid out by hand in their templates post the CSRF token beside their fields; with CSRF
protection on, as in production (the suite turns it off elsewhere), the token must reach no
schema, which would refuse it as an unknown field (`form_flow.posted`)."""

import re

import pytest
from flask.testing import FlaskClient

from tests.factories.accounts import PASSWORD, make_user
from tests.factories.matching import make_match_world
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from tests.web.form_targets import duplicate_merge
from torchfin.extensions import db
from torchfin.models import AccessGrant, Match, User
from torchfin.models.enums import MatchStatus, Role
from torchfin.services.matching import deals


@pytest.fixture(autouse=True)
def _csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(client: FlaskClient, path: str) -> str:
    """The CSRF token the page at `path` hands its forms."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _sign_in(client: FlaskClient, user: User) -> None:
    data = {"email": user.email, "password": PASSWORD, "csrf_token": _token(client, "/login")}
    assert client.post("/login", data=data).status_code == 302


def _post(client: FlaskClient, page: str, url: str, fields: dict):
    """Post `fields` to `url` as the form on `page` does, token included."""
    return client.post(url, data={**fields, "csrf_token": _token(client, page)})


def test_asking_for_the_financials_takes_the_token(client):
    enterprise = make_enterprise(make_zone(), [make_industries()["nev"]])
    _sign_in(client, make_user(Role.INVESTOR, institution=make_institution()))
    page = f"/enterprises/{enterprise.id}"
    asked = _post(client, page, f"{page}/access-request", {"purpose": "尽职调查"})
    assert asked.status_code == 302, asked.get_data(as_text=True)
    assert db.session.query(AccessGrant).count() == 1


def test_merging_duplicates_takes_the_token(client):
    target = duplicate_merge()
    _sign_in(client, target.user)
    url = target.url.format(id=target.record_id)
    merged = _post(client, "/admin/duplicates", url, target.valid)
    assert merged.status_code == 302, merged.get_data(as_text=True)


def test_declining_a_match_takes_the_token(client):
    w = make_match_world()
    match_id = w["match"].id
    _sign_in(client, w["investor_user"])
    page = f"/matches/{match_id}"
    declined = _post(client, page, f"{page}/decline", {"reason": "阶段不符"})
    assert declined.status_code == 302, declined.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Match, match_id).status == MatchStatus.DECLINED


def test_writing_on_and_moving_a_deal_take_the_token(client):
    w = make_match_world()
    deal = deals.express_interest(w["investor_user"], w["match"].id)
    _sign_in(client, w["investor_user"])
    page = f"/deals/{deal.id}"
    written = _post(client, page, f"{page}/messages", {"body": "您好，期待交流。"})
    assert written.status_code == 302, written.get_data(as_text=True)
    meeting = next(s for s in deals.pipeline(deal.institution_id) if s.key == "meeting")
    moved = _post(client, page, f"{page}/move", {"stage_id": str(meeting.id)})
    assert moved.status_code == 302, moved.get_data(as_text=True)
