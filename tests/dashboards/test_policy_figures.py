"""The zone dashboard's policy figures on the hand-checked zone of
tests/factories/policy_dashboards.py: API tables, CSV downloads and the page's tables."""

from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.policy_dashboards import FEE, INTEREST, LISTING, build_policy_world
from tests.spreadsheets import read_csv
from torchfin.models.enums import Role


def _tables(client, user, code: str = "zhongguancun") -> dict:
    response = client.get(f"/api/v1/dashboards/zones/{code}", headers=auth(user))
    assert response.status_code == 200, response.json
    return response.json


def test_policy_figures_by_hand(client):
    world = build_policy_world()
    body = _tables(client, world.parties.sponsor)
    tables = {t["key"]: t for t in body["tables"]}
    year = world.year
    assert tables["policy_budget"]["columns"] == [
        "policy", "year", "budget", "reserved", "paid", "left"
    ]  # fmt: skip
    assert tables["policy_budget"]["rows"] == [
        [FEE, year, "5000000.00", "0.00", "50000.00", "4950000.00"],
        [LISTING, year, "30000000.00", "0.00", "0.00", "30000000.00"],
        [INTEREST, year, "20000000.00", "43500.00", "108750.00", "19847750.00"],
        [INTEREST, year - 1, "20000000.00", "0.00", "500000.00", "19500000.00"],
    ]
    assert tables["policy_applications"]["columns"] == [
        "policy", "applied", "reviewing", "approved", "rejected", "paid", "decision_days"
    ]  # fmt: skip
    assert tables["policy_applications"]["rows"] == [
        [FEE, 0, 0, 0, 0, 1, "0.25"],
        [LISTING, 1, 1, 0, 0, 0, None],
        [INTEREST, 0, 0, 1, 1, 1, "2.17"],
        ["zone_total", 1, 1, 1, 1, 2, "1.69"],
    ]
    assert tables["policy_leverage"]["rows"] == [
        [FEE, "50000.00", "0.00", "5000000.00", "100.00"],
        [LISTING, "0.00", "0.00", "0.00", None],
        [INTEREST, "108750.00", "5000000.00", "0.00", "45.98"],
        ["zone_total", "158750.00", "5000000.00", "5000000.00", "31.50"],
    ]
    assert body["policy_names"][INTEREST] == {
        "zh": "中关村科技型企业贷款贴息",
        "en": body["policy_names"][INTEREST]["en"],
    }


def test_policy_csv_downloads_hold_the_api_rows_with_blank_for_no_figure(client):
    world = build_policy_world()
    api = {t["key"]: t for t in _tables(client, world.parties.sponsor)["tables"]}
    client.post("/login", data={"email": world.parties.sponsor.email, "password": PASSWORD})
    for key in ("policy_budget", "policy_applications", "policy_leverage"):
        rows = read_csv(client.get(f"/zones/zhongguancun/dashboard/{key}.csv").data)
        assert rows[0] == api[key]["columns"]
        assert rows[1:] == [["" if v is None else str(v) for v in row] for row in api[key]["rows"]]
    leverage = read_csv(client.get("/zones/zhongguancun/dashboard/policy_leverage.csv").data)
    assert leverage[-1] == ["zone_total", "158750.00", "5000000.00", "5000000.00", "31.50"]


def test_dashboard_page_shows_policy_tables_with_names_and_totals(client):
    world = build_policy_world()
    client.post("/login", data={"email": world.parties.sponsor.email, "password": PASSWORD})
    page = client.get("/zones/zhongguancun/dashboard").get_data(as_text=True)
    assert 'id="table-policy_leverage"' in page and 'id="chart-policy_budget"' in page
    assert "中关村科技型企业贷款贴息" in page and "全区合计" in page
    assert 'data-column="per_yuan" data-value="45.98"' in page
    assert 'data-column="decision_days" data-value="">—</td>' in page
    assert "1,984.78万元" in page  # the interest subsidy's budget left, 19,847,750


def test_policy_figures_are_for_the_zone_admins_only(client):
    world = build_policy_world()
    response = client.get("/api/v1/dashboards/zones/zhongguancun", headers=auth(world.parties.sme))
    assert response.status_code == 403
    admin = make_user(Role.ADMIN)
    wuhan = {t["key"]: t for t in _tables(client, admin, "wuhan")["tables"]}
    assert wuhan["policy_leverage"]["rows"] == [
        [INTEREST, "999.00", "5000000.00", "0.00", "5005.01"],
        ["zone_total", "999.00", "5000000.00", "0.00", "5005.01"],
    ]
