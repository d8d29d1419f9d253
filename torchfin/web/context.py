"""What every page template can use (language, labels, money, links) and the pages' error views."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urlencode

from flask import Response, render_template, request
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from torchfin.extensions import api, login_manager
from torchfin.i18n import request_language as language
from torchfin.web import web
from torchfin.web.formatting import format_money, format_percent, localized_name, safe_highlight
from torchfin.web.labels import label, province_name


@dataclass(frozen=True)
class PageError:
    """What error.html shows: the same two attributes as a ServiceError."""

    status: int
    message: str


def lang_url(code: str) -> str:
    """The current page in another language: same path and arguments, `lang` replaced."""
    pairs = [(k, v) for k, values in request.args.lists() if k != "lang" for v in values]
    pairs.append(("lang", code))
    return f"{quote(request.script_root + request.path)}?{urlencode(pairs)}"


@web.record_once
def _localise_login_prompt(state: BlueprintSetupState) -> None:
    # Flask-Login flashes this when a page needs a signed-in user. Flashed messages live in the
    # session cookie, which holds plain strings only, so the lazy text is rendered at flash time.
    login_manager.login_message = _l("请先登录后再访问此页面。")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str


@web.app_context_processor
def _page_context() -> dict:
    lang = language()
    return {
        "language": lang,
        "html_lang": "en" if lang == "en" else "zh-CN",
        "lang_url": lang_url,
        "label": label,
        "lname": lambda record: localized_name(record, lang),
        "province": lambda name: province_name(name, lang),
    }


@web.app_template_filter("money")
def _money(amount: Decimal | None) -> str:
    return format_money(amount, language())


@web.app_template_filter("percent")
def _percent(share: Decimal | None) -> str:
    return format_percent(share)


@web.app_template_filter("highlight")
def _highlight(fragment: str):
    return safe_highlight(fragment)


@web.app_template_filter("number")
def _number(number: int | None) -> str:
    return "—" if number is None else f"{number:,}"


def render_error(status: int, message: str) -> tuple[str, int]:
    """error.html with `status` and `message`, as a response tuple."""
    return render_template("error.html", error=PageError(status, message)), status


@web.errorhandler(CSRFError)
def _csrf_error(error: CSRFError):
    # A form left open past its token's life, or a forged post: say what to do, in the page.
    return render_error(400, str(_l("表单已失效，请刷新页面后重试。")))


@web.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    # Aborts inside the web pages render the page rather than flask-smorest's JSON body.
    return render_error(error.code or 500, error.description or error.name)


@web.app_errorhandler(404)
def _not_found(error: HTTPException) -> Response | tuple[str, int]:
    # An unknown URL belongs to no blueprint; outside /api/ a person typed or followed it, so
    # answer with a page. Under /api/ keep the JSON body flask-smorest gives every API error.
    if request.path.startswith("/api/"):
        return api.handle_http_exception(error)
    return render_error(404, str(_l("页面不存在。")))
