"""Fixtures of the registry tests: a zone, an SME and its user, an investor, an admin."""

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from tests.factories.accounts import make_user
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.models import Enterprise, Institution, User
from torchfin.models.enums import Role


@dataclass
class World:
    """The records every SME test starts from."""

    enterprise: Enterprise
    sme: User
    institution: Institution
    investor: User
    admin: User


@pytest.fixture
def world() -> World:
    """A zone with one enterprise (two years of financials) and its SME user, a VC with one
    investor user, and a platform admin."""
    zone = make_zone()
    industries = make_industries()
    enterprise = make_enterprise(zone, [industries["nev"]], name="北京锂动新能源科技有限公司")
    institution = make_institution()
    return World(
        enterprise=enterprise,
        sme=make_user(Role.SME, enterprise=enterprise),
        institution=institution,
        investor=make_user(Role.INVESTOR, institution=institution),
        admin=make_user(Role.ADMIN),
    )


@pytest.fixture
def api(app) -> FlaskClient:
    """A second client for bearer-token API calls, apart from the signed-in page client
    (a session cookie would otherwise decide who calls)."""
    return app.test_client()
