"""Fund alerts keep a code and the figures found, and are worded in their reader's language;
migration 0016 reads the English sentences stored before back into those figures."""

import importlib.util
from datetime import date
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.factories.accounts import PASSWORD, auth
from tests.factories.funds import FundWorld, build_world
from tests.spreadsheets import read_xlsx
from torchfin import create_app
from torchfin.extensions import db
from torchfin.models import FundAlert
from torchfin.services.funds.alerts import alerts_of, refresh_alerts

ON = date(2026, 6, 30)  # 15m of the early fund idle since 2022-03-01: 51 months
IDLE_ZH = "中关村早期一号：自2022-03-01起实缴的15,000,000.00元已闲置51个月（上限12个月）。"
IDLE_EN = (
    "中关村早期一号: CNY 15,000,000.00 called since 2022-03-01 is idle for 51 months (limit 12)."
)
STAKE_ZH = "武汉成长二号：引导基金出资占比50.00%，上限25.00%。"
STAKE_EN = "武汉成长二号: Guidance stake 50.00%, cap 25.00%."
MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0016_fund_alert_params.py"


def _migration():
    spec = importlib.util.spec_from_file_location("fund_alert_params", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _raised() -> tuple[FundWorld, dict[tuple[int, str], FundAlert]]:
    world = build_world()
    refresh_alerts(ON)
    return world, {
        (alert.sub_fund_id, alert.code): alert for alert in db.session.scalars(select(FundAlert))
    }


def test_an_alert_keeps_its_figures_and_is_said_in_the_readers_language(client):
    world, raised = _raised()
    idle = raised[world.early_id, "idle_money"]
    assert idle.params == {
        "sub_fund": "中关村早期一号",
        "idle": "15000000.00",
        "idle_since": "2022-03-01",
        "idle_months": 51,
        "limit": 12,
    }
    assert raised[world.growth_id, "guidance_stake"].params["share"] == "0.5000"

    alerts_api = f"/api/v1/funds/{world.guidance_fund_id}/alerts"
    headers = auth(world.manager)
    chinese = {a["code"]: a for a in client.get(alerts_api, headers=headers).json}
    assert chinese["idle_money"]["params"] == idle.params
    assert chinese["idle_money"]["message"] == IDLE_ZH
    assert chinese["guidance_stake"]["message"] == STAKE_ZH
    english = client.get(alerts_api, query_string={"lang": "en"}, headers=headers).json
    assert {a["code"]: a["message"] for a in english}["idle_money"] == IDLE_EN

    client.post("/login", data={"email": world.manager.email, "password": PASSWORD})
    page = client.get(f"/funds/{world.guidance_fund_id}?lang=zh").get_data(as_text=True)
    assert IDLE_ZH in page and STAKE_ZH in page and "is idle" not in page
    report = f"/funds/{world.guidance_fund_id}/reports/quarterly?year=2026&quarter=2"
    assert IDLE_ZH in client.get(report).get_data(as_text=True)
    page = client.get(f"/funds/{world.guidance_fund_id}?lang=en").get_data(as_text=True)
    assert IDLE_EN in page and STAKE_EN in page

    workbook = client.get(
        f"/api/v1/funds/{world.guidance_fund_id}/reports/quarterly.xlsx?year=2026&quarter=2",
        headers=headers,
    )
    rows = list(read_xlsx(workbook.data)["预警 Alerts"].iter_rows(values_only=True))
    assert rows[0][2:4] == ("内容", "Message")
    assert (IDLE_ZH, IDLE_EN) in [row[2:4] for row in rows[1:]]


def test_the_migration_reads_back_every_sentence_the_services_wrote():
    """Downgrading writes the services' English sentence; the params read back from it word
    the same sentences in both languages (a sentence may not tell 0.0000x from 0x)."""
    migration = _migration()
    world, raised = _raised()
    assert len(raised) == 6
    said = {a.id: a.message for a in alerts_of(world.manager, world.guidance_fund_id)}
    for alert in raised.values():
        english = migration.write_message(alert.code, alert.params)
        assert english == said[alert.id].en
        alert.params = migration.read_params(alert.code, english)
    db.session.commit()
    assert {a.id: a.message for a in alerts_of(world.manager, world.guidance_fund_id)} == said
    assert migration.read_params("idle_money", "edited by hand") is None
    assert migration.read_params("retired_rule", STAKE_EN) is None


def test_the_migration_converts_stored_sentences_and_back(tmp_path):
    """Upgrade and downgrade a scratch SQLite database holding alerts of the old form."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'alerts.sqlite3'}"})
    stored = {1: ("idle_money", IDLE_EN), 2: ("guidance_stake", STAKE_EN), 3: ("reinvestment", "?")}
    with app.app_context():
        upgrade(revision="0015_sqlite_autoincrement")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no sub-fund rows needed
            for id_, (code, message) in stored.items():
                connection.execute(
                    text(
                        "INSERT INTO fund_alert (id, sub_fund_id, code, message, raised_at) "
                        "VALUES (:id, 1, :code, :message, '2026-06-30 00:00:00')"
                    ),
                    {"id": id_, "code": code, "message": message},
                )
        upgrade()
        rows = {row.id: row for row in db.session.scalars(select(FundAlert))}
        assert rows[1].params["idle_months"] == 51 and rows[1].legacy_message is None
        assert rows[2].params == {"sub_fund": "武汉成长二号", "share": "0.5000", "cap": "0.2500"}
        assert (rows[3].params, rows[3].legacy_message) == ({}, "?")
        db.session.remove()
        downgrade(revision="0015_sqlite_autoincrement")
        with db.engine.connect() as connection:
            back = connection.execute(text("SELECT id, code, message FROM fund_alert"))
            assert {row.id: (row.code, row.message) for row in back} == stored
        db.engine.dispose()
