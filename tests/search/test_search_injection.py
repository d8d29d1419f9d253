"""Query-DSL, Lucene and SQL injection in the search box: answered, never 5xx, never a match-all."""

from decimal import Decimal

import pytest

from search.sync import rebuild
from tests.bad_input import ES_INJECTION, SQL_INJECTION
from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Role, Stage

TITLES = ["动力电池回收项目", "工业软件平台", "生物医药中试基地"]


@pytest.fixture
def investor(app, es) -> dict[str, str]:
    """Three published projects, indexed, none of which mentions any injection string."""
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["nev"]])
    for title in TITLES:
        db.session.add(
            Project(
                enterprise=enterprise,
                title=title,
                summary="面向高新区企业的融资需求",
                amount_sought=Decimal("3000000.00"),
                instrument=Instrument.EQUITY,
                stage=Stage.A,
                status=ProjectStatus.PUBLISHED,
                published_at=utcnow(),
            )
        )
    db.session.commit()
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    rebuild(db.session, es, prefix, "project")
    rebuild(db.session, es, prefix, "enterprise")
    return auth(make_user(Role.INVESTOR))


@pytest.mark.parametrize("q", [*ES_INJECTION, *SQL_INJECTION], ids=repr)
def test_injection_in_q_neither_fails_nor_matches_everything(client, investor, q):
    """The text is searched for as text: no DSL is parsed, so nothing matches all projects."""
    everything = client.get("/api/v1/search", headers=investor).json["total"]
    assert everything == len(TITLES)
    response = client.get("/api/v1/search", query_string={"q": q}, headers=investor)
    assert response.status_code == 200, response.json
    assert response.json["total"] < everything
    # Type-ahead on enterprise names: no name holds any of these strings.
    suggest = client.get("/api/v1/search/suggest", query_string={"q": q[:50]}, headers=investor)
    assert suggest.status_code == 200, suggest.json
    assert suggest.json == []
