"""Matches (inbox, explanation, interest, decline), deals, pipeline stages and their history."""

from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.audit import AuditEventSchema
from schemas.matching import (
    DealEventSchema,
    DealSchema,
    DeclineSchema,
    MatchListArgsSchema,
    MatchSchema,
    MessageSchema,
    MoveSchema,
    ReorderSchema,
    StageSchema,
)
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.services.matching import deals, pipeline_stages

blp = Blueprint("matches", __name__, url_prefix=PREFIX, description="Matches and deals")
BLUEPRINTS = (blp,)


@blp.route("/matches")
class Matches(MethodView):
    """The institution's match inbox."""

    @blp.arguments(MatchListArgsSchema, location="query")
    @blp.response(200, MatchSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args: dict):
        """List your institution's matches, best first."""
        return deals.inbox(caller(), args["mandate_id"], args["status"])


@blp.route("/projects/<int:project_id>/matches")
class ProjectMatches(MethodView):
    """A project's best mandates."""

    @blp.response(200, MatchSchema(many=True))
    def get(self, project_id: int):
        """The best mandates for your project, with reasons."""
        return deals.project_matches(caller(), project_id)


@blp.route("/matches/<int:match_id>")
class MatchById(MethodView):
    """One match."""

    @blp.response(200, MatchSchema)
    def get(self, match_id: int):
        """Read a match with its explanation (the institution's first read marks it viewed)."""
        return deals.view_match(caller(), match_id)


@blp.route("/matches/<int:match_id>/interest")
class MatchInterest(MethodView):
    """Interest in a match."""

    @blp.response(201, DealSchema)
    def post(self, match_id: int):
        """Mark the match interested; opens a deal in your pipeline."""
        return deals.express_interest(caller(), match_id)


@blp.route("/matches/<int:match_id>/decline")
class MatchDecline(MethodView):
    """Declining a match."""

    @blp.arguments(DeclineSchema)
    @blp.response(200, MatchSchema)
    def post(self, data: dict, match_id: int):
        """Decline the match with a reason."""
        return deals.decline_match(caller(), match_id, data["reason"])


@blp.route("/deals")
class Deals(MethodView):
    """Deals."""

    @blp.response(200, DealSchema(many=True))
    def get(self):
        """Your institution's pipeline, or the deals about your projects.

        Each deal as `GET /deals/{deal_id}` shows it to you.
        """
        return deals.deals(caller())


@blp.route("/deals/<int:deal_id>")
class DealById(MethodView):
    """One deal."""

    @blp.response(200, DealSchema)
    def get(self, deal_id: int):
        """Read a deal with its events.

        The institution's own records (`next_action`, `next_action_on`, `owner_id`; events of
        kind `note`, `next_action`, `owner`) are left out for anyone not working for it.
        """
        return deals.read_deal(caller(), deal_id)

    @blp.arguments(DealSchema(partial=True))
    @blp.response(200, DealSchema)
    def patch(self, data: dict, deal_id: int):
        """Change the owner or the next action."""
        return deals.update_deal(caller(), deal_id, data)


@blp.route("/deals/<int:deal_id>/move")
class DealMove(MethodView):
    """Moving a deal."""

    @blp.arguments(MoveSchema)
    @blp.response(200, DealSchema)
    def post(self, data: dict, deal_id: int):
        """Move the deal to another stage of your pipeline."""
        return deals.move_deal(caller(), deal_id, data["stage_id"])


@blp.route("/deals/<int:deal_id>/messages")
class DealMessages(MethodView):
    """Messages and notes of a deal."""

    @blp.arguments(MessageSchema)
    @blp.response(201, DealEventSchema)
    def post(self, data: dict, deal_id: int):
        """Answer (enterprise), write to the enterprise or note internally (institution)."""
        return deals.add_message(caller(), deal_id, data["body"], data["internal"])


@blp.route("/institutions/<int:institution_id>/pipeline")
class Pipeline(MethodView):
    """An institution's pipeline stages."""

    @blp.response(200, StageSchema(many=True))
    def get(self, institution_id: int):
        """The stages in order."""
        return pipeline_stages.stages_for(caller(), institution_id)

    @blp.arguments(ReorderSchema)
    @blp.response(200, StageSchema(many=True))
    def put(self, data: dict, institution_id: int):
        """Reorder the stages (list every stage id once); a changed order is recorded."""
        return pipeline_stages.reorder_stages(caller(), institution_id, data["stage_ids"])


@blp.route("/institutions/<int:institution_id>/pipeline/history")
class PipelineHistory(MethodView):
    """Who renamed and reordered an institution's stages, and when."""

    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, institution_id: int):
        """Every rename and reorder of the stages, newest first.

        Audit events: `action` is `rename_stage` (`data`: stage_id, key, old and new name) or
        `reorder_stages` (`data`: old and new order as lists of stage keys), with the actor
        and the time.
        """
        return pipeline_stages.history(caller(), institution_id)


@blp.route("/pipeline-stages/<int:stage_id>")
class StageById(MethodView):
    """One stage."""

    @blp.arguments(StageSchema)
    @blp.response(200, StageSchema)
    def patch(self, data: dict, stage_id: int):
        """Rename a stage; the rename is recorded in the pipeline's history."""
        return pipeline_stages.rename_stage(caller(), stage_id, data["name"])
