"""WTForms of the pages (Flask-WTF adds the CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

# No control characters: a NUL would also fail the account look-up in PostgreSQL (500).
NO_CONTROL = Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", message=_l("不能包含控制字符。"))


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
