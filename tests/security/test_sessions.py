"""Sessions and tokens under attack: CSRF on cookie-authenticated API writes, bearer tokens kept
off the pages, and sign-out that ends the cookies copied before it (session generation).

CSRF protection is on here, as in production (the suite turns it off elsewhere), so every post
carries the token a page gave, as a browser's would.
"""

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone, published_project
from torchfin.extensions import db
from torchfin.models import Enterprise, Project, SavedSearch, User
from torchfin.models.enums import ProjectStatus, Role, Stage
from torchfin.services.accounts.users import authenticate

NEW_PASSWORD = "a new and longer passphrase"
SIGNED_IN_PROBE = "/api/v1/auth/tokens"  # 200 for a signed-in caller, 401 for anyone else


@pytest.fixture(autouse=True)
def _csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def sme() -> User:
    """An SME user whose enterprise may post projects."""
    enterprise = make_enterprise(make_zone(), [make_industries()["nev"]])
    return make_user(Role.SME, enterprise=enterprise)


def _published_project(user: User) -> Project:
    enterprise = db.session.get(Enterprise, user.enterprise_id)
    project = published_project(enterprise, "固态电池中试线建设", "30000000.00", Stage.B)
    db.session.add(project)
    db.session.commit()
    return project


def _csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token a page hands its forms (and its scripts)."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _sign_in(client: FlaskClient, user: User, remember: bool = False) -> None:
    data = {"email": user.email, "password": PASSWORD, "csrf_token": _csrf_token(client, "/login")}
    response = client.post("/login", data=data | ({"remember": "y"} if remember else {}))
    assert response.status_code == 302, response.get_data(as_text=True)


def _signed_in(client: FlaskClient) -> bool:
    return client.get(SIGNED_IN_PROBE).status_code == 200


def _replay(app, name: str, value: str) -> FlaskClient:
    """A fresh browser holding nothing but one copied cookie."""
    browser = app.test_client()
    browser.set_cookie(name, value)
    return browser


# -- CSRF on the API ----------------------------------------------------------------------------


def test_cookie_api_writes_need_the_csrf_token_bearer_writes_do_not(client, sme):
    project = _published_project(sme)
    _sign_in(client, sme)
    withdraw = f"/api/v1/projects/{project.id}/withdraw"

    # A cross-site form (form-encoded, no fields) carries the cookie and nothing else.
    forged = client.post(withdraw, content_type="application/x-www-form-urlencoded")
    assert forged.status_code == 403
    assert "X-CSRFToken" in forged.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == ProjectStatus.PUBLISHED

    # The same from a page script of the platform, which sends the page's token.
    token = _csrf_token(client, "/")
    done = client.post(withdraw, headers={"X-CSRFToken": token})
    assert done.status_code == 200, done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == ProjectStatus.WITHDRAWN


def test_cross_origin_json_write_with_the_cookie_creates_nothing(app, client):
    investor = make_user(Role.INVESTOR)
    body = {"name": "电池", "frequency": "weekly", "query": {"q": "电池"}}
    _sign_in(client, investor)
    forged = client.post(
        "/api/v1/saved-searches", json=body, headers={"Origin": "http://evil.example"}
    )
    assert forged.status_code == 403
    assert "CSRF token" in forged.get_json()["message"]
    assert db.session.query(SavedSearch).count() == 0

    # A bearer token is never attached by a browser on its own: no CSRF token needed.
    scripted = app.test_client().post("/api/v1/saved-searches", json=body, headers=auth(investor))
    assert scripted.status_code == 201, scripted.get_data(as_text=True)


def test_api_docs_send_the_csrf_token_with_try_it_out(client, sme):
    _sign_in(client, sme)
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert 'req.headers["X-CSRFToken"]' in page


# -- bearer tokens stay on the API --------------------------------------------------------------


@pytest.mark.parametrize("scopes", [["read"], ["read", "write"]])
def test_a_bearer_token_does_not_sign_in_to_the_pages(client, sme, scopes):
    token = auth(sme, scopes=scopes)
    form = client.get("/my/projects/new", headers=token)
    assert form.status_code == 302 and "/login" in form.headers["Location"]
    data = {
        "title": "固态电池中试线建设",
        "summary": "扩产",
        "amount_sought": "30000000.00",
        "instrument": "equity",
        "stage": "b",
        "use_of_funds": "设备采购",
        "deadline": (date.today() + timedelta(days=90)).isoformat(),
        "csrf_token": _csrf_token(client, "/login"),
    }
    posted = client.post("/my/projects/new", data=data, headers=token)
    assert posted.status_code == 302 and "/login" in posted.headers["Location"]
    assert db.session.query(Project).count() == 0


# -- cookies ------------------------------------------------------------------------------------


def test_sign_in_cookies_are_same_site_lax_and_http_only(client, sme):
    data = {"email": sme.email, "password": PASSWORD, "remember": "y"}
    response = client.post("/login", data=data | {"csrf_token": _csrf_token(client, "/login")})
    cookies = {c.partition("=")[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "SameSite=Lax" in cookies[name] and "HttpOnly" in cookies[name], cookies[name]


def _sign_out(client: FlaskClient) -> None:
    response = client.post("/logout", data={"csrf_token": _csrf_token(client, "/")})
    assert response.status_code == 302


def _sign_out_everywhere(client: FlaskClient) -> None:
    token = _csrf_token(client, "/account")
    response = client.post("/logout/everywhere", data={"csrf_token": token})
    assert response.status_code == 303


def _change_password(client: FlaskClient) -> None:
    data = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "csrf_token": _csrf_token(client, "/account"),
    }
    response = client.post("/account", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.mark.parametrize("end", [_sign_out, _sign_out_everywhere, _change_password])
def test_cookies_copied_before_the_session_ended_are_refused(app, client, sme, end):
    _sign_in(client, sme, remember=True)
    copied = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    for name, value in copied.items():
        assert _signed_in(_replay(app, name, value)), name  # each alone signs in, until...

    end(client)

    for name, value in copied.items():
        browser = _replay(app, name, value)
        assert not _signed_in(browser), name
    assert browser.get_cookie("remember_token") is None  # the browser was told to drop it
    # A new password leaves the browser that set it signed in, with fresh cookies.
    assert _signed_in(client) == (end is _change_password)


def test_a_cookie_of_no_session_generation_is_refused(app, sme):
    # What a cookie signed before the upgrade holds: the user id alone.
    forged = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(sme.id)})
    assert not _signed_in(_replay(app, app.config["SESSION_COOKIE_NAME"], forged))


def test_sign_out_everywhere_revokes_the_api_tokens_too(app, client, sme):
    tokens = auth(sme), auth(sme, scopes=["read"])
    _sign_in(client, sme)
    _sign_out_everywhere(client)
    api = app.test_client()
    for token in tokens:
        assert api.get(SIGNED_IN_PROBE, headers=token).status_code == 401


def test_sign_out_everywhere_through_the_api(app, client, sme):
    _sign_in(client, sme, remember=True)
    copied = client.get_cookie("remember_token").value
    carried, other = auth(sme), auth(sme)
    api = app.test_client()
    assert api.delete("/api/v1/auth/sessions", headers=carried).status_code == 204
    for token in (carried, other):
        assert api.get(SIGNED_IN_PROBE, headers=token).status_code == 401
    assert not _signed_in(client)
    assert not _signed_in(_replay(app, "remember_token", copied))


def test_password_change_needs_the_current_password(client, sme):
    _sign_in(client, sme)
    token = _csrf_token(client, "/account")
    for current, new, confirm, message in (
        ("not it", NEW_PASSWORD, NEW_PASSWORD, "当前密码不正确。"),
        (PASSWORD, "short", "short", "新密码须为 10 至 200 个字符。"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", "两次输入的新密码不一致。"),
    ):
        data = {"current_password": current, "new_password": new, "confirm": confirm}
        refused = client.post("/account", data=data | {"csrf_token": token})
        assert refused.status_code == 422
        assert message in refused.get_data(as_text=True)
    assert _signed_in(client)  # a refused change ends nothing
    assert authenticate(sme.email, PASSWORD) is not None

    _change_password(client)
    assert authenticate(sme.email, PASSWORD) is None
    assert authenticate(sme.email, NEW_PASSWORD) is not None
