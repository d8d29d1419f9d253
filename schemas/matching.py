"""Schemas of matches, deals and pipeline stages."""

from marshmallow import Schema, fields, validate

from schemas.fields import MONEY_EPOCH, DateWithin, Flag, Text, WholeNumber, enum_field
from torchfin.models.enums import DealEventKind, MatchStatus


class MatchSchema(Schema):
    """A scored project x mandate pair with its explanation."""

    id = WholeNumber(dump_only=True)
    project_id = WholeNumber(dump_only=True)
    project_title = fields.String(attribute="project.title", dump_only=True)
    mandate_id = WholeNumber(dump_only=True)
    mandate_name = fields.String(attribute="mandate.name", dump_only=True)
    institution_id = WholeNumber(attribute="mandate.institution_id", dump_only=True)
    institution_name = fields.String(attribute="mandate.institution.name", dump_only=True)
    score = fields.Float(dump_only=True)
    breakdown = fields.Dict(
        dump_only=True,
        metadata={"description": "criterion -> points, max, tier, evidence_zh, evidence_en"},
    )
    algorithm_version = fields.String(dump_only=True)
    status = enum_field(MatchStatus, dump_only=True)
    decline_reason = fields.String(dump_only=True, allow_none=True)
    viewed_at = fields.DateTime(dump_only=True, allow_none=True)
    responded_at = fields.DateTime(dump_only=True, allow_none=True)


class MatchListArgsSchema(Schema):
    """Filters of the match inbox."""

    mandate_id = WholeNumber(load_default=None)
    status = enum_field(MatchStatus, load_default=None)


class DeclineSchema(Schema):
    """Why the investor declines."""

    reason = Text(required=True, min_length=2, max_length=500)


class StageSchema(Schema):
    """A stage of an institution's pipeline."""

    id = WholeNumber(dump_only=True)
    key = fields.String(dump_only=True)
    name = Text(required=True, max_length=60)
    position = WholeNumber(dump_only=True)
    closed = fields.Boolean(dump_only=True)


class ReorderSchema(Schema):
    """A new order of every stage."""

    stage_ids = fields.List(WholeNumber(), required=True, validate=validate.Length(min=1))


class StageSettingSchema(Schema):
    """One row of the pipeline settings: a stage's new name and its place (1 = first)."""

    id = WholeNumber(required=True)
    name = Text(required=True, max_length=60)
    position = WholeNumber(required=True, validate=validate.Range(min=1, max=100))


class PipelineSettingsSchema(Schema):
    """Every stage of a pipeline, renamed and placed (the settings page)."""

    stages = fields.List(
        fields.Nested(StageSettingSchema), required=True, validate=validate.Length(min=1)
    )


class DealEventSchema(Schema):
    """One recorded event of a deal."""

    id = WholeNumber(dump_only=True)
    kind = enum_field(DealEventKind, dump_only=True)
    actor_id = WholeNumber(dump_only=True, allow_none=True)
    from_stage_id = WholeNumber(dump_only=True, allow_none=True)
    to_stage_id = WholeNumber(dump_only=True, allow_none=True)
    body = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class DealSchema(Schema):
    """A deal in an institution's pipeline.

    Dumped from `deals.DealView`, which holds no `owner_id`, `next_action`, `next_action_on` nor
    internal events for a viewer outside the institution: those keys are then absent.
    """

    id = WholeNumber(dump_only=True)
    match_id = WholeNumber(dump_only=True)
    institution_id = WholeNumber(dump_only=True)
    stage = fields.Nested(StageSchema, dump_only=True)
    owner_id = WholeNumber(allow_none=True)
    next_action = Text(max_length=200, allow_none=True)
    next_action_on = DateWithin(earliest=MONEY_EPOCH, years_ahead=5, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    events = fields.List(fields.Nested(DealEventSchema), dump_only=True)


class MoveSchema(Schema):
    """Where a deal goes."""

    stage_id = WholeNumber(required=True)


class MessageSchema(Schema):
    """A message on a deal, or an internal note of the institution."""

    body = Text(required=True, max_length=5000)
    internal = Flag(load_default=False)
