"""Security headers, body type and size checks, and rate limits."""

from tests.factories.accounts import PASSWORD, auth, make_user
from torchfin.models.enums import Role
from torchfin.security import MAX_JSON_DEPTH


def test_pages_and_api_carry_the_security_headers(client):
    for path in ("/", "/api/v1/zones"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in headers  # not in development or tests


def test_authenticated_api_answers_are_not_cached(client):
    user = make_user(Role.INVESTOR)
    assert client.get("/api/v1/projects", headers=auth(user)).headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_when_cookies_are_secure(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        assert "max-age=" in client.get("/").headers["Strict-Transport-Security"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False


def test_api_refuses_bodies_that_are_not_json_with_415(client):
    user = make_user(Role.SME)
    response = client.post(
        "/api/v1/projects",
        data="title=x",
        headers={**auth(user), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert "application/json" in response.json["message"]


def test_json_nested_up_to_the_limit_is_parsed_and_one_level_more_is_a_400(client):
    headers = auth(make_user(Role.SME))
    for depth, status in ((MAX_JSON_DEPTH, 422), (MAX_JSON_DEPTH + 1, 400)):
        body = '{"title":' * depth + '"x"' + "}" * depth
        response = client.post(
            "/api/v1/projects", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == status, (depth, response.json)
    assert "nested too deeply" in response.json["message"]


def test_oversized_bodies_get_413(app, client):
    user = make_user(Role.SME)
    too_big = "长" * (app.config["MAX_CONTENT_LENGTH"] // 3 + 10)
    response = client.post("/api/v1/projects", json={"title": too_big}, headers=auth(user))
    assert response.status_code == 413
    assert "MB limit" in response.json["message"]


def test_login_attempts_are_throttled(app, client):
    user = make_user(Role.INVESTOR)
    app.config["LOGIN_RATE_LIMIT"] = "3/minute"
    try:
        statuses = [
            client.post(
                "/api/v1/auth/tokens", json={"email": user.email, "password": "wrong"}
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        blocked = client.post(
            "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD}
        )
        assert blocked.status_code == 429
        assert "Too many requests" in blocked.json["message"]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "100000/minute"


def test_writes_are_limited_per_user(app, client):
    first, second = make_user(Role.SME), make_user(Role.SME)
    app.config["WRITE_RATE_LIMIT"] = "2/minute"
    try:
        for expected in (422, 422, 429):
            assert (
                client.post("/api/v1/projects", json={}, headers=auth(first)).status_code
                == expected
            )
        # Another user has a budget of their own.
        assert client.post("/api/v1/projects", json={}, headers=auth(second)).status_code == 422
    finally:
        app.config["WRITE_RATE_LIMIT"] = "100000/minute"
