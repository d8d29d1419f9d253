"""Demo activity on the investor's matches: some viewed, one declined, deals opened (their
enterprises followed on the investor's watchlist, daily), one deal at a meeting with the
enterprise's answer and an internal note (`flask demo deals`).

It waits for the rescoring run that `flask match rescore` started to finish, then takes the
best suggested matches of the investor demo user's institution, through `services.deals` as the
investor and the enterprise would. It tops each category up to its count, so a second run adds
nothing.
"""

from datetime import timedelta

from sqlalchemy import func, select

from torchfin.demo.actors import demo_user, enterprise_contact
from torchfin.demo.script import ScriptStalled, poll_until
from torchfin.demo.seed import REFERENCE_NOW
from torchfin.extensions import db
from torchfin.models import Deal, Mandate, Match, MatchRun, PipelineStage, Project
from torchfin.models.enums import BatchStatus, MatchStatus, Role
from torchfin.models.watchlist import FollowDelivery
from torchfin.services.matching import deals
from torchfin.services.watchlists.follows import follow_enterprise

# What the investor's inbox shows after the demo, best matches first: category, how many.
PLAN = (("meeting", 1), ("contacted", 2), ("viewed", 3), ("declined", 1))
DECLINE_REASON = "单笔金额低于本基金最低出资额，且估值预期偏高"
FIRST_MESSAGE = "您好，我们关注到贵公司的融资需求，与本基金的投资方向契合，希望进一步了解。"
ANSWER = "感谢关注！我们已准备好商业计划书和近两年财务报表，下周均可安排面谈。"
MEETING_NOTE = "首次会谈：团队技术背景扎实，订单增长明确；需核实前五大客户集中度与毛利率。"
NEXT_ACTION = "约创始团队第二次会谈，并索取审计报告"


def counts(institution_id: int) -> dict[str, int]:
    """The institution's matches per demo category."""
    statuses = dict(
        db.session.execute(
            select(Match.status, func.count(Match.id))
            .join(Match.mandate)
            .where(Mandate.institution_id == institution_id)
            .group_by(Match.status)
        ).all()
    )
    stages = dict(
        db.session.execute(
            select(PipelineStage.key, func.count(Deal.id))
            .join(Deal, Deal.stage_id == PipelineStage.id)
            .where(Deal.institution_id == institution_id)
            .group_by(PipelineStage.key)
        ).all()
    )
    return {
        "viewed": statuses.get(MatchStatus.VIEWED, 0),
        "declined": statuses.get(MatchStatus.DECLINED, 0),
        "contacted": stages.get("contacted", 0),
        "meeting": stages.get("meeting", 0),
    }


def _best_suggested(institution_id: int, limit: int) -> list[int]:
    # Score first; ties by the pair, so the choice does not depend on row ids.
    return list(
        db.session.scalars(
            select(Match.id)
            .join(Match.mandate)
            .where(Mandate.institution_id == institution_id, Match.status == MatchStatus.SUGGESTED)
            .order_by(Match.score.desc(), Match.project_id, Match.mandate_id)
            .limit(limit)
        )
    )


def _contact(match_id: int) -> int:
    """The investor views the match, takes interest and writes to the enterprise; the deal id."""
    investor = demo_user(Role.INVESTOR)
    deals.view_match(investor, match_id)
    deal = deals.express_interest(investor, match_id)
    deals.add_message(investor, deal.id, FIRST_MESSAGE)
    enterprise_id = db.session.get(Match, match_id).project.enterprise_id
    follow_enterprise(investor, {"enterprise_id": enterprise_id, "delivery": FollowDelivery.DAILY})
    return deal.id


def _meet(match_id: int) -> None:
    """A contacted deal whose enterprise answered, met, and was noted after the meeting."""
    deal_id = _contact(match_id)
    project = db.session.get(Project, db.session.get(Match, match_id).project_id)
    deals.add_message(enterprise_contact(project.enterprise_id), deal_id, ANSWER)
    investor = demo_user(Role.INVESTOR)
    meeting = next(s for s in deals.pipeline(investor.institution_id) if s.key == "meeting")
    deals.move_deal(investor, deal_id, meeting.id)
    deals.add_message(investor, deal_id, MEETING_NOTE, internal=True)
    next_on = REFERENCE_NOW.date() + timedelta(days=10)
    deals.update_deal(investor, deal_id, {"next_action": NEXT_ACTION, "next_action_on": next_on})


ACTIONS = {
    "meeting": _meet,
    "contacted": _contact,
    "viewed": lambda match_id: deals.view_match(demo_user(Role.INVESTOR), match_id),
    "declined": lambda match_id: deals.decline_match(
        demo_user(Role.INVESTOR), match_id, DECLINE_REASON
    ),
}


def wait_for_scores(timeout: float) -> MatchRun | None:
    """Wait until the latest rescoring run (`flask match rescore`) has finished; that run.

    The best suggestions are only known once every chunk is scored and stored.
    """
    latest = select(MatchRun).order_by(MatchRun.id.desc()).limit(1)

    def finished() -> bool:
        run = db.session.scalar(latest)
        return run is None or run.status in (BatchStatus.DONE, BatchStatus.FAILED)

    poll_until(finished, timeout, "the rescoring run is unfinished")
    run = db.session.scalar(latest)
    if run is not None and run.status == BatchStatus.FAILED:
        raise ScriptStalled(f"rescoring run {run.id} failed: {run.error}")
    return run


def seed_demo_deals() -> dict[str, int]:
    """Top the investor's categories up to PLAN from its best suggested matches; the counts.

    Needs scored matches (`wait_for_scores`); with fewer suggestions than the plan wants, it
    does what they allow.
    """
    institution_id = demo_user(Role.INVESTOR).institution_id
    have = counts(institution_id)
    missing = [(category, wanted - have[category]) for category, wanted in PLAN]
    chosen = iter(_best_suggested(institution_id, sum(max(n, 0) for _, n in missing)))
    for category, shortfall in missing:
        for _ in range(shortfall):
            match_id = next(chosen, None)
            if match_id is not None:
                ACTIONS[category](match_id)
    return counts(institution_id)
