"""Forms of the SME pages: the enterprise profile and a financing project.

The fields are plain text and choices: the marshmallow schema behind each page is the one place
that validates, and its messages are attached back onto these fields (`form_flow.submit`).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, SelectMultipleField, StringField
from wtforms import TextAreaField as TextArea

from torchfin.web.forms import FREE, choices_of
from torchfin.web.input_hints import DATE, DECIMAL, NUMERIC
from torchfin.web.labels import INSTRUMENTS, LEGAL_FORMS, QUALIFICATIONS, STAGES


class QualificationRow(Form):
    """One qualification; a row without a kind is left out."""

    kind = SelectField(_l("资质"), choices=choices_of(QUALIFICATIONS, blank=True), **FREE)
    certificate_no = StringField(_l("证书编号"))
    expires_on = StringField(_l("有效期至"), render_kw=DATE)


class FinancialRow(Form):
    """One fiscal year; a row without a year is left out (and that year deleted)."""

    year = StringField(_l("年度"), render_kw={**NUMERIC, "size": 5})
    revenue = StringField(_l("营业收入（元）"), render_kw=DECIMAL)
    net_profit = StringField(_l("净利润（元）"), render_kw=DECIMAL)
    rd_spend = StringField(_l("研发投入（元）"), render_kw=DECIMAL)
    total_assets = StringField(_l("资产总额（元）"), render_kw=DECIMAL)
    total_liabilities = StringField(_l("负债总额（元）"), render_kw=DECIMAL)
    employees = StringField(_l("员工人数"), render_kw=NUMERIC)
    college_staff = StringField(_l("大专以上学历人员"), render_kw=NUMERIC)


class ProfileForm(FlaskForm):
    """The enterprise record an SME keeps: registration fields, profile, qualifications,
    yearly financials. The credit code is asked for at registration only."""

    credit_code = StringField(_l("统一社会信用代码"), render_kw={"maxlength": 18})
    name = StringField(_l("企业名称"))
    legal_form = SelectField(_l("企业类型"), choices=choices_of(LEGAL_FORMS), **FREE)
    founded_on = StringField(_l("成立日期"), render_kw=DATE)
    zone = SelectField(_l("所在高新区"), **FREE)
    industries = SelectMultipleField(_l("所属行业"), render_kw={"size": 8}, **FREE)
    description = TextArea(_l("企业简介"), render_kw={"rows": 5})
    employees = StringField(_l("员工人数"), render_kw=NUMERIC)
    invention_patents_granted = StringField(_l("已授权发明专利"), render_kw=NUMERIC)
    invention_patents_pending = StringField(_l("申请中发明专利"), render_kw=NUMERIC)
    qualifications = FieldList(FormField(QualificationRow))
    financials = FieldList(FormField(FinancialRow))


class ProjectForm(FlaskForm):
    """A financing project's terms and industries."""

    title = StringField(_l("项目名称"))
    summary = TextArea(_l("项目简介"), render_kw={"rows": 5})
    amount_sought = StringField(_l("融资金额（元）"), render_kw=DECIMAL)
    instrument = SelectField(_l("融资方式"), choices=choices_of(INSTRUMENTS), **FREE)
    stage = SelectField(_l("融资阶段"), choices=choices_of(STAGES), **FREE)
    # Preselected with the enterprise's industries for a new project; an SME changes them for a
    # project outside its usual field (a software company's energy-storage project).
    industries = SelectMultipleField(_l("项目所属行业"), render_kw={"size": 8}, **FREE)
    use_of_funds = TextArea(_l("资金用途"), render_kw={"rows": 3})
    valuation = StringField(_l("估值（元，选填）"), render_kw=DECIMAL)
    deadline = StringField(_l("截止日期（选填）"), render_kw=DATE)
