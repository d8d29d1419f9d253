"""`flask registry import`: a dry run reporting every row, an import followed to its end with
its result file written, and a bad file refused with exit status 1."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories.registry import credit_code, make_industries, make_zone
from tests.registry.import_files import csv_file, enterprise_row
from torchfin.extensions import db
from torchfin.models import Enterprise, RegistryImport


def _rows() -> list[list[object]]:
    return [
        enterprise_row(credit_code(8001), "北京云图软件科技有限公司"),
        enterprise_row(credit_code(8002), "北京星河数据科技有限公司", founded="2019年5月1日"),
        enterprise_row(credit_code(8003), "未来科技有限公司", founded="明年"),
    ]


def _enterprises() -> int:
    return db.session.scalar(select(func.count()).select_from(Enterprise))


def test_a_dry_run_reports_every_row_and_writes_nothing(app, tmp_path):
    make_zone(), make_industries()
    path = tmp_path / "企业名录.csv"
    path.write_bytes(csv_file(_rows(), encoding="gbk"))
    result = app.test_cli_runner().invoke(
        args=["registry", "import", str(path), "--zone", "zhongguancun", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "dry run: 3 of 3 rows; 2 created, 0 updated, 0 unchanged, 1 failed" in result.output
    assert "row 2 created" in result.output and "row 3 created" in result.output
    assert "row 4 failed" in result.output and "不是日期" in result.output
    assert _enterprises() == 0
    assert db.session.scalar(select(func.count()).select_from(RegistryImport)) == 0


def test_an_import_is_followed_to_its_end_and_its_result_file_written(
    app, tmp_path, background_worker
):
    make_zone(), make_industries()
    path = tmp_path / "企业名录.csv"
    path.write_bytes(csv_file(_rows()))
    result = app.test_cli_runner().invoke(
        args=["registry", "import", str(path), "--zone", "zhongguancun"]
    )
    assert result.exit_code == 0, result.output
    assert "(done): 3 of 3 rows; 2 created, 0 updated, 0 unchanged, 1 failed" in result.output
    written = tmp_path / "企业名录.result.xlsx"
    assert f"result file: {written}" in result.output.replace("\n", "")
    sheet = load_workbook(io.BytesIO(written.read_bytes())).worksheets[0]
    assert [row[-2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "新建 created",
        "新建 created",
        "错误 failed",
    ]
    db.session.expire_all()
    assert _enterprises() == 2


def test_a_file_that_cannot_be_read_exits_with_status_1(app, tmp_path):
    make_zone()
    path = tmp_path / "企业名录.csv"
    path.write_bytes(csv_file([["甲"]], header=["企业名称"]))
    result = app.test_cli_runner().invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 1
    assert "Missing column: 统一社会信用代码" in result.output
    assert db.session.scalar(select(func.count()).select_from(RegistryImport)) == 0
