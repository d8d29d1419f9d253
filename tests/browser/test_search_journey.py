"""A person signs in, searches in Chinese, switches to English and opens a project."""

from decimal import Decimal

from search.sync import rebuild
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Role, Stage


def test_investor_signs_in_searches_and_opens_a_project(app, es, live_server, page):
    zone = make_zone()
    enterprise = make_enterprise(
        zone, [make_industries()["nev.battery"]], name="北京锂享科技有限公司"
    )
    project = Project(
        enterprise=enterprise,
        title="新能源汽车动力电池回收产线",
        summary="退役动力电池梯次利用与材料再生",
        amount_sought=Decimal("30000000.00"),
        instrument=Instrument.EQUITY,
        stage=Stage.B,
        status=ProjectStatus.PUBLISHED,
        published_at=utcnow(),
    )
    db.session.add(project)
    db.session.commit()
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "project")
    investor = make_user(Role.INVESTOR)

    page.goto(f"{live_server}/search?q=动力电池")
    assert "/login" in page.url  # search needs a signed-in user
    page.fill("input[name=email]", investor.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/search**")
    assert page.locator("mark").first.inner_text() in {"动力电池", "动力", "电池"}
    page.get_by_text("新能源汽车动力电池回收产线").first.click()
    page.wait_for_url(f"**/projects/{project.id}")
    assert "北京锂享科技有限公司" in page.content()
    assert "3,000万元" in page.content()

    page.goto(f"{live_server}/projects/{project.id}?lang=en")
    assert "CNY 30,000,000.00" in page.content()
