"""A project's own industries: its enterprise's by default, set by the SME through the API and
the project form, checked against the taxonomy; migration 0017 gives existing projects their
enterprise's."""

import re
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from tests.bad_input import count_rows
from tests.factories.accounts import auth, make_user
from tests.factories.registry import (
    make_software_and_energy_industries,
    make_software_company,
    make_zone,
)
from torchfin import create_app
from torchfin.extensions import db
from torchfin.models import Enterprise, Industry, Project, User
from torchfin.models.enums import Role

PROJECT = {
    "title": "储能电站能量管理系统研发及产业化",
    "summary": "为百兆瓦时级储能电站开发能量管理系统",
    "amount_sought": "30000000.00",
    "instrument": "equity",
    "stage": "a",
}
FORM = {**PROJECT, "use_of_funds": "", "valuation": "", "deadline": ""}


@pytest.fixture
def software_sme() -> User:
    """The SME user of a software enterprise; the energy industries exist next to its own."""
    industries = make_software_and_energy_industries()
    return make_user(Role.SME, enterprise=make_software_company(make_zone(), industries))


def _codes(body: dict) -> list[str]:
    return sorted(i["code"] for i in body["industries"])


def test_a_project_without_industries_takes_its_enterprises(client, software_sme):
    created = client.post("/api/v1/projects", json=PROJECT, headers=auth(software_sme))
    assert created.status_code == 201, created.json
    assert _codes(created.json) == ["it", "it.software"]


def test_the_sme_files_a_project_under_its_own_industries_and_changes_them(client, software_sme):
    headers = auth(software_sme)
    created = client.post(
        "/api/v1/projects", json={**PROJECT, "industries": ["energy.grid"]}, headers=headers
    )
    assert created.status_code == 201, created.json
    assert _codes(created.json) == ["energy.grid"]
    assert created.json["industries"][0]["name_zh"] == "智能电网"
    url = f"/api/v1/projects/{created.json['id']}"

    changed = client.patch(url, json={"industries": ["energy", "energy.grid"]}, headers=headers)

    assert changed.status_code == 200, changed.json
    assert _codes(client.get(url, headers=headers).json) == ["energy", "energy.grid"]
    enterprise = db.session.get(Enterprise, software_sme.enterprise_id)
    assert sorted(i.code for i in enterprise.industries) == ["it", "it.software"]  # unchanged
    title_only = client.patch(url, json={"title": "储能能量管理系统"}, headers=headers)
    assert _codes(title_only.json) == ["energy", "energy.grid"]  # left out: kept


@pytest.mark.parametrize(
    ("industries", "message"),
    [
        (["energy.grid", "nope", "energy.storage"], "Unknown codes: nope, energy.storage."),
        ([], "Length must be between 1 and 10."),
        (["energy", "energy"], "Contains duplicates."),
        ("energy", "Not a valid list."),
    ],
)
def test_codes_outside_the_taxonomy_are_a_422_naming_the_field(
    client, software_sme, industries, message
):
    headers = auth(software_sme)
    project = client.post("/api/v1/projects", json=PROJECT, headers=headers).json
    before = count_rows()

    created = client.post(
        "/api/v1/projects", json={**PROJECT, "industries": industries}, headers=headers
    )
    changed = client.patch(
        f"/api/v1/projects/{project['id']}", json={"industries": industries}, headers=headers
    )

    for response in (created, changed):
        assert response.status_code == 422, response.json
        assert response.json["errors"]["json"]["industries"] == [message]
    assert count_rows() == before
    db.session.expire_all()
    assert [i.code for i in db.session.get(Project, project["id"]).industries] == [
        "it",
        "it.software",
    ]


def test_an_industry_a_project_is_filed_under_is_kept(client, software_sme):
    created = client.post(
        "/api/v1/projects",
        json={**PROJECT, "industries": ["energy.grid"]},
        headers=auth(software_sme),
    )
    grid = db.session.scalar(select(Industry.id).where(Industry.code == "energy.grid"))
    admin = auth(make_user(Role.ADMIN))
    before = count_rows()

    refused = client.delete(f"/api/v1/industries/{grid}", headers=admin)

    assert created.status_code == 201
    assert (refused.status_code, refused.json["message"]) == (
        409,
        f"industry {grid} is named by 1 project; it cannot be deleted while they exist",
    )
    assert count_rows() == before


def _selected(html: str) -> list[str]:
    """The codes selected in the form's industries list."""
    select = re.search(r'<select[^>]*name="industries".*?</select>', html, re.S).group(0)
    return re.findall(r'<option selected value="([^"]+)"', select)


def _field_errors(html: str) -> str:
    block = re.search(r'<div class="field">(?:(?!</div>).)*name="industries".*?</div>', html, re.S)
    return block.group(0)


def test_the_project_form_offers_the_enterprises_industries_and_saves_others(
    client, software_sme, sign_in
):
    sign_in(software_sme)
    assert sorted(_selected(client.get("/my/projects/new").get_data(as_text=True))) == [
        "it",
        "it.software",
    ]

    created = client.post("/my/projects/new", data={**FORM, "industries": ["energy.grid"]})

    assert created.status_code == 302, created.get_data(as_text=True)
    project = db.session.query(Project).one()
    assert [i.code for i in project.industries] == ["energy.grid"]
    preview = client.get(created.headers["Location"]).get_data(as_text=True)
    assert re.search(r'data-field="industries">\s*<span class="tag">新能源 · 智能电网', preview)
    edit = f"/my/projects/{project.id}/edit"
    assert _selected(client.get(edit).get_data(as_text=True)) == ["energy.grid"]

    before = count_rows()
    refused = client.post(edit, data={**FORM, "industries": ["energy.grid", "nope"]})

    assert refused.status_code == 422
    assert "未知的行业代码：nope。" in _field_errors(refused.get_data(as_text=True))
    assert count_rows() == before
    saved = client.post(edit, data={**FORM, "industries": ["energy", "energy.grid"]})
    assert saved.status_code == 302
    db.session.expire_all()
    assert sorted(i.code for i in db.session.get(Project, project.id).industries) == [
        "energy",
        "energy.grid",
    ]


# Migration 0017 -------------------------------------------------------------------------------

BEFORE = "0016_fund_alert_params"
MIGRATION = "0017_project_industries"


def _insert(connection, table: str, **values) -> None:
    columns = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES (:{', :'.join(values)})"), values
    )


def _project(connection, project_id: int, enterprise_id: int) -> None:
    _insert(
        connection,
        "project",
        id=project_id,
        enterprise_id=enterprise_id,
        title="项目",
        summary="",
        amount_sought=1,
        instrument="equity",
        stage="a",
        use_of_funds="",
        status="published",
        created_at="2026-06-30 00:00:00",
        updated_at="2026-06-30 00:00:00",
        doc_version=1,
    )


def test_the_migration_gives_every_project_its_enterprises_industries(tmp_path: Path):
    """Upgrade a scratch SQLite database holding projects of three enterprises (two industries,
    one, none), then downgrade and upgrade again."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'projects.sqlite3'}"})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no enterprise rows needed
            for enterprise_id, industry_id in ((1, 10), (1, 11), (2, 12)):
                _insert(
                    connection,
                    "enterprise_industry",
                    enterprise_id=enterprise_id,
                    industry_id=industry_id,
                )
            for project_id, enterprise_id in ((100, 1), (101, 1), (102, 2), (103, 3)):
                _project(connection, project_id, enterprise_id)

        upgrade(revision=MIGRATION)

        links = "SELECT project_id, industry_id FROM project_industry ORDER BY 1, 2"
        with db.engine.connect() as connection:
            assert connection.execute(text(links)).all() == [
                (100, 10),
                (100, 11),
                (101, 10),
                (101, 11),
                (102, 12),
            ]
        downgrade(revision=BEFORE)
        assert "project_industry" not in inspect(db.engine).get_table_names()
        upgrade(revision=MIGRATION)
        with db.engine.connect() as connection:
            assert len(connection.execute(text(links)).all()) == 5
        db.session.remove()
        db.engine.dispose()
