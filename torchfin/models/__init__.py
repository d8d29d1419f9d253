"""SQLAlchemy models: the source of truth. Models import nothing above them."""

from torchfin.models.access import AccessGrant, AccessLogEntry
from torchfin.models.account import ApiToken, Organisation, User
from torchfin.models.audit import AuditEvent, AuditHead
from torchfin.models.base import Base
from torchfin.models.data_room import DealDocument, DocumentDownload
from torchfin.models.duplicate import DuplicateFlag
from torchfin.models.enterprise import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    enterprise_industry,
)
from torchfin.models.fund import (
    CapitalCall,
    FundAlert,
    LimitedPartner,
    Placement,
    PlacementExit,
    SubFund,
)
from torchfin.models.guarantee import GuaranteeCase
from torchfin.models.idempotency import IdempotentRequest
from torchfin.models.institution import Institution, Mandate
from torchfin.models.ledger import LedgerPosting, LedgerTransaction
from torchfin.models.listing import ListingEvent
from torchfin.models.matching import (
    Deal,
    DealEvent,
    Match,
    MatchRun,
    MatchRunChunk,
    PipelineStage,
)
from torchfin.models.outbox import OutboxEvent
from torchfin.models.payment import Payment
from torchfin.models.policy import Policy, PolicyApplication, PolicyBudget, PolicyDocument
from torchfin.models.pool import PoolClaim, PoolLoan, PoolRepayment, RiskPool
from torchfin.models.pool_batch import PoolBatch, PoolBatchRow
from torchfin.models.project import Project, project_industry
from torchfin.models.readiness import (
    GovernanceRecord,
    ReadinessBatch,
    ReadinessCheck,
    ReadinessProfile,
)
from torchfin.models.reference import Industry, Zone
from torchfin.models.registry_import import (
    EnterpriseChange,
    RegistryImport,
    RegistryImportChunk,
)
from torchfin.models.saved_search import (
    AlertFrequency,
    Notification,
    OutgoingMail,
    SavedSearch,
    SavedSearchDelivery,
)
from torchfin.models.watchlist import (
    EnterpriseEvent,
    EnterpriseEventKind,
    EventDelivery,
    Follow,
    FollowDelivery,
)

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "AlertFrequency",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CapitalCall",
    "Deal",
    "DealDocument",
    "DealEvent",
    "DocumentDownload",
    "DuplicateFlag",
    "Enterprise",
    "EnterpriseChange",
    "EnterpriseEvent",
    "EnterpriseEventKind",
    "EnterpriseFinancial",
    "EnterpriseQualification",
    "EventDelivery",
    "Follow",
    "FollowDelivery",
    "FundAlert",
    "GovernanceRecord",
    "GuaranteeCase",
    "IdempotentRequest",
    "Industry",
    "Institution",
    "LedgerPosting",
    "LedgerTransaction",
    "LimitedPartner",
    "ListingEvent",
    "Mandate",
    "Match",
    "MatchRun",
    "MatchRunChunk",
    "Notification",
    "Organisation",
    "OutboxEvent",
    "OutgoingMail",
    "Payment",
    "PipelineStage",
    "Placement",
    "PlacementExit",
    "Policy",
    "PolicyApplication",
    "PolicyBudget",
    "PolicyDocument",
    "PoolBatch",
    "PoolBatchRow",
    "PoolClaim",
    "PoolLoan",
    "PoolRepayment",
    "Project",
    "ReadinessBatch",
    "ReadinessCheck",
    "ReadinessProfile",
    "RegistryImport",
    "RegistryImportChunk",
    "RiskPool",
    "SavedSearch",
    "SavedSearchDelivery",
    "SubFund",
    "User",
    "Zone",
    "enterprise_industry",
    "project_industry",
]
