"""Pages of a deal's data room: the enterprise uploads on the deal page; both sides download."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from schemas.data_room import upload_schema
from torchfin.downloads import document_response
from torchfin.models.enums import ReadChannel
from torchfin.services.matching import data_room
from torchfin.services.matching.document_types import DocumentRejected, DocumentTooLarge
from torchfin.web import web
from torchfin.web.matching import render_deal
from torchfin.web.pipeline_settings import stage_label
from torchfin.web.session_user import session_user

# The pages that take a document: a deal's data room and a policy application (policies.py).
UPLOAD_ENDPOINTS = ("web.data_room_upload", "web.policy_document_upload")


@web.url_value_preprocessor
def _allow_documents(endpoint: str | None, values: dict | None) -> None:
    # Raise the body limit for the upload forms only. This hook runs before every
    # before_request function, hence before Flask-WTF's CSRF check reads the form under the
    # default MAX_CONTENT_LENGTH (which a 20 MiB document would exceed).
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = data_room.request_limit()


@web.post("/deals/<int:deal_id>/documents", endpoint="data_room_upload")
@login_required
def upload(deal_id: int):
    """Share a document with this deal (the enterprise); refused files, and uploads to a closed
    deal, re-render the page with the reason at the file field."""
    upload_file = request.files.get("file")
    try:
        data = upload_schema.load({"file": upload_file} if upload_file else {})
    except ValidationError:
        return render_deal(deal_id, {"file": [_("请选择要上传的文件。")]}, 422)
    try:
        document = data_room.upload_document(
            session_user(),
            deal_id,
            data["file"].filename,
            data["file"].stream,
        )
    except DocumentTooLarge as exc:
        limit = data_room.max_bytes() / (1024 * 1024)
        headline = _("文件超过数据室的大小上限（%(limit).1f MiB）。", limit=limit)
        return render_deal(deal_id, {"file": [headline, *exc.errors["file"]]}, exc.status)
    except DocumentRejected as exc:
        headline = _("只能上传 PDF、XLSX 或 DOCX 文件，且文件内容须与扩展名一致。")
        return render_deal(deal_id, {"file": [headline, *exc.errors["file"]]}, exc.status)
    except data_room.DataRoomClosed as exc:
        # The stage as the page names it: its default name in the reader's language.
        message = _(
            "本交易已处于结束阶段“%(stage)s”，数据室只读，不能再上传文件。",
            stage=stage_label(exc.stage),
        )
        return render_deal(deal_id, {"file": [message]}, exc.status)
    flash(_("已上传“%(name)s”，仅本交易的机构可见。", name=document.filename), "success")
    return redirect(url_for("web.deal_detail", deal_id=deal_id, _anchor="data-room"))


@web.get("/documents/<int:document_id>/download", endpoint="data_room_download")
@login_required
def download(document_id: int):
    """Download a document; the download is recorded first."""
    document, path = data_room.open_document(session_user(), document_id, ReadChannel.PAGE)
    return document_response(document, path)
