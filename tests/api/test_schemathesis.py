"""Schemathesis against /api/v1/openapi.json, in process: every operation, bounded examples.

Each operation gets positive and negative cases (schemathesis' examples, coverage and fuzzing
phases), sent as the role that normally calls it, and every response must pass all of
schemathesis' checks: no 5xx, status code, content type and body as documented, negative data
rejected, valid data accepted. SCHEMATHESIS_MAX_EXAMPLES bounds the fuzzing phase per operation.
"""

import os

import pytest
import schemathesis
from flask import Flask, g
from schemathesis import Case
from sqlalchemy import select

from tests.factories.accounts import auth, make_personas
from torchfin.extensions import db
from torchfin.models import User
from torchfin.models.enums import Role

# Small by default so the whole API runs in a few minutes on two cores; raise it to dig deeper.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))

# Who normally calls the operations of each OpenAPI tag; anything else runs as a platform admin.
ROLE_BY_TAG = {
    "enterprises": Role.SME,
    "projects": Role.SME,
    "guarantees": Role.SME,
    "access_grants": Role.INVESTOR,
    "institutions": Role.INVESTOR,
    "mandates": Role.INVESTOR,
    "search": Role.INVESTOR,
    "saved_searches": Role.INVESTOR,
    "matches": Role.INVESTOR,
    "notifications": Role.INVESTOR,
    "funds": Role.FUND_MANAGER,
    "pools": Role.BANK,
    "pool_loans": Role.BANK,
    "claims": Role.BANK,
    "readiness": Role.ZONE_ADMIN,
    "dashboards": Role.ZONE_ADMIN,
    "listings": Role.ZONE_ADMIN,
    "policies": Role.ZONE_ADMIN,
    "policy_applications": Role.SME,
    "policy_documents": Role.SME,
}

# Any documented status is an answer to a request the schema allows, except these: a valid
# request may still name a record that does not exist or that the caller may not touch, or
# break a rule between records (unknown zone code, over a cap), which only the service knows.
_POSITIVE_REFUSALS = ["2xx", "401", "403", "404", "409", "422"]


@pytest.fixture
def api_schema(app):
    """The OpenAPI document served by the app, loaded through the WSGI interface."""
    config = schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {"positive_data_acceptance": {"expected-statuses": _POSITIVE_REFUSALS}},
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _own_context(app), config=config)


def _own_context(app: Flask):
    """The app as a WSGI callable whose requests each start with a clean `g` and session.

    Requests run inside the test's app context, hence share its `g` (where Flask-Login caches
    the caller) and its session; in production every request has its own. Checks that resend a
    request without credentials go through here too.
    """

    def wsgi(environ, start_response):
        vars(g).clear()
        db.session.remove()
        return app(environ, start_response)

    return wsgi


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def personas(request: pytest.FixtureRequest) -> None:
    """One user per role, made once for the whole run over the API."""
    # schemathesis 4.32 reads `node._nodeid` to label each operation's subtest; pytest 9.2 keeps
    # the id elsewhere. Seed the attribute it reads (only labels in reports depend on it).
    request.node._nodeid = request.node.nodeid
    make_personas()


@schema.auth(refresh_interval=None)
class _RoleToken:
    """A fresh bearer token of the role that normally calls the operation (see ROLE_BY_TAG).

    Fresh every time: DELETE /auth/tokens revokes the token it is sent with. Given through
    schemathesis' auth so that its checks know which header is the credential.
    """

    def get(self, case: Case, context: schemathesis.AuthContext) -> str:
        tags = case.operation.tags or []
        role = next((ROLE_BY_TAG[tag] for tag in tags if tag in ROLE_BY_TAG), Role.ADMIN)
        user = db.session.scalar(select(User).where(User.role == role).order_by(User.id))
        return auth(user)["Authorization"]

    def set(self, case: Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


@schema.parametrize()
@pytest.mark.usefixtures("personas")
def test_api_conforms_to_its_openapi_document(case: Case) -> None:
    """No 5xx, responses as documented, bad input refused and good input accepted."""
    case.call_and_validate()
