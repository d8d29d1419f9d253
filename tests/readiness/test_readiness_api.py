"""Readiness through the API: recording facts, checking one enterprise, who may do what."""

from datetime import date

from tests.factories.accounts import auth, make_user, make_zone_admin
from tests.factories.readiness import READY_ON, make_ready_facts
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import ReadinessCheck, ReadinessProfile
from torchfin.models.enums import InstitutionKind, Role

API = "/api/v1/readiness"


def _setup():
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    return zone, enterprise


def test_zone_admin_checks_a_ready_enterprise_against_both_rule_sets(client):
    zone, enterprise = _setup()
    make_ready_facts(enterprise)
    headers = auth(make_zone_admin(zone))
    for rule_set, rules in (("zgc-2006", 8), ("neeq-2013", 6)):
        response = client.post(
            f"{API}/enterprises/{enterprise.id}/checks",
            json={"rule_set": rule_set, "as_of": READY_ON.isoformat()},
            headers=headers,
        )
        assert response.status_code == 201, response.json
        assert response.json["outcome"] == "ready"
        assert len(response.json["results"]) == rules
        assert {r["status"] for r in response.json["results"]} == {"pass"}
    listed = client.get(f"{API}/enterprises/{enterprise.id}/checks", headers=headers).json
    assert [c["rule_set"] for c in listed] == ["neeq-2013", "zgc-2006"]


def test_a_limited_company_with_nothing_recorded_is_not_ready_with_next_steps(client):
    _zone, enterprise = _setup()
    owner = make_user(Role.SME, enterprise=enterprise)
    response = client.post(
        f"{API}/enterprises/{enterprise.id}/checks",
        json={"rule_set": "neeq-2013", "as_of": READY_ON.isoformat()},
        headers=auth(owner),
    )
    assert response.json["outcome"] == "not_ready"  # a limited company: the first rule fails
    by_code = {r["code"]: r for r in response.json["results"]}
    assert by_code["joint_stock"]["status"] == "fail"
    assert by_code["governance"]["status"] == "unknown"
    assert "Record meetings" in by_code["governance"]["next_step"]["en"]


def test_a_conversion_recorded_on_a_limited_company_passes_the_joint_stock_rule(client):
    """Issue 20: an llc founded 2019-03-01, converted at book value on 2026-06-30."""
    zone, enterprise = _setup()
    enterprise.founded_on = date(2019, 3, 1)
    db.session.commit()
    headers = auth(make_zone_admin(zone))
    url = f"{API}/enterprises/{enterprise.id}"
    saved = client.patch(
        f"{url}/profile",
        json={"converted_on": "2026-06-30", "converted_at_book_value": True},
        headers=headers,
    )
    assert saved.status_code == 200, saved.json

    def results(as_of: str) -> dict:
        check = client.post(
            f"{url}/checks", json={"rule_set": "neeq-2013", "as_of": as_of}, headers=headers
        )
        assert check.status_code == 201, check.json
        return {r["code"]: r for r in check.json["results"]}

    after = results("2026-11-25")
    assert after["joint_stock"]["status"] == "pass"
    assert "Still a limited company" not in after["joint_stock"]["evidence"]["en"]
    assert "2026-06-30" in after["joint_stock"]["evidence"]["zh"]
    assert "企业类型改为股份有限公司" in after["joint_stock"]["next_step"]["zh"]
    assert after["two_fiscal_years"]["status"] == "pass"
    assert "from 2019-03-01 (original founding)" in after["two_fiscal_years"]["evidence"]["en"]
    before = results("2026-06-29")
    assert before["joint_stock"]["status"] == "fail"
    assert "converted only on 2026-06-30" in before["joint_stock"]["evidence"]["en"]
    assert "book net assets" in before["joint_stock"]["next_step"]["en"]


def test_profile_is_recorded_and_a_non_broker_is_refused_with_no_change(client):
    zone, enterprise = _setup()
    headers = auth(make_zone_admin(zone))
    vc = make_institution(InstitutionKind.VC)
    url = f"{API}/enterprises/{enterprise.id}/profile"
    bad = client.patch(
        url, json={"sponsor_broker_id": vc.id, "main_business": "x"}, headers=headers
    )
    assert bad.status_code == 422
    assert "sponsor_broker_id" in bad.json["errors"]["json"]
    assert db.session.query(ReadinessProfile).count() == 0
    broker = make_institution(InstitutionKind.SECURITIES)
    ok = client.patch(
        url,
        json={"sponsor_broker_id": broker.id, "sponsor_engaged_on": "2025-01-10"},
        headers=headers,
    )
    assert ok.status_code == 200
    assert client.get(url, headers=headers).json["sponsor_broker_id"] == broker.id


def test_bad_input_gives_field_messages(client):
    zone, enterprise = _setup()
    headers = auth(make_zone_admin(zone))
    meeting = client.post(
        f"{API}/enterprises/{enterprise.id}/meetings",
        json={"body": "parliament", "held_on": "2099-01-01"},
        headers=headers,
    )
    assert meeting.status_code == 422
    assert set(meeting.json["errors"]["json"]) >= {"body", "minutes_ref"}
    unknown = client.post(
        f"{API}/enterprises/{enterprise.id}/checks", json={"rule_set": "nyse"}, headers=headers
    )
    assert unknown.status_code == 422
    assert "rule_set" in unknown.json["errors"]["json"]
    assert db.session.query(ReadinessCheck).count() == 0


def test_other_zones_admins_and_other_enterprises_are_refused(client):
    zone, enterprise = _setup()
    elsewhere = make_zone("wuhan-east-lake", "武汉东湖新技术开发区")
    stranger = make_user(Role.SME, enterprise=make_enterprise(zone, []))
    for user in (make_zone_admin(elsewhere), stranger, make_user(Role.INVESTOR)):
        response = client.post(
            f"{API}/enterprises/{enterprise.id}/checks",
            json={"rule_set": "neeq-2013"},
            headers=auth(user),
        )
        assert response.status_code == 403
    batch = client.post(
        f"{API}/batches", json={"zone": zone.code, "rule_set": "neeq-2013"}, headers=auth(stranger)
    )
    assert batch.status_code == 403
