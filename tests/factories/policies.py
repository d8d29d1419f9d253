"""Building policies and the loans, listings and applications they follow."""

from datetime import date
from decimal import Decimal

from schemas.policy import policy_file_schema
from tests.factories.finance import Parties
from torchfin.extensions import db
from torchfin.models import EnterpriseQualification, GuaranteeCase, ListingEvent, Policy, Zone
from torchfin.models.enums import GuaranteeState, ListingStage, ListingVenue, Qualification
from torchfin.reference_data import policies as policy_files
from torchfin.services.finance.policies.declarations import declare

ZGC_FILE = policy_files.FILES / "zhongguancun.json"


def zgc_policy(zone: Zone, code: str, **overrides) -> Policy:
    """Declare the policy `code` of the reviewed 中关村 file for `zone`, with `overrides`."""
    import json

    raw = json.loads(ZGC_FILE.read_text(encoding="utf-8"))
    item = next(p for p in raw["policies"] if p["code"] == code) | overrides
    data = policy_file_schema.load({"zone": zone.code, "policies": [item]})["policies"][0]
    policy = declare(db.session, zone, data)
    db.session.commit()
    return policy


def qualify(parties: Parties, kind: Qualification = Qualification.HIGH_TECH) -> None:
    """Give the enterprise a qualification without expiry."""
    db.session.add(EnterpriseQualification(enterprise_id=parties.enterprise.id, kind=kind))
    db.session.commit()


def make_loan_case(
    parties: Parties,
    principal: str = "5000000.00",
    rate: str = "0.0435",
    months: int = 12,
    state: GuaranteeState = GuaranteeState.DISBURSED,
    fee_rate: str = "0.0200",
) -> GuaranteeCase:
    """A guarantee case of the enterprise, by default disbursed."""
    case = GuaranteeCase(
        enterprise_id=parties.enterprise.id,
        bank_id=parties.bank.id,
        agency_id=parties.agency.id,
        principal=Decimal(principal),
        term_months=months,
        loan_rate=Decimal(rate),
        fee_rate=Decimal(fee_rate),
        fee=Decimal(principal) * Decimal(fee_rate) * months / 12,
        state=state,
    )
    db.session.add(case)
    db.session.commit()
    return case


def make_listing(
    parties: Parties,
    venue: ListingVenue = ListingVenue.CHINEXT,
    stage: ListingStage = ListingStage.LISTED,
    event_on: date = date(2025, 6, 18),
) -> ListingEvent:
    """An event of a listing of the enterprise (listed, unless another stage is named)."""
    event = ListingEvent(
        enterprise_id=parties.enterprise.id,
        venue=venue,
        stage=stage,
        event_on=event_on,
        reference="300999",
    )
    db.session.add(event)
    db.session.commit()
    return event
