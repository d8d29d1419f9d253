"""Credit-guarantee cases: applying, the list with filters, actions and the audit timeline."""

from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.audit import AuditEventSchema
from schemas.guarantee import (
    GuaranteeActionSchema,
    GuaranteeApplySchema,
    GuaranteeCaseSchema,
    GuaranteeQuerySchema,
)
from schemas.payment import PaymentSchema
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.models import GuaranteeCase
from torchfin.services.finance import guarantees

blp = Blueprint(
    "guarantees",
    __name__,
    url_prefix=f"{PREFIX}/guarantees",
    description="Credit-guarantee cases (信贷担保)",
)
BLUEPRINTS = (blp,)
ACTIONS = ",".join(guarantees.MOVES)


def _with_actions(case: GuaranteeCase) -> GuaranteeCase:
    case.allowed_actions = guarantees.allowed_for(caller(), case)
    return case


@blp.route("")
class Guarantees(MethodView):
    """The case list."""

    @blp.arguments(GuaranteeQuerySchema, location="query")
    @blp.response(200, GuaranteeCaseSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args: dict):
        """List the cases you are a party to, filtered by state, bank, agency or enterprise."""
        query = guarantees.visible_cases(caller())
        for name, value in args.items():
            query = query.where(getattr(GuaranteeCase, name) == value)
        return query.order_by(GuaranteeCase.id.desc())

    @blp.arguments(GuaranteeApplySchema)
    @blp.response(201, GuaranteeCaseSchema)
    def post(self, data: dict):
        """Apply for a guarantee of a bank loan (enterprise users)."""
        return _with_actions(guarantees.apply(caller(), data))


@blp.route("/<int:case_id>")
@blp.response(200, GuaranteeCaseSchema)
def guarantee_case(case_id: int):
    """Read a case, with the actions you may take on it now."""
    return _with_actions(guarantees.get_case(caller(), case_id))


@blp.route(f"/<int:case_id>/<any({ACTIONS}):action>", methods=["POST"])
@blp.arguments(GuaranteeActionSchema)
@blp.response(200, GuaranteeCaseSchema)
@blp.alt_response(403, description="Your role does not take this action")
@blp.alt_response(409, description="Not allowed from the current state")
def guarantee_action(data: dict, case_id: int, action: str):
    """Take an action; money-moving ones complete when a worker's payment succeeds."""
    return _with_actions(guarantees.act(caller(), case_id, action, data))


@blp.route("/<int:case_id>/timeline")
@blp.response(200, AuditEventSchema(many=True))
def guarantee_timeline(case_id: int):
    """The case's audit trail, oldest first."""
    return guarantees.timeline(caller(), case_id)


@blp.route("/<int:case_id>/payments")
@blp.response(200, PaymentSchema(many=True))
def guarantee_payments(case_id: int):
    """The case's payments and how each ended."""
    return guarantees.payments(caller(), case_id)
