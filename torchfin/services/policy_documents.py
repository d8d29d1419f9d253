"""Documents an enterprise attaches to its policy application (loan contract, interest
statements, the listing filing receipt), kept in the data room's file store.

Only the enterprise attaches them, and only before the zone decides (applied or reviewing);
each attachment is an audit event of the application. An upload is all-or-nothing, as in the
data room: a refused file leaves nothing behind, and a failed commit removes the placed file.

It stands beside the finance and matching packages rather than in `finance.policies`: it joins
the policy applications to the data room's file store, and the data room's package already
uses the finance audit trail.
"""

from pathlib import Path
from typing import BinaryIO

from torchfin.extensions import db
from torchfin.models import PolicyApplication, PolicyDocument, User
from torchfin.models.enums import ApplicationState
from torchfin.services.errors import Conflict, Forbidden, NotFound
from torchfin.services.finance import audit
from torchfin.services.finance.policies.applications import application_subject, get_application
from torchfin.services.matching.data_room import store_file, stored_path
from torchfin.services.permissions import owns_enterprise

OPEN = (ApplicationState.APPLIED, ApplicationState.REVIEWING)


def _refuse_if_decided(application: PolicyApplication) -> None:
    if application.state not in OPEN:
        raise Conflict(
            f"application {application.id} is {application.state}; documents are attached "
            "before the zone decides"
        )


def _lock_undecided(application: PolicyApplication) -> None:
    # Just before the file goes into place: a decision committed while it was spooling wins.
    db.session.refresh(application, with_for_update=True)
    _refuse_if_decided(application)


def attach_document(
    user: User, application_id: int, filename: str | None, stream: BinaryIO
) -> PolicyDocument:
    """Attach a PDF, XLSX or DOCX to the enterprise's own application while it is undecided."""
    application = get_application(user, application_id)  # 404 for those who may not see it
    if not owns_enterprise(user, application.enterprise):
        raise Forbidden("only the enterprise attaches documents to its application")
    _refuse_if_decided(application)  # before a byte is written
    stored = store_file(filename, stream, lambda: _lock_undecided(application))
    try:
        document = PolicyDocument(
            application=application,
            uploaded_by_id=user.id,
            filename=stored.filename,
            kind=stored.kind,
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.storage_key,
        )
        db.session.add(document)
        db.session.flush()
        audit.record(
            db.session,
            application_subject(application.id),
            "attach_document",
            actor=user,
            from_state=application.state,
            to_state=application.state,
            data={"document_id": document.id, "filename": stored.filename, "sha256": stored.sha256},
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        stored.path.unlink(missing_ok=True)
        raise
    return document


def open_document(user: User, document_id: int) -> tuple[PolicyDocument, Path]:
    """A document of an application the caller may see, with the path of its bytes."""
    document = db.session.get(PolicyDocument, document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist")
    get_application(user, document.application_id)  # 404 for those who may not see it
    path = stored_path(document.storage_key)
    if not path.is_file():
        raise NotFound(f"the file of document {document_id} is missing from the store")
    return document, path
