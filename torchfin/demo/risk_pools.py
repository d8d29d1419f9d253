"""Demo risk-compensation pools: funded, with registered loans, a repayment, a paid claim with a
recovery and a claim under review, each step taken through `services.pools`.

The first pool belongs to the zone-admin demo user's zone, so that user reviews and pays its
claims; the second, in another zone, is set up and funded by the platform admin. Deposits,
payouts and recoveries are paid by a worker through the sandbox gateway. Loan and claim dates
sit in the 18 months before the demo clock, registrations before defaults, and the defaulted
share stays under the pools' 5 % threshold, as in a pool that still takes new loans.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from schemas.pool import ClaimFileSchema, DepositSchema, PoolLoanSchema, PoolSchema
from torchfin.demo.actors import demo_user, pick_enterprises
from torchfin.demo.script import Step, Track
from torchfin.extensions import db
from torchfin.models import Payment, PoolClaim, PoolLoan, RiskPool, Zone
from torchfin.models.enums import ClaimState, PaymentPurpose, PaymentState, PoolLoanState, Role
from torchfin.services.finance import pools

pool_schema, deposit_schema = PoolSchema(), DepositSchema()
loan_schema, claim_schema = PoolLoanSchema(), ClaimFileSchema()
# How far a claim has come, for "has it reached this action's state yet?".
CLAIM_ORDER = {
    ClaimState.FILED: 0,
    ClaimState.REVIEWING: 1,
    ClaimState.APPROVED: 2,
    ClaimState.REJECTED: 2,
    ClaimState.PAID: 3,
}
CLAIM_ACTIONS = ("review", "approve", "pay")  # each reaches the state of the same rank


@dataclass(frozen=True)
class LoanSpec:
    """A loan the demo bank registers, and when it was repaid if it was."""

    loan_no: str
    principal: str
    registered_on: date
    maturity_on: date
    repaid_on: date | None = None


@dataclass(frozen=True)
class ClaimSpec:
    """A claim on a registered loan, taken up to the sponsor's action `until` ('file': none).

    `loss` is what the bank reports: outstanding principal, accrued interest, collateral and
    guarantees realised (the demo pools cover principal only, so the interest does not count).
    """

    loan_no: str
    loss: tuple[str, str, str]
    days_overdue: int
    filed_on: date
    until: str
    recovered: str = ""  # what the bank later recovered from the borrower


@dataclass(frozen=True)
class PoolSpec:
    """A pool's terms and story; `zone_code` None means the zone-admin demo user's zone."""

    zone_code: str | None
    sponsor: Role
    terms: dict
    deposits: tuple[str, ...]  # the first before any loan, the others after the registrations
    loans: tuple[LoanSpec, ...]
    claims: tuple[ClaimSpec, ...] = field(default=())


_TERMS = {
    "coverage": "0.5000",
    "per_loan_cap": "2000000.00",
    "yearly_cap": "10000000.00",
    "days_overdue_threshold": 90,
    "bad_loan_ratio_threshold": "0.0500",
}


def _loans(prefix: str, rows: list[tuple]) -> tuple[LoanSpec, ...]:
    # (万元, registered, months, repaid on): loan numbers follow the registration order.
    loans = []
    for number, (wan, registered, months, repaid) in enumerate(rows, start=1):
        years, month = divmod(registered.month - 1 + months, 12)
        maturity = registered.replace(year=registered.year + years, month=month + 1)
        loans.append(
            LoanSpec(f"{prefix}-{number:03d}", f"{wan * 10_000}.00", registered, maturity, repaid)
        )
    return tuple(loans)


POOLS = (
    PoolSpec(
        None,
        Role.ZONE_ADMIN,
        _TERMS,
        ("20000000.00", "10000000.00"),
        _loans(
            "FXBC-ZGC",
            [
                (300, date(2025, 6, 12), 24, None),
                (500, date(2025, 6, 28), 24, None),
                (100, date(2025, 7, 9), 12, None),
                (400, date(2025, 8, 15), 24, None),
                (250, date(2025, 9, 3), 12, date(2026, 9, 2)),
                (600, date(2025, 10, 20), 36, None),
                (60, date(2025, 11, 6), 12, None),
                (350, date(2026, 1, 15), 24, None),
                (450, date(2026, 3, 2), 24, None),
                (200, date(2026, 4, 18), 12, None),
                (500, date(2026, 5, 26), 36, None),
                (300, date(2026, 6, 10), 24, None),
            ],
        ),
        (
            ClaimSpec(
                "FXBC-ZGC-003",
                ("950000.00", "31200.00", "50000.00"),  # a net loss of 900,000
                120,
                date(2026, 8, 20),
                "pay",
                "300000.00",
            ),
            ClaimSpec(
                "FXBC-ZGC-007",
                ("560000.00", "14700.00", "60000.00"),  # a net loss of 500,000
                95,
                date(2026, 10, 30),
                "review",
            ),
        ),
    ),
    PoolSpec(
        "wuhan_donghu",
        Role.ADMIN,
        _TERMS | {"coverage": "0.4000", "per_loan_cap": "1500000.00"},
        ("15000000.00",),
        _loans(
            "FXBC-DH",
            [
                (200, date(2026, 2, 9), 12, None),
                (350, date(2026, 4, 22), 24, None),
                (150, date(2026, 7, 1), 12, None),
            ],
        ),
    ),
)


class PoolTrack:
    """A demo pool's story; each step checks the pool's own records to know it is done."""

    def __init__(self, spec: PoolSpec, zone: Zone, enterprise_ids: list[int]):
        self.spec, self.zone_id = spec, zone.id
        self.pool_name = f"{zone.name_zh}科技信贷风险补偿资金池"
        self.sponsor_name = f"{zone.name_zh}管理委员会"
        self.name = f"pool {self.pool_name}"
        self.borrowers = dict(
            zip((loan.loan_no for loan in spec.loans), enterprise_ids, strict=True)
        )

    def pool(self) -> RiskPool | None:
        """The pool, once set up."""
        return db.session.scalar(select(RiskPool).where(RiskPool.name == self.pool_name))

    def loan(self, loan_no: str) -> PoolLoan | None:
        """A registered loan of the pool."""
        pool = self.pool()
        return pool and db.session.scalar(
            select(PoolLoan).where(PoolLoan.pool_id == pool.id, PoolLoan.loan_no == loan_no)
        )

    def claim(self, loan_no: str) -> PoolClaim | None:
        """The claim filed on a loan."""
        loan = self.loan(loan_no)
        return loan and db.session.scalar(select(PoolClaim).where(PoolClaim.loan_id == loan.id))

    def subjects(self) -> list[str]:
        """The pool's subject and its claims'."""
        pool = self.pool()
        if pool is None:
            return []
        claim_ids = db.session.scalars(select(PoolClaim.id).where(PoolClaim.pool_id == pool.id))
        return [pools.pool_subject(pool.id)] + [pools.claim_subject(i) for i in claim_ids]

    def steps(self) -> list[Step]:
        """Set-up, first deposit, registrations, later deposits, repayments, claims."""
        spec = self.spec
        steps = [Step("create", lambda: self.pool() is not None, self._create)]
        steps.append(self._deposit(1, spec.deposits[0]))
        steps += [self._register(loan) for loan in spec.loans]
        steps += [self._deposit(n, amount) for n, amount in enumerate(spec.deposits[1:], 2)]
        steps += [self._repay(loan) for loan in spec.loans if loan.repaid_on]
        for claim in spec.claims:
            steps += self._claim_steps(claim)
        return steps

    def _paid(self, subject: str, purpose: PaymentPurpose) -> int:
        return db.session.scalar(
            select(func.count(Payment.id)).where(
                Payment.subject == subject,
                Payment.purpose == purpose,
                Payment.state == PaymentState.SUCCEEDED,
            )
        )

    def _create(self) -> None:
        data = {"name": self.pool_name, "sponsor": self.sponsor_name, "zone_id": self.zone_id}
        pools.create_pool(demo_user(self.spec.sponsor), pool_schema.load(data | self.spec.terms))

    def _deposit(self, number: int, amount: str) -> Step:
        def done() -> bool:
            subject = pools.pool_subject(self.pool().id)
            return self._paid(subject, PaymentPurpose.POOL_DEPOSIT) >= number

        def run() -> None:
            amount_ = deposit_schema.load({"amount": amount})["amount"]
            pools.deposit(demo_user(self.spec.sponsor), self.pool().id, amount_)

        return Step(f"deposit {number}", done, run)

    def _register(self, loan: LoanSpec) -> Step:
        def run() -> None:
            data = {
                "enterprise_id": self.borrowers[loan.loan_no],
                "loan_no": loan.loan_no,
                "principal": loan.principal,
                "registered_on": loan.registered_on.isoformat(),
                "maturity_on": loan.maturity_on.isoformat(),
            }
            pools.register_loan(demo_user(Role.BANK), self.pool().id, loan_schema.load(data))

        return Step(f"register {loan.loan_no}", lambda: self.loan(loan.loan_no) is not None, run)

    def _repay(self, loan: LoanSpec) -> Step:
        return Step(
            f"repay {loan.loan_no}",
            lambda: self.loan(loan.loan_no).state == PoolLoanState.REPAID,
            lambda: pools.repay_loan(
                demo_user(Role.BANK), self.loan(loan.loan_no).id, loan.repaid_on
            ),
        )

    def _claim_steps(self, claim: ClaimSpec) -> list[Step]:
        def file() -> None:
            principal, interest, realised = claim.loss
            data = {
                "outstanding_principal": principal,
                "accrued_interest": interest,
                "collateral_realised": realised,
                "days_overdue": claim.days_overdue,
                "filed_on": claim.filed_on.isoformat(),
            }
            loan_id = self.loan(claim.loan_no).id
            pools.file_claim(demo_user(Role.BANK), loan_id, claim_schema.load(data))

        steps = [
            Step(f"file on {claim.loan_no}", lambda: self.claim(claim.loan_no) is not None, file)
        ]
        actions = (
            CLAIM_ACTIONS[: CLAIM_ACTIONS.index(claim.until) + 1] if claim.until != "file" else ()
        )
        for rank, action in enumerate(actions, start=1):
            steps.append(
                Step(
                    f"{action} claim on {claim.loan_no}",
                    lambda rank=rank: CLAIM_ORDER[self.claim(claim.loan_no).state] >= rank,
                    lambda action=action: pools.act_on_claim(
                        demo_user(self.spec.sponsor), self.claim(claim.loan_no).id, action, {}
                    ),
                )
            )
        if claim.recovered:
            steps.append(self._recovery(claim))
        return steps

    def _recovery(self, claim: ClaimSpec) -> Step:
        def done() -> bool:
            subject = pools.claim_subject(self.claim(claim.loan_no).id)
            return self._paid(subject, PaymentPurpose.POOL_RECOVERY) > 0

        def run() -> None:
            claim_id = self.claim(claim.loan_no).id
            pools.report_recovery(demo_user(Role.BANK), claim_id, Decimal(claim.recovered))

        return Step(f"recovery on {claim.loan_no}", done, run)


def pool_tracks() -> list[Track]:
    """One track per demo pool; borrowers are enterprises of the pool's zone (lowest ids)."""
    home_zone_id = demo_user(Role.ZONE_ADMIN).organisation.zone_id
    tracks = []
    for spec in POOLS:
        query = select(Zone).where(
            Zone.code == spec.zone_code if spec.zone_code else Zone.id == home_zone_id
        )
        zone = db.session.scalar(query)
        tracks.append(PoolTrack(spec, zone, pick_enterprises(len(spec.loans), zone_id=zone.id)))
    return tracks
