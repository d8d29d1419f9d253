"""The match and deal API: roles, transitions and input checks."""

from sqlalchemy import select

from tests.factories.matching import make_match_world
from torchfin.extensions import db
from torchfin.models import Deal
from torchfin.models.enums import MatchStatus


def test_investor_reads_declines_with_a_reason_and_others_may_not(client):
    w = make_match_world()
    url = f"/api/v1/matches/{w['match'].id}"
    inbox = client.get("/api/v1/matches", headers=w["investor"]).get_json()
    assert [m["id"] for m in inbox] == [w["match"].id]
    assert client.get(url, headers=w["stranger"]).status_code == 404
    body = client.get(url, headers=w["investor"]).get_json()
    assert body["status"] == "viewed"
    assert body["breakdown"]["industry"]["tier"] == "industry"
    assert client.get("/api/v1/matches", headers=w["sme"]).status_code == 403
    missing = client.post(f"{url}/decline", json={}, headers=w["investor"])
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]["json"]
    assert (
        client.post(f"{url}/decline", json={"reason": "太早"}, headers=w["sme"]).status_code == 403
    )
    declined = client.post(f"{url}/decline", json={"reason": "估值过高"}, headers=w["investor"])
    assert declined.get_json()["status"] == "declined"
    again = client.post(f"{url}/interest", headers=w["investor"])
    assert again.status_code == 409
    assert "declined" in again.get_json()["message"] and "nothing" in again.get_json()["message"]
    sme_view = client.get(f"/api/v1/projects/{w['match'].project_id}/matches", headers=w["sme"])
    assert sme_view.get_json() == []  # a decline is the investor's own business


def test_interest_opens_a_deal_that_moves_and_records_every_move(client):
    w = make_match_world()
    deal = client.post(f"/api/v1/matches/{w['match'].id}/interest", headers=w["investor"])
    assert deal.status_code == 201
    deal = deal.get_json()
    assert deal["stage"]["key"] == "contacted"
    url = f"/api/v1/deals/{deal['id']}"
    stages = client.get(
        f"/api/v1/institutions/{deal['institution_id']}/pipeline", headers=w["investor"]
    ).get_json()
    ids = {s["key"]: s["id"] for s in stages}
    renamed = client.patch(
        f"/api/v1/pipeline-stages/{ids['meeting']}",
        json={"name": "路演会谈"},
        headers=w["investor"],
    )
    assert renamed.get_json()["name"] == "路演会谈"
    order = [s["id"] for s in reversed(stages)]
    reordered = client.put(
        f"/api/v1/institutions/{deal['institution_id']}/pipeline",
        json={"stage_ids": order},
        headers=w["investor"],
    )
    assert [s["id"] for s in reordered.get_json()] == order
    bad_order = client.put(
        f"/api/v1/institutions/{deal['institution_id']}/pipeline",
        json={"stage_ids": order[:2]},
        headers=w["investor"],
    )
    assert bad_order.status_code == 422
    assert (
        client.post(f"{url}/move", json={"stage_id": 99999}, headers=w["investor"]).status_code
        == 422
    )
    assert (
        client.post(f"{url}/move", json={"stage_id": ids["meeting"]}, headers=w["sme"]).status_code
        == 403
    )
    answer = client.post(f"{url}/messages", json={"body": "欢迎来访"}, headers=w["sme"])
    assert answer.status_code == 201
    assert (
        client.post(
            f"{url}/messages", json={"body": "x", "internal": True}, headers=w["sme"]
        ).status_code
        == 403
    )
    moved = client.post(f"{url}/move", json={"stage_id": ids["meeting"]}, headers=w["investor"])
    assert moved.get_json()["stage"]["name"] == "路演会谈"
    client.post(f"{url}/move", json={"stage_id": ids["closed_won"]}, headers=w["investor"])
    stuck = client.post(f"{url}/move", json={"stage_id": ids["meeting"]}, headers=w["investor"])
    assert stuck.status_code == 409 and "closed_won" in stuck.get_json()["message"]
    db.session.expire_all()
    stored = db.session.scalar(select(Deal))
    assert [e.kind for e in stored.events] == ["opened", "message", "moved", "moved"]
    assert stored.match.status == MatchStatus.INTRODUCED
