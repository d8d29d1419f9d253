"""Object-level rules the matrix's status codes cannot show: what lists contain, grants over
time, confidential figures kept out of evidence that others read, and downloads recorded."""

from tests.factories.accounts import auth, make_user
from tests.factories.readiness import READY_ON, make_ready_facts
from tests.factories.registry import make_enterprise
from tests.security.authz_world import World
from torchfin.extensions import db
from torchfin.models import ApiToken, DocumentDownload, Enterprise, GuaranteeCase, PoolLoan, Zone
from torchfin.models.enums import Role
from torchfin.services.readiness.checks import build_check, rule_set_named

API = "/api/v1"


def _listed(response, field: str = "id") -> set:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item[field] for item in response.get_json()}


def _fresh_enterprise(world: World) -> Enterprise:
    zone = db.session.get(Zone, world.ids["z1"])
    return make_enterprise(zone, db.session.get(Enterprise, world.ids["mine"]).industries)


def test_bank_lists_only_its_own_guarantee_cases(client, world: World):
    listed = _listed(client.get(f"{API}/guarantees", headers=world.headers["bank"]))
    own = db.session.query(GuaranteeCase.id).filter_by(bank_id=world.ids["bank"])
    assert listed == {case_id for (case_id,) in own}
    assert world.ids["my_case"] in listed and world.ids["other_case"] not in listed


def test_bank_lists_only_its_own_pool_loans_and_the_sponsor_all(client, world: World):
    url = f"{API}/pools/{world.ids['pool']}/loans?page_size=100"
    every_bank = {
        b for (b,) in db.session.query(PoolLoan.bank_id).filter_by(pool_id=world.ids["pool"])
    }
    assert len(every_bank) > 1  # the check below would prove nothing otherwise
    assert _listed(client.get(url, headers=world.headers["bank"]), "bank_id") == {world.ids["bank"]}
    assert _listed(client.get(url, headers=world.headers["zone_admin"]), "bank_id") == every_bank


def test_bank_lists_only_claims_on_its_own_loans(client, world: World):
    listed = _listed(client.get(f"{API}/claims", headers=world.headers["bank"]))
    assert world.ids["my_claim"] in listed and world.ids["other_claim"] not in listed


def test_sme_lists_no_draft_of_another_enterprise(client, world: World):
    listed = _listed(client.get(f"{API}/projects?page_size=100", headers=world.headers["sme"]))
    assert world.ids["my_draft"] in listed and world.ids["other_draft"] not in listed


def test_tokens_notifications_and_saved_searches_list_only_the_callers_own(client, world: World):
    investor, sme = world.headers["investor"], world.headers["sme"]
    own_tokens = {t for (t,) in db.session.query(ApiToken.id).filter_by(user_id=world.users["sme"])}
    assert db.session.query(ApiToken).count() > len(own_tokens)  # others' exist to be left out
    assert _listed(client.get(f"{API}/auth/tokens?page_size=100", headers=sme)) == own_tokens
    for kind, key in (("notifications", "notification"), ("saved-searches", "saved_search")):
        url = f"{API}/{kind}?page_size=100"
        assert world.ids[key] in _listed(client.get(url, headers=investor))
        assert world.ids[key] not in _listed(client.get(url, headers=sme))


def test_refused_downloads_leave_no_trace_in_the_download_log(client, world: World):
    """Only a party's download is logged; an admin's refused one and an outsider's are not."""
    url = f"{API}/documents/{world.ids['document']}/download"
    logged = db.session.query(DocumentDownload).filter_by(document_id=world.ids["document"])
    before = logged.count()
    assert client.get(url, headers=world.headers["admin"]).status_code == 403
    assert client.get(url, headers=world.headers["bank"]).status_code == 404
    assert logged.count() == before
    with client.get(url, headers=world.headers["investor"]) as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert logged.count() == before + 1


def test_investor_reads_financials_only_while_granted(client, world: World):
    """Requested: refused; granted: read; revoked: refused again."""
    enterprise = _fresh_enterprise(world)
    owner, investor = auth(make_user(Role.SME, enterprise=enterprise)), world.headers["investor"]
    url = f"{API}/enterprises/{enterprise.id}/financials"
    asked = client.post(
        f"{API}/enterprises/{enterprise.id}/access-requests",
        json={"purpose": "尽调"},
        headers=investor,
    )
    assert asked.status_code == 201
    assert client.get(url, headers=investor).status_code == 403
    decide = f"{API}/access-grants/{asked.get_json()['id']}"
    assert client.post(f"{decide}/grant", headers=owner).status_code == 200
    assert client.get(url, headers=investor).status_code == 200
    assert client.post(f"{decide}/revoke", headers=owner).status_code == 200
    assert client.get(url, headers=investor).status_code == 403


def test_readiness_evidence_names_no_revenue_figure(world: World):
    """Zone administrators read readiness evidence: it says whether each year had revenue,
    never how much (financials stay confidential)."""
    enterprise = _fresh_enterprise(world)
    make_ready_facts(enterprise)
    check = build_check(enterprise, rule_set_named("neeq-2013"), READY_ON)
    text = str(check.results)
    assert "有营业收入" in text
    for financial in enterprise.financials:
        assert f"{financial.revenue:,.2f}" not in text
