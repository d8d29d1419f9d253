"""Project API: ownership, life cycle, visibility of drafts, validation."""

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import OutboxEvent, Project
from torchfin.models.enums import Role

PROJECT = {
    "title": "高性能集成电路封装测试",
    "summary": "先进封装产线扩产",
    "amount_sought": "20000000.00",
    "instrument": "equity",
    "stage": "a",
}


@pytest.fixture
def two_smes():
    zone = make_zone()
    industries = make_industries()
    mine = make_enterprise(zone, [industries["it"]])
    theirs = make_enterprise(zone, [industries["it"]])
    return (
        make_user(Role.SME, enterprise=mine),
        make_user(Role.SME, enterprise=theirs),
        mine,
        theirs,
    )


def _rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Project)),
        db.session.scalar(select(func.count()).select_from(OutboxEvent)),
    )


def test_project_starts_as_draft_of_the_callers_enterprise(client, two_smes):
    me, _, mine, _ = two_smes
    response = client.post("/api/v1/projects", json=PROJECT, headers=auth(me))
    assert response.status_code == 201
    assert response.json["status"] == "draft"
    assert response.json["enterprise"]["id"] == mine.id
    assert response.json["amount_sought"] == "20000000.00"


def test_sme_cannot_post_or_edit_for_another_enterprise(client, two_smes):
    me, them, _, theirs = two_smes
    before = _rows()
    refused = client.post(
        "/api/v1/projects", json={**PROJECT, "enterprise_id": theirs.id}, headers=auth(me)
    )
    assert refused.status_code == 403
    assert _rows() == before
    their_project = client.post("/api/v1/projects", json=PROJECT, headers=auth(them)).json
    edit = client.patch(
        f"/api/v1/projects/{their_project['id']}", json={"title": "改"}, headers=auth(me)
    )
    assert edit.status_code == 403
    db.session.expire_all()
    assert db.session.get(Project, their_project["id"]).title == PROJECT["title"]


def test_drafts_of_others_are_invisible_until_published(client, two_smes):
    me, them, _, _ = two_smes
    draft = client.post("/api/v1/projects", json=PROJECT, headers=auth(them)).json
    assert client.get(f"/api/v1/projects/{draft['id']}", headers=auth(me)).status_code == 404
    assert client.get("/api/v1/projects", headers=auth(me)).json == []
    client.post(f"/api/v1/projects/{draft['id']}/publish", headers=auth(them))
    listed = client.get("/api/v1/projects", headers=auth(me)).json
    assert [p["id"] for p in listed] == [draft["id"]]


def test_illegal_transition_names_the_state_and_allowed_moves(client, two_smes):
    me, _, _, _ = two_smes
    project = client.post("/api/v1/projects", json=PROJECT, headers=auth(me)).json
    assert (
        client.post(f"/api/v1/projects/{project['id']}/publish", headers=auth(me)).status_code
        == 200
    )
    again = client.post(f"/api/v1/projects/{project['id']}/publish", headers=auth(me))
    assert again.status_code == 409
    assert "published" in again.json["message"]
    assert "withdraw" in again.json["message"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_sought": 2e7}, "amount_sought"),
        ({"amount_sought": "-5.00"}, "amount_sought"),
        ({"amount_sought": "1.005"}, "amount_sought"),
        ({"amount_sought": "1e400"}, "amount_sought"),
        ({"instrument": "crypto"}, "instrument"),
        ({"deadline": "2001-01-01"}, "deadline"),
        ({"valuation": "100.00"}, "valuation"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_invalid_project_is_refused_per_field_and_nothing_is_written(
    client, two_smes, overrides, field
):
    me, _, _, _ = two_smes
    before = _rows()
    response = client.post("/api/v1/projects", json={**PROJECT, **overrides}, headers=auth(me))
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert _rows() == before


def test_investor_cannot_post_projects(client, two_smes):
    investor = make_user(Role.INVESTOR)
    response = client.post("/api/v1/projects", json=PROJECT, headers=auth(investor))
    assert response.status_code == 422
    assert "enterprise_id" in response.json["errors"]["json"]
