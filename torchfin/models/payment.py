"""Payment orders sent through the payment gateway, one idempotency key each."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enums import PaymentPurpose, PaymentState


class Payment(Timestamped, Base):
    """A money movement between two ledger accounts, carried out by a worker through the gateway."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    purpose: Mapped[PaymentPurpose] = enum_column(PaymentPurpose, 30)
    amount: Mapped[Decimal]
    payer: Mapped[str] = mapped_column(String(60))
    payee: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(40), index=True)  # the audited case it serves
    state: Mapped[PaymentState] = enum_column(
        PaymentState, 12, default=PaymentState.PENDING, index=True
    )
    requested_by: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    gateway_reference: Mapped[str | None] = mapped_column(String(64))
    failure: Mapped[str | None] = mapped_column(String(200))
    completed_at: Mapped[datetime | None]
