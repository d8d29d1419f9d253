"""Pages of the risk-compensation pools: the list, and a pool's dashboard with its forms.

The sponsor pays money in, records the pool's opening balance once and decides claims; a bank
registers loans, reports them repaid, files claims on its defaulted ones (the parts of the loss:
the platform works out the net loss) and reports what it recovered after a payout. Every form goes
through the API's schema and service (form_flow.submit); money moves when a worker has carried
the payment out, as through the API.
"""

from collections.abc import Callable
from datetime import date

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from marshmallow import Schema

from schemas.pool import (
    ClaimActionSchema,
    ClaimFileSchema,
    DepositSchema,
    OpeningBalanceSchema,
    PoolLoanSchema,
    RecoverySchema,
    RepaySchema,
)
from torchfin.extensions import db
from torchfin.models import PoolClaim
from torchfin.models.enums import PoolLoanState, Role
from torchfin.services.finance import pool_figures, pool_opening, pools
from torchfin.services.permissions import is_admin
from torchfin.web import web
from torchfin.web.finance_forms import (
    ClaimActionForm,
    ClaimFileForm,
    DepositForm,
    OpeningBalanceForm,
    PoolLoanForm,
    RecoveryForm,
    RepayForm,
)
from torchfin.web.finance_labels import refusal_notice
from torchfin.web.form_flow import answer, submit
from torchfin.web.messages import localise
from torchfin.web.session_user import session_user

deposit_schema = DepositSchema()
opening_schema = OpeningBalanceSchema()
loan_schema = PoolLoanSchema()
claim_schema = ClaimFileSchema()
claim_action_schema = ClaimActionSchema()
repay_schema = RepaySchema()
recovery_schema = RecoverySchema()
CLAIM_ACTIONS = ",".join(pools.CLAIM_MOVES)
Failed = tuple[str, FlaskForm] | None  # the prefix of the refused form, and the form


@web.get("/pools")
@login_required
def pool_list():
    """Every risk-compensation pool."""
    return render_template("pool_list.html", pools=pools.list_pools())


def _form(failed: Failed, prefix: str, form_class: type[FlaskForm]) -> FlaskForm:
    # The refused form keeps what was typed and its messages; the others start empty.
    if failed is not None and failed[0] == prefix:
        return failed[1]
    return form_class(formdata=None, prefix=prefix)


def _pool_page(pool_id: int, failed: Failed = None, notice: str | None = None, status: int = 200):
    """The dashboard with the forms the user's part in the pool allows."""
    user = session_user()
    board = pool_figures.dashboard(pool_id, date.today())
    sponsor = is_admin(user) or pools.is_sponsor(user, board["pool"])
    bank = user.role == Role.BANK
    loans = list(db.session.scalars(pools.visible_loans(user, pool_id))) if sponsor or bank else []
    claims = pools.pool_claims(user, pool_id)
    active = [loan for loan in loans if bank and loan.state == PoolLoanState.ACTIVE]
    chart = {
        "months": [point["month"] for point in board["history"]],
        "ratio": [float(point["bad_loan_ratio"] * 100) for point in board["history"]],
        "balance": [float(point["balance"]) for point in board["history"]],
        "labels": {"ratio": _("不良率（%）"), "balance": _("资金池余额（元）")},
    }
    return render_template(
        "pool_dashboard.html",
        board=board,
        claims=claims,
        chart=chart,
        notice=notice,
        loans=loans,
        deposit_form=_form(failed, "deposit", DepositForm) if sponsor else None,
        # Recorded once: the form goes once there is one, unless it is what was just refused.
        opening_form=(
            _form(failed, "opening", OpeningBalanceForm)
            if sponsor and (board["opening_balance"] is None or (failed and failed[0] == "opening"))
            else None
        ),
        loan_form=_form(failed, "loan", PoolLoanForm) if bank else None,
        claim_forms={loan.id: _form(failed, f"claim{loan.id}", ClaimFileForm) for loan in active},
        repay_forms={loan.id: _form(failed, f"repay{loan.id}", RepayForm) for loan in active},
        recovery_forms={
            claim.id: _form(failed, f"recovery{claim.id}", RecoveryForm)
            for claim in claims
            if bank and pools.awaits_recovery(claim)
        },
        decision_forms={
            claim.id: [
                (action, _form(failed, f"{action}{claim.id}", ClaimActionForm))
                for action in pools.claim_actions(user, claim)
            ]
            for claim in claims
        },
    ), status


@web.get("/pools/<int:pool_id>")
@login_required
def pool_dashboard(pool_id: int):
    """A pool's balance, exposure, claims and bad-loan ratio over time, with the user's forms."""
    return _pool_page(pool_id)


def _record(
    pool_id: int,
    prefix: str,
    form_class: type[FlaskForm],
    schema: Schema,
    act: Callable[[dict], object],
    done: str,
    refusal: Callable[[str], str] = localise,
):
    """Submit one of the dashboard's forms: back to the dashboard when the service acted, else
    the page again with the form as typed and `refusal` wording a conflict at the top."""
    form = form_class(prefix=prefix)
    outcome = submit(form, schema, act)
    notice = refusal(outcome.conflict.message) if outcome.conflict is not None else None
    return answer(
        outcome,
        done,
        url_for("web.pool_dashboard", pool_id=pool_id),
        lambda: _pool_page(pool_id, (prefix, form), notice, outcome.status),
    )


@web.post("/pools/<int:pool_id>/deposits")
@login_required
def pool_deposit(pool_id: int):
    """The sponsor pays money in; the balance rises when the worker's payment succeeds."""
    return _record(
        pool_id,
        "deposit",
        DepositForm,
        deposit_schema,
        lambda data: pools.deposit(session_user(), pool_id, data["amount"]),
        _("注资已提交，支付完成后计入余额。"),
    )


@web.post("/pools/<int:pool_id>/opening-balance")
@login_required
def pool_opening_balance(pool_id: int):
    """The sponsor records what the pool held before its first booking on the platform."""
    return _record(
        pool_id,
        "opening",
        OpeningBalanceForm,
        opening_schema,
        lambda data: pool_opening.record_opening_balance(session_user(), pool_id, data),
        _("期初余额已记账。"),
    )


@web.post("/pools/<int:pool_id>/loans")
@login_required
def pool_register_loan(pool_id: int):
    """A bank registers a loan into the pool."""
    return _record(
        pool_id,
        "loan",
        PoolLoanForm,
        loan_schema,
        lambda data: pools.register_loan(session_user(), pool_id, data),
        _("贷款已登记入池。"),
    )


@web.post("/pools/<int:pool_id>/loans/<int:loan_id>/repay")
@login_required
def pool_repay_loan(pool_id: int, loan_id: int):
    """The bank reports one of its loans repaid: it leaves the pool's exposure."""
    return _record(
        pool_id,
        f"repay{loan_id}",
        RepayForm,
        repay_schema,
        lambda data: pools.repay_loan(session_user(), loan_id, data["repaid_on"], pool_id),
        _("已登记该贷款还清。"),
    )


@web.post("/pools/<int:pool_id>/claims/<int:claim_id>/recoveries")
@login_required
def pool_report_recovery(pool_id: int, claim_id: int):
    """The bank reports what it recovered on a paid claim; the pool's share flows back."""
    return _record(
        pool_id,
        f"recovery{claim_id}",
        RecoveryForm,
        recovery_schema,
        lambda data: pools.report_recovery(session_user(), claim_id, data["recovered"], pool_id),
        _("追偿款已提交，支付完成后按比例返还资金池。"),
    )


@web.post("/pools/<int:pool_id>/loans/<int:loan_id>/claims")
@login_required
def pool_file_claim(pool_id: int, loan_id: int):
    """The bank files a compensation claim on one of its loans."""
    return _record(
        pool_id,
        f"claim{loan_id}",
        ClaimFileForm,
        claim_schema,
        lambda data: pools.file_claim(session_user(), loan_id, data, pool_id),
        _("补偿申请已提交。"),
    )


@web.post(f"/pools/<int:pool_id>/claims/<int:claim_id>/<any({CLAIM_ACTIONS}):action>")
@login_required
def pool_claim_action(pool_id: int, claim_id: int, action: str):
    """The sponsor reviews, approves, rejects or pays a claim (paying runs on a worker)."""
    user = session_user()

    def refusal(message: str) -> str:
        # Read after the refusal: the notice names the claim's state as it is now.
        claim: PoolClaim = pools.get_claim(user, claim_id)
        return refusal_notice(message, pools.CLAIM_MOVES, action, claim.state, "claim_state")

    return _record(
        pool_id,
        f"{action}{claim_id}",
        ClaimActionForm,
        claim_action_schema,
        lambda data: pools.act_on_claim(user, claim_id, action, data, pool_id),
        _("已处理该补偿申请。"),
        refusal,
    )
