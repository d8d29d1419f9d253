"""Dashboards count a project under its own industries: a software company's energy-storage
project is energy demand on the zone dashboard and an energy project on the home page, while
the company itself stays counted under software."""

import re
from decimal import Decimal

from tests.factories.accounts import auth, make_zone_admin
from tests.factories.registry import (
    make_software_and_energy_industries,
    make_software_company,
    make_zone,
    published_project,
    storage_project,
)
from torchfin.extensions import db


def _industry_row(name: str, enterprises: int, projects: int) -> re.Pattern:
    return re.compile(
        rf'<td>{name}</td>\s*<td class="num">{enterprises}</td>\s*<td class="num">{projects}</td>'
    )


def test_a_storage_project_of_a_software_company_counts_under_energy(client):
    zone = make_zone()
    industries = make_software_and_energy_industries()
    company = make_software_company(zone, industries)
    storage = storage_project(company, industries)  # 30 million yuan, under energy
    software = published_project(company, "工业软件平台升级", "8000000", "a")  # its own field
    db.session.add_all([storage, software])
    db.session.commit()

    response = client.get(
        f"/api/v1/dashboards/zones/{zone.code}", headers=auth(make_zone_admin(zone))
    )

    assert response.status_code == 200, response.json
    tables = {t["key"]: t["rows"] for t in response.json["tables"]}
    demand = {row[0]: Decimal(row[1]) for row in tables["financing_gap"]}
    assert demand == {"it": Decimal("8000000.00"), "energy": Decimal("30000000.00")}
    assert ["zhongguancun", "it", 1] in tables["industry_map"]
    assert ["zhongguancun", "energy", 0] in tables["industry_map"]

    home = client.get("/").get_data(as_text=True)
    assert _industry_row("新一代信息技术", 1, 1).search(home)
    assert _industry_row("新能源", 0, 1).search(home)
