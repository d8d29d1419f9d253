"""An investor searches, narrows by two facets, opens a result and saves the search; an SME then
publishes a matching project, a real worker runs the alert job, and the notification shows."""

from decimal import Decimal

from search.sync import rebuild
from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Role, Stage

EXISTING = [
    ("新能源汽车动力电池回收产线", Stage.B, Instrument.EQUITY),
    ("新能源汽车电池管理系统", Stage.A, Instrument.EQUITY),
    ("新能源汽车电池热管理", Stage.B, Instrument.BANK_LOAN),
]
NEW_TITLE = "新能源汽车固态电池中试线"


def test_saved_search_alerts_the_investor_of_a_new_project(
    app, es, live_server, page, client, run_worker, run_periodic
):
    enterprise = make_enterprise(make_zone(), [make_industries()["nev.battery"]])
    for title, stage, instrument in EXISTING:
        db.session.add(
            Project(
                enterprise=enterprise,
                title=title,
                summary="新能源汽车动力电池",
                amount_sought=Decimal("20000000.00"),
                instrument=instrument,
                stage=stage,
                status=ProjectStatus.PUBLISHED,
                published_at=utcnow(),
            )
        )
    db.session.commit()
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "project")
    sme_headers = auth(make_user(Role.SME, enterprise=enterprise))
    investor = make_user(Role.INVESTOR, institution=make_institution())

    # Sign in, search, narrow by two facets.
    page.goto(f"{live_server}/login?next=/search")
    page.fill("input[name=email]", investor.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/search**")
    page.fill("input[name=q]", "新能源汽车 电池")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".facet[data-facet=stage]")
    assert page.locator("ol.hits > li").count() == 3
    page.click(".facet[data-facet=stage] a:text-is('B轮')")
    page.wait_for_selector(".chip[data-filter=stage]")
    page.click(".facet[data-facet=instrument] a:text-is('股权融资')")
    page.wait_for_selector(".chip[data-filter=instrument]")
    assert page.locator("ol.hits > li").count() == 1

    # Open the result, come back, save the search with instant alerts.
    page.click("ol.hits a:has-text('动力电池回收产线')")
    page.wait_for_url("**/projects/*")
    page.go_back()
    page.wait_for_selector("form.save-search")
    page.fill("form.save-search input[name=name]", "新能源汽车电池 B轮股权")
    page.select_option("form.save-search select[name=frequency]", "instant")
    page.click("form.save-search button[type=submit]")
    page.wait_for_url("**/subscriptions")
    assert page.locator("#saved-searches").get_by_text("新能源汽车电池 B轮股权").is_visible()

    # The SME publishes a matching project through the API.
    draft = client.post(
        "/api/v1/projects",
        json={
            "title": NEW_TITLE,
            "summary": "新能源汽车固态动力电池中试",
            "amount_sought": "50000000.00",
            "instrument": "equity",
            "stage": "b",
        },
        headers=sme_headers,
    )
    assert draft.status_code == 201, draft.get_json()
    project_id = draft.get_json()["id"]
    published = client.post(f"/api/v1/projects/{project_id}/publish", headers=sme_headers)
    assert published.status_code == 200

    # A real worker indexes it, then runs the periodic alert job.
    run_worker()
    run_periodic("alerts-instant")

    page.goto(f"{live_server}/search")
    assert page.locator(".nav-notifications .badge").inner_text() == "1"
    page.click(".nav-notifications")
    page.wait_for_url("**/notifications")
    notification = page.locator(".notification.unread")
    assert "新能源汽车电池 B轮股权" in notification.inner_text()
    notification.get_by_text(NEW_TITLE).click()
    page.wait_for_url(f"**/projects/{project_id}")
