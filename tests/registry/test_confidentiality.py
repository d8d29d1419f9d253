"""Financials are confidential: an investor reads them only while its institution holds a grant,
and every decision and every read is in the access log."""

from sqlalchemy import func, select

from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.registry import REVENUE_API, REVENUE_PAGE, make_institution
from torchfin.extensions import db
from torchfin.models import AccessGrant, AccessLogEntry
from torchfin.models.enums import AccessEvent, GrantState, ReadChannel, Role
from torchfin.services.accounts.users import create_user
from torchfin.services.permissions import may_read_financials


def _log_count(event: AccessEvent, channel: ReadChannel | None = None) -> int:
    query = select(func.count()).select_from(AccessLogEntry).where(AccessLogEntry.event == event)
    if channel is not None:
        query = query.where(AccessLogEntry.channel == channel)
    return db.session.scalar(query)


def _financials(client, world, user):
    return client.get(f"/api/v1/enterprises/{world.enterprise.id}/financials", headers=auth(user))


def _page(client, world) -> str:
    response = client.get(f"/enterprises/{world.enterprise.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_investor_sees_financials_only_while_granted_in_api_and_page(client, api, world, sign_in):
    investor, sme = auth(world.investor), auth(world.sme)

    # No grant: 403 from the API, no figures on the page, nothing logged as read.
    assert _financials(api, world, world.investor).status_code == 403
    sign_in(world.investor)
    page = _page(client, world)
    assert REVENUE_PAGE not in page
    assert "申请查看财务数据" in page
    assert not may_read_financials(world.investor, world.enterprise)
    assert _log_count(AccessEvent.READ) == 0

    # The investor asks through the page; still nothing to see while it is pending.
    asked = client.post(
        f"/enterprises/{world.enterprise.id}/access-request", data={"purpose": "尽职调查"}
    )
    assert asked.status_code == 302
    grant = db.session.scalar(select(AccessGrant))
    assert (grant.state, grant.institution_id) == (GrantState.PENDING, world.institution.id)
    page = _page(client, world)
    assert REVENUE_PAGE not in page
    assert 'data-access="pending"' in page
    assert _financials(api, world, world.investor).status_code == 403

    # The SME grants: the API and the page show the figures, and each read is logged.
    decided = api.post(f"/api/v1/access-grants/{grant.id}/grant", headers=sme)
    assert decided.status_code == 200, decided.json
    assert decided.json["state"] == "granted"
    body = api.get(f"/api/v1/enterprises/{world.enterprise.id}/financials", headers=investor).json
    assert body["financials"][0]["revenue"] == REVENUE_API
    assert REVENUE_PAGE in _page(client, world)
    assert _log_count(AccessEvent.READ, ReadChannel.API) == 1
    assert _log_count(AccessEvent.READ, ReadChannel.PAGE) == 1
    read = db.session.scalar(select(AccessLogEntry).where(AccessLogEntry.event == "read"))
    assert (read.user_id, read.institution_id, read.grant_id) == (
        world.investor.id,
        world.institution.id,
        grant.id,
    )

    # Revoked: closed again everywhere, and no further reads are logged.
    assert api.post(f"/api/v1/access-grants/{grant.id}/revoke", headers=sme).status_code == 200
    assert _financials(api, world, world.investor).status_code == 403
    page = _page(client, world)
    assert REVENUE_PAGE not in page
    assert 'data-access="revoked"' in page
    assert _log_count(AccessEvent.READ) == 2
    events = db.session.scalars(
        select(AccessLogEntry.event)
        .where(AccessLogEntry.event != AccessEvent.READ)
        .order_by(AccessLogEntry.id)
    ).all()
    assert events == [AccessEvent.REQUESTED, AccessEvent.GRANTED, AccessEvent.REVOKED]


def test_every_read_is_logged_for_the_owner_too(client, world):
    for _ in range(3):
        assert _financials(client, world, world.sme).status_code == 200
    assert _log_count(AccessEvent.READ, ReadChannel.API) == 3
    log = client.get(
        f"/api/v1/enterprises/{world.enterprise.id}/access-log", headers=auth(world.sme)
    )
    assert [entry["event"] for entry in log.json] == ["read"] * 3


def test_a_grant_covers_only_the_institution_it_was_given_to(client, world):
    grant = client.post(
        f"/api/v1/enterprises/{world.enterprise.id}/access-requests",
        json={"purpose": "尽调"},
        headers=auth(world.investor),
    ).json
    client.post(f"/api/v1/access-grants/{grant['id']}/grant", headers=auth(world.sme))
    colleague = create_user(
        "colleague@example.cn", PASSWORD, Role.INVESTOR, "同事", world.investor.organisation
    )
    stranger = make_user(Role.INVESTOR, institution=make_institution())
    assert _financials(client, world, colleague).status_code == 200
    assert _financials(client, world, stranger).status_code == 403
    # A zone administrator is no institution and never holds a grant.
    assert _financials(client, world, make_user(Role.ZONE_ADMIN)).status_code == 403


def test_denied_request_gives_no_access_and_may_be_asked_again(client, world):
    investor = auth(world.investor)
    url = f"/api/v1/enterprises/{world.enterprise.id}/access-requests"
    first = client.post(url, json={}, headers=investor).json
    assert client.post(url, json={}, headers=investor).status_code == 409  # one open at a time
    denied = client.post(f"/api/v1/access-grants/{first['id']}/deny", headers=auth(world.sme))
    assert denied.json["state"] == "denied"
    assert _financials(client, world, world.investor).status_code == 403
    assert client.post(url, json={}, headers=investor).status_code == 201
    assert _log_count(AccessEvent.DENIED) == 1
    assert _log_count(AccessEvent.REQUESTED) == 2


def test_refused_moves_are_409_naming_the_state_and_allowed_moves(client, world):
    sme = auth(world.sme)
    grant = client.post(
        f"/api/v1/enterprises/{world.enterprise.id}/access-requests",
        json={},
        headers=auth(world.investor),
    ).json
    revoke = client.post(f"/api/v1/access-grants/{grant['id']}/revoke", headers=sme)
    assert revoke.status_code == 409
    assert "pending" in revoke.json["message"]
    assert "deny, grant" in revoke.json["message"]
    client.post(f"/api/v1/access-grants/{grant['id']}/grant", headers=sme)
    again = client.post(f"/api/v1/access-grants/{grant['id']}/grant", headers=sme)
    assert again.status_code == 409
    assert "granted" in again.json["message"]
    assert "allowed now: revoke" in again.json["message"]


def test_wrong_roles_are_403(client, world):
    other_sme = make_user(Role.SME)
    url = f"/api/v1/enterprises/{world.enterprise.id}/access-requests"
    # Only institution users ask; an SME or an investor without an institution may not.
    assert client.post(url, json={}, headers=auth(other_sme)).status_code == 403
    assert client.post(url, json={}, headers=auth(make_user(Role.INVESTOR))).status_code == 403
    grant = client.post(url, json={}, headers=auth(world.investor)).json
    decide = f"/api/v1/access-grants/{grant['id']}/grant"
    # Only the enterprise's own users decide: not the investor, another SME or an admin.
    for user in (world.investor, other_sme, world.admin):
        assert client.post(decide, headers=auth(user)).status_code == 403
    assert db.session.get(AccessGrant, grant["id"]).state == GrantState.PENDING
    log = f"/api/v1/enterprises/{world.enterprise.id}/access-log"
    assert client.get(log, headers=auth(world.investor)).status_code == 403


def test_grant_lists_are_scoped_to_the_caller(client, world):
    client.post(
        f"/api/v1/enterprises/{world.enterprise.id}/access-requests",
        json={},
        headers=auth(world.investor),
    )
    assert len(client.get("/api/v1/access-grants", headers=auth(world.sme)).json) == 1
    assert len(client.get("/api/v1/access-grants", headers=auth(world.investor)).json) == 1
    stranger = make_user(Role.INVESTOR, institution=make_institution())
    assert client.get("/api/v1/access-grants", headers=auth(stranger)).json == []


def test_sme_decides_on_the_access_page(client, api, world, sign_in):
    grant = api.post(
        f"/api/v1/enterprises/{world.enterprise.id}/access-requests",
        json={"purpose": "B轮尽职调查"},
        headers=auth(world.investor),
    ).json
    sign_in(world.sme)
    page = client.get("/my/access").get_data(as_text=True)
    assert "B轮尽职调查" in page
    assert world.institution.name in page
    assert f"/my/access/{grant['id']}/grant" in page
    assert f"/my/access/{grant['id']}/revoke" not in page  # not before it is granted

    assert client.post(f"/my/access/{grant['id']}/grant").status_code == 302
    page = client.get("/my/access").get_data(as_text=True)
    assert f"/my/access/{grant['id']}/revoke" in page
    assert "授权" in page
    assert client.post(f"/my/access/{grant['id']}/grant").status_code == 409
    assert client.post(f"/my/access/{grant['id']}/revoke").status_code == 302
    assert db.session.get(AccessGrant, grant["id"]).state == GrantState.REVOKED


def test_the_page_offers_a_request_only_while_none_is_open(client, api, world, sign_in):
    sign_in(world.investor)
    form = f"/enterprises/{world.enterprise.id}/access-request"
    assert form in _page(client, world)
    assert client.post(form, data={"purpose": ""}).status_code == 302
    pending = _page(client, world)
    assert 'data-access="pending"' in pending and form not in pending
    grant = db.session.scalar(select(AccessGrant))
    denial = api.post(f"/api/v1/access-grants/{grant.id}/deny", headers=auth(world.sme))
    assert denial.status_code == 200
    denied = _page(client, world)
    assert 'data-access="denied"' in denied and "企业已拒绝您此前的申请" in denied
    assert form in denied  # asked again once the last request is closed
