"""WTForms of the pages (Flask-WTF adds the CSRF token): what every page's forms build on, and
the sign-in and password forms.

Forms that post to a service carry labels, choices and input hints only; the API's schema
judges every value (`form_flow.submit`). Signing in and changing the password are the
exceptions: they check credentials rather than write a record, so their few rules are
validators here and a wrong password is one message, never a field's.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from torchfin.services.accounts.users import MIN_PASSWORD_LENGTH

# The schema judges every value, choices included, so WTForms is told not to.
FREE = {"validate_choice": False}
# No control characters: a NUL would also fail the account look-up in PostgreSQL (500).
NO_CONTROL = Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", message=_l("不能包含控制字符。"))


def choices_of(labels: dict, blank: bool = False) -> list[SelectChoice]:
    """The options of a select field from a dict of labels (with a blank first, if asked)."""
    options = [SelectChoice(str(value), text) for value, text in labels.items()]
    return [SelectChoice("", _l("（未选择）")), *options] if blank else options


class LoginForm(FlaskForm):
    """E-mail and password; the account check itself is `accounts.authenticate`."""

    email = StringField(
        _l("电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱。")), Length(max=254), NO_CONTROL],
        render_kw={"autocomplete": "username", "type": "email", "autofocus": True},
    )
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请填写密码。")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("在此设备上保持登录"))


class PasswordChangeForm(FlaskForm):
    """The current password, then the new one twice (`accounts.change_password` acts)."""

    current_password = PasswordField(
        _l("当前密码"),
        validators=[DataRequired(_l("请填写当前密码。")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(_l("请填写新密码。")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("新密码须为 %(min)d 至 %(max)d 个字符。"),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[EqualTo("new_password", _l("两次输入的新密码不一致。"))],
        render_kw={"autocomplete": "new-password"},
    )
