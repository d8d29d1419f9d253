"""API bearer tokens: scopes, expiry and revocation through the API and `flask tokens`."""

from datetime import timedelta

import pytest

from tests.factories.accounts import PASSWORD, auth, make_user
from torchfin.extensions import db
from torchfin.models import ApiToken, Zone
from torchfin.models.base import utcnow
from torchfin.models.enums import Role

TOKENS = "/api/v1/auth/tokens"
ZONE = {
    "code": "donghu",
    "name_zh": "武汉东湖新技术开发区",
    "name_en": "East Lake",
    "province": "湖北省",
    "city": "武汉",
    "year_approved": 1991,
}


@pytest.fixture
def admin():
    return make_user(Role.ADMIN)


def _issue(client, user, **extra) -> dict:
    body = {"email": user.email, "password": PASSWORD, **extra}
    response = client.post(TOKENS, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_read_only_token_reads_and_is_refused_writes_with_a_clear_message(client, admin):
    issued = _issue(client, admin, scopes=["read"], expires_in_hours=2)
    assert issued["scopes"] == ["read"]
    headers = _bearer(issued["token"])
    assert client.get("/api/v1/zones", headers=headers).status_code == 200
    refused = client.post("/api/v1/zones", json=ZONE, headers=headers)
    assert refused.status_code == 403
    assert refused.get_json()["message"].startswith("This token's scopes are read: POST needs")
    assert db.session.query(Zone).count() == 0
    assert client.post("/api/v1/zones", json=ZONE, headers=auth(admin)).status_code == 201


def test_write_only_token_writes_but_does_not_read(client, admin):
    headers = _bearer(_issue(client, admin, scopes=["write"])["token"])
    assert client.post("/api/v1/zones", json=ZONE, headers=headers).status_code == 201
    assert client.get("/api/v1/zones/1", headers=headers).status_code == 403


def test_lifetime_and_scopes_are_validated(client, admin):
    for extra in ({"scopes": ["admin"]}, {"scopes": []}, {"expires_in_hours": 0}):
        body = {"email": admin.email, "password": PASSWORD, **extra}
        assert client.post(TOKENS, json=body).status_code == 422, extra
    issued = _issue(client, admin, expires_in_hours=3)
    token = db.session.get(ApiToken, issued["id"])
    assert timedelta(hours=2, minutes=59) < token.expires_at - utcnow() <= timedelta(hours=3)
    assert token.digest != issued["token"] and issued["token"] not in token.digest


def test_expired_token_is_refused(client, admin):
    issued = _issue(client, admin)
    db.session.get(ApiToken, issued["id"]).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(TOKENS, headers=_bearer(issued["token"])).status_code == 401


def test_tokens_are_listed_without_their_secret_and_revoked_by_id(client, admin):
    first, second = _issue(client, admin, name="报表"), _issue(client, admin, scopes=["read"])
    listed = client.get(TOKENS, headers=_bearer(second["token"])).get_json()
    assert {t["id"] for t in listed} == {first["id"], second["id"]}
    assert all("token" not in t and "digest" not in t for t in listed)
    # Revoking by id is a write: the read-only token may not, the full one may.
    revoke = f"{TOKENS}/{second['id']}"
    assert client.delete(revoke, headers=_bearer(second["token"])).status_code == 403
    assert client.delete(revoke, headers=_bearer(first["token"])).status_code == 204
    assert client.get(TOKENS, headers=_bearer(second["token"])).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, admin):
    other = _issue(client, make_user(Role.INVESTOR))
    response = client.delete(f"{TOKENS}/{other['id']}", headers=auth(make_user(Role.SME)))
    assert response.status_code == 404
    assert client.get(TOKENS, headers=_bearer(other["token"])).status_code == 200


def test_read_only_token_revokes_itself(client, admin):
    headers = _bearer(_issue(client, admin, scopes=["read"])["token"])
    assert client.delete(TOKENS, headers=headers).status_code == 204
    assert client.get(TOKENS, headers=headers).status_code == 401


def test_cli_creates_a_scoped_token_and_revokes_it(app, client, admin):
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=["tokens", "create", admin.email, "--scope", "read", "--hours", "1"]
    )
    assert created.exit_code == 0, created.output
    headers = _bearer(created.stdout.strip().splitlines()[-1])
    assert client.get("/api/v1/zones", headers=headers).status_code == 200
    assert client.post("/api/v1/zones", json=ZONE, headers=headers).status_code == 403
    token_id = db.session.query(ApiToken.id).filter_by(name="cli").scalar()
    listed = runner.invoke(args=["tokens", "list", admin.email])
    assert f"{token_id}\tcli\tread\t" in listed.output and "live" in listed.output
    assert runner.invoke(args=["tokens", "revoke", str(token_id)]).exit_code == 0
    assert client.get(TOKENS, headers=headers).status_code == 401
