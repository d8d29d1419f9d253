"""The fund manager's forms: a new sub-fund commitment, capital calls, placements and exits."""

from decimal import Decimal

from sqlalchemy import select

from tests.factories.accounts import make_user
from tests.factories.funds import M, build_world, sub_fund
from tests.page_helpers import post_form, row_counts, sign_in
from torchfin.extensions import db
from torchfin.models import CapitalCall, Placement, PlacementExit, SubFund
from torchfin.models.enums import Role


def _counts() -> tuple[int, ...]:
    return row_counts(SubFund, CapitalCall, Placement, PlacementExit)


def _sub_fund_form(**changes) -> dict:
    return {
        "name": "中关村硬科技三号",
        "manager": "某私募股权投资管理有限公司",
        "vintage": "2024",
        "zone": "zhongguancun",
        "guidance_commitment": "25000000",
        "investment_period_end": "2029-12-31",
        "max_guidance_share": "0.25",
        "reinvestment_multiple": "1.5",
        "min_early_stage_share": "0.3",
        "limited_partners-0-name": "北京某产业投资有限公司",
        "limited_partners-0-commitment": "50000000",
        "limited_partners-1-name": "",  # a row left blank is not an LP
        "limited_partners-1-commitment": "",
        "limited_partners-2-name": "某上市公司",
        "limited_partners-2-commitment": "25000000.00",
        **changes,
    }


def _enterprise_id(world) -> int:
    return db.session.get(Placement, world.placement_ids[0]).enterprise_id


def test_manager_commits_to_a_new_sub_fund_from_the_page(client):
    world = build_world()
    sign_in(client, world.manager)
    overview = client.get(f"/funds/{world.guidance_fund_id}").get_data(as_text=True)
    assert 'id="new-sub-fund"' in overview
    url = f"/funds/{world.guidance_fund_id}/sub-funds/new"
    assert 'name="limited_partners-2-commitment"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data=_sub_fund_form())
    assert response.status_code == 303, response.get_data(as_text=True)
    fund = db.session.scalar(select(SubFund).where(SubFund.name == "中关村硬科技三号"))
    assert response.headers["Location"].endswith(f"/funds/sub-funds/{fund.id}")
    assert (fund.guidance_fund_id, fund.guidance_commitment, fund.size) == (
        world.guidance_fund_id,
        Decimal("25000000.00"),
        Decimal("100000000.00"),
    )
    assert [(lp.name, lp.commitment) for lp in fund.limited_partners] == [
        ("北京某产业投资有限公司", 50 * M),
        ("某上市公司", 25 * M),
    ]
    assert fund.idle_alert_months == 12  # the schema's default for a blank field


def test_bad_sub_fund_comes_back_with_field_and_row_messages_and_writes_nothing(client):
    world = build_world()
    sign_in(client, world.manager)
    before = _counts()
    response = client.post(
        f"/funds/{world.guidance_fund_id}/sub-funds/new",
        data=_sub_fund_form(
            vintage="二〇二四",
            max_guidance_share="1.5",
            **{"limited_partners-2-commitment": "很多"},
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请输入整数。" in page and "须在 0 到 1 之间。" in page
    assert "请输入金额，例如 1500000.00。" in page and 'value="很多"' in page
    # Past the schema, the service refuses a name already taken.
    response = client.post(
        f"/funds/{world.guidance_fund_id}/sub-funds/new?lang=en",
        data=_sub_fund_form(name="中关村早期一号"),
    )
    assert response.status_code == 422
    assert "A sub-fund of this name exists." in response.get_data(as_text=True)
    assert _counts() == before


def test_manager_records_a_call_a_placement_and_an_exit(client):
    world = build_world()
    sign_in(client, world.manager)
    base = f"/funds/sub-funds/{world.early_id}"
    page = client.get(base).get_data(as_text=True)
    assert 'data-form="call"' in page and 'data-form="placement"' in page
    assert f'data-placement="{world.placement_ids[2]}"' in page

    response = post_form(
        client, f"{base}/capital-calls", "call", called_on="2024-03-01", amount="10000000"
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    response = post_form(
        client,
        f"{base}/placements",
        "placement",
        enterprise_id=str(_enterprise_id(world)),
        amount="20000000.00",
        placed_on="2024-04-01",
        round="c_plus",
        instrument="convertible",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    placement_id = world.placement_ids[2]
    response = post_form(
        client,
        f"{base}/placements/{placement_id}/exits",
        f"exit{placement_id}",
        exited_on="2024-06-30",
        proceeds="12000000",
    )
    assert response.status_code == 303, response.get_data(as_text=True)

    db.session.expire_all()
    fund = sub_fund(world.early_id)
    assert sum(c.amount for c in fund.capital_calls) == 60 * M
    newest = max(fund.placements, key=lambda p: p.id)
    assert (newest.amount, newest.round, newest.instrument) == (20 * M, "c_plus", "convertible")
    [exit_] = db.session.get(Placement, placement_id).exits
    assert (exit_.exited_on.isoformat(), exit_.proceeds) == ("2024-06-30", 12 * M)


def test_refused_call_placement_and_exit_come_back_on_the_page_and_write_nothing(client):
    world = build_world()
    sign_in(client, world.manager)
    base = f"/funds/sub-funds/{world.early_id}"
    before = _counts()
    response = post_form(
        client, f"{base}/capital-calls", "call", called_on="2024-03-01", amount="60000000"
    )
    assert response.status_code == 422
    assert "累计缴付将超过认缴总额 100000000.00 元。" in response.get_data(as_text=True)
    refusals = {
        "series_z": "请从列表中选择。",  # no such round
        "b": "截至 2024-04-01，已实缴未投资的资金只有 15000000.00 元。",
    }
    for round_, message in refusals.items():
        response = post_form(
            client,
            f"{base}/placements",
            "placement",
            enterprise_id=str(_enterprise_id(world)),
            amount="16000000",
            placed_on="2024-04-01",
            round=round_,
            instrument="equity",
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    placement_id = world.placement_ids[2]
    response = post_form(
        client,
        f"{base}/placements/{placement_id}/exits",
        f"exit{placement_id}",
        exited_on="2020-01-01",
        proceeds="1",
    )
    assert response.status_code == 422
    assert "不能早于投资日期。" in response.get_data(as_text=True)
    assert _counts() == before


def test_only_the_funds_managers_record_its_money(client):
    world = build_world()
    sign_in(client, make_user(Role.INVESTOR))
    before = _counts()
    base = f"/funds/sub-funds/{world.early_id}"
    placement_id = world.placement_ids[2]
    assert client.get(f"/funds/{world.guidance_fund_id}/sub-funds/new").status_code == 403
    assert (
        client.post(
            f"/funds/{world.guidance_fund_id}/sub-funds/new", data=_sub_fund_form()
        ).status_code
        == 403
    )
    calls = post_form(client, f"{base}/capital-calls", "call", called_on="2024-03-01", amount="1")
    assert calls.status_code == 403
    placement = post_form(
        client,
        f"{base}/placements",
        "placement",
        enterprise_id=str(_enterprise_id(world)),
        amount="1",
        placed_on="2024-04-01",
        round="b",
        instrument="equity",
    )
    assert placement.status_code == 403
    exits = post_form(
        client,
        f"{base}/placements/{placement_id}/exits",
        f"exit{placement_id}",
        exited_on="2024-06-30",
        proceeds="1",
    )
    assert exits.status_code == 403
    assert _counts() == before
