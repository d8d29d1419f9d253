"""SQLAlchemy models: the source of truth. Models import nothing above them."""

from torchfin.models.account import ApiToken, Organisation, User
from torchfin.models.base import Base
from torchfin.models.enterprise import (
    Enterprise,
    EnterpriseFinancial,
    EnterpriseQualification,
    enterprise_industry,
)
from torchfin.models.institution import Institution, Mandate
from torchfin.models.outbox import OutboxEvent
from torchfin.models.project import Project
from torchfin.models.reference import Industry, Zone

__all__ = [
    "ApiToken",
    "Base",
    "Enterprise",
    "EnterpriseFinancial",
    "EnterpriseQualification",
    "Industry",
    "Institution",
    "Mandate",
    "Organisation",
    "OutboxEvent",
    "Project",
    "User",
    "Zone",
    "enterprise_industry",
]
