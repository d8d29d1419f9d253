"""The zone dashboard's numbers on the hand-checked zone of tests/dashboards/world.py."""

import csv
import io

from sqlalchemy import select

from tests.bad_input import FORMULA_INJECTION
from tests.factories.accounts import PASSWORD, auth, make_user, make_zone_admin
from tests.factories.dashboards import build_dashboard_world
from tests.spreadsheets import assert_inert_csv, read_csv
from torchfin.extensions import db
from torchfin.models import Industry
from torchfin.models.enums import Role


def _tables(client, headers, code="zhongguancun") -> dict:
    response = client.get(f"/api/v1/dashboards/zones/{code}", headers=headers)
    assert response.status_code == 200, response.json
    return {t["key"]: t for t in response.json["tables"]}


def test_dashboard_numbers_by_hand(client):
    zone = build_dashboard_world()
    tables = _tables(client, auth(make_zone_admin(zone)))
    assert tables["industry_map"]["rows"] == [
        ["zhongguancun", "nev", 2],
        ["zhongguancun", "it", 2],
        ["wuhan", "nev", 0],
        ["wuhan", "it", 1],
    ]
    assert tables["financing_gap"]["rows"] == [
        ["nev", "18000000.00", "5000000.00", "5000000.00", "13000000.00"],
        ["it", "11000000.00", "8000000.00", "0.00", "11000000.00"],
    ]
    assert tables["pipeline"]["rows"] == [
        ["published", 4, "26000000.00"],
        ["in_talks", 2, "13000000.00"],
        ["funded", 1, "5000000.00"],
    ]
    assert tables["readiness"]["rows"] == [["ready", 1], ["not_ready", 2], ["incomplete", 0]]
    assert tables["exposure"]["rows"] == [
        ["guarantees_outstanding", 2, "3000000.00"],
        ["guarantees_overdue", 1, "1000000.00"],
        ["pool_loans_active", 1, "4000000.00"],
        ["pool_loans_defaulted", 0, "0.00"],
    ]


def test_dashboard_is_for_the_zone_admins_only(client):
    zone = build_dashboard_world()
    assert client.get("/api/v1/dashboards/zones/zhongguancun").status_code == 401
    for user in (make_user(Role.INVESTOR), make_user(Role.SME)):
        response = client.get("/api/v1/dashboards/zones/zhongguancun", headers=auth(user))
        assert response.status_code == 403
    wuhan_admin = make_zone_admin(zone)  # zhongguancun's admin may not read wuhan's dashboard
    assert (
        client.get("/api/v1/dashboards/zones/wuhan", headers=auth(wuhan_admin)).status_code == 403
    )
    admin = make_user(Role.ADMIN)
    assert client.get("/api/v1/dashboards/zones/wuhan", headers=auth(admin)).status_code == 200


def test_csv_download_holds_the_api_rows(client):
    zone = build_dashboard_world()
    admin = make_zone_admin(zone)
    api = _tables(client, auth(admin))
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    for key, table in api.items():
        response = client.get(f"/zones/zhongguancun/dashboard/{key}.csv")
        assert response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0] == table["columns"]
        assert rows[1:] == [["" if v is None else str(v) for v in row] for row in table["rows"]]
    assert client.get("/zones/zhongguancun/dashboard/nothing.csv").status_code == 404


def test_csv_download_writes_formula_like_codes_as_text_and_amounts_as_numbers(client):
    zone = build_dashboard_world()
    admin = make_zone_admin(zone)
    industry = db.session.scalar(select(Industry).where(Industry.code == "nev"))
    industry.code = FORMULA_INJECTION[2]  # codes are the admin's text, as any record's name
    db.session.commit()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})

    rows = read_csv(client.get("/zones/zhongguancun/dashboard/financing_gap.csv").data)

    assert_inert_csv(rows[1][0], FORMULA_INJECTION[2])
    assert rows[1][1:] == ["18000000.00", "5000000.00", "5000000.00", "13000000.00"]
