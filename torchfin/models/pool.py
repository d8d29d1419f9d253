"""Risk-compensation pools (风险补偿资金池), the loans registered into them and their claims."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import ClaimState, PoolLoanState
from torchfin.models.institution import Institution
from torchfin.models.reference import Zone

Share = Numeric(5, 4)  # a fraction: 0.5000 is 50 %


class RiskPool(Timestamped, Base):
    """A pool funded by a government sponsor that shares banks' losses on registered loans."""

    __tablename__ = "risk_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sponsor: Mapped[str] = mapped_column(String(200))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"), index=True)
    coverage: Mapped[Decimal] = mapped_column(Share)
    per_loan_cap: Mapped[Decimal]
    yearly_cap: Mapped[Decimal]
    days_overdue_threshold: Mapped[int]
    bad_loan_ratio_threshold: Mapped[Decimal] = mapped_column(Share)
    # Whether a claim's net loss counts the accrued interest, or the principal lost only (the
    # usual terms of zone pools, and what every pool set up before 0018 was taken to mean).
    covers_interest: Mapped[bool] = mapped_column(default=False, server_default=false())

    zone: Mapped[Zone] = relationship()
    loans: Mapped[list["PoolLoan"]] = relationship(back_populates="pool")


class PoolLoan(Timestamped, Base):
    """A bank loan registered into a pool."""

    __tablename__ = "pool_loan"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("risk_pool.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    loan_no: Mapped[str] = mapped_column(String(60))
    principal: Mapped[Decimal]
    registered_on: Mapped[date]
    maturity_on: Mapped[date]
    state: Mapped[PoolLoanState] = enum_column(PoolLoanState, 12, default=PoolLoanState.ACTIVE)
    repaid_on: Mapped[date | None]
    defaulted_on: Mapped[date | None]

    pool: Mapped[RiskPool] = relationship(back_populates="loans")
    bank: Mapped[Institution] = relationship()
    enterprise: Mapped[Enterprise] = relationship()


class PoolClaim(Timestamped, Base):
    """A bank's compensation claim on a defaulted loan; `working` shows how `payable` was found.

    `net_loss` is worked out from the parts the bank reported (`services.finance.claim_loss`);
    the parts are NULL on claims filed before 0018, whose banks typed the net loss itself.
    """

    __tablename__ = "pool_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("risk_pool.id"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("pool_loan.id"), unique=True)
    net_loss: Mapped[Decimal]
    outstanding_principal: Mapped[Decimal | None]
    accrued_interest: Mapped[Decimal | None]
    collateral_realised: Mapped[Decimal | None]  # collateral sold and guarantees called
    days_overdue: Mapped[int]
    filed_on: Mapped[date]
    payable: Mapped[Decimal]
    working: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[ClaimState] = enum_column(ClaimState, 12, default=ClaimState.FILED, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")

    pool: Mapped[RiskPool] = relationship()
    loan: Mapped[PoolLoan] = relationship()


class PoolRepayment(Base):
    """Principal a bank reports repaid on a pool loan, booked once in the ledger.

    `idempotency_key` is unique: the same repayment reported again (a re-uploaded month-end
    file, a retried job, a repeated API call) finds it and changes nothing.
    """

    __tablename__ = "pool_repayment"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("risk_pool.id"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("pool_loan.id"), index=True)
    amount: Mapped[Decimal]
    paid_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(60), default="")
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    loan: Mapped[PoolLoan] = relationship()
