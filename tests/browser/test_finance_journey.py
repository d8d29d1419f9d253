"""A guarantee agency works a case in the browser; a pool sponsor reads the pool dashboard chart."""

from decimal import Decimal

from tests.factories.accounts import PASSWORD, make_user, make_zone_admin
from tests.factories.finance import make_pool
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.models.enums import InstitutionKind, Role
from torchfin.services.finance import guarantees


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_agency_accepts_a_case_and_sees_the_next_moves(app, live_server, page):
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["nev"]], name="北京锂享科技有限公司")
    bank, agency = (make_institution(k) for k in (InstitutionKind.BANK, InstitutionKind.GUARANTOR))
    sme = make_user(Role.SME, enterprise=enterprise)
    guarantor = make_user(Role.GUARANTOR, institution=agency)
    case = guarantees.apply(
        sme,
        {
            "bank_id": bank.id,
            "agency_id": agency.id,
            "principal": Decimal("3000000.00"),
            "term_months": 12,
            "loan_rate": Decimal("0.0435"),
            "fee_rate": Decimal("0.0200"),
        },
    )
    case_id = case.id

    _sign_in(page, live_server, guarantor.email)
    page.goto(f"{live_server}/guarantees")
    page.click(f"tr[data-case='{case_id}'] a")
    page.wait_for_url(f"**/guarantees/{case_id}")
    assert page.locator("#timeline li").count() == 1
    page.locator("form[data-action=accept] button").click()
    page.wait_for_load_state()
    assert page.locator("#timeline li").count() == 2
    assert page.locator("form[data-action=accept]").count() == 0
    assert page.locator("form[data-action=start_due_diligence]").count() == 1
    assert page.locator("[data-state]").inner_text() == "已受理"


def test_sponsor_sees_the_pool_chart_and_its_table(app, live_server, page):
    zone = make_zone()
    pool_id = make_pool(zone).id
    sponsor = make_zone_admin(zone)
    _sign_in(page, live_server, sponsor.email)
    page.goto(f"{live_server}/pools/{pool_id}")
    page.wait_for_selector("#pool-chart canvas")
    assert page.locator("#history tbody tr").count() == 12
