"""What people do with matches and deals: investors view, take interest in or decline a match;
interest opens a deal in the institution's pipeline; enterprises answer; deals move on.

A deal carries records that are the institution's own (`INTERNAL_EVENTS`, `INTERNAL_FIELDS`):
every read that leaves for the API or a page goes through `DealView`, which leaves them out for
anyone who does not work for the institution."""

from datetime import date
from functools import cached_property

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import (
    Deal,
    DealEvent,
    Mandate,
    Match,
    PipelineStage,
    Project,
    User,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import DealEventKind, MatchStatus, Role
from torchfin.services.errors import Forbidden, Invalid, NotFound
from torchfin.services.permissions import INSTITUTION_ROLES, is_admin, owns_enterprise
from torchfin.services.records import get_or_404
from torchfin.services.workflow import Move, allowed_actions, check_move, refusal

# Short names so the move table below reads like the state diagram.
M = MatchStatus
UNANSWERED = frozenset({M.SUGGESTED, M.VIEWED})
# The mandate's institution sees and answers a match; the enterprise's first answer on the deal
# introduces the two. Viewing and introducing happen on the way, never on request.
MATCH_MOVES = {
    "view": Move(frozenset({M.SUGGESTED}), M.VIEWED, INSTITUTION_ROLES),
    "interest": Move(UNANSWERED, M.INTERESTED, INSTITUTION_ROLES),
    "decline": Move(UNANSWERED, M.DECLINED, INSTITUTION_ROLES),
    "introduce": Move(frozenset({M.INTERESTED}), M.INTRODUCED, Role.SME),
}
# The institution's own records on a deal: its internal notes, its planned next actions and who
# of its users runs the deal (with each hand-over). The enterprise is the other side of the
# negotiation; admins oversee deals without joining the institution's deliberations (as they
# list a data room's documents but may not open them). Neither reads these.
INTERNAL_EVENTS = frozenset({DealEventKind.NOTE, DealEventKind.NEXT_ACTION, DealEventKind.OWNER})
INTERNAL_FIELDS = frozenset({"next_action", "next_action_on", "owner_id", "owner"})
# A new pipeline's stages: (key, name, closed). Institutions rename and reorder them.
DEFAULT_STAGES = (
    ("contacted", "已接洽", False),
    ("meeting", "会谈", False),
    ("due_diligence", "尽职调查", False),
    ("term_sheet", "投资意向书", False),
    ("closed_won", "成交", True),
    ("closed_lost", "未成交", True),
)


def acts_for_institution(user: User, institution_id: int) -> bool:
    """True when `user` works for the institution."""
    return user.role in INSTITUTION_ROLES and user.institution_id == institution_id


def _side(user: User, match: Match) -> str:
    # "institution", "enterprise" or "admin"; anyone else may not see the match.
    if is_admin(user):
        return "admin"
    if acts_for_institution(user, match.mandate.institution_id):
        return "institution"
    if owns_enterprise(user, match.project.enterprise):
        return "enterprise"
    raise NotFound(f"match {match.id} does not exist")


def get_match(user: User, match_id: int) -> Match:
    """A match the caller may see: its institution's users, the enterprise's, admins."""
    match = get_or_404(Match, match_id, "match")
    _side(user, match)
    if match.status == MatchStatus.DECLINED and _side(user, match) == "enterprise":
        raise NotFound(f"match {match_id} does not exist")  # declines are the investor's own
    return match


def inbox(user: User, mandate_id: int | None = None, status: MatchStatus | None = None) -> Select:
    """The caller's institution's matches, best first (optionally of one mandate or status)."""
    if user.role not in INSTITUTION_ROLES or user.institution_id is None:
        raise Forbidden("only users of an institution have a match inbox")
    query = (
        select(Match)
        .join(Match.mandate)
        .where(Mandate.institution_id == user.institution_id)
        .options(selectinload(Match.project).selectinload(Project.enterprise))
    )
    if mandate_id is not None:
        query = query.where(Match.mandate_id == mandate_id)
    if status is not None:
        query = query.where(Match.status == status)
    return query.order_by(Match.score.desc(), Match.id)


def project_matches(user: User, project_id: int) -> list[Match]:
    """The best mandates for a project, for its enterprise (declines are not shown)."""
    project = get_or_404(Project, project_id, "project")
    if not (is_admin(user) or owns_enterprise(user, project.enterprise)):
        raise Forbidden(f"you may not see the matches of project {project_id}")
    return list(
        db.session.scalars(
            select(Match)
            .where(Match.project_id == project_id, Match.status != MatchStatus.DECLINED)
            .options(selectinload(Match.mandate).selectinload(Mandate.institution))
            .order_by(Match.score.desc(), Match.id)
        )
    )


def allowed_match_moves(user: User, match: Match) -> list[str]:
    """The moves (`MATCH_MOVES`) `user` may take on `match` now; 404 for whoever may not see it."""
    _side(user, match)  # raises NotFound for anyone but the two parties and admins
    return allowed_actions(MATCH_MOVES, match.status, user.role)


def view_match(user: User, match_id: int) -> Match:
    """Open a match: the first time one of the institution's users does, it becomes viewed."""
    match = get_match(user, match_id)
    if "view" in allowed_match_moves(user, match):
        match.status = MATCH_MOVES["view"].target
        match.viewed_at, match.viewed_by_id = utcnow(), user.id
        db.session.commit()
    return match


def _answer(user: User, match_id: int, action: str) -> Match:
    # The institution's interest or decline: 403 for anyone else, 409 once it has answered.
    match = get_or_404(Match, match_id, "match", lock=True)
    _side(user, match)  # raises NotFound for anyone but the two parties and admins
    move = check_move(MATCH_MOVES, action, match.status, user.role, "match", {})
    if match.viewed_at is None:
        match.viewed_at = utcnow()
    match.status, match.responded_at = move.target, utcnow()
    return match


def decline_match(user: User, match_id: int, reason: str) -> Match:
    """Decline with a reason; the match stays hidden until the project changes materially."""
    match = _answer(user, match_id, "decline")
    match.decline_reason, match.declined_fingerprint = reason, match.fingerprint
    db.session.commit()
    return match


def ensure_pipeline(institution_id: int) -> list[PipelineStage]:
    """The institution's stages in order, created from DEFAULT_STAGES the first time (flushes)."""
    stages = pipeline(institution_id)
    if not stages:
        stages = [
            PipelineStage(institution_id=institution_id, key=k, name=n, position=i, closed=c)
            for i, (k, n, c) in enumerate(DEFAULT_STAGES)
        ]
        db.session.add_all(stages)
        db.session.flush()
    return stages


def pipeline(institution_id: int) -> list[PipelineStage]:
    """The institution's stages in order (empty before its first deal)."""
    return list(
        db.session.scalars(
            select(PipelineStage)
            .where(PipelineStage.institution_id == institution_id)
            .order_by(PipelineStage.position, PipelineStage.id)
        )
    )


def express_interest(user: User, match_id: int) -> Deal:
    """Mark the match interested and open a deal at the first stage of the pipeline."""
    match = _answer(user, match_id, "interest")
    institution_id = match.mandate.institution_id
    first = ensure_pipeline(institution_id)[0]
    deal = Deal(match=match, institution_id=institution_id, stage=first, owner_id=user.id)
    deal.events.append(DealEvent(kind=DealEventKind.OPENED, actor_id=user.id, to_stage=first))
    db.session.add(deal)
    db.session.commit()
    return deal


def _deal(user: User, deal_id: int, lock: bool = False) -> tuple[Deal, str]:
    deal = get_or_404(Deal, deal_id, "deal", lock)
    return deal, _side(user, deal.match)


def get_deal(user: User, deal_id: int) -> Deal:
    """A deal, for its institution, the enterprise and admins: the whole record, for services
    to act on; what a caller is shown is `read_deal`."""
    return _deal(user, deal_id)[0]


def sees_internals(user: User, deal: Deal) -> bool:
    """True when `user` works for the deal's institution, the only party its internal records
    (`INTERNAL_EVENTS`, `INTERNAL_FIELDS`) are for."""
    return acts_for_institution(user, deal.institution_id)


def visible_events(user: User, deal: Deal) -> list[DealEvent]:
    """The deal's history as `user` may read it: whole for the institution's users, without the
    institution's internal events for anyone else."""
    if sees_internals(user, deal):
        return list(deal.events)
    return [event for event in deal.events if event.kind not in INTERNAL_EVENTS]


class DealView:
    """A deal as one viewer may read it: what the API and the pages show, never the record.

    Attributes read through to the deal, except that `events` is `visible_events` and a viewer
    outside the institution has no `INTERNAL_FIELDS` at all: a schema leaves the keys out and a
    template shows nothing, so no view or schema needs a rule of its own.
    """

    def __init__(self, user: User, deal: Deal) -> None:
        self.record = deal
        self._viewer = user
        self._hidden = frozenset() if sees_internals(user, deal) else INTERNAL_FIELDS

    @cached_property
    def events(self) -> list[DealEvent]:
        """The events the viewer may read, oldest first (loaded on first use: the pages that
        list deals show no history)."""
        return visible_events(self._viewer, self.record)

    def __getattr__(self, name: str) -> object:
        # Called only for names the view does not hold itself: the deal's, minus the hidden.
        if name in self._hidden:
            raise AttributeError(f"{name} belongs to the deal's institution")
        return getattr(self.record, name)


def read_deal(user: User, deal_id: int) -> DealView:
    """A deal as the caller may read it (its institution, the enterprise and admins)."""
    return DealView(user, get_deal(user, deal_id))


def _institution_deal(user: User, deal_id: int) -> Deal:
    deal, side = _deal(user, deal_id, lock=True)
    if side != "institution":
        raise Forbidden("only the institution runs its pipeline")
    return deal


def _next_stages(deal: Deal, stages: list[PipelineStage]) -> list[PipelineStage]:
    # A deal's life cycle is its institution's pipeline, not a table of moves: an open deal may
    # go to any other stage, a deal in a closed stage (won, lost) stays there.
    if deal.stage.closed:
        return []
    return [stage for stage in stages if stage.id != deal.stage_id]


def allowed_stages(user: User, deal: Deal) -> list[PipelineStage]:
    """The stages `user` may move `deal` to now, in pipeline order: none but for the
    institution's users, and none once the deal is closed."""
    if not acts_for_institution(user, deal.institution_id):
        return []
    return _next_stages(deal, pipeline(deal.institution_id))


def move_deal(user: User, deal_id: int, stage_id: int) -> Deal:
    """Move a deal to another stage of its institution's pipeline; closed deals stay closed."""
    deal = _institution_deal(user, deal_id)
    stages = pipeline(deal.institution_id)
    target = next((s for s in stages if s.id == stage_id), None)
    if target is None:
        raise Invalid("unknown stage", {"stage_id": [f"Stage {stage_id} is not in your pipeline."]})
    allowed = _next_stages(deal, stages)
    if target not in allowed:
        raise refusal(
            f"move to {target.key}", "deal", f"in {deal.stage.key}", [s.key for s in allowed]
        )
    deal.events.append(
        DealEvent(
            kind=DealEventKind.MOVED, actor_id=user.id, from_stage_id=deal.stage_id, to_stage=target
        )
    )
    deal.stage = target
    db.session.commit()
    return deal


def add_message(user: User, deal_id: int, body: str, internal: bool = False) -> DealEvent:
    """A message on a deal: the enterprise answers (the match becomes introduced), the
    institution writes to the enterprise or, with `internal`, notes for itself."""
    deal, side = _deal(user, deal_id)
    if side == "enterprise" and internal:
        raise Forbidden("internal notes belong to the institution")
    kind = DealEventKind.NOTE if internal else DealEventKind.MESSAGE
    event = DealEvent(kind=kind, actor_id=user.id, body=body)
    deal.events.append(event)
    if "introduce" in allowed_actions(MATCH_MOVES, deal.match.status, user.role):
        deal.match.status = MATCH_MOVES["introduce"].target
    db.session.commit()
    return event


def update_deal(user: User, deal_id: int, data: dict) -> Deal:
    """Change the owner or the next action of a deal; each change is recorded."""
    deal = _institution_deal(user, deal_id)
    if "owner_id" in data and data["owner_id"] != deal.owner_id:
        owner = db.session.get(User, data["owner_id"]) if data["owner_id"] else None
        if data["owner_id"] and not (owner and acts_for_institution(owner, deal.institution_id)):
            raise Invalid("owner", {"owner_id": ["The owner must work for your institution."]})
        deal.owner_id = data["owner_id"]
        deal.events.append(
            DealEvent(kind=DealEventKind.OWNER, actor_id=user.id, body=owner.email if owner else "")
        )
    if {"next_action", "next_action_on"} & data.keys():
        deal.next_action = data.get("next_action", deal.next_action)
        deal.next_action_on = data.get("next_action_on", deal.next_action_on)
        when: date | None = deal.next_action_on
        deal.events.append(
            DealEvent(
                kind=DealEventKind.NEXT_ACTION,
                actor_id=user.id,
                body=f"{deal.next_action or ''} {when.isoformat() if when else ''}".strip(),
            )
        )
    db.session.commit()
    return deal


def deals(user: User) -> list[DealView]:
    """The caller's deals as the caller may read them: an institution's pipeline, or those about
    an enterprise's projects (all of them for admins)."""
    query = select(Deal).options(
        selectinload(Deal.match).selectinload(Match.project), selectinload(Deal.stage)
    )
    if user.role in INSTITUTION_ROLES and user.institution_id:
        query = query.where(Deal.institution_id == user.institution_id)
    elif user.enterprise_id:
        query = query.join(Deal.match).join(Match.project)
        query = query.where(Project.enterprise_id == user.enterprise_id)
    elif not is_admin(user):
        raise Forbidden("you have no deals")
    return [DealView(user, deal) for deal in db.session.scalars(query.order_by(Deal.id))]
