"""Registry imports: a zone's enterprise file uploaded, its progress, its result file, and the
template to fill in."""

from flask import Response
from flask_smorest import Blueprint

from schemas.registry_import import (
    RegistryFileSchema,
    RegistryImportArgsSchema,
    RegistryImportSchema,
)
from torchfin.api.common import PREFIX, caller
from torchfin.services.registry.imports import records

blp = Blueprint(
    "registry_imports",
    __name__,
    url_prefix=PREFIX,
    description="Bulk imports of the Torch registry",
)
BLUEPRINTS = (blp,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE = {"200": {"description": "An XLSX workbook", "content": {XLSX: {}}}}


def _xlsx(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/registry/imports", methods=["POST"])
@blp.arguments(RegistryFileSchema, location="files")
@blp.arguments(RegistryImportArgsSchema, location="query")
@blp.response(202, RegistryImportSchema)
@blp.alt_response(200, description="A dry run: every row's fate, nothing written")
@blp.alt_response(422, description="The file cannot be read: type, empty, header, row limit")
def upload_import(files: dict, args: dict):
    """Import enterprises from a zone's file (zone administrators, for their zone; platform
    admins, for any).

    The credit code is the key: a new code creates an enterprise, a known one is updated in
    the fields the file carries where they differ, each change recorded. A row in error is
    reported with its row number, column and message and never stops the others. Follow the
    progress at /registry/imports/{id}; download the result file there once done.
    """
    upload = files["file"]
    started = records.start_import(
        caller(), upload.filename or "", upload.stream.read(), args["zone"], args["dry_run"]
    )
    if args["dry_run"]:
        return records.summary(started), 200
    return records.summary(started)


@blp.route("/registry/imports/<int:import_id>")
@blp.response(200, RegistryImportSchema)
def import_detail(import_id: int):
    """An import's progress (rows done of total), counts and rows that failed."""
    return records.summary(records.get_import(caller(), import_id))


@blp.route("/registry/imports/<int:import_id>/result")
@blp.doc(responses=XLSX_RESPONSE)
def import_result(import_id: int):
    """Download the result file: the file's rows with a status and a message column each."""
    record = records.get_import(caller(), import_id)
    return _xlsx(records.result_file(record), f"registry-import-{record.id}-results.xlsx")


@blp.route("/registry/import-template")
@blp.doc(responses=XLSX_RESPONSE)
def import_template():
    """Download the import template (XLSX): the columns' Chinese headers, and their English
    names and accepted variants on a second sheet."""
    records.require_importer(caller())
    return _xlsx(records.template_xlsx(), "torch-registry-template.xlsx")
