"""The guidance-fund pages: overview, sub-fund with rule evidence, printable quarterly report."""

from tests.factories.accounts import PASSWORD, make_user
from tests.factories.funds import AS_OF, REINVESTMENT_AS_OF, build_reinvestment_fund, build_world
from torchfin.models.enums import Role


def _login(client, user) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_manager_sees_figures_rules_and_the_quarterly_report(client):
    world = build_world()
    _login(client, world.manager)
    assert client.get("/funds").headers["Location"].endswith(f"/funds/{world.guidance_fund_id}")
    overview = client.get(f"/funds/{world.guidance_fund_id}?as_of={AS_OF}").get_data(as_text=True)
    assert 'data-figure="leverage">3.2000<' in overview
    assert 'data-figure="breached">4<' in overview
    detail = client.get(f"/funds/sub-funds/{world.early_id}?as_of={AS_OF}").get_data(as_text=True)
    assert 'data-rule="reinvestment" data-status="pending"' in detail
    assert "区内投资20,000,000.00元" in detail
    assert "2,000万元" in detail  # the guidance commitment
    report = client.get(
        f"/funds/{world.guidance_fund_id}/reports/quarterly?year=2023&quarter=1"
    ).get_data(as_text=True)
    assert 'data-kind="exit"' in report and "1,500万元" in report
    assert "quarterly.xlsx?year=2023&amp;quarter=1" in report


def test_sub_fund_page_gives_the_reinvestment_required_missing_and_achieved(client):
    manager, fund_id = build_reinvestment_fund()
    _login(client, manager)
    url = f"/funds/sub-funds/{fund_id}?as_of={REINVESTMENT_AS_OF}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-figure="reinvestment_achieved">1.2000（要求 1.50 倍）<' in page
    assert 'data-figure="reinvestment_required">7,500万元<' in page
    assert 'data-figure="reinvestment_shortfall">1,500万元<' in page
    assert 'data-figure="reinvestment_share_achieved">80.0%<' in page
    english = client.get(f"{url}&lang=en").get_data(as_text=True)
    assert 'data-figure="reinvestment_required">CNY 75,000,000.00<' in english
    assert 'data-figure="reinvestment_shortfall">CNY 15,000,000.00<' in english
    assert "required 1.50x" in english and "Reinvestment still missing" in english


def test_fund_pages_are_refused_to_others(client):
    world = build_world()
    _login(client, make_user(Role.INVESTOR))
    assert client.get(f"/funds/{world.guidance_fund_id}").status_code == 403
    assert client.get(f"/funds/sub-funds/{world.early_id}").status_code == 403
