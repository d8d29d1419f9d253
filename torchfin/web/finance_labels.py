"""Display labels of the finance workflows: case and claim states, actions, payment purposes."""

from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from torchfin.models.enums import ClaimState, GuaranteeState, PaymentPurpose, PoolLoanState
from torchfin.services.workflow import Move, allowed_actions
from torchfin.web import web
from torchfin.web.messages import localise
from torchfin.web.policy_labels import APPLICATION_STATES

GUARANTEE_STATES = {
    GuaranteeState.APPLIED: _l("已申请"),
    GuaranteeState.ACCEPTED: _l("已受理"),
    GuaranteeState.DUE_DILIGENCE: _l("尽职调查"),
    GuaranteeState.RISK_REVIEW: _l("风控审查"),
    GuaranteeState.COMMITTEE_REVIEW: _l("评审会审议"),
    GuaranteeState.APPROVED: _l("已批准（意向书）"),
    GuaranteeState.REJECTED: _l("已否决"),
    GuaranteeState.CONTRACT_SIGNED: _l("已签约"),
    GuaranteeState.FEE_COLLECTED: _l("已收担保费"),
    GuaranteeState.DISBURSED: _l("已放款"),
    GuaranteeState.MONITORING: _l("保后管理"),
    GuaranteeState.RELEASED: _l("已解保"),
    GuaranteeState.OVERDUE: _l("逾期"),
    GuaranteeState.COMPENSATED: _l("已代偿"),
    GuaranteeState.RECOVERING: _l("追偿中"),
    GuaranteeState.WRITTEN_OFF: _l("已核销"),
    GuaranteeState.CLOSED: _l("已结案"),
}

ACTIONS = {
    "apply": _l("提交申请"),
    "accept": _l("受理"),
    "start_due_diligence": _l("开始尽调"),
    "submit_risk_review": _l("提交风控审查"),
    "submit_to_committee": _l("提交评审会"),
    "approve": _l("批准"),
    "reject": _l("否决"),
    "sign_contract": _l("签订合同"),
    "collect_fee": _l("收取担保费"),
    "disburse": _l("放款"),
    "start_monitoring": _l("转入保后管理"),
    "release": _l("解除担保"),
    "report_overdue": _l("报告逾期"),
    "compensate": _l("代偿"),
    "start_recovery": _l("开始追偿"),
    "record_recovery": _l("登记追偿回款"),
    "write_off": _l("核销"),
    "close": _l("结案"),
    "review": _l("开始审核"),
    "pay": _l("拨付"),
}

FIELDS = {
    "due_diligence_report": _l("尽调报告"),
    "risk_opinion": _l("风控意见"),
    "committee_resolution": _l("评审会决议"),
    "reason": _l("理由"),
    "contract_no": _l("合同编号"),
    "counter_guarantees": _l("反担保措施（每行一项）"),
    "loan_no": _l("借据编号"),
    "repaid_on": _l("还清日期"),
    "overdue_amount": _l("逾期金额（元）"),
    "days_overdue": _l("逾期天数"),
    "amount": _l("金额（元）"),
}

CLAIM_STATES = {
    ClaimState.FILED: _l("已申报"),
    ClaimState.REVIEWING: _l("审核中"),
    ClaimState.APPROVED: _l("已批准"),
    ClaimState.REJECTED: _l("已驳回"),
    ClaimState.PAID: _l("已拨付"),
}

LOAN_STATES = {
    PoolLoanState.ACTIVE: _l("正常"),
    PoolLoanState.REPAID: _l("已还清"),
    PoolLoanState.DEFAULTED: _l("已违约"),
}

PURPOSES = {
    PaymentPurpose.GUARANTEE_FEE: _l("担保费"),
    PaymentPurpose.DISBURSEMENT: _l("放款"),
    PaymentPurpose.COMPENSATION: _l("代偿"),
    PaymentPurpose.GUARANTEE_RECOVERY: _l("追偿回款"),
    PaymentPurpose.POOL_DEPOSIT: _l("资金池注资"),
    PaymentPurpose.POOL_PAYOUT: _l("补偿拨付"),
    PaymentPurpose.POOL_RECOVERY: _l("追偿返还"),
    PaymentPurpose.POLICY_PAYOUT: _l("政策资金拨付"),
}

FINANCE_LABELS = {
    "guarantee_state": GUARANTEE_STATES,
    "claim_state": CLAIM_STATES,
    "loan_state": LOAN_STATES,
    "action": ACTIONS,
    "field": FIELDS,
    "purpose": PURPOSES,
    "application_state": APPLICATION_STATES,
}


@web.app_template_global("finance_label")
def finance_label(kind: str, value: object) -> str:
    """The label of a finance value (a requested payment's action ends in "_requested")."""
    labels = FINANCE_LABELS[kind]
    if value in labels:
        return str(labels[value])
    return str(value)


def refusal_notice(
    message: str, moves: dict[str, Move], action: str, state: StrEnum, state_kind: str
) -> str:
    """Why a move was refused (409), for the page: from the wrong state, the current state and
    the moves it allows; any other clash, the service's reason in the page's language."""
    if state in moves[action].sources:
        return localise(message)
    allowed = [finance_label("action", name) for name in allowed_actions(moves, state)]
    return _(
        "当前状态为“%(state)s”，不能执行“%(action)s”。此状态下可执行：%(allowed)s。",
        state=finance_label(state_kind, state),
        action=finance_label("action", action),
        allowed=_("、").join(allowed) if allowed else _("无（已是最终状态）"),
    )
