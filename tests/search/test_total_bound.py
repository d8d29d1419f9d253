"""Matches are counted exactly up to SEARCH_TOTAL_BOUND; beyond it the API and page say so."""

from search.sync import rebuild
from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_zone, published_project
from tests.page_helpers import sign_in
from torchfin.extensions import db
from torchfin.models.enums import Role, Stage


def _three_storage_projects(app, es) -> None:
    enterprise = make_enterprise(make_zone(), [], name="深圳储能科技有限公司")
    for n in range(3):
        db.session.add(published_project(enterprise, f"储能电站{n}期", "1000000.00", Stage.A))
    db.session.commit()
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "project")


def test_beyond_the_bound_the_total_is_a_lower_limit(app, es, client, monkeypatch):
    _three_storage_projects(app, es)
    investor = make_user(Role.INVESTOR)
    headers = auth(investor)
    exact = client.get("/api/v1/search", query_string={"q": "储能"}, headers=headers).json
    assert (exact["total"], exact["total_exact"]) == (3, True)

    monkeypatch.setitem(app.config, "SEARCH_TOTAL_BOUND", 2)
    bounded = client.get("/api/v1/search", query_string={"q": "储能"}, headers=headers).json
    assert (bounded["total"], bounded["total_exact"]) == (2, False)
    assert len(bounded["hits"]) == 3  # the page itself is whole

    sign_in(client, investor)
    page = client.get("/search", query_string={"q": "储能"}).get_data(as_text=True)
    assert "共 2+ 条结果" in page
