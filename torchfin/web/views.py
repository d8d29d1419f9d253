"""Home page, signing in and out, the account page (password, signing out everywhere)."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from torchfin.extensions import limiter
from torchfin.security import login_limit
from torchfin.services.accounts.users import (
    authenticate,
    change_password,
    end_sessions,
    sign_out_everywhere,
)
from torchfin.services.dashboards import overview
from torchfin.web import web
from torchfin.web.forms import LoginForm, PasswordChangeForm
from torchfin.web.session_user import session_user

TOP_ZONES = 10


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/search?q=x"), else None.

    Refuses absolute URLs, scheme-relative ones ("//evil.example") and anything with a
    backslash or control character, which browsers may turn into one of those.
    """
    if not target:
        return None
    if any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@web.get("/")
def home():
    """Platform figures: totals, the zones with most enterprises, enterprises per industry."""
    return render_template(
        "home.html",
        totals=overview.platform_totals(),
        zones=overview.top_zones(TOP_ZONES),
        industries=overview.industry_breakdown(),
    )


@web.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Sign-in form; on success go to `next` (a local path only) or home."""
    next_url = local_path(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_url or url_for("web.home"))
    form = LoginForm()
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            user = authenticate(form.email.data, form.password.data)
            if user is not None:
                login_user(user, remember=form.remember.data)
                flash(_("欢迎，%(name)s。", name=user.display_name), "success")
                return redirect(next_url or url_for("web.home"))
            error, status = _("电子邮箱或密码不正确。"), 401
        else:
            status = 422
    return render_template("login.html", form=form, error=error, next_url=next_url), status


@web.post("/logout")
def logout():
    """Sign out (POST only, so the CSRF token guards it) and go home.

    The cookies are signed, not stored, so a copy taken before would still verify: signing
    out ends every session of the user (`accounts.end_sessions`), every browser included.
    """
    if current_user.is_authenticated:
        end_sessions(session_user())
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("web.home"))


@web.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """Sign out of every browser and revoke every API token of the user, then go home."""
    sign_out_everywhere(session_user())
    logout_user()
    flash(_("您已在所有设备上退出登录，全部 API 令牌均已撤销。"), "info")
    return redirect(url_for("web.home"), 303)


@web.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The account page: change the password (which signs out every other browser)."""
    form = PasswordChangeForm()
    status = 200
    if form.is_submitted():
        status = 422
        user = session_user()
        if form.validate():
            if change_password(user, form.current_password.data, form.new_password.data):
                # The new generation refused this browser's cookies too: sign it in again,
                # keeping "remember me" if it was on.
                remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
                login_user(user, remember=remembered)
                flash(_("密码已更改，其他设备上的登录均已失效。"), "success")
                return redirect(url_for("web.account"), 303)
            form.current_password.errors.append(_("当前密码不正确。"))
    return render_template("account.html", form=form), status
