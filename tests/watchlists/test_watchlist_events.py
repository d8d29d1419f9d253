"""Watchlist events through real RQ workers: every kind of event reaches every follower once,
instant followers at once and daily ones in the digest; repeated and concurrent delivery runs
announce nothing twice; what happened before following, or to drafts, is never announced."""

import time
from datetime import date, timedelta
from decimal import Decimal

from rq.registry import StartedJobRegistry
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.readiness import READY_ON, make_ready_facts
from tests.watchlists.conftest import M, Watchers
from torchfin.extensions import db
from torchfin.models import (
    EnterpriseEvent,
    EnterpriseEventKind,
    EventDelivery,
    FollowDelivery,
    Notification,
    OutgoingMail,
    User,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ListingVenue, Stage
from torchfin.queues import DEFAULT, Job, enqueue, queue
from torchfin.services.alerts.alert_runs import CHECK_GRACE
from torchfin.services.alerts.mailer import SandboxMailer
from torchfin.services.finance import incentives
from torchfin.services.funds import sub_funds
from torchfin.services.readiness.batches import start_zone_run
from torchfin.services.readiness.checks import check_enterprise
from torchfin.services.registry.projects import create_project, update_project
from torchfin.services.watchlists import follows
from torchfin.services.watchlists.deliveries import NEWS_WINDOW, deliver_events

JOB_SECONDS = 300  # a stop for a hung worker only; the loop ends as soon as the jobs are done


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _follow(client, user: User, enterprise_id: int, delivery: str = "instant") -> None:
    response = client.post(
        "/api/v1/watchlist",
        json={"enterprise_id": enterprise_id, "delivery": delivery},
        headers=auth(user),
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["delivery"] == delivery


def _make_every_event(w: Watchers) -> int:
    """One event of each kind for the deal-flow enterprise, each through its own service."""
    flow = w.flow
    project_id = flow.publish("动力电池梯次利用产线")
    update_project(flow.sme, project_id, {"stage": Stage.C_PLUS})
    sub_funds.add_placement(
        w.fund_manager,
        w.sub_fund_id,
        {
            "enterprise_id": flow.enterprise_id,
            "amount": 5 * M,
            "placed_on": date(2021, 6, 1),
            "round": Stage.A,
            "instrument": Instrument.EQUITY,
        },
    )
    for venue, reference in ((ListingVenue.NEEQ, "874123"), (ListingVenue.MERGER, "宁德某集团")):
        incentives.record_event(
            w.zone_admin,
            {
                "enterprise_id": flow.enterprise_id,
                "venue": venue,
                "event_on": date(2025, 9, 1),
                "reference": reference,
            },
        )
    check_enterprise(w.zone_admin, flow.enterprise_id, "zgc-2006", READY_ON)
    return project_id


def _notes_of(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
    )


def test_every_kind_of_event_reaches_each_follower_once(watchers, client, run_worker, run_periodic):
    flow = watchers.flow
    _follow(client, flow.investor, flow.enterprise_id)
    _follow(client, watchers.fund_manager, flow.enterprise_id)
    _follow(client, watchers.user(watchers.bank_id), flow.enterprise_id, "daily")

    _make_every_event(watchers)
    run_worker()  # the wake-up job the commits enqueued

    db.session.expire_all()
    events = db.session.scalars(select(EnterpriseEvent).order_by(EnterpriseEvent.id)).all()
    assert {e.kind for e in events} == set(EnterpriseEventKind)
    assert len(events) == len(EnterpriseEventKind)
    all_ids = [e.id for e in events]
    for user_id in (flow.investor_id, watchers.fund_manager_id):
        notes = _notes_of(user_id)
        assert [sorted(n.event_ids) for n in notes] == [all_ids]
        assert notes[0].project_ids == []
        assert notes[0].title == flow.enterprise.name
    assert _notes_of(watchers.bank_id) == []  # daily: waits for the digest
    mails = db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
    assert sorted(m.to_address for m in mails) == sorted(
        [flow.investor.email, watchers.fund_manager.email]
    )
    text = mails[0].text_body
    for shown in ("动力电池梯次利用产线", "项目融资轮次变更", "C轮及以后", "获得融资", "874123"):
        assert shown in text
    assert "宁德某集团" in text and "上市准备评估结果变化" in text
    # No internal figures: neither the placement's amount nor the sub-fund, nor readiness details.
    for hidden in ("5000000", "5,000,000", "500万", "中关村早期一号", "ready"):
        assert hidden not in text
    assert "/watchlist" in mails[0].html_body

    # The sweep again, as `flask rq cron` runs it every minute: nothing new, nothing sent.
    assert run_periodic("watchlist-instant") == 0
    # The daily digest reaches the bank's user with every event, once.
    assert run_periodic("watchlist-daily") == len(all_ids)
    assert run_periodic("watchlist-daily") == 0
    db.session.expire_all()
    assert [sorted(n.event_ids) for n in _notes_of(watchers.bank_id)] == [all_ids]
    assert _count(EventDelivery) == 3 * len(all_ids)
    assert _count(OutgoingMail) == 3


def test_events_before_following_and_changes_to_drafts_are_not_announced(
    watchers, client, run_worker
):
    flow = watchers.flow
    flow.publish("动力电池回收")  # published before anyone follows
    draft = create_project(
        flow.sme,
        {
            "title": "储能草稿",
            "summary": "未发布",
            "amount_sought": Decimal("1000000.00"),
            "instrument": Instrument.EQUITY,
            "stage": Stage.SEED,
        },
    )
    _follow(client, flow.investor, flow.enterprise_id)
    update_project(flow.sme, draft.id, {"stage": Stage.ANGEL})  # a draft: nobody else's business

    run_worker()

    db.session.expire_all()
    kinds = db.session.scalars(select(EnterpriseEvent.kind)).all()
    assert kinds == [EnterpriseEventKind.PROJECT_PUBLISHED]
    assert (_count(Notification), _count(OutgoingMail), _count(EventDelivery)) == (0, 0, 0)


def test_an_unfollowed_enterprise_is_not_announced_any_more(watchers, client, run_worker):
    flow = watchers.flow
    _follow(client, flow.investor, flow.enterprise_id)
    response = client.delete(f"/api/v1/watchlist/{flow.enterprise_id}", headers=auth(flow.investor))
    assert response.status_code == 204
    flow.publish("动力电池隔膜")

    run_worker()

    db.session.expire_all()
    assert _count(EventDelivery) == 0 and _count(Notification) == 0


def _wait_for_jobs(jobs) -> None:
    # Until every job ended and no worker holds one: the condition, not a guess at the time.
    deadline = time.monotonic() + JOB_SECONDS
    started = StartedJobRegistry(queue=queue(DEFAULT))
    while True:
        for job in jobs:
            job.refresh()
        ended = all(job.is_finished or job.is_failed for job in jobs)
        if ended and queue(DEFAULT).count == 0 and started.count == 0:
            return
        assert time.monotonic() < deadline, [job.get_status() for job in jobs]
        time.sleep(0.05)


def test_two_workers_delivering_at_once_announce_each_event_once(
    watchers, client, background_workers
):
    flow = watchers.flow
    _follow(client, flow.investor, flow.enterprise_id)
    _follow(client, watchers.fund_manager, flow.enterprise_id)
    for title in ("动力电池电芯", "动力电池极片", "动力电池热管理"):
        flow.publish(title)
    jobs = [enqueue(Job.DELIVER_WATCHLIST_EVENTS) for _ in range(6)]
    db.session.remove()

    background_workers(2)
    _wait_for_jobs(jobs)

    assert not [job.id for job in jobs if job.is_failed]
    db.session.expire_all()
    event_ids = sorted(db.session.scalars(select(EnterpriseEvent.id)))
    assert len(event_ids) == 3
    for user_id in (flow.investor_id, watchers.fund_manager_id):
        assert [sorted(n.event_ids) for n in _notes_of(user_id)] == [event_ids]
    assert (_count(EventDelivery), _count(OutgoingMail)) == (6, 2)


def test_the_watchlist_mail_goes_to_the_mailer_once(watchers, mocker):
    send = mocker.patch.object(SandboxMailer, "send")
    flow = watchers.flow
    follows.follow_enterprise(
        flow.investor, {"enterprise_id": flow.enterprise_id, "delivery": FollowDelivery.INSTANT}
    )
    flow.publish("动力电池管理系统")

    # Seen from past the news window, the event is stale and not announced at all.
    assert deliver_events(FollowDelivery.INSTANT, utcnow() + NEWS_WINDOW + timedelta(hours=1)) == 0
    assert deliver_events(FollowDelivery.INSTANT) == 1
    assert deliver_events(FollowDelivery.INSTANT) == 0
    assert deliver_events(FollowDelivery.DAILY) == 0

    send.assert_called_once()
    mail = send.call_args.args[0]
    assert mail.to == flow.investor.email
    assert "1 条新动态" in mail.subject and flow.enterprise.name in mail.subject
    assert "动力电池管理系统" in mail.text
    assert f"/projects/{db.session.scalar(select(EnterpriseEvent.project_id))}" in mail.text


def test_a_daily_follower_gets_at_most_one_digest_a_day(watchers):
    flow = watchers.flow
    follows.follow_enterprise(
        flow.investor, {"enterprise_id": flow.enterprise_id, "delivery": FollowDelivery.DAILY}
    )
    flow.publish("动力电池电芯")
    assert deliver_events(FollowDelivery.INSTANT) == 0
    assert deliver_events(FollowDelivery.DAILY) == 1
    flow.publish("动力电池极片")

    assert deliver_events(FollowDelivery.DAILY) == 0  # today's digest went out already
    next_day = utcnow() + timedelta(days=1) - CHECK_GRACE
    assert deliver_events(FollowDelivery.DAILY, next_day) == 1

    summaries = [
        [db.session.get(EnterpriseEvent, i).summary for i in n.event_ids]
        for n in _notes_of(flow.investor_id)
    ]
    assert summaries == [["动力电池电芯"], ["动力电池极片"]]


def test_a_zone_readiness_run_announces_a_changed_result_once(watchers, client, run_worker):
    flow = watchers.flow
    _follow(client, flow.investor, flow.enterprise_id)
    zone_code = flow.enterprise.zone.code
    # A first result, then the same outcome again: only the first is a change.
    check_enterprise(watchers.zone_admin, flow.enterprise_id, "zgc-2006", READY_ON)
    start_zone_run(watchers.zone_admin, zone_code, "zgc-2006", READY_ON)

    run_worker()  # the batch job, then the deliveries its chunks woke

    db.session.expire_all()
    kinds = db.session.scalars(select(EnterpriseEvent.kind)).all()
    assert kinds == [EnterpriseEventKind.READINESS_CHANGED]
    [note] = _notes_of(flow.investor_id)
    assert len(note.event_ids) == 1
    # A run that finds another outcome is a change again, announced once however often run.
    make_ready_facts(flow.enterprise)
    start_zone_run(watchers.zone_admin, zone_code, "zgc-2006", READY_ON)
    run_worker()
    run_worker()
    db.session.expire_all()
    assert _count(EnterpriseEvent) == 2
    assert [len(n.event_ids) for n in _notes_of(flow.investor_id)] == [1, 1]


def test_a_filing_then_the_listing_are_announced_once_each_saying_their_stage(
    watchers, client, run_worker, run_periodic
):
    flow = watchers.flow
    _follow(client, flow.investor, flow.enterprise_id)
    headers = auth(watchers.zone_admin)
    texts = []
    for stage, event_on in (("filed", "2025-03-03"), ("listed", "2025-09-01")):
        recorded = client.post(
            "/api/v1/listings",
            json={
                "enterprise_id": flow.enterprise_id,
                "venue": "neeq",
                "stage": stage,
                "event_on": event_on,
                "reference": "874123",
            },
            headers=headers,
        )
        assert recorded.status_code == 201, recorded.get_json()
        assert recorded.get_json()["stage"] == stage
        run_worker()
        db.session.expire_all()
        mails = db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
        texts.append(mails[-1].text_body)
    summaries = db.session.scalars(
        select(EnterpriseEvent.summary).order_by(EnterpriseEvent.id)
    ).all()
    assert summaries == ["874123（上市申请获受理）", "874123"]
    notes = _notes_of(flow.investor_id)
    events = db.session.scalars(select(EnterpriseEvent.id).order_by(EnterpriseEvent.id)).all()
    assert [n.event_ids for n in notes] == [[events[0]], [events[1]]]
    assert "上市申请获受理" in texts[0] and "上市申请获受理" not in texts[1]
    assert "874123" in texts[1]
    assert run_periodic("watchlist-instant") == 0
    assert _count(EventDelivery) == 2 and _count(OutgoingMail) == 2
