"""Finance pages: case list and case page (timeline, role-bound actions), pool dashboard."""

from tests.factories.accounts import PASSWORD, auth
from tests.factories.finance import make_pool
from tests.finance.test_guarantee_api import APPLICATION


def _login(client, user) -> None:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _case(client, parties) -> int:
    body = APPLICATION | {"bank_id": parties.bank_id, "agency_id": parties.agency_id}
    return client.post("/api/v1/guarantees", json=body, headers=auth(parties.sme)).json["id"]


def test_case_page_offers_only_the_roles_actions_and_shows_the_timeline(client, parties):
    case_id = _case(client, parties)
    _login(client, parties.guarantor)
    page = client.get(f"/guarantees/{case_id}").get_data(as_text=True)
    assert 'data-action="accept"' in page and 'data-action="reject"' in page
    assert 'data-value="60000.00"' in page and 'data-seq="1"' in page
    response = client.post(f"/guarantees/{case_id}/accept", data={})
    assert response.status_code == 303
    page = client.get(f"/guarantees/{case_id}").get_data(as_text=True)
    assert 'data-seq="2"' in page and 'data-action="start_due_diligence"' in page
    assert 'data-action="accept"' not in page
    client.post("/logout")
    _login(client, parties.banker)
    page = client.get(f"/guarantees/{case_id}").get_data(as_text=True)
    assert "data-action=" not in page  # nothing for the bank to do while the agency investigates


def test_refused_action_on_the_page_is_409_and_missing_fields_422(client, parties):
    case_id = _case(client, parties)
    _login(client, parties.guarantor)
    assert client.post(f"/guarantees/{case_id}/approve", data={}).status_code == 409
    response = client.post(f"/guarantees/{case_id}/reject", data={})
    assert response.status_code == 422  # the messages: tests/finance/test_guarantee_forms.py
    assert 'name="reject-reason"' in response.get_data(as_text=True)


def test_case_list_filters_by_state(client, parties):
    first, second = _case(client, parties), _case(client, parties)
    client.post(f"/api/v1/guarantees/{first}/accept", headers=auth(parties.guarantor))
    _login(client, parties.sme)
    page = client.get("/guarantees?state=accepted").get_data(as_text=True)
    assert f'data-case="{first}"' in page and f'data-case="{second}"' not in page


def test_pool_dashboard_draws_a_chart_with_its_table(client, parties):
    pool_id = make_pool(parties.zone).id
    _login(client, parties.sponsor)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert 'id="pool-chart"' in page and "echarts.min.js" in page and 'id="history"' in page
    assert "pool-chart-data" in page and client.get("/pools").status_code == 200
