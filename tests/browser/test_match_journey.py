"""An investor opens a suggested match, reads its explanation and marks interest; the SME sees
the interest and answers; the investor moves the deal to the meeting stage."""

from decimal import Decimal

from sqlalchemy import select

from tests.factories.accounts import PASSWORD, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone, published_project
from torchfin.extensions import db
from torchfin.models import Deal, Institution, Mandate, Match
from torchfin.models.enums import InstitutionKind, MatchStatus, Role
from torchfin.services.outbox import notify_search, record_upsert


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_investor_interest_sme_answer_and_deal_moves_to_meeting(
    app, es, run_worker, live_server, browser, page
):
    industries = make_industries()
    enterprise = make_enterprise(
        make_zone(), [industries["nev.battery"]], name="北京锂享科技有限公司"
    )
    project = published_project(enterprise, "动力电池回收产线", "30000000.00", "b")
    institution = Institution(name="火炬创投", kind=InstitutionKind.VC, province="北京市")
    mandate = Mandate(
        institution=institution,
        name="新能源汽车基金二期",
        industries=["nev.battery"],
        stages=["a", "b"],
        instruments=["equity"],
        ticket_min=Decimal("10000000"),
        ticket_max=Decimal("80000000"),
    )
    db.session.add_all([project, mandate])
    record_upsert(db.session, project)
    record_upsert(db.session, mandate)
    db.session.commit()
    investor = make_user(Role.INVESTOR, institution=institution)
    sme = make_user(Role.SME, enterprise=enterprise)
    investor_email, sme_email = investor.email, sme.email
    notify_search()
    run_worker()  # indexes both, then scores the pair
    assert db.session.scalar(select(Match.status)) == MatchStatus.SUGGESTED

    _sign_in(page, live_server, investor_email)
    page.goto(f"{live_server}/matches")
    page.get_by_role("link", name="动力电池回收产线").click()
    page.wait_for_url("**/matches/*")
    explanation = page.locator("#explanation")
    assert "项目所属细分领域“动力电池”正是该投资方向所列领域。" in explanation.inner_text()
    assert page.locator("#match-status").get_attribute("data-status") == "viewed"
    page.click("#interest")
    page.wait_for_url("**/deals/*")
    assert page.locator("#deal-stage").get_attribute("data-stage") == "contacted"
    deal_url = page.url

    sme_page = browser.new_context(locale="zh-CN").new_page()
    _sign_in(sme_page, live_server, sme_email)
    sme_page.goto(f"{live_server}/my/matches")
    row = sme_page.locator("tr[data-status=interested]")
    assert "火炬创投" in row.inner_text() and "有意向" in row.inner_text()
    row.get_by_role("link", name="回复机构").click()
    sme_page.fill("#body", "感谢关注，下周二可来公司详谈。")
    sme_page.click("#send")
    sme_page.wait_for_url("**/deals/*")
    assert "下周二可来公司详谈" in sme_page.locator("#events").inner_text()

    page.goto(deal_url)
    assert "下周二可来公司详谈" in page.locator("#events").inner_text()
    page.select_option("#stage-select", label="会谈")
    page.click("#move")
    page.wait_for_load_state()
    assert page.locator("#deal-stage").get_attribute("data-stage") == "meeting"
    db.session.expire_all()
    deal = db.session.scalar(select(Deal))
    assert deal.stage.key == "meeting" and deal.match.status == MatchStatus.INTRODUCED
    assert [e.kind for e in deal.events] == ["opened", "message", "moved"]
