"""Forms of the policy pages: an SME's application and a zone's decision on one.

Labels and choices only: the API's schemas (schemas/policy.py) and the application service
judge every value (form_flow.submit), and their messages come back onto these fields.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms import TextAreaField as TextArea

from torchfin.web.finance_labels import FIELDS
from torchfin.web.forms import FREE

TEXT = {"rows": 3}


class PolicyApplyForm(FlaskForm):
    """The record the money follows, the stage of a staged reward, and a word to the zone."""

    subject = SelectField(_l("申报依据的记录"), **FREE)
    stage = SelectField(_l("阶段"), **FREE)
    note = TextArea(_l("申报说明（选填）"), render_kw=TEXT)


class ApplicationDecisionForm(FlaskForm):
    """What a zone's step on an application may carry: a rejection needs its reason."""

    reason = TextArea(FIELDS["reason"], render_kw=TEXT)
