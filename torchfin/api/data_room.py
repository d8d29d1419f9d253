"""A deal's data room: upload (the enterprise), list and download (the parties), download log."""

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.data_room import DocumentSchema, DownloadSchema, UploadSchema
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.downloads import document_response
from torchfin.models.enums import ReadChannel
from torchfin.services.matching import data_room
from torchfin.services.matching.document_types import DocumentRejected, DocumentTooLarge

blp = Blueprint("data_room", __name__, url_prefix=PREFIX, description="Deal data rooms")
BLUEPRINTS = (blp,)


@blp.before_request
def allow_documents() -> None:
    """Documents may be larger than MAX_CONTENT_LENGTH (DATA_ROOM_MAX_BYTES, 20 MiB by default)."""
    request.max_content_length = data_room.request_limit()


@blp.errorhandler(DocumentRejected)
@blp.errorhandler(DocumentTooLarge)
def refused_file(error: DocumentRejected | DocumentTooLarge):
    """A refused file: its field messages under "files", where flask-smorest puts a missing
    file's."""
    body = {"code": error.status, "message": error.message, "errors": {"files": error.errors}}
    return jsonify(body), error.status


@blp.errorhandler(413)
def body_too_large(error):
    """The body exceeded the raised limit before the file could even be read."""
    message = f"The file exceeds the data room's limit of {data_room.max_bytes():,} bytes."
    return jsonify({"code": 413, "message": message, "errors": {"files": {"file": [message]}}}), 413


@blp.route("/deals/<int:deal_id>/documents")
class DealDocuments(MethodView):
    """The documents of one deal."""

    @blp.response(200, DocumentSchema(many=True))
    def get(self, deal_id: int):
        """List the deal's documents (its institution's users, the enterprise, admins)."""
        return data_room.documents(caller(), deal_id)

    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, DocumentSchema)
    @blp.alt_response(409, description="The deal is in a closed stage: its data room is read-only.")
    @blp.alt_response(413, description="The file exceeds DATA_ROOM_MAX_BYTES.")
    def post(self, files: dict, deal_id: int):
        """Share a PDF, XLSX or DOCX with this deal only (the enterprise's users).

        The type is checked on the file's bytes and its extension; a refused file leaves
        nothing behind. A deal in a closed stage (closed won / lost) takes no more documents:
        409, naming the stage; what was shared stays downloadable.
        """
        upload = files["file"]
        return data_room.upload_document(caller(), deal_id, upload.filename, upload.stream)


@blp.route("/documents/<int:document_id>/download")
class DocumentFile(MethodView):
    """A document's bytes."""

    @blp.doc(
        responses={"200": {"description": "The file", "content": {"application/octet-stream": {}}}}
    )
    def get(self, document_id: int):
        """Download a document; the download is recorded in the deal's download log."""
        document, path = data_room.open_document(caller(), document_id, ReadChannel.API)
        return document_response(document, path)


@blp.route("/deals/<int:deal_id>/downloads")
class DealDownloads(MethodView):
    """The download log of one deal."""

    @blp.response(200, DownloadSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, deal_id: int):
        """Who downloaded which document and when, newest first."""
        return data_room.download_log(caller(), deal_id)
