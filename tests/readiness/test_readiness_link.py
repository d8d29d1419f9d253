"""The enterprise page leads its own users and its zone's administrators to the readiness report."""

from tests.factories.accounts import make_user, make_zone_admin
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from tests.page_helpers import sign_in
from torchfin.models.enums import Role


def test_enterprise_page_links_its_readiness_report_for_those_who_follow_it(client):
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    report = f"/enterprises/{enterprise.id}/readiness"
    for user in (make_user(Role.SME, enterprise=enterprise), make_zone_admin(zone)):
        sign_in(client, user)
        page = client.get(f"/enterprises/{enterprise.id}").get_data(as_text=True)
        assert 'id="readiness-link"' in page and f'href="{report}"' in page
        assert client.get(report).status_code == 200  # the link leads somewhere it may go


def test_investors_and_other_zones_see_no_readiness_link(client):
    zone, other = make_zone(), make_zone("wuhan", "武汉东湖新技术开发区")
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    for user in (make_user(Role.INVESTOR, institution=make_institution()), make_zone_admin(other)):
        sign_in(client, user)
        page = client.get(f"/enterprises/{enterprise.id}").get_data(as_text=True)
        assert 'id="readiness-link"' not in page
        assert client.get(f"/enterprises/{enterprise.id}/readiness").status_code == 403
