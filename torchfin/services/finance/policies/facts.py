"""The facts a policy rule or formula reads, as one plain value gathered from the platform's SQL.

Rules and formulas are pure functions of `PolicyFacts`, so they are tested without a database and
give the same answer in a request and in a worker. The subject of an application names the
record the money follows: a guarantee case and its loan ("guarantee:12"), a listing or merger
("listing:3": the first event of the enterprise's listing on that venue, whose later stages are
events of their own), a fund's placement into the enterprise ("placement:5").
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from torchfin.models import Enterprise, GuaranteeCase, ListingEvent, Placement
from torchfin.models.enums import GuaranteeState, ListingStage, ListingVenue, Qualification
from torchfin.services.finance.subjects import GUARANTEE, LISTING, PLACEMENT, parse_subject

# A guarantee case in one of these states has had its loan paid out to the enterprise.
DISBURSED = frozenset(
    {
        GuaranteeState.DISBURSED,
        GuaranteeState.MONITORING,
        GuaranteeState.RELEASED,
        GuaranteeState.OVERDUE,
        GuaranteeState.COMPENSATED,
        GuaranteeState.RECOVERING,
        GuaranteeState.WRITTEN_OFF,
        GuaranteeState.CLOSED,
    }
)
# ... and in these (or any disbursed one) its guarantee fee has been charged.
FEE_CHARGED = DISBURSED | {GuaranteeState.FEE_COLLECTED}


@dataclass(frozen=True)
class LoanFacts:
    """A loan guaranteed on the platform (a guarantee case): its terms and where it stands.

    The platform records the contracted terms, not the bank's interest statements, so the
    interest paid is worked out as principal x annual rate x months / 12 over the loan's term
    (what the enterprise pays over the term at the contracted rate, no early repayment).
    """

    case_id: int
    principal: Decimal
    annual_rate: Decimal
    term_months: int
    state: GuaranteeState
    fee: Decimal

    @property
    def disbursed(self) -> bool:
        """Whether the loan was paid out."""
        return self.state in DISBURSED

    @property
    def fee_charged(self) -> bool:
        """Whether the agency charged its guarantee fee."""
        return self.state in FEE_CHARGED

    @property
    def interest_paid(self) -> Decimal:
        """Interest over the term at the contracted rate (see the class docstring)."""
        return self.principal * self.annual_rate * self.term_months / 12


@dataclass(frozen=True)
class ListingFacts:
    """An event of a listing or merger of the enterprise recorded on the platform."""

    event_id: int
    venue: ListingVenue
    stage: ListingStage
    event_on: date
    reference: str

    @classmethod
    def of(cls, event: ListingEvent) -> "ListingFacts":
        """The facts of a recorded event."""
        return cls(event.id, event.venue, event.stage, event.event_on, event.reference)


# The listing stage each stage of a staged listing reward needs recorded (or a later one).
STAGE_NEEDS = {
    "filing": ListingStage.FILED,
    "approval": ListingStage.APPROVED,
    "listing": ListingStage.LISTED,
}


def stage_needed(stage: str) -> ListingStage:
    """The listing stage an application's `stage` needs recorded; the listing itself for a
    policy that is not staged ("") or a stage of another name, so nothing is paid early."""
    return STAGE_NEEDS.get(stage, ListingStage.LISTED)


@dataclass(frozen=True)
class ListingTrack:
    """The enterprise's listing on one venue: the subject's event and every event of that
    listing, in the order recorded (filed, approved, listed; see `listing_events`)."""

    subject: ListingFacts
    events: tuple[ListingFacts, ...]

    def reaching(self, wanted: ListingStage) -> ListingFacts | None:
        """The first event recorded at `wanted` or a later stage, if any."""
        return next((e for e in self.events if e.stage.reached(wanted)), None)


@dataclass(frozen=True)
class PlacementFacts:
    """A registered sub-fund's placement into the enterprise, and what its exits returned."""

    placement_id: int
    fund_name: str
    amount: Decimal
    placed_on: date
    proceeds: Decimal | None  # None while the fund has not exited

    @property
    def loss(self) -> Decimal | None:
        """What the fund lost on the placement once it exited (0 for a gain), else None."""
        if self.proceeds is None:
            return None
        return max(self.amount - self.proceeds, Decimal("0.00"))


@dataclass(frozen=True)
class PolicyFacts:
    """An enterprise and the subject of an application, as of a date.

    `qualifications` holds each qualification the enterprise holds with its certificate's
    expiry (None: no expiry recorded). `received_this_year` and `received_in_total` are what
    the enterprise already has approved or paid under the same policy code, for the caps.
    """

    as_of: date
    enterprise_id: int
    enterprise_name: str
    zone_id: int
    zone_name: str
    subject: str
    qualifications: dict[Qualification, date | None] = field(default_factory=dict)
    loan: LoanFacts | None = None
    listing: ListingTrack | None = None
    placement: PlacementFacts | None = None
    received_this_year: Decimal = Decimal("0.00")
    received_in_total: Decimal = Decimal("0.00")


def subject_facts(session: Session, enterprise: Enterprise, subject: str) -> dict:
    """The loan, listing or placement `subject` names, if it is the enterprise's (else nothing)."""
    kind, record_id = parse_subject(subject)
    if kind == GUARANTEE:
        case = session.get(GuaranteeCase, record_id)
        if case is not None and case.enterprise_id == enterprise.id:
            return {
                "loan": LoanFacts(
                    case.id, case.principal, case.loan_rate, case.term_months, case.state, case.fee
                )
            }
    elif kind == LISTING:
        event = session.get(ListingEvent, record_id)
        if event is not None and event.enterprise_id == enterprise.id:
            return {"listing": listing_track(session, event)}
    elif kind == PLACEMENT:
        placement = session.get(Placement, record_id)
        if placement is not None and placement.enterprise_id == enterprise.id:
            proceeds = sum((e.proceeds for e in placement.exits), Decimal("0.00"))
            return {
                "placement": PlacementFacts(
                    placement.id,
                    placement.sub_fund.name,
                    placement.amount,
                    placement.placed_on,
                    proceeds if placement.exits else None,
                )
            }
    return {}


def listing_events(session: Session, event: ListingEvent) -> list[ListingEvent]:
    """The events of the listing `event` belongs to, in the order recorded.

    A listing is its enterprise's events on the venue up to and including a listed one (filed,
    approved, listed); an event recorded after that on the same venue starts another listing
    (quoted again after a delisting). Recorded order, not event dates, keeps a listing's first
    event the same whatever is recorded later.
    """
    listings: list[list[ListingEvent]] = [[]]
    for recorded in session.scalars(
        select(ListingEvent)
        .where(
            ListingEvent.enterprise_id == event.enterprise_id,
            ListingEvent.venue == event.venue,
        )
        .order_by(ListingEvent.id)
    ):
        listings[-1].append(recorded)
        if recorded.stage == ListingStage.LISTED:
            listings.append([])
    return next(listing for listing in listings if event in listing)


def listing_track(session: Session, event: ListingEvent) -> ListingTrack:
    """The listing `event` belongs to, as facts."""
    events = listing_events(session, event)
    return ListingTrack(ListingFacts.of(event), tuple(ListingFacts.of(e) for e in events))


def gather_facts(
    session: Session,
    enterprise: Enterprise,
    subject: str,
    as_of: date,
    received: tuple[Decimal, Decimal] = (Decimal("0.00"), Decimal("0.00")),
) -> PolicyFacts:
    """Collect the facts of `enterprise` and `subject` as of `as_of`.

    `received` is what the enterprise already has under the policy (this year, in total).
    """
    return PolicyFacts(
        as_of=as_of,
        enterprise_id=enterprise.id,
        enterprise_name=enterprise.name,
        zone_id=enterprise.zone_id,
        zone_name=enterprise.zone.name_zh,
        subject=subject,
        qualifications={q.kind: q.expires_on for q in enterprise.qualifications},
        received_this_year=received[0],
        received_in_total=received[1],
        **subject_facts(session, enterprise, subject),
    )
