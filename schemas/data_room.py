"""Schemas of a deal's data room: the upload, the documents, the download log."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from schemas.fields import WholeNumber, enum_field
from torchfin.models.enums import DocumentKind, ReadChannel


class UploadSchema(Schema):
    """A multipart upload: one file in the `file` field."""

    file = Upload(
        required=True,
        metadata={"description": "PDF, XLSX or DOCX; at most DATA_ROOM_MAX_BYTES (20 MiB)"},
    )


class DocumentSchema(Schema):
    """A document shared with one deal."""

    id = WholeNumber(dump_only=True)
    deal_id = WholeNumber(dump_only=True)
    filename = fields.String(dump_only=True)
    kind = enum_field(DocumentKind, dump_only=True)
    size = WholeNumber(dump_only=True, metadata={"description": "bytes"})
    sha256 = fields.String(dump_only=True)
    uploaded_by_id = WholeNumber(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class DownloadSchema(Schema):
    """One download of a deal's document: who, when, which."""

    id = WholeNumber(dump_only=True)
    at = fields.DateTime(dump_only=True)
    document_id = WholeNumber(dump_only=True)
    filename = fields.String(attribute="document.filename", dump_only=True)
    user_id = WholeNumber(dump_only=True, allow_none=True)
    user_name = fields.String(attribute="user.display_name", dump_only=True, allow_none=True)
    institution_id = WholeNumber(dump_only=True, allow_none=True)
    institution_name = fields.String(attribute="institution.name", dump_only=True, allow_none=True)
    channel = enum_field(ReadChannel, dump_only=True)


upload_schema = UploadSchema()
