"""Tech-finance policies as data (科技金融政策), their budgets and enterprises' applications.

A policy is versioned like a readiness rule set: declaring a policy code again adds a new row with
the next version, and an application keeps the row (and the evaluation) it was worked out under.
The budget belongs to the policy code and year, so every version of a policy draws on one budget.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import ApplicationState, DocumentKind, PolicyKind
from torchfin.models.reference import Zone


class Policy(Timestamped, Base):
    """One version of a zone's policy: who qualifies (rules) and how much (formula, caps)."""

    __tablename__ = "policy"
    __table_args__ = (UniqueConstraint("zone_id", "code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(default=1)
    kind: Mapped[PolicyKind] = enum_column(PolicyKind, 30)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")  # the document the policy follows
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    rules: Mapped[list[dict]] = mapped_column(JSON, default=list)
    formula: Mapped[dict] = mapped_column(JSON, default=dict)
    # Caps on what one enterprise receives: over the policy's life, and in one calendar year.
    per_enterprise_cap: Mapped[Decimal | None]
    yearly_cap: Mapped[Decimal | None]
    # What the zone may spend on the policy in a year (None: no budget limit, legacy rewards).
    yearly_budget: Mapped[Decimal | None]
    # Legacy policies hold the rewards recorded before the engine, one per zone and kind.
    legacy: Mapped[bool] = mapped_column(default=False)
    declared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    zone: Mapped[Zone] = relationship()


class PolicyBudget(Base):
    """A year's budget of a policy code in a zone: what may be spent, what approvals reserved,
    and what was paid out. Left = amount - reserved - paid, never below zero."""

    __tablename__ = "policy_budget"
    __table_args__ = (UniqueConstraint("zone_id", "policy_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"))
    policy_code: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    amount: Mapped[Decimal | None]  # None: unlimited (legacy rewards had no budget)
    reserved: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    paid: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))


class PolicyApplication(Timestamped, Base):
    """An enterprise's application under one policy version, for one subject and stage.

    The subject is the platform record the money follows ("guarantee:12" a guarantee case and
    its loan, "listing:3" a listing event, "placement:5" a fund's placement); `stage` names the
    stage of a staged reward ("filing", "listing"), empty otherwise. Zone and policy code are
    kept on the row so that one (zone, code, enterprise, subject, stage) has at most one live
    application across versions: a stage can never be paid twice, while a rejected application
    may be filed again.
    """

    __tablename__ = "policy_application"
    __table_args__ = (
        Index(
            "uq_policy_application_live_claim",
            "zone_id",
            "policy_code",
            "enterprise_id",
            "subject",
            "stage",
            unique=True,
            sqlite_where=text("state != 'rejected'"),
            postgresql_where=text("state != 'rejected'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="RESTRICT"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"), index=True)
    policy_code: Mapped[str] = mapped_column(String(60))
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(20), default="")
    evaluation: Mapped[dict] = mapped_column(JSON, default=dict)  # rules, evidence, working
    amount: Mapped[Decimal]
    state: Mapped[ApplicationState] = enum_column(
        ApplicationState, 10, default=ApplicationState.APPLIED, index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")  # the applicant's words
    reason: Mapped[str] = mapped_column(Text, default="")  # the zone's, on a decision
    budget_year: Mapped[int | None]  # the year whose budget the approval reserved
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="RESTRICT"))
    # The ledger transaction that paid it: "payment:<id>", or "reward:<id>" for a legacy reward
    # paid before payouts went through the gateway.
    ledger_reference: Mapped[str | None] = mapped_column(String(40))
    paid_at: Mapped[datetime | None]

    policy: Mapped[Policy] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    applicant: Mapped[User | None] = relationship(foreign_keys=[applicant_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    documents: Mapped[list["PolicyDocument"]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )


class PolicyDocument(Base):
    """A file attached to an application. The bytes live in the data room's store (DATA_ROOM_DIR),
    named by `storage_key` (random); the uploader's file name is only shown."""

    __tablename__ = "policy_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("policy_application.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[DocumentKind] = enum_column(DocumentKind, 4)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[PolicyApplication] = relationship(back_populates="documents")
