"""Schemas of tech-finance policies, policy files, applications and the SME's offers."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.fields import (
    MONEY_EPOCH,
    DateWithin,
    DecimalString,
    Money,
    Text,
    WholeNumber,
    enum_field,
)
from torchfin.models.enums import (
    ApplicationState,
    DocumentKind,
    ListingVenue,
    PolicyKind,
    Qualification,
)

RULE_NAMES = (
    "in_zone",
    "qualification",
    "loan_disbursed",
    "guarantee_fee_charged",
    "listing_event",
    "fund_placement",
)
FORMULA_TYPES = ("interest_share", "fee_share", "stages", "loss_share")
STAGE_NAME = validate.Regexp(r"^[a-z][a-z_]{0,19}$", error="Stage names are lower-case words.")


class PolicyRuleSchema(Schema):
    """One eligibility rule and its parameters."""

    rule = fields.String(required=True, validate=validate.OneOf(RULE_NAMES))
    any_of = fields.List(
        enum_field(Qualification),
        validate=validate.Length(min=1),
        metadata={"rule": "qualification"},
    )
    venues = fields.List(
        enum_field(ListingVenue),
        validate=validate.Length(min=1),
        metadata={"rule": "listing_event"},
    )

    @validates_schema
    def _parameters(self, data: dict, **kwargs) -> None:
        needs = {"qualification": "any_of", "listing_event": "venues"}
        name = needs.get(data.get("rule"))
        if name and not data.get(name):
            raise ValidationError(f"Required by the rule {data['rule']}.", name)


class FormulaSchema(Schema):
    """The amount formula (see torchfin/services/finance/policies/formulas.py)."""

    type = fields.String(required=True, validate=validate.OneOf(FORMULA_TYPES))
    share = DecimalString(places=4, validate=validate.Range(min=0, max=1, min_inclusive=False))
    cap = Money(minimum=1)
    stages = fields.Dict(keys=fields.String(validate=STAGE_NAME), values=Money(minimum=1))

    @validates_schema
    def _parameters(self, data: dict, **kwargs) -> None:
        if data.get("type") == "stages":
            if not data.get("stages"):
                raise ValidationError("A staged reward names its stages and sums.", "stages")
        elif data.get("type") and data.get("share") is None:
            raise ValidationError(f"Required by the formula {data['type']}.", "share")


class PolicyDeclarationSchema(Schema):
    """A policy as a zone declares it: a new version of its code each time."""

    code = Text(
        required=True,
        max_length=60,
        validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]*$", error="Lower-case letters, digits, -."),
    )
    kind = enum_field(PolicyKind, required=True)
    name_zh = Text(required=True, max_length=200)
    name_en = Text(required=True, max_length=200)
    source = Text(max_length=2000, load_default="")
    valid_from = DateWithin(earliest=MONEY_EPOCH, years_ahead=5, required=True)
    valid_to = DateWithin(earliest=MONEY_EPOCH, years_ahead=20, load_default=None, allow_none=True)
    rules = fields.List(fields.Nested(PolicyRuleSchema), required=True)
    formula = fields.Nested(FormulaSchema, required=True)
    per_enterprise_cap = Money(minimum=1, load_default=None, allow_none=True)
    yearly_cap = Money(minimum=1, load_default=None, allow_none=True)
    yearly_budget = Money(minimum=1, required=True)

    @validates_schema
    def _window(self, data: dict, **kwargs) -> None:
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] < data["valid_from"]
        ):
            raise ValidationError("Cannot end before the policy starts.", "valid_to")


class PolicyFileSchema(Schema):
    """A reviewed policy file: a zone's code and its policies."""

    zone = Text(required=True, max_length=40)
    policies = fields.List(
        fields.Nested(PolicyDeclarationSchema), required=True, validate=validate.Length(min=1)
    )


class PolicySchema(PolicyDeclarationSchema):
    """A policy version as served."""

    id = WholeNumber(dump_only=True)
    zone_id = WholeNumber(dump_only=True)
    version = WholeNumber(dump_only=True)
    legacy = fields.Boolean(dump_only=True)
    rules = fields.List(fields.Dict(), dump_only=True)
    formula = fields.Dict(dump_only=True)
    yearly_budget = Money(allow_none=True, dump_only=True)


class PolicyDocumentSchema(Schema):
    """A file attached to an application."""

    id = WholeNumber(dump_only=True)
    application_id = WholeNumber(dump_only=True)
    filename = fields.String(dump_only=True)
    kind = enum_field(DocumentKind, dump_only=True)
    size = WholeNumber(dump_only=True, metadata={"description": "bytes"})
    sha256 = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class ApplicationSchema(Schema):
    """An application under a policy, with its evaluation and state."""

    id = WholeNumber(dump_only=True)
    policy_id = WholeNumber(required=True)
    policy_code = fields.String(dump_only=True)
    zone_id = WholeNumber(dump_only=True)
    enterprise_id = WholeNumber(dump_only=True)
    subject = Text(
        required=True,
        max_length=40,
        metadata={"description": "guarantee:<id>, listing:<id> or placement:<id>"},
    )
    stage = Text(min_length=0, max_length=20, load_default="")
    note = Text(min_length=0, max_length=2000, load_default="")
    amount = Money(dump_only=True)
    state = enum_field(ApplicationState, dump_only=True)
    reason = fields.String(dump_only=True)
    evaluation = fields.Dict(dump_only=True)
    budget_year = fields.Integer(dump_only=True, allow_none=True)
    applied_at = fields.DateTime(dump_only=True)
    decided_at = fields.DateTime(dump_only=True, allow_none=True)
    paid_at = fields.DateTime(dump_only=True, allow_none=True)
    payment_id = fields.Integer(dump_only=True, allow_none=True)
    documents = fields.List(fields.Nested(PolicyDocumentSchema), dump_only=True)
    allowed_actions = fields.List(fields.String(), dump_only=True)


class ApplicationFilterSchema(Schema):
    """Query string of the application list."""

    state = enum_field(ApplicationState)


class ApplicationActionSchema(Schema):
    """A zone's decision on an application; rejecting needs a reason."""

    reason = Text(max_length=2000)


class OfferSchema(Schema):
    """A policy the SME may apply under, for a subject and stage, as evaluated today."""

    policy = fields.Nested(PolicySchema)
    subject = fields.String()
    stage = fields.String()
    evaluation = fields.Method("_evaluation")
    application_id = fields.Integer(allow_none=True)

    def _evaluation(self, offer) -> dict:
        return offer.evaluation.as_dict()


policy_rule_schema = PolicyRuleSchema()
formula_schema = FormulaSchema()
policy_file_schema = PolicyFileSchema()
