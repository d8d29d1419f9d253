"""Forms of the finance pages: applying for a guarantee, case actions, pool deposits, opening
balances, loans, claims.

Plain text fields only: the schemas in schemas/guarantee.py and schemas/pool.py judge every value
(see form_flow.submit), so these forms carry labels and input hints, never rules.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms import TextAreaField as TextArea

from torchfin.web.finance_labels import FIELDS
from torchfin.web.input_hints import CREDIT_CODE, DATE, DECIMAL, NUMERIC

TEXT = {"rows": 3}


class GuaranteeApplyForm(FlaskForm):
    """An enterprise's application for a guaranteed bank loan."""

    bank_id = SelectField(_l("贷款银行"), validate_choice=False)
    agency_id = SelectField(_l("担保机构"), validate_choice=False)
    principal = StringField(_l("借款本金（元）"), render_kw=DECIMAL)
    term_months = StringField(_l("期限（月）"), render_kw=NUMERIC)
    loan_rate = StringField(_l("贷款年利率（小数，如 0.0435）"), render_kw=DECIMAL)
    fee_rate = StringField(_l("担保费率（年，小数，如 0.015）"), render_kw=DECIMAL)
    purpose = TextArea(_l("借款用途"), render_kw=TEXT)


class GuaranteeActionForm(FlaskForm):
    """Every field a case action may carry; the page shows the ones its action requires."""

    due_diligence_report = TextArea(FIELDS["due_diligence_report"], render_kw=TEXT)
    risk_opinion = TextArea(FIELDS["risk_opinion"], render_kw=TEXT)
    committee_resolution = TextArea(FIELDS["committee_resolution"], render_kw=TEXT)
    reason = TextArea(FIELDS["reason"], render_kw=TEXT)
    contract_no = StringField(FIELDS["contract_no"])
    counter_guarantees = TextArea(FIELDS["counter_guarantees"], render_kw=TEXT)
    loan_no = StringField(FIELDS["loan_no"])
    repaid_on = StringField(FIELDS["repaid_on"], render_kw=DATE)
    overdue_amount = StringField(FIELDS["overdue_amount"], render_kw=DECIMAL)
    days_overdue = StringField(FIELDS["days_overdue"], render_kw=NUMERIC)
    amount = StringField(FIELDS["amount"], render_kw=DECIMAL)


class DepositForm(FlaskForm):
    """The sponsor pays money into its pool."""

    amount = StringField(_l("注资金额（元）"), render_kw=DECIMAL)


class OpeningBalanceForm(FlaskForm):
    """The sponsor records what its pool held before its first booking on the platform."""

    dated_on = StringField(_l("期初日期（不晚于资金池在平台上的首笔记账）"), render_kw=DATE)
    amount = StringField(_l("期初余额（元）"), render_kw=DECIMAL)


class PoolLoanForm(FlaskForm):
    """A bank registers a loan into the pool."""

    credit_code = StringField(_l("借款企业统一社会信用代码"), render_kw=CREDIT_CODE)
    enterprise_id = StringField(_l("或：借款企业编号（企业页面地址中的数字）"), render_kw=NUMERIC)
    loan_no = StringField(FIELDS["loan_no"])
    principal = StringField(_l("贷款本金（元）"), render_kw=DECIMAL)
    registered_on = StringField(_l("登记日期（默认今天）"), render_kw=DATE)
    maturity_on = StringField(_l("到期日"), render_kw=DATE)


class ClaimFileForm(FlaskForm):
    """A bank's compensation claim on one of its defaulted loans."""

    outstanding_principal = StringField(_l("未偿本金（元）"), render_kw=DECIMAL)
    accrued_interest = StringField(_l("应收未收利息（元，没有填 0）"), render_kw=DECIMAL)
    collateral_realised = StringField(
        _l("抵押物处置及保证人代偿所得（元，没有填 0）"), render_kw=DECIMAL
    )
    days_overdue = StringField(FIELDS["days_overdue"], render_kw=NUMERIC)
    filed_on = StringField(_l("申报日期（默认今天）"), render_kw=DATE)


class RepayForm(FlaskForm):
    """A bank reports one of its pool loans repaid."""

    repaid_on = StringField(_l("还清日期（默认今天）"), render_kw=DATE)


class RecoveryForm(FlaskForm):
    """A bank reports money recovered from the borrower after the pool paid its claim."""

    recovered = StringField(_l("追回金额（元）"), render_kw=DECIMAL)


class ClaimActionForm(FlaskForm):
    """What the sponsor's decision on a claim may carry (a rejection needs its reason)."""

    reason = TextArea(FIELDS["reason"], render_kw=TEXT)
