"""SQL -> outbox -> real RQ worker -> Elasticsearch -> search API, end to end."""

from flask import current_app
from sqlalchemy import func, select

from tests.factories.accounts import auth, make_user
from tests.factories.registry import credit_code, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import OutboxEvent
from torchfin.models.enums import Role


def _search(client, headers, es, **params):
    es.indices.refresh(index=f"{current_app.config['SEARCH_INDEX_PREFIX']}-*")
    response = client.get("/api/v1/search", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent))


def test_created_project_is_found_after_a_worker_drains_the_outbox(client, es, run_worker):
    make_zone()
    make_industries()
    sme = make_user(Role.SME)
    headers = auth(sme)
    enterprise = client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": credit_code(),
            "name": "北京氢途新能源汽车科技有限公司",
            "legal_form": "llc",
            "founded_on": "2017-08-01",
            "zone": "zhongguancun",
            "industries": ["nev"],
            "description": "燃料电池汽车动力系统",
        },
        headers=headers,
    )
    assert enterprise.status_code == 201, enterprise.json
    project = client.post(
        "/api/v1/projects",
        json={
            "title": "新能源汽车燃料电池电堆产业化",
            "summary": "建设年产五千套燃料电池电堆生产线",
            "amount_sought": "50000000.00",
            "instrument": "equity",
            "stage": "b",
        },
        headers=headers,
    ).json
    published = client.post(f"/api/v1/projects/{project['id']}/publish", headers=headers)
    assert published.status_code == 200
    assert published.json["status"] == "published"
    assert _outbox_size() > 0

    run_worker()

    assert _outbox_size() == 0
    investor = auth(make_user(Role.INVESTOR))
    found = _search(client, investor, es, q="新能源汽车")
    assert [hit["id"] for hit in found["hits"]] == [project["id"]]
    fragments = [f for field in found["hits"][0]["highlights"].values() for f in field]
    assert any("<mark>" in fragment for fragment in fragments)
    assert found["facets"]["industry"] == [{"value": "nev", "count": 1}]
    by_name = _search(client, investor, es, q="氢途", kind="enterprise")
    assert [hit["id"] for hit in by_name["hits"]] == [enterprise.json["id"]]

    # An update is reflected once drained.
    client.patch(
        f"/api/v1/projects/{project['id']}", json={"title": "固态电池中试线建设"}, headers=headers
    )
    run_worker()
    assert _search(client, investor, es, q="固态电池")["total"] == 1
    assert _search(client, investor, es, q="产业化")["total"] == 0  # only the old title said so

    # Enterprise changes reach the project documents that carry the enterprise's name.
    client.patch(
        f"/api/v1/enterprises/{enterprise.json['id']}",
        json={"name": "北京固能科技有限公司"},
        headers=headers,
    )
    run_worker()
    assert _search(client, investor, es, q="固能")["total"] == 1

    # A delete removes it.
    assert client.delete(f"/api/v1/projects/{project['id']}", headers=headers).status_code == 204
    run_worker()
    assert _search(client, investor, es, q="固态电池")["total"] == 0


def test_drafts_are_not_searchable(client, es, run_worker):
    make_zone()
    make_industries()
    sme = make_user(Role.SME)
    headers = auth(sme)
    client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": credit_code(),
            "name": "北京草稿科技有限公司",
            "legal_form": "llc",
            "founded_on": "2018-01-01",
            "zone": "zhongguancun",
            "industries": ["it"],
        },
        headers=headers,
    )
    draft = client.post(
        "/api/v1/projects",
        json={
            "title": "物联网网关研发",
            "summary": "草稿阶段",
            "amount_sought": "3000000.00",
            "instrument": "bank_loan",
            "stage": "angel",
        },
        headers=headers,
    )
    assert draft.status_code == 201
    run_worker()
    assert _search(client, auth(make_user(Role.INVESTOR)), es, q="物联网")["total"] == 0
