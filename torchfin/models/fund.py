"""Guidance funds (引导基金): sub-funds, their LPs, capital calls, placements, exits and alerts.

The guidance fund itself is an `Institution` of kind GUIDANCE_FUND; what it commits to are the
sub-funds (参股子基金) below. A sub-fund's size is the guidance commitment plus its other LPs'.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import Instrument, Stage
from torchfin.models.institution import Institution
from torchfin.models.reference import Zone

# Shares such as 0.2500 (25 %) and multiples such as 1.50: exact, never float.
Share = Numeric(5, 4)
Multiple = Numeric(6, 2)


class SubFund(Timestamped, Base):
    """A sub-fund the guidance fund committed to, with the rules it must keep."""

    __tablename__ = "sub_fund"

    id: Mapped[int] = mapped_column(primary_key=True)
    guidance_fund_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), unique=True)
    manager: Mapped[str] = mapped_column(String(200))
    vintage: Mapped[int]
    # Where the reinvestment (返投) obligation applies.
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"))
    guidance_commitment: Mapped[Decimal]
    investment_period_end: Mapped[date]
    max_guidance_share: Mapped[Decimal] = mapped_column(Share)
    reinvestment_multiple: Mapped[Decimal] = mapped_column(Multiple)
    min_early_stage_share: Mapped[Decimal] = mapped_column(Share)
    idle_alert_months: Mapped[int] = mapped_column(default=12)

    guidance_fund: Mapped[Institution] = relationship()
    zone: Mapped[Zone] = relationship()
    limited_partners: Mapped[list["LimitedPartner"]] = relationship(
        back_populates="sub_fund", cascade="all, delete-orphan", order_by="LimitedPartner.id"
    )
    capital_calls: Mapped[list["CapitalCall"]] = relationship(
        back_populates="sub_fund", cascade="all, delete-orphan", order_by="CapitalCall.called_on"
    )
    placements: Mapped[list["Placement"]] = relationship(
        back_populates="sub_fund", cascade="all, delete-orphan", order_by="Placement.placed_on"
    )

    @property
    def size(self) -> Decimal:
        """Total commitments: the guidance fund's and every other LP's."""
        return self.guidance_commitment + sum(
            (lp.commitment for lp in self.limited_partners), Decimal("0")
        )


class LimitedPartner(Base):
    """An LP of a sub-fund other than the guidance fund, with its commitment."""

    __tablename__ = "limited_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_fund_id: Mapped[int] = mapped_column(ForeignKey("sub_fund.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    commitment: Mapped[Decimal]

    sub_fund: Mapped[SubFund] = relationship(back_populates="limited_partners")


class CapitalCall(Base):
    """Money called from all LPs pro rata on a date."""

    __tablename__ = "capital_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_fund_id: Mapped[int] = mapped_column(
        ForeignKey("sub_fund.id", ondelete="CASCADE"), index=True
    )
    called_on: Mapped[date]
    amount: Mapped[Decimal]

    sub_fund: Mapped[SubFund] = relationship(back_populates="capital_calls")


class Placement(Base):
    """An investment of a sub-fund into an enterprise of the platform."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_fund_id: Mapped[int] = mapped_column(
        ForeignKey("sub_fund.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal]
    placed_on: Mapped[date]
    round: Mapped[Stage] = enum_column(Stage, 10)
    instrument: Mapped[Instrument] = enum_column(Instrument, 20)

    sub_fund: Mapped[SubFund] = relationship(back_populates="placements")
    enterprise: Mapped[Enterprise] = relationship()
    exits: Mapped[list["PlacementExit"]] = relationship(
        back_populates="placement", cascade="all, delete-orphan"
    )


class PlacementExit(Base):
    """A full or partial exit from a placement, with what it brought back."""

    __tablename__ = "placement_exit"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
    exited_on: Mapped[date]
    proceeds: Mapped[Decimal]

    placement: Mapped[Placement] = relationship(back_populates="exits")


class FundAlert(Base):
    """A breached rule or idle money on a sub-fund, open until the condition clears.

    `code` names the condition (a rule code, or "idle_money"). `open_key` is
    "<sub_fund_id>:<code>" while the alert is open and NULL once resolved; being unique, it lets
    at most one alert per sub-fund and condition be open, so a re-run job raises nothing twice.
    `params` holds the sub-fund's name and the figures the condition was found on; the alert is
    worded from code and params in its reader's language when shown.
    """

    __tablename__ = "fund_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_fund_id: Mapped[int] = mapped_column(
        ForeignKey("sub_fund.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    open_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The English sentence of an alert raised before alerts were stored as code and params,
    # kept where migration 0016 could not read the figures back from it; NULL otherwise.
    legacy_message: Mapped[str | None] = mapped_column(String(500))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    sub_fund: Mapped[SubFund] = relationship()
