"""Admin page 疑似重复企业: flagged near-identical enterprise names, merged or dismissed."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from schemas.duplicate import MergeSchema
from torchfin.services.registry import duplicates
from torchfin.web import web
from torchfin.web.form_flow import posted, submit_values
from torchfin.web.messages import localise
from torchfin.web.session_user import session_user

_merge_schema = MergeSchema()


def _page(errors: dict[int, list[str]] | None = None, status: int = 200):
    # `errors`: a refused merge's messages, by the id of the flag whose forms show them.
    flags = duplicates.open_flags(session_user())
    return render_template("admin_duplicates.html", flags=flags, errors=errors or {}), status


@web.get("/admin/duplicates")
@login_required
def admin_duplicates():
    """The open flags, newest first, each with both enterprises and the choice of survivor."""
    return _page()


@web.post("/admin/duplicates/<int:flag_id>/merge")
@login_required
def admin_duplicates_merge(flag_id: int):
    """Merge the pair into the enterprise the admin chose to keep; a refused choice comes back
    on the page (422) with its message at the flag's forms."""
    outcome = submit_values(
        posted(),
        _merge_schema,
        lambda data: duplicates.merge(session_user(), flag_id, data["survivor_id"]),
    )
    if not outcome.done:
        messages = outcome.messages
        found = messages.get("survivor_id") or [m for ms in messages.values() for m in ms]
        return _page({flag_id: [localise(m) for m in found]}, outcome.status)
    flash(_("已合并到“%(name)s”。", name=outcome.result.name), "success")
    return redirect(url_for("web.admin_duplicates"))


@web.post("/admin/duplicates/<int:flag_id>/dismiss")
@login_required
def admin_duplicates_dismiss(flag_id: int):
    """The two enterprises are distinct: close the flag."""
    duplicates.dismiss(session_user(), flag_id)
    flash(_("已标记为非重复。"), "success")
    return redirect(url_for("web.admin_duplicates"))
