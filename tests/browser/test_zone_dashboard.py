"""A zone administrator opens the dashboard: every chart is drawn and each table equals the API."""

from tests.factories.accounts import PASSWORD, auth, make_zone_admin
from tests.factories.dashboards import build_dashboard_world
from tests.factories.policies import zgc_policy
from tests.factories.policy_dashboards import FEE, INTEREST, LISTING, build_policy_world

# Counts the painted pixels of a chart's canvas; a blank (never drawn) canvas has none.
PAINTED = """(key) => {
  const canvas = document.querySelector(`#chart-${key} canvas`);
  if (!canvas) return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  return painted;
}"""

# The table's cells as the API serves them: row key(s) and data-value of every number cell.
TABLE_ROWS = """(key) => {
  const table = document.querySelector(`#table-${key}`);
  if (key === "industry_map") {
    return [...table.querySelectorAll("td[data-row]")].map(
      (td) => [...td.dataset.row.split("|"), Number(td.dataset.value)]);
  }
  return [...table.querySelectorAll("tbody tr")].map((tr) => [
    tr.dataset.row,
    ...[...tr.querySelectorAll("td[data-value]")].map((td) => td.dataset.value),
  ]);
}"""


def _as_page_sees(key: str, rows: list[list]) -> list[list]:
    if key == "industry_map":
        return rows
    return [[row[0], *("" if v is None else str(v) for v in row[1:])] for row in rows]


def _sees_the_api_tables(client, live_server, page, admin) -> None:
    """Sign in as `admin`, open 中关村's dashboard: every chart drawn, every table the API's."""
    api = client.get("/api/v1/dashboards/zones/zhongguancun", headers=auth(admin)).json
    assert len(api["tables"]) == 8

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/zones/zhongguancun/dashboard")

    for table in api["tables"]:
        key = table["key"]
        page.wait_for_selector(f"#chart-{key}[data-drawn=true] canvas")
        assert page.evaluate(PAINTED, key) > 500, f"chart {key} is blank"
        assert page.evaluate(TABLE_ROWS, key) == _as_page_sees(key, table["rows"]), key
        assert (
            page.locator(f"#section-{key} a[download]")
            .get_attribute("href")
            .endswith(f"/zones/zhongguancun/dashboard/{key}.csv")
        )
    assert errors == []


def test_zone_admin_sees_every_chart_drawn_with_the_api_numbers(client, live_server, page):
    zone = build_dashboard_world()
    for code in (INTEREST, FEE, LISTING):  # declared, nothing applied for yet
        zgc_policy(zone, code)
    _sees_the_api_tables(client, live_server, page, make_zone_admin(zone))
    assert "1,800万元" in page.locator("#table-financing_gap").inner_text()


def test_policy_charts_are_drawn_with_the_hand_checked_figures(client, live_server, page):
    world = build_policy_world()
    _sees_the_api_tables(client, live_server, page, world.parties.sponsor)
    assert "45.98" in page.locator("#table-policy_leverage").inner_text()
