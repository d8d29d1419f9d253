"""Forms of the guidance-fund pages: a sub-fund commitment, capital calls, placements, exits.

Plain text and choices only: schemas/fund.py judges every value (see form_flow.submit).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField

from torchfin.web.forms import choices_of
from torchfin.web.input_hints import CREDIT_CODE, DATE, DECIMAL, NUMERIC
from torchfin.web.labels import INSTRUMENTS, STAGES

LP_ROWS = 3  # empty rows offered for the other LPs; rows without a name are left out


class LimitedPartnerRow(Form):
    """An LP other than the guidance fund."""

    name = StringField(_l("出资人名称"))
    commitment = StringField(_l("认缴金额（元）"), render_kw=DECIMAL)


class SubFundForm(FlaskForm):
    """The guidance fund's commitment to a new sub-fund (参股子基金), its other LPs and rules."""

    name = StringField(_l("子基金名称"))
    manager = StringField(_l("管理人"))
    vintage = StringField(_l("设立年份"), render_kw=NUMERIC)
    zone = SelectField(_l("返投区域"), validate_choice=False)
    guidance_commitment = StringField(_l("引导基金认缴（元）"), render_kw=DECIMAL)
    investment_period_end = StringField(_l("投资期截至"), render_kw=DATE)
    max_guidance_share = StringField(_l("引导基金出资比例上限（小数，如 0.25）"), render_kw=DECIMAL)
    reinvestment_multiple = StringField(_l("区内返投倍数（如 1.5）"), render_kw=DECIMAL)
    min_early_stage_share = StringField(
        _l("投向初创期科技型中小企业最低比例（小数，如 0.3）"), render_kw=DECIMAL
    )
    idle_alert_months = StringField(_l("资金闲置预警月数（默认 12）"), render_kw=NUMERIC)
    limited_partners = FieldList(FormField(LimitedPartnerRow), min_entries=LP_ROWS)


class CapitalCallForm(FlaskForm):
    """Money called from the LPs."""

    called_on = StringField(_l("缴付日期"), render_kw=DATE)
    amount = StringField(_l("缴付金额（元）"), render_kw=DECIMAL)


class PlacementForm(FlaskForm):
    """An investment of the sub-fund into an enterprise on the platform."""

    credit_code = StringField(_l("被投企业统一社会信用代码"), render_kw=CREDIT_CODE)
    enterprise_id = StringField(_l("或：被投企业编号（企业页面地址中的数字）"), render_kw=NUMERIC)
    amount = StringField(_l("投资金额（元）"), render_kw=DECIMAL)
    placed_on = StringField(_l("投资日期"), render_kw=DATE)
    round = SelectField(_l("轮次"), choices=choices_of(STAGES), validate_choice=False)
    instrument = SelectField(_l("方式"), choices=choices_of(INSTRUMENTS), validate_choice=False)


class ExitForm(FlaskForm):
    """A full or partial exit from a placement."""

    exited_on = StringField(_l("退出日期"), render_kw=DATE)
    proceeds = StringField(_l("退出回收（元）"), render_kw=DECIMAL)
