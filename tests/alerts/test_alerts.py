"""Saved-search alerts through real RQ workers: newly published projects reach each saved search
exactly once; edits, paused searches and repeated runs announce nothing; mail links work."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from schemas.saved_search import SavedSearchCreateSchema
from tests.factories.accounts import auth
from torchfin.extensions import db
from torchfin.models import Notification, OutgoingMail, SavedSearch, SavedSearchDelivery
from torchfin.services.alerts import alert_runs, mail_links, saved_searches
from torchfin.services.alerts.mailer import SandboxMailer
from torchfin.services.registry.projects import update_project

create_schema = SavedSearchCreateSchema()


def _save(user, query: dict, frequency: str = "instant") -> int:
    data = create_schema.load({"name": "动力电池 B轮", "frequency": frequency, "query": query})
    return saved_searches.create_saved_search(user, data).id


@pytest.fixture
def run_alerts(run_worker, run_periodic):
    """Index what is pending, then run the periodic alert job as `flask rq cron` would."""

    def run(frequency: str = "instant") -> None:
        run_worker()  # drains the search outbox first
        run_periodic(f"alerts-{frequency}")

    return run


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_project_published_after_saving_is_announced_once(deal_flow, run_alerts):
    saved_id = _save(deal_flow.investor, {"q": "动力电池", "industry": ["nev"]})
    project_id = deal_flow.publish("动力电池梯次利用产线")
    deal_flow.publish("工业机器人减速器", summary="精密减速器")  # does not match the words

    run_alerts()

    db.session.expire_all()
    notes = db.session.scalars(select(Notification)).all()
    assert [(n.user_id, n.project_ids) for n in notes] == [(deal_flow.investor_id, [project_id])]
    mails = db.session.scalars(select(OutgoingMail)).all()
    assert len(mails) == 1
    assert mails[0].to_address == deal_flow.investor.email
    assert "动力电池梯次利用产线" in mails[0].text_body
    assert "工业机器人减速器" not in mails[0].text_body
    assert "/subscriptions/mail/" in mails[0].html_body
    assert db.session.get(SavedSearch, saved_id).last_notified_at is not None

    # The job again (a retry, the next minute): nothing new, nothing sent.
    run_alerts()
    db.session.expire_all()
    assert (_count(Notification), _count(OutgoingMail), _count(SavedSearchDelivery)) == (1, 1, 1)


def test_an_edited_project_published_before_the_search_is_not_announced(
    deal_flow, run_worker, run_alerts
):
    project_id = deal_flow.publish("动力电池回收")
    run_worker()
    _save(deal_flow.investor, {"q": "动力电池"})
    update_project(deal_flow.sme, project_id, {"amount_sought": Decimal("45000000.00")})

    run_alerts()

    db.session.expire_all()
    assert (_count(Notification), _count(OutgoingMail), _count(SavedSearchDelivery)) == (0, 0, 0)


def test_a_paused_search_gets_nothing_and_resuming_does_not_replay(deal_flow, run_alerts):
    saved_id = _save(deal_flow.investor, {"q": "动力电池"})
    saved_searches.set_paused(deal_flow.investor, saved_id, True)
    deal_flow.publish("动力电池热管理")

    run_alerts()
    saved_searches.set_paused(deal_flow.investor, saved_id, False)
    run_alerts()

    db.session.expire_all()
    assert (_count(Notification), _count(OutgoingMail), _count(SavedSearchDelivery)) == (0, 0, 0)


def test_a_daily_search_waits_for_its_day(deal_flow, run_alerts):
    _save(deal_flow.investor, {"q": "动力电池"}, frequency="daily")
    deal_flow.publish("动力电池隔膜")

    run_alerts("daily")

    db.session.expire_all()
    assert _count(Notification) == 0  # due in a day; the project waits in the window until then


def test_the_alert_mail_goes_to_the_mailer_once(deal_flow, run_worker, mocker):
    send = mocker.patch.object(SandboxMailer, "send")
    saved_id = _save(deal_flow.investor, {"q": "动力电池"})
    deal_flow.publish("动力电池电芯")
    run_worker()

    assert alert_runs.alert_saved_search(saved_id) == 1
    assert alert_runs.alert_saved_search(saved_id) == 0

    send.assert_called_once()
    mail = send.call_args.args[0]
    assert mail.to == deal_flow.investor.email
    assert "动力电池电芯" in mail.subject + mail.text
    assert "1 个新项目" in mail.subject


def _mail_link(action: str) -> str:
    mail = db.session.scalars(select(OutgoingMail)).one()
    marker = "暂停此订阅：" if action == "pause" else "删除此订阅："
    line = next(line for line in mail.text_body.splitlines() if line.startswith(marker))
    return line.removeprefix(marker).split("127.0.0.1:5000", 1)[1]


@pytest.mark.parametrize("action", ["pause", "delete"])
def test_mail_links_pause_or_delete_without_signing_in(deal_flow, client, action, run_alerts):
    saved_id = _save(deal_flow.investor, {"q": "动力电池"})
    deal_flow.publish("动力电池极片")
    run_alerts()
    path = _mail_link(action)

    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "动力电池 B轮" in confirm.get_data(as_text=True)
    assert client.post(path).status_code == 200

    db.session.expire_all()
    remaining = db.session.get(SavedSearch, saved_id)
    if action == "pause":
        assert remaining.paused
    else:
        assert remaining is None
        assert db.session.scalars(select(Notification)).one().saved_search_id is None


def test_a_tampered_mail_link_is_refused(deal_flow, client):
    saved_id = _save(deal_flow.investor, {"q": "动力电池"})
    token = mail_links.mail_token(db.session.get(SavedSearch, saved_id), "pause")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    assert client.get(f"/subscriptions/mail/{forged}").status_code == 422
    assert client.post(f"/subscriptions/mail/{forged}").status_code == 422
    db.session.expire_all()
    assert not db.session.get(SavedSearch, saved_id).paused


def test_saved_search_api_refuses_bad_input_and_keeps_nothing(deal_flow, client):
    headers = auth(deal_flow.investor)
    response = client.post(
        "/api/v1/saved-searches",
        json={"name": "", "frequency": "hourly", "query": {"amount_min": "abc", "stage": ["z"]}},
        headers=headers,
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert {"name", "frequency", "query"} <= set(errors)
    assert {"amount_min", "stage"} <= set(errors["query"])
    assert _count(SavedSearch) == 0


def test_saved_search_api_round_trip_and_owner_only(deal_flow, client):
    headers = auth(deal_flow.investor)
    created = client.post(
        "/api/v1/saved-searches",
        json={"name": "电池", "frequency": "weekly", "query": {"q": "电池", "amount_min": "100"}},
        headers=headers,
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["query"] == {"q": "电池", "amount_min": "100.00", "sort": "relevance"}
    other = auth(deal_flow.sme)
    assert client.get(f"/api/v1/saved-searches/{body['id']}", headers=other).status_code == 404
    paused = client.patch(
        f"/api/v1/saved-searches/{body['id']}", json={"paused": True}, headers=headers
    )
    assert paused.get_json()["paused"] is True
    assert client.delete(f"/api/v1/saved-searches/{body['id']}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/saved-searches/{body['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/notifications/unread-count", headers=headers).get_json() == {
        "unread": 0
    }
