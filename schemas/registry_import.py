"""Schemas of registry imports: the uploaded file, the import's progress, counts and rows."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from schemas.fields import WholeNumber


class RegistryFileSchema(Schema):
    """A multipart upload: the registry file, the zone it is for, and whether to check only."""

    file = Upload(
        required=True,
        metadata={
            "description": "XLSX, or CSV in UTF-8 or GBK, headed like the template "
            "(/registry/import-template): 统一社会信用代码 and the enterprise profile"
        },
    )


class RegistryImportArgsSchema(Schema):
    """The query of an upload: the zone and whether it is a dry run."""

    zone = fields.String(
        load_default=None,
        metadata={
            "description": "The zone's code; rows of other zones are refused. A zone "
            "administrator's own zone by default; a platform admin may leave it out and let "
            "the file's 所属高新区 column name each row's zone."
        },
    )
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Report every row's fate and write nothing."},
    )


class ImportCountsSchema(Schema):
    """How many rows created, updated, left unchanged or failed an enterprise."""

    created = WholeNumber()
    updated = WholeNumber()
    unchanged = WholeNumber()
    failed = WholeNumber()


class ImportRowSchema(Schema):
    """One row's fate."""

    row_no = WholeNumber(metadata={"description": "Row number in the file (header is row 1)."})
    status = fields.String(metadata={"description": "created, updated, unchanged or failed"})
    message = fields.String(
        metadata={"description": "Chinese / English; for a failed row, each column at fault"}
    )


class RegistryImportSchema(Schema):
    """An import (or a dry run): progress (`done` of `total` rows), counts, and rows."""

    id = WholeNumber(allow_none=True, metadata={"description": "None on a dry run."})
    dry_run = fields.Boolean()
    status = fields.String(metadata={"description": "queued, running, done, failed or dry_run"})
    filename = fields.String()
    file_sha256 = fields.String()
    zone_id = WholeNumber(allow_none=True)
    total = WholeNumber()
    done = WholeNumber()
    counts = fields.Nested(ImportCountsSchema)
    rows = fields.List(
        fields.Nested(ImportRowSchema),
        metadata={
            "description": "A dry run: every row. An import: the rows that failed (the first 200)."
        },
    )
    error = fields.String(allow_none=True)
    has_result = fields.Boolean(metadata={"description": "Whether the result file is ready."})
