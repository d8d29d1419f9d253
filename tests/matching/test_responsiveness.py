"""Late answers on deals: the periodic job reminds the late side once; institutions' response
rate and median response time."""

from datetime import timedelta

from sqlalchemy import select

from tests.factories.matching import make_match_world
from torchfin.extensions import db
from torchfin.models import Deal, DealEvent, User
from torchfin.models.enums import DealEventKind
from torchfin.queues import Job, enqueue
from torchfin.services.matching import deals
from torchfin.services.matching.responsiveness import institution_responsiveness


def test_a_late_answer_is_reminded_once_and_counts_against_the_rate(client, run_worker):
    w = make_match_world()
    match = w["match"]
    investor, sme = w["investor_user"], w["sme_user"]
    deal = deals.express_interest(investor, match.id)
    question = deals.add_message(sme, deal.id, "贵方的投资期限是多久？")
    question.created_at -= timedelta(days=4)  # asked four days ago: the answer is late
    deal_id, investor_id = deal.id, investor.id
    db.session.commit()

    for _ in range(2):
        enqueue(Job.REMIND_LATE_ANSWERS)
        run_worker()
    reminders = db.session.scalars(
        select(DealEvent).where(DealEvent.kind == DealEventKind.REMINDER)
    ).all()
    assert [r.body for r in reminders] == ["institution"]

    deals.add_message(db.session.get(User, investor_id), deal_id, "五到七年。")
    figures = institution_responsiveness(db.session.get(Deal, deal_id).institution_id)
    assert figures.questions == 1 and figures.rate == 0.0
    assert 95 < figures.median_hours < 97
