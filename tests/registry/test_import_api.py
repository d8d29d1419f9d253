"""The registry import API: a dry run answering every row, an upload followed to its end, the
result file and the template downloaded, a bad file answered 422 with the reason under `file`."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories.accounts import auth, make_zone_admin
from tests.factories.registry import credit_code, make_industries, make_zone
from tests.registry.import_files import csv_file, enterprise_row
from torchfin.extensions import db
from torchfin.models import Enterprise, RegistryImport, User

URL = "/api/v1/registry/imports"


def _upload(api, headers, content: bytes, query: str = "", filename: str = "企业名录.csv"):
    return api.post(
        f"{URL}{query}",
        data={"file": (io.BytesIO(content), filename)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _content() -> bytes:
    return csv_file(
        [
            enterprise_row(credit_code(7001), "北京云图软件科技有限公司"),
            enterprise_row(credit_code(7002), "武汉光谷激光科技有限公司", zone="wuhan"),
        ],
        encoding="gbk",
    )


def test_a_dry_run_answers_every_row_and_writes_nothing(api):
    zone = make_zone()
    make_zone("wuhan", "武汉东湖新技术开发区"), make_industries()
    headers = auth(make_zone_admin(zone))
    response = _upload(api, headers, _content(), "?dry_run=true")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["id"] is None and body["dry_run"] is True
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert [(row["row_no"], row["status"]) for row in body["rows"]] == [
        (2, "created"),
        (3, "failed"),
    ]
    assert "this import is for zone zhongguancun" in body["rows"][1]["message"]
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0
    assert db.session.scalar(select(func.count()).select_from(RegistryImport)) == 0


def test_an_upload_is_imported_and_its_result_file_downloaded(client, run_worker):
    # The client that starts each request with an empty `g`: the worker ends the session.
    api = client
    zone = make_zone()
    make_zone("wuhan", "武汉东湖新技术开发区"), make_industries()
    admin_id = make_zone_admin(zone).id
    headers = auth(_admin(admin_id))
    response = _upload(api, headers, _content())
    assert response.status_code == 202, response.json
    assert response.json["status"] == "queued" and response.json["total"] == 2
    import_id = response.json["id"]
    run_worker()
    headers = auth(_admin(admin_id))
    detail = api.get(f"{URL}/{import_id}", headers=headers)
    assert detail.status_code == 200
    assert detail.json["status"] == "done" and detail.json["has_result"] is True
    assert detail.json["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert [row["row_no"] for row in detail.json["rows"]] == [3]
    result = api.get(f"{URL}/{import_id}/result", headers=headers)
    assert result.status_code == 200
    assert "attachment" in result.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(result.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("状态 status", "信息 message")
    assert [row[-2] for row in rows[1:]] == ["新建 created", "错误 failed"]


def _admin(user_id: int) -> User:
    # Loaded afresh: the worker's run ended the test's session.
    return db.session.get(User, user_id)


def test_a_file_that_cannot_be_read_is_answered_422_under_file(api):
    zone = make_zone()
    headers = auth(make_zone_admin(zone))
    response = _upload(api, headers, b"%PDF-1.7", filename="企业名录.pdf")
    assert response.status_code == 422
    [message] = response.json["errors"]["files"]["file"]
    assert "CSV 或 XLSX" in message and "Unsupported file type" in message
    assert db.session.scalar(select(func.count()).select_from(RegistryImport)) == 0


def test_a_zone_admin_may_not_name_another_zone(api):
    zone = make_zone()
    make_zone("wuhan", "武汉东湖新技术开发区")
    response = _upload(api, auth(make_zone_admin(zone)), _content(), "?zone=wuhan")
    assert response.status_code == 403
    assert "own zone" in response.json["message"]


def test_the_template_carries_the_chinese_headers(api):
    zone = make_zone()
    response = api.get("/api/v1/registry/import-template", headers=auth(make_zone_admin(zone)))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("统一社会信用代码", "企业名称", "所属高新区")
    assert {"注册地址", "成立日期", "行业", "企业类型", "高新技术企业证书编号"} <= set(header)
