"""Recording readiness facts in the browser form: saved through the schema, errors shown."""

from tests.factories.accounts import PASSWORD, make_user
from tests.factories.readiness import READY_ON
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import GovernanceRecord, ReadinessProfile
from torchfin.models.enums import InstitutionKind, Role


def _sme(client):
    enterprise = make_enterprise(make_zone(), [make_industries()["it"]])
    user = make_user(Role.SME, enterprise=enterprise)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return enterprise.id


def test_enterprise_records_its_facts_and_a_meeting(client):
    enterprise_id = _sme(client)
    broker = make_institution(InstitutionKind.SECURITIES)
    url = f"/enterprises/{enterprise_id}/readiness/facts"
    assert "未记录" in client.get(url).get_data(as_text=True)
    saved = client.post(
        url,
        data={
            "converted_on": "2020-08-01",
            "converted_at_book_value": "true",
            "main_business": "动力电池管理系统",
            "shares_lawful": "",
            "sponsor_broker_id": str(broker.id),
            "sponsor_engaged_on": "2025-01-10",
        },
    )
    assert saved.status_code == 302
    profile = db.session.query(ReadinessProfile).one()
    assert profile.converted_at_book_value is True and profile.shares_lawful is None
    assert profile.sponsor_broker_id == broker.id
    meeting = client.post(
        f"/enterprises/{enterprise_id}/readiness/meetings",
        data={"body": "board", "held_on": "2025-03-01", "minutes_ref": "第一届董事会第三次会议"},
    )
    assert meeting.status_code == 302
    report = client.get(
        f"/enterprises/{enterprise_id}/readiness?rule_set=neeq-2013&as_of={READY_ON}"
    ).get_data(as_text=True)
    assert "董事会（2025-03-01）" in report


def test_bad_facts_come_back_with_field_errors_and_nothing_saved(client):
    enterprise_id = _sme(client)
    vc = make_institution(InstitutionKind.VC)
    url = f"/enterprises/{enterprise_id}/readiness/facts"
    bad_date = client.post(url, data={"converted_on": "2099-01-01"})
    assert bad_date.status_code == 422
    assert "Must be between 1990-01-01 and " in bad_date.get_data(as_text=True)  # not after today
    not_broker = client.post(url, data={"sponsor_broker_id": str(vc.id)})
    assert not_broker.status_code == 422
    bad_meeting = client.post(
        f"/enterprises/{enterprise_id}/readiness/meetings", data={"body": "board"}
    )
    assert bad_meeting.status_code == 422
    assert db.session.query(ReadinessProfile).count() == 0
    assert db.session.query(GovernanceRecord).count() == 0


def test_other_enterprises_cannot_open_the_form(client):
    enterprise_id = _sme(client)
    client.post("/logout")
    other = make_user(Role.SME, enterprise=make_enterprise(make_zone("xian", "西安高新区"), []))
    client.post("/login", data={"email": other.email, "password": PASSWORD})
    assert client.get(f"/enterprises/{enterprise_id}/readiness/facts").status_code == 403
