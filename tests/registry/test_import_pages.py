"""The page 企业名录导入: a dry run's every row on the page, an upload followed on its progress
page to the result file, a bad file shown at the file field, and no page for other roles."""

import io

from sqlalchemy import func, select

from tests.factories.accounts import make_user, make_zone_admin
from tests.factories.registry import credit_code, make_industries, make_zone
from tests.registry.import_files import csv_file, enterprise_row
from torchfin.extensions import db
from torchfin.models import Enterprise, RegistryImport
from torchfin.models.enums import Role


def _content() -> bytes:
    return csv_file(
        [
            enterprise_row(credit_code(6001), "北京云图软件科技有限公司"),
            enterprise_row(credit_code(6002), "北京星河数据科技有限公司", founded="下个月"),
        ]
    )


def _post(client, content: bytes, dry_run: bool, filename: str = "企业名录.csv"):
    data = {"file": (io.BytesIO(content), filename), "zone": "zhongguancun"}
    if dry_run:
        data["dry_run"] = "1"
    return client.post("/registry/imports", data=data, content_type="multipart/form-data")


def test_a_dry_run_shows_every_row_and_writes_nothing(client, sign_in):
    zone = make_zone()
    make_industries()
    sign_in(make_zone_admin(zone))
    response = _post(client, _content(), dry_run=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-row="2" data-status="created"' in html
    assert 'data-row="3" data-status="failed"' in html and "不是日期" in html
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0
    assert db.session.scalar(select(func.count()).select_from(RegistryImport)) == 0


def test_an_upload_opens_its_progress_page_and_ends_with_the_result_file(
    client, sign_in, run_worker
):
    zone = make_zone()
    make_industries()
    sign_in(make_zone_admin(zone))
    response = _post(client, _content(), dry_run=False)
    assert response.status_code == 302
    progress_url = response.headers["Location"]
    queued = client.get(progress_url).get_data(as_text=True)
    assert 'data-status="queued"' in queued and 'http-equiv="refresh"' in queued
    run_worker()
    done = client.get(progress_url).get_data(as_text=True)
    assert 'data-status="done"' in done and 'http-equiv="refresh"' not in done
    assert '<td class="num" data-count="created">1</td>' in done
    assert 'data-row="3" data-status="failed"' in done
    result = client.get(f"{progress_url}/result")
    assert result.status_code == 200 and result.data.startswith(b"PK")
    listing = client.get("/registry/imports").get_data(as_text=True)
    assert "企业名录.csv" in listing


def test_a_file_that_cannot_be_read_is_shown_at_the_file_field(client, sign_in):
    zone = make_zone()
    sign_in(make_zone_admin(zone))
    response = _post(client, b"%PDF-1.7", dry_run=False, filename="企业名录.pdf")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "CSV 或 XLSX" in html
    assert db.session.scalar(select(func.count()).select_from(RegistryImport)) == 0


def test_other_roles_get_no_import_page(client, sign_in):
    make_zone()
    sign_in(make_user(Role.INVESTOR))
    assert client.get("/registry/imports").status_code == 403
    assert client.get("/registry/import-template").status_code == 403
