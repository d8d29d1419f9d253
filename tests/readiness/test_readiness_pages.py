"""The readiness pages: an enterprise's report and the zone table, in both languages."""

from tests.factories.accounts import PASSWORD, make_user, make_zone_admin
from tests.factories.readiness import READY_ON, make_ready_facts
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import ReadinessBatch
from torchfin.models.enums import InstitutionKind, Role
from torchfin.services.readiness.batches import work_batch


def _login(client, user) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_report_lists_each_rule_with_evidence_and_next_step(client):
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    make_ready_facts(enterprise, letter=False)
    _login(client, make_zone_admin(zone))
    url = f"/enterprises/{enterprise.id}/readiness?rule_set=zgc-2006&as_of={READY_ON}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-outcome="incomplete"' in page
    assert 'data-rule="confirmation_letter" data-status="unknown"' in page
    assert "取得并记录试点资格确认函" in page
    english = client.get(url + "&lang=en").get_data(as_text=True)
    assert "Obtain and record the pilot confirmation letter." in english
    assert "Next step" in english and "Unknown" in english


def test_zone_table_shows_the_latest_batch_and_start_button(client, run_worker):
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    make_ready_facts(enterprise)
    admin, code = make_zone_admin(zone), zone.code
    _login(client, admin)
    assert "尚未按此规则版本运行过批量检查" in client.get(f"/zones/{code}/readiness").get_data(
        as_text=True
    )
    response = client.post(
        f"/zones/{code}/readiness", data={"rule_set": "neeq-2013", "as_of": str(READY_ON)}
    )
    assert response.status_code == 302
    run_worker()
    page = client.get(f"/zones/{code}/readiness?rule_set=neeq-2013").get_data(as_text=True)
    assert 'data-outcome="ready">1<' in page
    assert "/api/v1/readiness/batches/" in page  # the CSV export link


def test_zone_table_is_refused_to_others(client):
    zone = make_zone()
    _login(client, make_user(Role.INVESTOR))
    assert client.get(f"/zones/{zone.code}/readiness").status_code == 403


def test_batch_rows_survive_a_missing_batch():
    assert work_batch(12345) is None
    assert db.session.query(ReadinessBatch).count() == 0


def test_zone_admin_and_fund_manager_find_their_pages_in_the_nav(client):
    zone = make_zone()
    _login(client, make_zone_admin(zone))
    home = client.get("/").get_data(as_text=True)
    assert f"/zones/{zone.code}/dashboard" in home and f"/zones/{zone.code}/readiness" in home
    client.post("/logout")
    guidance = make_institution(InstitutionKind.GUIDANCE_FUND)
    _login(client, make_user(Role.FUND_MANAGER, institution=guidance))
    assert 'href="/funds"' in client.get("/").get_data(as_text=True)
