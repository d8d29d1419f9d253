"""Pages of matching and deals: the investor's match inbox and explanations, the SME's best
mandates and answers, the institution's pipeline."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from schemas.matching import DeclineSchema, MessageSchema, MoveSchema
from torchfin.extensions import db
from torchfin.models import Deal, Mandate, Project
from torchfin.services.errors import Forbidden
from torchfin.services.matching import data_room, deals, pipeline_stages
from torchfin.services.matching.responsiveness import institution_responsiveness
from torchfin.web import web
from torchfin.web.form_flow import posted, submit_values
from torchfin.web.pipeline_settings import stage_label
from torchfin.web.session_user import session_user

CRITERIA = {
    "industry": _l("行业契合"),
    "stage": _l("阶段契合"),
    "ticket": _l("金额匹配"),
    "geography": _l("地域偏好"),
    "rd_intensity": _l("研发强度"),
    "patents": _l("发明专利"),
    "growth": _l("收入增长"),
    "qualifications": _l("资质认定"),
    "freshness": _l("项目新鲜度"),
}
MATCH_STATUSES = {
    "suggested": _l("推荐"),
    "viewed": _l("已查看"),
    "interested": _l("有意向"),
    "declined": _l("已婉拒"),
    "introduced": _l("已对接"),
}
decline_schema = DeclineSchema()
message_schema = MessageSchema()
move_schema = MoveSchema()


def _context() -> dict:
    return {"criteria": CRITERIA, "match_statuses": MATCH_STATUSES}


@web.get("/matches")
@login_required
def match_inbox():
    """The institution's match inbox, one mandate at a time, best first."""
    user = session_user()
    if user.institution_id is None:
        raise Forbidden("only users of an institution have a match inbox")
    mandates = list(
        db.session.scalars(
            select(Mandate)
            .where(Mandate.institution_id == user.institution_id)
            .order_by(Mandate.id)
        )
    )
    chosen = request.args.get("mandate", type=int) or (mandates[0].id if mandates else None)
    matches = list(db.session.scalars(deals.inbox(user, chosen))) if chosen else []
    return render_template(
        "match_inbox.html", mandates=mandates, chosen=chosen, matches=matches, **_context()
    )


@web.get("/matches/<int:match_id>")
@login_required
def match_detail(match_id: int):
    """A match with its explanation; the institution's first visit marks it viewed."""
    user = session_user()
    match = deals.view_match(user, match_id)
    deal = db.session.scalar(select(Deal).where(Deal.match_id == match.id))
    moves = deals.allowed_match_moves(user, match)
    return render_template("match_detail.html", match=match, moves=moves, deal=deal, **_context())


@web.post("/matches/<int:match_id>/interest")
@login_required
def match_interest(match_id: int):
    """Mark interest; the deal opens in the pipeline."""
    deal = deals.express_interest(session_user(), match_id)
    flash(_("已表达投资意向，交易已进入管道。"), "success")
    return redirect(url_for("web.deal_detail", deal_id=deal.id))


@web.post("/matches/<int:match_id>/decline")
@login_required
def match_decline(match_id: int):
    """Decline with a reason (422 with the field's message when it is missing)."""
    user = session_user()
    outcome = submit_values(
        posted(), decline_schema, lambda data: deals.decline_match(user, match_id, data["reason"])
    )
    if not outcome.done:
        match = deals.get_match(user, match_id)
        moves = deals.allowed_match_moves(user, match)
        return render_template(
            "match_detail.html",
            match=match,
            moves=moves,
            deal=None,
            errors=outcome.messages,
            **_context(),
        ), outcome.status
    flash(_("已婉拒该匹配。"), "success")
    return redirect(url_for("web.match_inbox"))


@web.get("/my/matches")
@login_required
def my_matches():
    """The SME's projects with their best mandates, and its deals."""
    user = session_user()
    if user.enterprise_id is None:
        raise Forbidden("only an enterprise's users see its matches")
    projects = list(
        db.session.scalars(
            select(Project).where(Project.enterprise_id == user.enterprise_id).order_by(Project.id)
        )
    )
    by_project = {p.id: deals.project_matches(user, p.id) for p in projects}
    deal_by_match = {d.match_id: d for d in deals.deals(user)}
    institutions = {m.mandate.institution_id for ms in by_project.values() for m in ms}
    return render_template(
        "my_matches.html",
        projects=projects,
        by_project=by_project,
        deal_by_match=deal_by_match,
        responsiveness={i: institution_responsiveness(i) for i in institutions},
        **_context(),
    )


@web.get("/deals")
@login_required
def deal_pipeline():
    """The institution's pipeline: one column per stage."""
    user = session_user()
    if user.institution_id is None:
        if user.enterprise_id is not None:
            # An SME's deals are listed beside its matches, project by project.
            return redirect(url_for("web.my_matches"))
        raise Forbidden("only users of an institution have a pipeline")
    stages = pipeline_stages.stages_for(user, user.institution_id)
    all_deals = deals.deals(user)
    columns = [(stage, [d for d in all_deals if d.stage_id == stage.id]) for stage in stages]
    return render_template("deal_pipeline.html", columns=columns, **_context())


def render_deal(deal_id: int, errors: dict | None = None, status: int = 200):
    """The deal page (with `errors` by field and `status` when a form on it was refused)."""
    user = session_user()
    deal = deals.read_deal(user, deal_id)
    side = "institution" if deals.sees_internals(user, deal.record) else "other"
    return render_template(
        "deal_detail.html",
        deal=deal,
        side=side,
        stages=deals.allowed_stages(user, deal.record),
        events=deal.events,
        room=data_room.deal_room(user, deal.record),
        errors=errors or {},
        **_context(),
    ), status


@web.get("/deals/<int:deal_id>")
@login_required
def deal_detail(deal_id: int):
    """A deal: its stage, messages, and (for the institution) moves and notes."""
    return render_deal(deal_id)


@web.post("/deals/<int:deal_id>/messages")
@login_required
def deal_message(deal_id: int):
    """Post a message (the SME's answer, the institution's message or internal note)."""
    outcome = submit_values(
        posted(),
        message_schema,
        lambda data: deals.add_message(session_user(), deal_id, data["body"], data["internal"]),
    )
    if not outcome.done:
        return render_deal(deal_id, outcome.messages, outcome.status)
    flash(_("已发送。"), "success")
    return redirect(url_for("web.deal_detail", deal_id=deal_id))


@web.post("/deals/<int:deal_id>/move")
@login_required
def deal_move(deal_id: int):
    """Move the deal to another stage."""
    outcome = submit_values(
        posted(),
        move_schema,
        lambda data: deals.move_deal(session_user(), deal_id, data["stage_id"]),
    )
    if not outcome.done:
        return render_deal(deal_id, outcome.messages, outcome.status)
    flash(_("交易已移至“%(stage)s”。", stage=stage_label(outcome.result.stage)), "success")
    return redirect(url_for("web.deal_detail", deal_id=deal_id))
