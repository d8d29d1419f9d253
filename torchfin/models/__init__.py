"""SQLAlchemy models: the source of truth. Models import nothing above them."""

from torchfin.models.access import AccessGrant, AccessLogEntry
from torchfin.models.account import ApiToken, Organisation, User
from torchfin.models.audit import AuditEvent, AuditHead
from torchfin.models.base import Base
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
from torchfin.models.institution import Institution, Mandate
from torchfin.models.ledger import LedgerPosting, LedgerTransaction
from torchfin.models.listing import IncentiveReward, ListingEvent
from torchfin.models.outbox import OutboxEvent
from torchfin.models.payment import Payment
from torchfin.models.pool import PoolClaim, PoolLoan, RiskPool
from torchfin.models.project import Project
from torchfin.models.readiness import (
    GovernanceRecord,
    ReadinessBatch,
    ReadinessCheck,
    ReadinessProfile,
)
from torchfin.models.reference import Industry, Zone

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CapitalCall",
    "DuplicateFlag",
    "Enterprise",
    "EnterpriseFinancial",
    "EnterpriseQualification",
    "FundAlert",
    "GovernanceRecord",
    "GuaranteeCase",
    "IncentiveReward",
    "Industry",
    "Institution",
    "LedgerPosting",
    "LedgerTransaction",
    "LimitedPartner",
    "ListingEvent",
    "Mandate",
    "Organisation",
    "OutboxEvent",
    "Payment",
    "Placement",
    "PlacementExit",
    "PoolClaim",
    "PoolLoan",
    "Project",
    "ReadinessBatch",
    "ReadinessCheck",
    "ReadinessProfile",
    "RiskPool",
    "SubFund",
    "User",
    "Zone",
    "enterprise_industry",
]
