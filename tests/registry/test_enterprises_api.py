"""Enterprise API: registration, validation, ownership, confidentiality."""

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import auth, make_user
from tests.factories.registry import credit_code, make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import Enterprise, EnterpriseFinancial, OutboxEvent
from torchfin.models.enums import Role


@pytest.fixture
def world():
    zone = make_zone()
    industries = make_industries()
    return {"zone": zone, **industries}


def _payload(**overrides):
    data = {
        "credit_code": credit_code(),
        "name": "北京锂动新能源科技有限公司",
        "legal_form": "llc",
        "founded_on": "2016-05-20",
        "zone": "zhongguancun",
        "industries": ["nev.battery", "nev"],
        "description": "专注动力电池管理系统研发",
        "qualifications": [
            {"kind": "high_tech", "certificate_no": "GR202311001234", "expires_on": "2026-12-01"}
        ],
        "financials": [
            {
                "year": 2024,
                "revenue": "32000000.00",
                "net_profit": "-1500000.50",
                "rd_spend": "4100000.00",
                "total_assets": "80000000.00",
                "total_liabilities": "30000000.00",
                "employees": 150,
                "college_staff": 90,
            }
        ],
    }
    return {**data, **overrides}


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(Enterprise)),
        db.session.scalar(select(func.count()).select_from(EnterpriseFinancial)),
        db.session.scalar(select(func.count()).select_from(OutboxEvent)),
    )


def test_sme_registers_its_enterprise_with_decimal_financials(client, world):
    sme = make_user(Role.SME)
    response = client.post("/api/v1/enterprises", json=_payload(), headers=auth(sme))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["zone"]["code"] == "zhongguancun"
    assert sorted(i["code"] for i in body["industries"]) == ["nev", "nev.battery"]
    assert "financials" not in body  # confidential data is served apart
    financials = client.get(f"/api/v1/enterprises/{body['id']}/financials", headers=auth(sme)).json
    assert financials["financials"][0]["net_profit"] == "-1500000.50"
    assert financials["financials"][0]["revenue"] == "32000000.00"


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"credit_code": "91110000802100433C"}, "credit_code", "code_check"),
        ({"credit_code": "9111000080210043"}, "credit_code", "format"),
        ({"name": ""}, "name", "Length"),
        ({"name": "长" * 201}, "name", "Length"),
        ({"legal_form": "sole_trader"}, "legal_form", "Must be one of"),
        ({"founded_on": "2015-02-30"}, "founded_on", "date"),
        ({"unexpected": 1}, "unexpected", "Unknown field"),
        ({"industries": []}, "industries", "Length"),
    ],
)
def test_bad_input_gets_field_messages_and_writes_nothing(
    client, world, overrides, field, fragment
):
    sme = make_user(Role.SME)
    before = _counts()
    response = client.post("/api/v1/enterprises", json=_payload(**overrides), headers=auth(sme))
    assert response.status_code == 422
    messages = response.json["errors"]["json"][field]
    assert any(fragment.lower() in str(m).lower() for m in messages), messages
    assert _counts() == before


def test_float_money_is_refused_with_a_message(client, world):
    sme = make_user(Role.SME)
    payload = _payload()
    payload["financials"][0]["revenue"] = 32000000.1
    response = client.post("/api/v1/enterprises", json=payload, headers=auth(sme))
    assert response.status_code == 422
    assert "decimal strings" in str(response.json["errors"]["json"]["financials"])


def test_unknown_zone_is_a_field_error_and_leaves_no_row(client, world):
    sme = make_user(Role.SME)
    before = _counts()
    response = client.post("/api/v1/enterprises", json=_payload(zone="atlantis"), headers=auth(sme))
    assert response.status_code == 422
    assert "atlantis" in response.json["errors"]["json"]["zone"][0]
    assert _counts() == before


def test_duplicate_credit_code_is_refused_with_a_link_to_the_existing_record(client, world):
    existing = make_enterprise(world["zone"], [world["nev"]])
    sme = make_user(Role.SME)
    response = client.post(
        "/api/v1/enterprises", json=_payload(credit_code=existing.credit_code), headers=auth(sme)
    )
    assert response.status_code == 409
    assert f"/api/v1/enterprises/{existing.id}" in response.json["errors"]["json"]["credit_code"][0]


def test_admin_override_of_a_failed_checksum_is_recorded(client, world):
    admin = make_user(Role.ADMIN)
    payload = _payload(
        credit_code="91110000802100433C", credit_code_override_reason="营业执照原件如此"
    )
    response = client.post("/api/v1/enterprises", json=payload, headers=auth(admin))
    assert response.status_code == 201, response.json
    stored = db.session.get(Enterprise, response.json["id"])
    assert stored.credit_code_override_reason == "营业执照原件如此"


def test_sme_cannot_override_a_failed_checksum(client, world):
    sme = make_user(Role.SME)
    payload = _payload(credit_code="91110000802100433C", credit_code_override_reason="请放行")
    before = _counts()
    response = client.post("/api/v1/enterprises", json=payload, headers=auth(sme))
    assert response.status_code == 403
    assert _counts() == before


def test_sme_cannot_change_another_enterprise(client, world):
    mine = make_enterprise(world["zone"], [world["nev"]])
    theirs = make_enterprise(world["zone"], [world["it"]], name="别家科技有限公司")
    sme = make_user(Role.SME, enterprise=mine)
    response = client.patch(
        f"/api/v1/enterprises/{theirs.id}", json={"name": "被篡改"}, headers=auth(sme)
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Enterprise, theirs.id).name == "别家科技有限公司"
    own = client.patch(
        f"/api/v1/enterprises/{mine.id}", json={"name": "新名称科技有限公司"}, headers=auth(sme)
    )
    assert own.status_code == 200
    assert own.json["name"] == "新名称科技有限公司"


def test_financials_are_confidential_to_other_smes(client, world):
    mine = make_enterprise(world["zone"], [world["nev"]])
    other = make_user(Role.SME, enterprise=make_enterprise(world["zone"], [world["it"]]))
    response = client.get(f"/api/v1/enterprises/{mine.id}/financials", headers=auth(other))
    assert response.status_code == 403
    assert "12345678.90" not in response.get_data(as_text=True)


def test_anonymous_calls_get_401_and_unknown_ids_404(client, world):
    assert client.get("/api/v1/enterprises").status_code == 401
    assert client.post("/api/v1/enterprises", json=_payload()).status_code == 401
    admin = make_user(Role.ADMIN)
    missing = client.get("/api/v1/enterprises/999999", headers=auth(admin))
    assert missing.status_code == 404
    assert "999999" in missing.json["message"]


def test_lists_are_paginated(client, world):
    for _ in range(3):
        make_enterprise(world["zone"], [world["nev"]])
    admin = make_user(Role.ADMIN)
    response = client.get("/api/v1/enterprises?page=2&page_size=2", headers=auth(admin))
    assert response.status_code == 200
    assert len(response.json) == 1
    assert '"total": 3' in response.headers["X-Pagination"]
