"""Responsiveness on deals: who owes an answer by when, reminders to the late side, and each
institution's response rate and median response time (shown to enterprises)."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import Deal, DealEvent
from torchfin.models.base import utcnow
from torchfin.models.enums import DealEventKind, Role

# An interest or a question is answered within this time, or the late side is reminded.
ANSWER_WITHIN = timedelta(days=3)
# Events that ask the other side for an answer.
_ASKING = (DealEventKind.OPENED, DealEventKind.MESSAGE)


def _side(event: DealEvent) -> str:
    # The enterprise writes through SME users; everything else comes from the institution.
    return (
        "enterprise" if event.actor is not None and event.actor.role == Role.SME else "institution"
    )


@dataclass(frozen=True)
class Waiting:
    """An unanswered interest or question: who waits, who owes the answer, until when."""

    deal_id: int
    asked: DealEvent
    owed_by: str
    due: datetime


def waiting(deal: Deal) -> Waiting | None:
    """The deal's open question, if the last asking event has no answer from the other side."""
    asks = [e for e in deal.events if e.kind in _ASKING]
    if not asks or deal.stage.closed:
        return None
    last = asks[-1]
    owed_by = "institution" if _side(last) == "enterprise" else "enterprise"
    return Waiting(deal.id, last, owed_by, last.created_at + ANSWER_WITHIN)


def remind_late(now: datetime | None = None) -> int:
    """Record one reminder per late answer (idempotent: never twice for the same question)."""
    now = now or utcnow()
    reminded = 0
    query = select(Deal).options(selectinload(Deal.events).selectinload(DealEvent.actor))
    for deal in db.session.scalars(query):
        wait = waiting(deal)
        if wait is None or wait.due > now:
            continue
        after = [e for e in deal.events if e.id > wait.asked.id]
        if any(e.kind == DealEventKind.REMINDER for e in after):
            continue
        deal.events.append(DealEvent(kind=DealEventKind.REMINDER, body=wait.owed_by))
        reminded += 1
    db.session.commit()
    return reminded


@dataclass(frozen=True)
class Responsiveness:
    """How an institution answers enterprises' questions."""

    questions: int
    answered_in_time: int
    median_hours: float | None

    @property
    def rate(self) -> float | None:
        """Share of questions answered within ANSWER_WITHIN (None without questions)."""
        return self.answered_in_time / self.questions if self.questions else None


def institution_responsiveness(institution_id: int, now: datetime | None = None) -> Responsiveness:
    """Response rate and median response time over the institution's deals.

    A question is an enterprise's message; its answer the institution's next message. Questions
    still inside their answer window are not counted yet.
    """
    now = now or utcnow()
    query = (
        select(Deal)
        .where(Deal.institution_id == institution_id)
        .options(selectinload(Deal.events).selectinload(DealEvent.actor))
    )
    questions, in_time, hours = 0, 0, []
    for deal in db.session.scalars(query):
        talk = [e for e in deal.events if e.kind == DealEventKind.MESSAGE]
        for i, event in enumerate(talk):
            if _side(event) != "enterprise" or (i and _side(talk[i - 1]) == "enterprise"):
                continue  # follow-ups before an answer count as one question
            answer = next((e for e in talk[i + 1 :] if _side(e) == "institution"), None)
            if answer is None and now - event.created_at < ANSWER_WITHIN:
                continue
            questions += 1
            if answer is not None:
                waited = answer.created_at - event.created_at
                hours.append(waited.total_seconds() / 3600)
                in_time += waited <= ANSWER_WITHIN
    return Responsiveness(questions, in_time, statistics.median(hours) if hours else None)
