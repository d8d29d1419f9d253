"""Listing and M&A incentives: events recorded, rewards granted as applications of the zone's legacy
reward policy, paid once through the gateway and the ledger."""

from sqlalchemy import select

from tests.factories.accounts import auth, make_user, make_zone_admin
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import LedgerPosting, ListingEvent, PolicyApplication
from torchfin.models.enums import Role
from torchfin.services.finance import ledger

API = "/api/v1/listings"


def test_reward_is_recorded_then_paid_once_through_the_gateway(client, run_worker):
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    headers = auth(make_zone_admin(zone))
    event = client.post(
        API,
        json={
            "enterprise_id": enterprise.id,
            "venue": "neeq",
            "event_on": "2025-09-01",
            "reference": "874123",
        },
        headers=headers,
    )
    assert event.status_code == 201, event.json
    # An old client names no stage: the event is a listing, as every event was before stages.
    assert event.json["stage"] == "listed"
    reward = client.post(
        f"{API}/{event.json['id']}/rewards",
        json={"policy": "中关村新三板挂牌资助", "amount": "500000.00"},
        headers=headers,
    )
    assert reward.json["status"] == "recorded"
    assert reward.json["policy"] == "中关村新三板挂牌资助"
    zone_id, enterprise_id, zone_code = zone.id, enterprise.id, zone.code
    paying = client.post(f"{API}/rewards/{reward.json['id']}/pay", headers=headers)
    # Asked: the worker pays it through the gateway; meanwhile another payout is refused.
    assert paying.status_code == 200 and paying.json["status"] == "recorded"
    assert paying.json["payment_id"] is None
    while_paying = client.post(f"{API}/rewards/{reward.json['id']}/pay", headers=headers)
    assert while_paying.status_code == 409, while_paying.json
    run_worker()
    again = client.post(f"{API}/rewards/{reward.json['id']}/pay", headers=headers)
    assert again.status_code == 409
    assert "that is paid" in again.json["message"]
    postings = dict(db.session.execute(select(LedgerPosting.account, LedgerPosting.amount)).all())
    assert {k: str(v) for k, v in postings.items()} == {
        f"zone_policy:{zone_id}": "-500000.00",
        f"enterprise:{enterprise_id}": "500000.00",
    }
    assert ledger.check(db.engine)[1] == []
    listed = client.get(f"{API}/zones/{zone_code}", headers=headers).json
    assert listed[0]["rewards"][0]["status"] == "paid"
    assert listed[0]["rewards"][0]["payment_id"] is not None


def test_bad_input_and_wrong_roles_are_refused_without_rows(client):
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    bad = client.post(
        API,
        json={
            "enterprise_id": enterprise.id,
            "venue": "nasdaq",
            "stage": "ipo",
            "event_on": "2999-01-01",
        },
        headers=auth(make_zone_admin(zone)),
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"venue", "stage", "event_on", "reference"}
    assert bad.json["errors"]["json"]["stage"] == ["Must be one of: filed, approved, listed."]
    good = {
        "enterprise_id": enterprise.id,
        "venue": "merger",
        "event_on": "2025-01-01",
        "reference": "被某上市公司并购",
    }
    other_zone_admin = make_zone_admin(make_zone("wuhan", "武汉东湖新技术开发区"))
    for user in (make_user(Role.SME, enterprise=enterprise), other_zone_admin):
        assert client.post(API, json=good, headers=auth(user)).status_code == 403
    assert db.session.query(ListingEvent).count() == 0
    assert db.session.query(PolicyApplication).count() == 0
