"""Risk-compensation pools: setting up, funding, loans, claims, statements and dashboards."""

from datetime import date

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from schemas.audit import AuditEventSchema
from schemas.payment import PaymentSchema
from schemas.pool import (
    ClaimActionSchema,
    ClaimFileSchema,
    ClaimSchema,
    DashboardSchema,
    DepositSchema,
    OpeningBalanceSchema,
    PeriodSchema,
    PoolLoanSchema,
    PoolSchema,
    RecoverySchema,
    RepaySchema,
    StatementSchema,
)
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.models import PoolClaim, PoolLoan, RiskPool
from torchfin.services.finance import pool_figures, pool_opening, pools

blp = Blueprint(
    "pools", __name__, url_prefix=f"{PREFIX}/pools", description="Risk-compensation pools"
)
claims = Blueprint(
    "claims", __name__, url_prefix=f"{PREFIX}/claims", description="Compensation claims"
)
loans = Blueprint(
    "pool_loans", __name__, url_prefix=f"{PREFIX}/pool-loans", description="Loans in pools"
)
BLUEPRINTS = (blp, loans, claims)
CLAIM_ACTIONS = ",".join(pools.CLAIM_MOVES)


@blp.route("")
class Pools(MethodView):
    """The pool list."""

    @blp.response(200, PoolSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self):
        """List pools (public programmes: every signed-in user sees them)."""
        caller()
        return select(RiskPool).order_by(RiskPool.id)

    @blp.arguments(PoolSchema)
    @blp.response(201, PoolSchema)
    def post(self, data: dict):
        """Set up a pool (admin or the zone's administration)."""
        return pools.create_pool(caller(), data)


@blp.route("/<int:pool_id>")
@blp.response(200, DashboardSchema)
def pool_dashboard(pool_id: int):
    """A pool's balance, exposure, claims by state and monthly history."""
    caller()
    return pool_figures.dashboard(pool_id, date.today())


@blp.route("/<int:pool_id>/deposits", methods=["POST"])
@blp.arguments(DepositSchema)
@blp.response(202, PaymentSchema)
def pool_deposit(data: dict, pool_id: int):
    """Pay money into the pool (the sponsor); a worker carries it out."""
    return pools.deposit(caller(), pool_id, data["amount"])


@blp.route("/<int:pool_id>/opening-balance", methods=["POST"])
@blp.arguments(OpeningBalanceSchema)
@blp.response(201, OpeningBalanceSchema)
def pool_opening_balance(data: dict, pool_id: int):
    """Record what the pool held before its first booking here (the sponsor or an admin, once).

    Dated on or before the pool's first booking; the same figures again answer as the first
    time and book nothing, other figures are a 422.
    """
    return pool_opening.record_opening_balance(caller(), pool_id, data)


@blp.route("/<int:pool_id>/statement")
@blp.arguments(PeriodSchema, location="query")
@blp.response(200, StatementSchema)
def pool_statement(args: dict, pool_id: int):
    """The pool statement for a period: balances, registrations, claims, payouts, recoveries."""
    caller()
    return pool_figures.statement(pool_id, args["start"], args["end"])


@blp.route("/<int:pool_id>/timeline")
@blp.response(200, AuditEventSchema(many=True))
def pool_timeline(pool_id: int):
    """The pool's audit trail: set-up, deposits, registrations, repayments (sponsor, admins)."""
    return pools.pool_timeline(caller(), pool_id)


@blp.route("/<int:pool_id>/loans")
class PoolLoans(MethodView):
    """Loans registered into a pool."""

    @blp.response(200, PoolLoanSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, pool_id: int):
        """List the pool's loans (a bank its own; the sponsor and admins all)."""
        return pools.visible_loans(caller(), pool_id).order_by(PoolLoan.id)

    @blp.arguments(PoolLoanSchema)
    @blp.response(201, PoolLoanSchema)
    @blp.alt_response(409, description="The pool's bad-loan ratio is above its threshold")
    def post(self, data: dict, pool_id: int):
        """Register a loan into the pool (banks)."""
        return pools.register_loan(caller(), pool_id, data)


@loans.route("/<int:loan_id>/repay", methods=["POST"])
@loans.arguments(RepaySchema)
@loans.response(200, PoolLoanSchema)
def loan_repay(data: dict, loan_id: int):
    """Report a registered loan repaid (its bank)."""
    return pools.repay_loan(caller(), loan_id, data["repaid_on"])


@loans.route("/<int:loan_id>/claims", methods=["POST"])
@loans.arguments(ClaimFileSchema)
@loans.response(201, ClaimSchema)
def loan_claim(data: dict, loan_id: int):
    """File a compensation claim on a defaulted loan (its bank)."""
    claim = pools.file_claim(caller(), loan_id, data)
    return _with_actions(claim)


def _with_actions(claim: PoolClaim) -> PoolClaim:
    claim.allowed_actions = pools.claim_actions(caller(), claim)
    return claim


@claims.route("")
@claims.response(200, ClaimSchema(many=True))
@claims.paginate(SelectPage)
def claim_list():
    """List the claims you may see."""
    return pools.visible_claims(caller()).order_by(PoolClaim.id.desc())


@claims.route("/<int:claim_id>")
@claims.response(200, ClaimSchema)
def claim_detail(claim_id: int):
    """Read a claim with its payable amount and working."""
    return _with_actions(pools.get_claim(caller(), claim_id))


@claims.route(f"/<int:claim_id>/<any({CLAIM_ACTIONS}):action>", methods=["POST"])
@claims.arguments(ClaimActionSchema)
@claims.response(200, ClaimSchema)
@claims.alt_response(409, description="Not allowed from the current state")
def claim_action(data: dict, claim_id: int, action: str):
    """Review, approve, reject or pay a claim (the pool's sponsor)."""
    return _with_actions(pools.act_on_claim(caller(), claim_id, action, data))


@claims.route("/<int:claim_id>/recoveries", methods=["POST"])
@claims.arguments(RecoverySchema)
@claims.response(202, PaymentSchema)
def claim_recovery(data: dict, claim_id: int):
    """Report money recovered after a payout; the pool's share flows back (its bank)."""
    return pools.report_recovery(caller(), claim_id, data["recovered"])


@claims.route("/<int:claim_id>/timeline")
@claims.response(200, AuditEventSchema(many=True))
def claim_timeline(claim_id: int):
    """The claim's audit trail."""
    return pools.claim_timeline(caller(), claim_id)
