"""Finance records for tests: the parties of a guarantee or pool, pools, and booked payments."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories.accounts import make_user, make_zone_admin
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import Enterprise, Institution, Payment, RiskPool, User, Zone
from torchfin.models.enums import InstitutionKind, PaymentPurpose, PaymentState, Role
from torchfin.services.finance import ledger


def today() -> date:
    """Today, read when a test needs it: a constant taken at import goes stale when the suite runs
    across midnight while the app reads the clock afresh."""
    return date.today()


@dataclass
class Parties:
    """Everyone a finance workflow involves."""

    zone: Zone
    enterprise: Enterprise
    bank: Institution
    agency: Institution
    sme: User
    banker: User
    guarantor: User
    sponsor: User
    admin: User
    other_banker: User

    def __post_init__(self) -> None:
        # Ids read now: run_worker() closes the session, detaching the records above.
        self.zone_id, self.enterprise_id = self.zone.id, self.enterprise.id
        self.bank_id, self.agency_id = self.bank.id, self.agency.id


def make_parties() -> Parties:
    """A zone, an enterprise, a bank, a guarantee agency and their users."""
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["nev"]])
    bank = make_institution(InstitutionKind.BANK)
    agency = make_institution(InstitutionKind.GUARANTOR)
    other_bank = make_institution(InstitutionKind.BANK)
    return Parties(
        zone=zone,
        enterprise=enterprise,
        bank=bank,
        agency=agency,
        sme=make_user(Role.SME, enterprise=enterprise),
        banker=make_user(Role.BANK, institution=bank),
        guarantor=make_user(Role.GUARANTOR, institution=agency),
        sponsor=make_zone_admin(zone),
        admin=make_user(Role.ADMIN),
        other_banker=make_user(Role.BANK, institution=other_bank),
    )


def make_pool(zone: Zone, **overrides) -> RiskPool:
    """A pool of typical terms: 50 % coverage, 2m per loan, 5m a year, 90 days, 5 % bad loans."""
    pool = RiskPool(
        name=overrides.pop("name", "中关村科技信贷风险补偿资金池"),
        sponsor="北京市科学技术委员会",
        zone=zone,
        coverage=Decimal("0.5000"),
        per_loan_cap=Decimal("2000000.00"),
        yearly_cap=Decimal("5000000.00"),
        days_overdue_threshold=90,
        bad_loan_ratio_threshold=Decimal("0.0500"),
    )
    for name, value in overrides.items():
        setattr(pool, name, value)
    db.session.add(pool)
    db.session.commit()
    return pool


def loss_parts(net_loss: str) -> dict[str, str]:
    """The parts of a claim, as the API takes them, that come to `net_loss`: that much principal
    outstanding, no interest, nothing realised (for tests about what follows a claim)."""
    return {
        "outstanding_principal": net_loss,
        "accrued_interest": "0.00",
        "collateral_realised": "0.00",
    }


def book_deposit(pool_id: int = 1, number: int = 1) -> None:
    """Commit the sponsor's deposit number `number` of 500.00 into the pool, paid and booked.

    On a session of its own, so that it can commit while another is halfway through a read.
    """
    subject = f"pool:{pool_id}"
    book_payment(
        subject,
        PaymentPurpose.POOL_DEPOSIT,
        Decimal("500.00"),
        f"sponsor:{pool_id}",
        subject,
        number,
    )


def book_payment(
    subject: str,
    purpose: PaymentPurpose,
    amount: Decimal,
    payer: str,
    payee: str,
    number: int = 1,
) -> None:
    """Commit a succeeded payment for `subject` and its ledger transaction, on a session of its
    own; `number` tells apart several payments of one purpose."""
    with Session(db.engine) as session:
        payment = Payment(
            idempotency_key=f"{subject}:{purpose}:{number}",
            purpose=purpose,
            amount=amount,
            payer=payer,
            payee=payee,
            subject=subject,
            state=PaymentState.SUCCEEDED,
        )
        session.add(payment)
        session.flush()
        ledger.book_transfer(session, f"payment:{payment.id}", purpose, payer, payee, amount)
        session.commit()
