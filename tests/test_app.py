"""The application factory and the API description."""

import logging

from flask_migrate import upgrade

from torchfin import create_app


def test_factory_applies_overrides_over_the_environment():
    app = create_app({"SEARCH_INDEX_PREFIX": "elsewhere", "TESTING": True})
    assert app.config["SEARCH_INDEX_PREFIX"] == "elsewhere"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh"


def test_openapi_document_lists_every_resource(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in (
        "/api/v1/zones",
        "/api/v1/industries",
        "/api/v1/enterprises",
        "/api/v1/projects",
        "/api/v1/institutions",
        "/api/v1/mandates",
        "/api/v1/search",
    ):
        assert path in spec["paths"], path
    money = spec["components"]["schemas"]["Project"]["properties"]["amount_sought"]
    assert money["type"] == "string"
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_api_token_round_trip(client):
    from tests.factories.accounts import PASSWORD, make_user
    from torchfin.models.enums import Role

    user = make_user(Role.INVESTOR)
    wrong = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "nope"})
    assert wrong.status_code == 401
    issued = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert issued.status_code == 201
    headers = {"Authorization": f"Bearer {issued.json['token']}"}
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    assert client.delete("/api/v1/auth/tokens", headers=headers).status_code == 204
    assert client.get("/api/v1/projects", headers=headers).status_code == 401


def test_upgrading_the_schema_in_process_keeps_the_app_loggers(app):
    """Alembic's env.py runs inside the app (tests, the demo's set-up): its logging set-up must
    leave the loggers that already exist working."""
    log = logging.getLogger("torchfin.queues")
    upgrade()  # already at the head revision; env.py runs all the same
    assert not log.disabled
