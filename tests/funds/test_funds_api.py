"""Guidance funds through the API: registration, validation, roles, figures, Excel report."""

import io
from datetime import date

from openpyxl import load_workbook

from tests.bad_input import FORMULA_INJECTION
from tests.factories.accounts import auth, make_user
from tests.factories.funds import AS_OF, REINVESTMENT_AS_OF, build_reinvestment_fund, build_world
from tests.factories.registry import make_institution, make_zone
from tests.spreadsheets import assert_inert_xlsx, read_xlsx
from torchfin.extensions import db
from torchfin.models import CapitalCall, Institution, LimitedPartner, Placement, SubFund
from torchfin.models.enums import InstitutionKind, Role

API = "/api/v1/funds"

NEW_FUND = {
    "name": "中关村天使三号",
    "manager": "某天使投资管理有限公司",
    "vintage": 2024,
    "zone": "zhongguancun",
    "guidance_commitment": "10000000.00",
    "investment_period_end": "2028-12-31",
    "max_guidance_share": "0.2500",
    "reinvestment_multiple": "1.50",
    "min_early_stage_share": "0.5000",
    "limited_partners": [{"name": "甲", "commitment": "30000000.00"}],
}


def _manager():
    make_zone()
    guidance = make_institution(InstitutionKind.GUIDANCE_FUND)
    return guidance.id, auth(make_user(Role.FUND_MANAGER, institution=guidance))


def test_manager_registers_a_sub_fund_with_money_as_strings(client):
    guidance_id, headers = _manager()
    response = client.post(f"{API}/{guidance_id}/sub-funds", json=NEW_FUND, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["size"] == "40000000.00"
    assert response.json["max_guidance_share"] == "0.2500"
    assert response.json["zone_code"] == "zhongguancun"
    listed = client.get(f"{API}/{guidance_id}/sub-funds", headers=headers).json
    assert [f["name"] for f in listed] == ["中关村天使三号"]


def test_bad_sub_fund_is_a_422_with_field_messages_and_no_rows(client):
    guidance_id, headers = _manager()
    bad = {
        **NEW_FUND,
        "guidance_commitment": 1.5,
        "max_guidance_share": "1.2",
        "limited_partners": [],
        "zone": "atlantis",
    }
    response = client.post(f"{API}/{guidance_id}/sub-funds", json=bad, headers=headers)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {
        "guidance_commitment",
        "max_guidance_share",
        "limited_partners",
    }
    unknown_zone = client.post(
        f"{API}/{guidance_id}/sub-funds", json={**NEW_FUND, "zone": "atlantis"}, headers=headers
    )
    assert unknown_zone.status_code == 422 and "zone" in unknown_zone.json["errors"]["json"]
    assert db.session.query(SubFund).count() == 0
    assert db.session.query(LimitedPartner).count() == 0


def test_other_roles_and_other_funds_managers_are_refused(client):
    guidance_id, _ = _manager()
    other_fund = make_institution(InstitutionKind.GUIDANCE_FUND)
    for user in (
        make_user(Role.INVESTOR),
        make_user(Role.FUND_MANAGER, institution=other_fund),
        make_user(Role.ZONE_ADMIN),
    ):
        response = client.post(f"{API}/{guidance_id}/sub-funds", json=NEW_FUND, headers=auth(user))
        assert response.status_code == 403


def test_calls_beyond_commitments_and_placements_beyond_calls_are_refused(client):
    world = build_world()
    headers = auth(world.manager)
    over = client.post(
        f"{API}/sub-funds/{world.early_id}/capital-calls",
        json={"called_on": "2023-01-01", "amount": "50000000.01"},
        headers=headers,
    )
    assert over.status_code == 422 and "amount" in over.json["errors"]["json"]
    assert db.session.query(CapitalCall).count() == 2
    early_placement = client.post(
        f"{API}/sub-funds/{world.early_id}/placements",
        json={
            "enterprise_id": 1,
            "amount": "1.00",
            "placed_on": "2021-01-01",
            "round": "seed",
            "instrument": "equity",
        },
        headers=headers,
    )
    assert early_placement.status_code == 422  # nothing called yet on that day


def test_figures_api_serves_the_hand_checked_numbers(client):
    world = build_world()
    headers = auth(world.manager)
    figures = client.get(
        f"{API}/sub-funds/{world.early_id}/figures?as_of={AS_OF}", headers=headers
    ).json
    assert figures["leverage"] == "5.0000"
    assert figures["idle"] == "20000000.00" and figures["idle_months"] == 15
    assert {r["code"]: r["status"] for r in figures["rules"]}["reinvestment"] == "pending"
    totals = client.get(
        f"{API}/{world.guidance_fund_id}/figures?as_of={AS_OF}", headers=headers
    ).json
    assert totals["leverage"] == "3.2000" and totals["breached_rules"] == 4


def test_figures_api_gives_the_reinvestment_required_missing_and_achieved(client):
    manager, fund_id = build_reinvestment_fund()
    figures = client.get(
        f"{API}/sub-funds/{fund_id}/figures?as_of={REINVESTMENT_AS_OF}", headers=auth(manager)
    ).json
    assert figures["reinvestment_achieved"] == "1.2000"
    assert figures["reinvestment_required"] == "75000000.00"
    assert figures["reinvestment_shortfall"] == "15000000.00"
    assert figures["reinvestment_share_achieved"] == "0.8000"


def test_quarterly_workbook_holds_summary_sub_funds_and_activity(client):
    world = build_world()
    response = client.get(
        f"{API}/{world.guidance_fund_id}/reports/quarterly.xlsx?year=2023&quarter=1",
        headers=auth(world.manager),
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    summary = {
        row[0]: row[1] for row in book["概览 Summary"].iter_rows(min_row=3, values_only=True)
    }
    assert summary["放大倍数 Leverage"] == 3.2
    assert summary["已投资 Deployed (CNY)"] == 30_000_000
    activity = list(book["本季 Activity"].iter_rows(min_row=2, values_only=True))
    assert [(kind, amount) for kind, _, _, amount, _ in activity] == [("exit", 15_000_000)]
    assert activity[0][2].date() == date(2023, 1, 15)
    assert len(list(book["子基金 Sub-funds"].iter_rows(min_row=2))) == 2
    bad = client.get(
        f"{API}/{world.guidance_fund_id}/reports/quarterly.xlsx?year=2023&quarter=5",
        headers=auth(world.manager),
    )
    assert bad.status_code == 422


def test_a_placement_names_the_investee_by_its_credit_code(client):
    world = build_world()
    investee = db.session.get(Placement, world.placement_ids[0]).enterprise
    response = client.post(
        f"{API}/sub-funds/{world.early_id}/placements",
        json={
            "credit_code": investee.credit_code,
            "amount": "1000000.00",
            "placed_on": "2024-04-01",
            "round": "b",
            "instrument": "equity",
        },
        headers=auth(world.manager),
    )
    assert response.status_code == 201, response.json
    placement = db.session.get(Placement, response.json["id"])
    assert (placement.enterprise_id, response.json["enterprise_id"]) == (investee.id, investee.id)


def test_quarterly_workbook_writes_formula_like_names_as_text(client):
    world = build_world()
    link, plus, sum_of = FORMULA_INJECTION[0], FORMULA_INJECTION[1], FORMULA_INJECTION[3]
    db.session.get(SubFund, world.early_id).name = link
    db.session.get(Institution, world.guidance_fund_id).name = sum_of
    db.session.get(Placement, world.placement_ids[1]).enterprise.name = plus  # the exit's investee
    db.session.commit()

    response = client.get(
        f"{API}/{world.guidance_fund_id}/reports/quarterly.xlsx?year=2023&quarter=1",
        headers=auth(world.manager),
    )

    book = read_xlsx(response.data)
    assert_inert_xlsx(book["概览 Summary"]["A1"], f"{sum_of} 2023Q1")
    names = {row[0].value: row for row in book["子基金 Sub-funds"].iter_rows(min_row=2)}
    assert_inert_xlsx(names[link][0], link)
    assert names[link][1].data_type == "n"
    (exit_row,) = book["本季 Activity"].iter_rows(min_row=2)
    assert_inert_xlsx(exit_row[1], link)
    assert_inert_xlsx(exit_row[4], plus)
