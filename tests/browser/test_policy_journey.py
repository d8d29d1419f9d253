"""An SME applies for the interest subsidy in the browser from the 政策申报 page; its zone
reviews it and refuses to approve without a reason to reject."""

from tests.factories.accounts import PASSWORD
from tests.factories.finance import make_parties
from tests.factories.policies import make_loan_case, qualify, zgc_policy


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_sme_applies_from_its_offers_and_the_zone_reviews_and_rejects(app, live_server, page):
    parties = make_parties()
    zgc_policy(parties.zone, "zgc-loan-interest-subsidy")
    qualify(parties)
    case_id = make_loan_case(parties).id
    sme_email, sponsor_email = parties.sme.email, parties.sponsor.email

    _sign_in(page, live_server, sme_email)
    page.click("nav >> text=政策申报")
    offer = page.locator(f"[data-offer='guarantee:{case_id}']")
    assert offer.locator("[data-field=amount]").get_attribute("data-value") == "108750.00"
    offer.locator("a.button").click()
    page.wait_for_url("**/apply?*")
    assert page.locator("#subject").input_value() == f"guarantee:{case_id}"
    page.get_by_label("申报说明（选填）").fill("用于研发设备采购")
    page.click("#apply-form button[type=submit]")
    page.wait_for_url("**/policy-applications/*")
    assert page.locator("#state").inner_text() == "已申报"
    application_url = page.url

    page.context.clear_cookies()  # signed out
    _sign_in(page, live_server, sponsor_email)
    page.goto(application_url)
    page.locator("form[data-action=review] button").click()
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "审核中"
    page.locator("form[data-action=reject] button").click()
    page.wait_for_load_state()
    assert "此操作须填写此项。" in page.locator("form[data-action=reject]").inner_text()
    page.get_by_label("理由").fill("贷款用途与主营业务无关")
    page.locator("form[data-action=reject] button").click()
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "未通过"
    assert page.locator("#reason").inner_text() == "贷款用途与主营业务无关"
