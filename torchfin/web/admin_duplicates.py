"""Admin page 疑似重复企业: flagged near-identical enterprise names, merged or dismissed."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from schemas.duplicate import MergeSchema
from torchfin.services import duplicates
from torchfin.services.errors import Invalid
from torchfin.web import web

_merge_schema = MergeSchema()


@web.get("/admin/duplicates")
@login_required
def admin_duplicates():
    """The open flags, newest first, each with both enterprises and the choice of survivor."""
    flags = duplicates.open_flags(current_user._get_current_object())
    return render_template("admin_duplicates.html", flags=flags)


@web.post("/admin/duplicates/<int:flag_id>/merge")
@login_required
def admin_duplicates_merge(flag_id: int):
    """Merge the pair into the enterprise the admin chose to keep."""
    try:
        data = _merge_schema.load(request.form.to_dict())
    except ValidationError as error:
        raise Invalid("invalid merge", error.messages) from error
    survivor = duplicates.merge(current_user._get_current_object(), flag_id, data["survivor_id"])
    flash(_("已合并到“%(name)s”。", name=survivor.name), "success")
    return redirect(url_for("web.admin_duplicates"))


@web.post("/admin/duplicates/<int:flag_id>/dismiss")
@login_required
def admin_duplicates_dismiss(flag_id: int):
    """The two enterprises are distinct: close the flag."""
    duplicates.dismiss(current_user._get_current_object(), flag_id)
    flash(_("已标记为非重复。"), "success")
    return redirect(url_for("web.admin_duplicates"))
