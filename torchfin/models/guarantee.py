"""Credit-guarantee cases (信贷担保): an enterprise's bank loan guaranteed by an agency."""

from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import GuaranteeState
from torchfin.models.institution import Institution

Rate = Numeric(7, 6)  # an annual rate as a fraction: 0.020000 is 2 %


class GuaranteeCase(Timestamped, Base):
    """One guarantee from application to release, or to compensation, recovery and write-off."""

    __tablename__ = "guarantee_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    principal: Mapped[Decimal]
    term_months: Mapped[int]
    loan_rate: Mapped[Decimal] = mapped_column(Rate)
    fee_rate: Mapped[Decimal] = mapped_column(Rate)
    fee: Mapped[Decimal]
    purpose: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[GuaranteeState] = enum_column(
        GuaranteeState, 20, default=GuaranteeState.APPLIED, index=True
    )
    contract_no: Mapped[str | None] = mapped_column(String(60))
    counter_guarantees: Mapped[list[str]] = mapped_column(JSON, default=list)
    loan_no: Mapped[str | None] = mapped_column(String(60))
    overdue_amount: Mapped[Decimal | None]
    days_overdue: Mapped[int | None]

    enterprise: Mapped[Enterprise] = relationship()
    bank: Mapped[Institution] = relationship(foreign_keys=[bank_id])
    agency: Mapped[Institution] = relationship(foreign_keys=[agency_id])
