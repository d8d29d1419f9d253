"""The HTTP response that hands a stored document (a data room's, a policy application's) to the
browser or an API client."""

from pathlib import Path

from flask import Response, send_file

from torchfin.models import DealDocument, PolicyDocument
from torchfin.services.matching.document_types import MEDIA_TYPES


def document_response(document: DealDocument | PolicyDocument, path: Path) -> Response:
    """The file as an attachment under its uploader's name, typed by its checked kind.

    Never cached (the download was just recorded; a cached copy would be read unrecorded) and
    never sniffed or rendered inline by the browser.
    """
    response = send_file(
        path,
        mimetype=MEDIA_TYPES[document.kind],
        as_attachment=True,
        download_name=document.filename,
        conditional=False,
        etag=False,
        max_age=None,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
