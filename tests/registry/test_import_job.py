"""A registry file imported by a real RQ worker: rows created and updated set-wise, each change
recorded, the enterprises searchable, bad rows refused without stopping the good ones, the same
file twice changing nothing the second time, and the zone rule."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from search.indices import alias_name
from tests.factories.accounts import auth, make_user, make_zone_admin
from tests.factories.registry import credit_code, make_enterprise, make_industries, make_zone
from tests.page_helpers import sign_in
from tests.registry.import_files import HEADER, csv_file, enterprise_row, xlsx_file
from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    EnterpriseChange,
    OutboxEvent,
    RegistryImport,
    User,
    Zone,
)
from torchfin.models.enums import BatchStatus, LegalForm, Role
from torchfin.services.errors import Forbidden
from torchfin.services.registry.imports import records


@pytest.fixture
def registry():
    """Two zones, the industries, an enterprise registered in the first, and its zone's admin."""
    zone = make_zone()
    other = make_zone("wuhan", "武汉东湖新技术开发区")
    industries = make_industries()
    existing = make_enterprise(zone, [industries["nev"]], name="北京锂动新能源科技有限公司")
    # Ids and codes only: the worker's run ends the test's session, detaching its objects.
    return {
        "zone": zone.id,
        "other": other.id,
        "existing": existing.id,
        "code": existing.credit_code,
        "version": existing.doc_version,
        "zone_admin": make_zone_admin(zone).id,
        "admin": make_user(Role.ADMIN).id,
    }


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _file(registry) -> bytes:
    return xlsx_file(
        [
            enterprise_row(credit_code(9001), "北京云图软件科技有限公司"),
            # The existing enterprise: a new address and legal form, the same name and zone.
            enterprise_row(
                registry["code"],
                "北京锂动新能源科技有限公司",
                address="北京市海淀区上地十街10号",
                founded="2015/3/1",
                industries="新能源汽车",
                legal_form="股份有限公司",
            ),
            enterprise_row("91110108BADCODE00", "坏代码科技有限公司"),
            enterprise_row(credit_code(9002), "武汉光谷激光科技有限公司", zone="wuhan"),
        ]
    )


def _imported(user_id, content, run_worker, filename="企业名录.xlsx") -> RegistryImport:
    record = records.start_import(_user(user_id), filename, content, None, dry_run=False)
    assert record.status == BatchStatus.QUEUED and record.job_id
    run_worker()
    db.session.expire_all()
    return db.session.get(RegistryImport, record.id)


def test_a_dry_run_reports_every_row_and_writes_nothing(registry):
    before = (_count(Enterprise), _count(EnterpriseChange), _count(OutboxEvent))
    report = records.start_import(
        _user(registry["zone_admin"]), "企业名录.xlsx", _file(registry), None, dry_run=True
    )
    summary = records.summary(report)
    assert [(o.row_no, o.status) for o in summary["rows"]] == [
        (2, "created"),
        (3, "updated"),
        (4, "failed"),
        (5, "failed"),
    ]
    assert summary["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "failed": 2}
    assert "注册地址" in summary["rows"][1].message and "legal form" in summary["rows"][1].message
    assert (_count(Enterprise), _count(EnterpriseChange), _count(OutboxEvent)) == before
    assert _count(RegistryImport) == 0
    db.session.expire_all()
    assert db.session.get(Enterprise, registry["existing"]).legal_form == LegalForm.LLC


def test_an_import_creates_updates_records_changes_and_is_searchable(registry, run_worker, es, app):
    existing_id = registry["existing"]
    record = _imported(registry["zone_admin"], _file(registry), run_worker)
    assert record.status == BatchStatus.DONE
    assert (record.total, record.done) == (4, 4)
    assert (record.created, record.updated, record.unchanged, record.failed) == (1, 1, 0, 2)

    created = db.session.scalar(
        select(Enterprise).where(Enterprise.credit_code == credit_code(9001))
    )
    assert created.name == "北京云图软件科技有限公司"
    assert created.zone_id == registry["zone"]
    assert created.founded_on == date(2019, 5, 1)
    assert created.registered_address == "北京市海淀区中关村大街1号"
    assert [i.code for i in created.industries] == ["it"]
    updated = db.session.get(Enterprise, existing_id)
    assert updated.legal_form == LegalForm.JSC
    assert updated.registered_address == "北京市海淀区上地十街10号"
    assert updated.doc_version == registry["version"] + 1
    changes = db.session.scalars(
        select(EnterpriseChange).where(EnterpriseChange.enterprise_id == existing_id)
    ).all()
    assert {(c.field, c.old_value, c.new_value) for c in changes} == {
        ("legal_form", "llc", "jsc"),
        ("registered_address", "", "北京市海淀区上地十街10号"),
    }
    assert {(c.import_id, c.user_id) for c in changes} == {(record.id, registry["zone_admin"])}
    # The outbox was drained by the same worker: both documents are in the index.
    index = alias_name(app.config["SEARCH_INDEX_PREFIX"], "enterprise")
    found = es.search(index=index, query={"terms": {"_id": [str(created.id), str(existing_id)]}})
    assert found["hits"]["total"]["value"] == 2
    assert _count(OutboxEvent) == 0

    failed = records.summary(record)["rows"]
    assert [o.row_no for o in failed] == [4, 5]
    assert "统一社会信用代码" in failed[0].message and "credit code" in failed[0].message
    assert "zhongguancun" in failed[1].message and "this import is for zone" in failed[1].message


def test_the_imported_address_is_on_the_profile_and_the_page(registry, run_worker, client):
    _imported(registry["zone_admin"], _file(registry), run_worker)
    admin, address = _user(registry["zone_admin"]), "北京市海淀区上地十街10号"

    body = client.get(f"/api/v1/enterprises/{registry['existing']}", headers=auth(admin)).json
    sign_in(client, admin)
    page = client.get(f"/enterprises/{registry['existing']}").get_data(as_text=True)

    assert body["registered_address"] == address
    assert address in page


def test_the_same_file_twice_changes_nothing_the_second_time(registry, run_worker):
    content = _file(registry)
    _imported(registry["zone_admin"], content, run_worker)
    state = {
        e.credit_code: (e.doc_version, e.updated_at) for e in db.session.scalars(select(Enterprise))
    }
    changes = _count(EnterpriseChange)
    again = _imported(registry["zone_admin"], content, run_worker)
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 2, 2)
    db.session.expire_all()
    assert {
        e.credit_code: (e.doc_version, e.updated_at) for e in db.session.scalars(select(Enterprise))
    } == state
    assert _count(EnterpriseChange) == changes


def test_an_empty_cell_never_blanks_a_field(registry, run_worker):
    header = [*HEADER, "企业简介"]
    row = [registry["code"], "", "", "", "", "", "", ""]
    record = _imported(registry["admin"], csv_file([row], header=header), run_worker, "企业.csv")
    assert (record.unchanged, record.failed) == (1, 0)
    db.session.expire_all()
    assert db.session.get(Enterprise, registry["existing"]).description == "研发动力电池管理系统"


def test_a_zone_admin_may_not_import_for_another_zone_nor_touch_its_enterprises(
    registry, run_worker
):
    with pytest.raises(Forbidden):
        records.start_import(
            _user(registry["zone_admin"]), "企业.csv", csv_file([]), "wuhan", dry_run=True
        )
    wuhan_admin = make_zone_admin(db.session.get(Zone, registry["other"])).id
    content = csv_file(
        [
            enterprise_row(registry["code"], "改名", zone="wuhan"),
            [
                credit_code(9003),
                "武汉新企业",
                "",
                "",
                "2020-01-01",
                "",
                "有限公司",
            ],
        ]
    )
    record = _imported(wuhan_admin, content, run_worker, "企业.csv")
    assert (record.created, record.failed) == (1, 1)
    [refused] = records.summary(record)["rows"]
    assert "another zone" in refused.message
    db.session.expire_all()
    assert db.session.get(Enterprise, registry["existing"]).name == "北京锂动新能源科技有限公司"
    created = db.session.scalar(
        select(Enterprise).where(Enterprise.credit_code == credit_code(9003))
    )
    assert created.zone_id == registry["other"]


def test_a_platform_admin_imports_for_the_zones_the_file_names(registry, run_worker):
    record = _imported(registry["admin"], _file(registry), run_worker)
    assert (record.created, record.updated, record.failed) == (2, 1, 1)
    wuhan = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == credit_code(9002)))
    assert wuhan.zone_id == registry["other"]


def test_the_result_file_has_the_rows_with_their_status_and_message(registry, run_worker):
    record = _imported(registry["zone_admin"], _file(registry), run_worker)
    sheet = load_workbook(io.BytesIO(records.result_file(record))).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*HEADER, "状态 status", "信息 message"]
    assert [row[0] for row in rows[1:]] == [
        credit_code(9001),
        registry["code"],
        "91110108BADCODE00",
        credit_code(9002),
    ]
    assert [row[-2] for row in rows[1:]] == [
        "新建 created",
        "更新 updated",
        "错误 failed",
        "错误 failed",
    ]
    assert "credit code" in rows[3][-1]
