"""SQLAlchemy models: the source of truth. Models import nothing above them."""

from torchfin.models.account import ApiToken, Organisation, User
from torchfin.models.base import Base
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
from torchfin.models.institution import Institution, Mandate
from torchfin.models.listing import IncentiveReward, ListingEvent
from torchfin.models.outbox import OutboxEvent
from torchfin.models.project import Project
from torchfin.models.readiness import (
    GovernanceRecord,
    ReadinessBatch,
    ReadinessCheck,
    ReadinessProfile,
)
from torchfin.models.reference import Industry, Zone

__all__ = [
    "ApiToken",
    "Base",
    "CapitalCall",
    "Enterprise",
    "EnterpriseFinancial",
    "EnterpriseQualification",
    "FundAlert",
    "GovernanceRecord",
    "IncentiveReward",
    "Industry",
    "Institution",
    "LimitedPartner",
    "ListingEvent",
    "Mandate",
    "Organisation",
    "OutboxEvent",
    "Placement",
    "PlacementExit",
    "Project",
    "ReadinessBatch",
    "ReadinessCheck",
    "ReadinessProfile",
    "SubFund",
    "User",
    "Zone",
    "enterprise_industry",
]
