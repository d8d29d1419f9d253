"""Page 企业名录导入: zone administrators and platform admins upload a registry file, see a dry
run's every row, follow an import's progress and download its result file or the template."""

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from torchfin.services.errors import Invalid
from torchfin.services.registry.imports import records
from torchfin.web import web
from torchfin.web.session_user import session_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUSES = {
    "queued": _l("排队中"),
    "running": _l("导入中"),
    "done": _l("已完成"),
    "failed": _l("失败"),
    "dry_run": _l("试运行"),
}
FATES = {
    "created": _l("新建"),
    "updated": _l("更新"),
    "unchanged": _l("无变化"),
    "failed": _l("错误"),
}


def _page(report: dict | None = None, errors: dict | None = None, status: int = 200):
    user = session_user()
    return (
        render_template(
            "registry_imports.html",
            imports=records.recent_imports(user),
            zones=records.zones_offered(user),
            report=report,
            errors=errors or {},
            statuses=STATUSES,
            fates=FATES,
        ),
        status,
    )


@web.get("/registry/imports")
@login_required
def registry_imports():
    """The upload form, the template link and the newest imports."""
    return _page()


@web.post("/registry/imports")
@login_required
def registry_import_upload():
    """Check an uploaded file: a dry run shows every row's fate on the page; otherwise the
    import is queued and its progress page opens. A file that cannot be read is shown at the
    file field (422)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(errors={"file": [_("请选择要导入的文件。")]}, status=422)
    try:
        started = records.start_import(
            session_user(),
            upload.filename,
            upload.stream.read(),
            request.form.get("zone") or None,
            request.form.get("dry_run") == "1",
        )
    except Invalid as exc:
        messages = [message for texts in exc.errors.values() for message in texts]
        return _page(errors={"file": messages or [exc.message]}, status=422)
    if isinstance(started, records.DryRun):
        return _page(report=records.summary(started))
    return redirect(url_for("web.registry_import_detail", import_id=started.id))


@web.get("/registry/imports/<int:import_id>")
@login_required
def registry_import_detail(import_id: int):
    """An import's progress (the page reloads itself until it ends), counts and failed rows."""
    record = records.get_import(session_user(), import_id)
    return render_template(
        "registry_import.html",
        summary=records.summary(record),
        statuses=STATUSES,
        fates=FATES,
    )


def _xlsx(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@web.get("/registry/imports/<int:import_id>/result")
@login_required
def registry_import_result(import_id: int):
    """Download the result file of a finished import."""
    record = records.get_import(session_user(), import_id)
    return _xlsx(records.result_file(record), f"registry-import-{record.id}-results.xlsx")


@web.get("/registry/import-template")
@login_required
def registry_import_template():
    """Download the import template."""
    records.require_importer(session_user())
    return _xlsx(records.template_xlsx(), "torch-registry-template.xlsx")
