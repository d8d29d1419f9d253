"""我的企业: the SME keeps its profile through the page and the API; bad input writes nothing."""

from decimal import Decimal

from sqlalchemy import func, select

from tests.factories.accounts import auth, make_user
from tests.factories.registry import REVENUE_API, credit_code
from torchfin.extensions import db
from torchfin.models import AccessLogEntry, Enterprise, EnterpriseFinancial
from torchfin.models.enums import Qualification, Role

FINANCIAL_2024 = {
    "financials-0-year": "2024",
    "financials-0-revenue": "40000000.00",
    "financials-0-net_profit": "-250000.50",
    "financials-0-rd_spend": "5000000",
    "financials-0-total_assets": "90000000",
    "financials-0-total_liabilities": "30000000",
    "financials-0-employees": "150",
    "financials-0-college_staff": "120",
}


def _profile_form(**overrides) -> dict:
    """A complete profile form: the 2023 row kept, 2024 replaced, one qualification."""
    data = {
        "name": "北京锂动新能源科技有限公司",
        "legal_form": "llc",
        "founded_on": "2015-03-01",
        "zone": "zhongguancun",
        "industries": ["nev", "nev.battery"],
        "description": "固态电池管理系统与储能变流器",
        "employees": "150",
        "invention_patents_granted": "9",
        "invention_patents_pending": "4",
        "qualifications-0-kind": "high_tech",
        "qualifications-0-certificate_no": "GR202411000777",
        "qualifications-0-expires_on": "2027-10-31",
        "qualifications-1-kind": "",  # the blank row the page offers is ignored
        **FINANCIAL_2024,
        "financials-1-year": "",
    }
    data.update(overrides)
    return data


def _rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Enterprise)),
        db.session.scalar(select(func.count()).select_from(EnterpriseFinancial)),
    )


def test_profile_page_shows_the_record_and_logs_the_owners_read(client, world, sign_in):
    sign_in(world.sme)
    page = client.get("/my/enterprise").get_data(as_text=True)
    assert "我的企业" in page
    assert 'value="北京锂动新能源科技有限公司"' in page
    assert f'value="{REVENUE_API}"' in page
    assert "credit_code" not in page  # fixed once registered
    assert db.session.scalar(select(func.count()).select_from(AccessLogEntry)) == 1


def test_sme_saves_profile_with_qualification_expiry_and_financial_years(client, world, sign_in):
    sign_in(world.sme)
    response = client.post("/my/enterprise", data=_profile_form())
    assert response.status_code == 302, response.get_data(as_text=True)

    db.session.expire_all()
    enterprise = db.session.get(Enterprise, world.enterprise.id)
    assert enterprise.description == "固态电池管理系统与储能变流器"
    assert (enterprise.invention_patents_granted, enterprise.employees) == (9, 150)
    [qualification] = enterprise.qualifications
    assert qualification.kind == Qualification.HIGH_TECH
    assert qualification.expires_on.isoformat() == "2027-10-31"
    # Only the 2024 row was sent: 2023 is gone, 2024 carries the new figures.
    assert [f.year for f in enterprise.financials] == [2024]
    assert enterprise.financials[0].net_profit == Decimal("-250000.50")
    assert sorted(i.code for i in enterprise.industries) == ["nev", "nev.battery"]


def test_invalid_profile_is_422_with_field_messages_and_writes_nothing(client, world, sign_in):
    sign_in(world.sme)
    before = _rows()
    response = client.post(
        "/my/enterprise",
        data=_profile_form(
            name="",
            description="不应保存",
            **{"financials-0-college_staff": "151", "financials-0-revenue": "abc"},
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # The schema's messages, said in the page's language, under their fields.
    assert "请输入金额，例如 1500000.00。" in page  # the revenue of the 2024 row
    assert "此项必填。" in page  # the name
    assert "Not a decimal amount." not in page and "Missing data" not in page
    assert 'value="abc"' in page  # what was typed stays in the form
    english = client.post(
        "/my/enterprise?lang=en",
        data=_profile_form(name="", **{"financials-0-revenue": "abc"}),
    ).get_data(as_text=True)
    assert "Enter an amount, for example 1500000.00." in english and "Required." in english
    db.session.expire_all()
    assert _rows() == before
    assert db.session.get(Enterprise, world.enterprise.id).description == "研发动力电池管理系统"


def test_service_refusal_after_partial_changes_rolls_everything_back(client, world, sign_in):
    # The unknown zone is found by the service after it began applying the other fields.
    sign_in(world.sme)
    response = client.post("/my/enterprise", data=_profile_form(zone="atlantis", name="改名"))
    assert response.status_code == 422
    assert "没有代码为“atlantis”的高新区。" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enterprise, world.enterprise.id).name == "北京锂动新能源科技有限公司"


def test_sme_without_enterprise_registers_it_on_the_page(client, world, sign_in):
    newcomer = make_user(Role.SME)
    sign_in(newcomer)
    assert 'name="credit_code"' in client.get("/my/enterprise").get_data(as_text=True)
    code = credit_code()
    response = client.post(
        "/my/enterprise",
        data=_profile_form(credit_code=code, name="北京氢能动力科技有限公司"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    created = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    assert created.name == "北京氢能动力科技有限公司"
    db.session.expire_all()
    assert newcomer.enterprise_id == created.id


def test_registering_a_taken_credit_code_on_the_page_links_the_existing_one(client, world, sign_in):
    sign_in(make_user(Role.SME))
    response = client.post(
        "/my/enterprise", data=_profile_form(credit_code=world.enterprise.credit_code)
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"该代码已登记：/api/v1/enterprises/{world.enterprise.id}" in page


def test_other_roles_cannot_open_the_sme_pages(client, world, sign_in):
    sign_in(world.investor)
    for url in ("/my/enterprise", "/my/projects", "/my/access"):
        assert client.get(url).status_code == 403


def test_sme_edits_profile_through_the_api(client, world):
    headers = auth(world.sme)
    url = f"/api/v1/enterprises/{world.enterprise.id}"
    response = client.patch(
        url,
        json={
            "description": "储能系统集成",
            "employees": 210,
            "invention_patents_granted": 11,
            "qualifications": [
                {"kind": "tech_sme", "certificate_no": None, "expires_on": "2026-03-31"}
            ],
        },
        headers=headers,
    )
    assert response.status_code == 200, response.json
    body = client.get(url, headers=headers).json
    assert body["description"] == "储能系统集成"
    assert (body["employees"], body["invention_patents_granted"]) == (210, 11)
    assert body["qualifications"] == [
        {"kind": "tech_sme", "certificate_no": None, "expires_on": "2026-03-31"}
    ]
    bad = client.patch(url, json={"description": "不应保存", "employees": -1}, headers=headers)
    assert bad.status_code == 422
    assert "employees" in bad.json["errors"]["json"]
    assert client.get(url, headers=headers).json["description"] == "储能系统集成"


def test_sme_pages_in_english(client, world, sign_in):
    sign_in(world.sme)
    page = client.get("/my/enterprise?lang=en").get_data(as_text=True)
    assert "My enterprise" in page
    assert "Invention patents granted" in page
    assert "Access grants" in client.get("/my/access").get_data(as_text=True)


def test_saving_the_profile_again_keeps_its_qualification_row(client, world, sign_in):
    # Qualifications are replaced by kind in place: deleting and inserting the same kind in one
    # flush broke the (enterprise, kind) unique key, so a second save failed.
    sign_in(world.sme)
    for _ in range(2):
        response = client.post("/my/enterprise", data=_profile_form())
        assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    [qualification] = db.session.get(Enterprise, world.enterprise.id).qualifications
    assert qualification.certificate_no == "GR202411000777"
