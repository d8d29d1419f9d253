"""Display labels of the policy pages: application states, policy kinds, rules, stages,
subjects and the words of an amount's working."""

from flask_babel import lazy_gettext as _l

from torchfin.models.enums import ApplicationState, ListingVenue, PolicyKind
from torchfin.web import web
from torchfin.web.readiness import RULE_STATUSES

APPLICATION_STATES = {
    ApplicationState.APPLIED: _l("已申报"),
    ApplicationState.REVIEWING: _l("审核中"),
    ApplicationState.APPROVED: _l("已批准"),
    ApplicationState.REJECTED: _l("未通过"),
    ApplicationState.PAID: _l("已拨付"),
}
POLICY_KINDS = {
    PolicyKind.INTEREST_SUBSIDY: _l("贷款贴息"),
    PolicyKind.GUARANTEE_FEE_SUBSIDY: _l("担保费补贴"),
    PolicyKind.LISTING_REWARD: _l("上市/挂牌奖励"),
    PolicyKind.MERGER_REWARD: _l("并购奖励"),
    PolicyKind.VC_RISK_SUBSIDY: _l("创业投资风险补助"),
    PolicyKind.IP_PLEDGE_INTEREST_SUBSIDY: _l("知识产权质押融资贴息"),
}
RULES = {
    "in_force": _l("政策在有效期内"),
    "in_zone": _l("注册在本园区"),
    "qualification": _l("具备所需资质"),
    "loan_disbursed": _l("贷款已发放"),
    "guarantee_fee_charged": _l("担保费已收取"),
    "listing_event": _l("上市、挂牌或并购"),
    "fund_placement": _l("备案基金的投资"),
}
STAGES = {
    "": _l("不分阶段"),
    "filing": _l("申报受理"),
    "approval": _l("审核通过"),
    "listing": _l("上市挂牌"),
}
SUBJECTS = {
    "guarantee": _l("担保贷款"),
    "listing": _l("上市/挂牌事件"),
    "placement": _l("基金投资"),
}
VENUES = {
    ListingVenue.NEEQ: _l("新三板挂牌"),
    ListingVenue.MAIN_BOARD: _l("主板"),
    ListingVenue.SME_BOARD: _l("中小板"),
    ListingVenue.CHINEXT: _l("创业板"),
    ListingVenue.MERGER: _l("并购"),
}
WORKING = {
    "principal": _l("本金"),
    "annual_rate": _l("年利率"),
    "months": _l("月数"),
    "interest_paid": _l("应付利息"),
    "fee": _l("担保费"),
    "loss": _l("投资损失"),
    "invested": _l("投资额"),
    "share": _l("补贴比例"),
    "raw": _l("按公式计算"),
    "cap": _l("单笔上限"),
    "binding": _l("受限于"),
    "yearly_cap": _l("本年度可享额度"),
    "per_enterprise_cap": _l("累计可享额度"),
    "formula_cap": _l("单笔上限"),
    "stage": _l("阶段"),
    "amount": _l("核定金额"),
    "missing": _l("缺少"),
}
# An evaluation's outcome: eligible, to be settled from documents, or not eligible.
OUTCOMES = {
    "ready": _l("符合条件"),
    "incomplete": _l("待补充材料"),
    "not_ready": _l("不符合条件"),
}
POLICY_LABELS = {
    "outcome": OUTCOMES,
    "rule_status": RULE_STATUSES,
    "state": APPLICATION_STATES,
    "kind": POLICY_KINDS,
    "rule": RULES,
    "stage": STAGES,
    "subject": SUBJECTS,
    "venue": VENUES,
    "working": WORKING,
}


@web.app_template_global("policy_label")
def policy_label(kind: str, value: object) -> str:
    """The label of a policy value, or the value itself when it has none."""
    labels = POLICY_LABELS[kind]
    return str(labels[value]) if value in labels else str(value)
