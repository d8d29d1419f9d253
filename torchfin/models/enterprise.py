"""Enterprises, their yearly financials and qualifications."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Indexed, Timestamped, enum_column
from torchfin.models.enums import LegalForm, Qualification
from torchfin.models.reference import Industry, Zone

enterprise_industry = Table(
    "enterprise_industry",
    Base.metadata,
    Column("enterprise_id", ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True),
    Column("industry_id", ForeignKey("industry.id", ondelete="RESTRICT"), primary_key=True),
)


class Enterprise(Timestamped, Indexed, Base):
    """A high-tech enterprise registered in a zone."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    # Set only when an admin registered a code that fails its checksum, with the reason why.
    credit_code_override_reason: Mapped[str | None] = mapped_column(String(500))
    name: Mapped[str] = mapped_column(String(200), index=True)
    legal_form: Mapped[LegalForm] = enum_column(LegalForm, 8)
    founded_on: Mapped[date]
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    registered_address: Mapped[str] = mapped_column(String(300), default="")  # 注册地址
    invention_patents_granted: Mapped[int] = mapped_column(default=0)
    invention_patents_pending: Mapped[int] = mapped_column(default=0)
    employees: Mapped[int | None]

    zone: Mapped[Zone] = relationship()
    # By code (an industry before its sub-fields): PostgreSQL returns link rows in no set order.
    industries: Mapped[list[Industry]] = relationship(
        secondary=enterprise_industry, order_by="Industry.code"
    )
    financials: Mapped[list["EnterpriseFinancial"]] = relationship(
        back_populates="enterprise",
        cascade="all, delete-orphan",
        order_by="EnterpriseFinancial.year",
    )
    qualifications: Mapped[list["EnterpriseQualification"]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )
    projects: Mapped[list["Project"]] = relationship(  # noqa: F821
        back_populates="enterprise", cascade="all, delete-orphan"
    )

    @property
    def latest_financial(self) -> "EnterpriseFinancial | None":
        """The most recent yearly financials, if any were filed."""
        return self.financials[-1] if self.financials else None


class EnterpriseFinancial(Base):
    """One fiscal year of an enterprise's financials (confidential)."""

    __tablename__ = "enterprise_financial"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int]
    revenue: Mapped[Decimal]
    net_profit: Mapped[Decimal]
    rd_spend: Mapped[Decimal]
    total_assets: Mapped[Decimal]
    total_liabilities: Mapped[Decimal]
    employees: Mapped[int]
    college_staff: Mapped[int]

    enterprise: Mapped[Enterprise] = relationship(back_populates="financials")

    @property
    def rd_intensity(self) -> Decimal | None:
        """R&D spend as a share of revenue, or None without revenue."""
        return (self.rd_spend / self.revenue) if self.revenue else None


class EnterpriseQualification(Base):
    """A qualification held by an enterprise, with its certificate expiry where it has one."""

    __tablename__ = "enterprise_qualification"
    __table_args__ = (UniqueConstraint("enterprise_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    kind: Mapped[Qualification] = enum_column(Qualification, 20)
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    expires_on: Mapped[date | None]

    enterprise: Mapped[Enterprise] = relationship(back_populates="qualifications")
