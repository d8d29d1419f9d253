"""OTC-pilot readiness: recorded facts, checks per enterprise, zone batch runs and exports."""

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.readiness import (
    BatchRequestSchema,
    BatchSchema,
    CheckRequestSchema,
    GovernanceRecordSchema,
    ReadinessCheckSchema,
    ReadinessProfileSchema,
    ReadinessRowSchema,
    RuleSetSchema,
)
from torchfin.api.common import PREFIX, caller
from torchfin.services.readiness import batches, checks, profiles
from torchfin.services.readiness.rule_sets import RULE_SETS

blp = Blueprint(
    "readiness",
    __name__,
    url_prefix=f"{PREFIX}/readiness",
    description="OTC-pilot (NEEQ) readiness checks",
)
BLUEPRINTS = (blp,)


@blp.get("/rule-sets")
@blp.response(200, RuleSetSchema(many=True))
def rule_sets():
    """The versioned rule sets and their rules."""
    caller()
    return list(RULE_SETS.values())


@blp.route("/enterprises/<int:enterprise_id>/profile")
class Profile(MethodView):
    """The facts an enterprise has recorded towards listing."""

    @blp.response(200, ReadinessProfileSchema)
    def get(self, enterprise_id: int):
        """Read the profile (empty when nothing was recorded)."""
        profiles.followed_enterprise(caller(), enterprise_id)
        return profiles.profile_of(enterprise_id) or {"enterprise_id": enterprise_id}

    @blp.arguments(ReadinessProfileSchema(partial=True))
    @blp.response(200, ReadinessProfileSchema)
    def patch(self, data: dict, enterprise_id: int):
        """Record or change facts (the enterprise, its zone's administrators, admins)."""
        return profiles.save_profile(caller(), enterprise_id, data)


@blp.route("/enterprises/<int:enterprise_id>/meetings")
class Meetings(MethodView):
    """Governance meetings (三会) of an enterprise."""

    @blp.response(200, GovernanceRecordSchema(many=True))
    def get(self, enterprise_id: int):
        """List the recorded meetings."""
        profiles.followed_enterprise(caller(), enterprise_id)
        return profiles.meetings_of(enterprise_id)

    @blp.arguments(GovernanceRecordSchema)
    @blp.response(201, GovernanceRecordSchema)
    def post(self, data: dict, enterprise_id: int):
        """Record a meeting."""
        return profiles.add_meeting(caller(), enterprise_id, data)


@blp.route("/enterprises/<int:enterprise_id>/checks")
class Checks(MethodView):
    """Readiness checks of an enterprise."""

    @blp.response(200, ReadinessCheckSchema(many=True))
    def get(self, enterprise_id: int):
        """The latest checks, newest first."""
        return checks.latest_checks(caller(), enterprise_id)

    @blp.arguments(CheckRequestSchema)
    @blp.response(201, ReadinessCheckSchema)
    def post(self, data: dict, enterprise_id: int):
        """Check the enterprise now against a rule set."""
        return checks.check_enterprise(caller(), enterprise_id, data["rule_set"], data["as_of"])


@blp.post("/batches")
@blp.arguments(BatchRequestSchema)
@blp.response(202, BatchSchema)
def start_batch(data: dict):
    """Start a batch run over every enterprise of a zone (zone administrators)."""
    return batches.start_zone_run(caller(), data["zone"], data["rule_set"], data["as_of"])


@blp.get("/batches/<int:batch_id>")
@blp.response(200, BatchSchema)
def batch(batch_id: int):
    """A batch run and its progress."""
    return batches.get_batch(caller(), batch_id)


@blp.get("/batches/<int:batch_id>/rows")
@blp.response(200, ReadinessRowSchema(many=True))
def batch_rows(batch_id: int):
    """The zone readiness table of a batch."""
    return batches.batch_rows(batches.get_batch(caller(), batch_id))


@blp.get("/batches/<int:batch_id>/export")
@blp.response(200, description="CSV, UTF-8 with BOM")
def batch_export(batch_id: int):
    """The zone readiness table of a batch as CSV."""
    batch = batches.get_batch(caller(), batch_id)
    return Response(
        batches.batch_csv(batch),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=readiness-{batch.id}.csv"},
    )
