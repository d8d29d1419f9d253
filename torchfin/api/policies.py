"""Tech-finance policies: a zone's policies, the SME's offers, applications and their decisions."""

from flask_smorest import Blueprint

from schemas.audit import AuditEventSchema
from schemas.data_room import UploadSchema
from schemas.policy import (
    ApplicationActionSchema,
    ApplicationFilterSchema,
    ApplicationSchema,
    OfferSchema,
    PolicyDeclarationSchema,
    PolicyDocumentSchema,
    PolicySchema,
)
from torchfin.api import data_room as data_room_api
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.downloads import document_response
from torchfin.models import PolicyApplication
from torchfin.services import policy_documents
from torchfin.services.finance.policies import applications, declarations
from torchfin.services.matching.document_types import DocumentRejected, DocumentTooLarge

blp = Blueprint(
    "policies", __name__, url_prefix=f"{PREFIX}/policies", description="Tech-finance policies"
)
apps = Blueprint(
    "policy_applications",
    __name__,
    url_prefix=f"{PREFIX}/policy-applications",
    description="Applications under tech-finance policies",
)
# Uploads have their own blueprint: only they raise the request-size limit.
documents_blp = Blueprint(
    "policy_documents",
    __name__,
    url_prefix=f"{PREFIX}/policy-applications",
    description="Documents attached to policy applications",
)
documents_blp.before_request(data_room_api.allow_documents)
documents_blp.register_error_handler(DocumentRejected, data_room_api.refused_file)
documents_blp.register_error_handler(DocumentTooLarge, data_room_api.refused_file)
documents_blp.register_error_handler(413, data_room_api.body_too_large)
BLUEPRINTS = (blp, apps, documents_blp)
ACTIONS = ",".join(applications.APPLICATION_MOVES)


@blp.get("/zones/<code>")
@blp.response(200, PolicySchema(many=True))
def zone_policies(code: str):
    """The current version of each policy a zone declared."""
    caller()
    return applications.zone_policies(code)


@blp.post("/zones/<code>")
@blp.arguments(PolicyDeclarationSchema)
@blp.response(201, PolicySchema)
def declare(data: dict, code: str):
    """Declare a policy, or the next version of one (the zone's own administrators)."""
    return declarations.declare_policy(caller(), code, data)


@blp.get("/offers")
@blp.response(200, OfferSchema(many=True))
def offers():
    """The policies your enterprise may apply under, evaluated on its own records today."""
    return applications.offers(caller())


def _with_actions(application: PolicyApplication) -> PolicyApplication:
    application.allowed_actions = applications.actions_for(caller(), application)
    return application


@apps.get("")
@apps.arguments(ApplicationFilterSchema, location="query")
@apps.response(200, ApplicationSchema(many=True))
@apps.paginate(SelectPage)
def application_list(args: dict):
    """The applications you may see, newest first (optionally of one state)."""
    return applications.visible_applications(caller(), args.get("state"))


@apps.post("")
@apps.arguments(ApplicationSchema)
@apps.response(201, ApplicationSchema)
@apps.alt_response(409, description="The subject and stage already have a live application")
def apply(data: dict):
    """Apply under a policy for a loan, guarantee case, listing or placement (the SME)."""
    return _with_actions(applications.apply(caller(), data))


@apps.get("/<int:application_id>")
@apps.response(200, ApplicationSchema)
def application_detail(application_id: int):
    """An application with its evaluation, amount and state."""
    return _with_actions(applications.get_application(caller(), application_id))


@apps.get("/<int:application_id>/timeline")
@apps.response(200, AuditEventSchema(many=True))
def application_timeline(application_id: int):
    """The application's audit trail, step by step."""
    return applications.application_timeline(caller(), application_id)


@apps.post(f"/<int:application_id>/<any({ACTIONS}):action>")
@apps.arguments(ApplicationActionSchema)
@apps.response(200, ApplicationSchema)
@apps.alt_response(409, description="Not allowed from the current state, or over the budget")
def application_action(data: dict, application_id: int, action: str):
    """Review, approve, reject (with a reason) or pay an application (the zone's own
    administrators); paying asks a worker to pay it through the gateway."""
    return _with_actions(applications.act(caller(), application_id, action, data))


@documents_blp.post("/<int:application_id>/documents")
@documents_blp.arguments(UploadSchema, location="files")
@documents_blp.response(201, PolicyDocumentSchema)
@documents_blp.alt_response(409, description="The zone has decided: no more documents.")
@documents_blp.alt_response(413, description="The file exceeds DATA_ROOM_MAX_BYTES.")
def attach(files: dict, application_id: int):
    """Attach a PDF, XLSX or DOCX to your enterprise's application before the zone decides."""
    upload = files["file"]
    return policy_documents.attach_document(
        caller(), application_id, upload.filename, upload.stream
    )


@documents_blp.get("/documents/<int:document_id>")
@documents_blp.response(200, description="The file, as an attachment")
def download(document_id: int):
    """Download a document of an application you may see."""
    return document_response(*policy_documents.open_document(caller(), document_id))
