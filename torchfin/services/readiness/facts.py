"""The facts a readiness rule reads, as one plain value gathered from SQL.

Rules are pure functions of `ReadinessFacts`, so the rule engine is tested without a database and
the same facts give the same result in a request and in a worker.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from torchfin.models import Enterprise, GovernanceRecord, ReadinessProfile
from torchfin.models.enums import GovernanceBody, LegalForm


@dataclass(frozen=True)
class ReadinessFacts:
    """An enterprise as of a check date, with every optional fact None when nobody recorded it.

    `founded_on` is the original founding date; `legal_form` the enterprise's form as its record
    gives it today; `converted_on` the date a limited company became a joint-stock company (which
    decides the form on the check date when recorded), and `converted_at_book_value` whether it
    converted at book net assets.
    `meetings` holds, per governance body, the latest meeting held on or before `as_of`.
    """

    as_of: date
    enterprise_name: str
    legal_form: LegalForm
    founded_on: date
    zone_name: str
    zone_pilot_since: int | None
    converted_on: date | None = None
    converted_at_book_value: bool | None = None
    revenue_by_year: dict[int, Decimal] = field(default_factory=dict)
    main_business: str | None = None
    meetings: dict[GovernanceBody, date] = field(default_factory=dict)
    shares_lawful: bool | None = None
    shares_evidence: str | None = None
    sponsor_broker: str | None = None
    sponsor_engaged_on: date | None = None
    confirmation_letter_no: str | None = None
    confirmation_letter_on: date | None = None


def gather_facts(
    enterprise: Enterprise,
    profile: ReadinessProfile | None,
    meetings: list[GovernanceRecord],
    as_of: date,
) -> ReadinessFacts:
    """Collect the facts of `enterprise` as of `as_of` from its record, profile and meetings."""
    latest: dict[GovernanceBody, date] = {}
    for meeting in meetings:
        if meeting.held_on <= as_of and meeting.held_on > latest.get(meeting.body, date.min):
            latest[meeting.body] = meeting.held_on
    base = {
        "as_of": as_of,
        "enterprise_name": enterprise.name,
        "legal_form": enterprise.legal_form,
        "founded_on": enterprise.founded_on,
        "zone_name": enterprise.zone.name_zh,
        "zone_pilot_since": enterprise.zone.otc_pilot_since,
        "revenue_by_year": {f.year: f.revenue for f in enterprise.financials},
        "meetings": latest,
    }
    if profile is None:
        return ReadinessFacts(**base)
    return ReadinessFacts(
        **base,
        converted_on=profile.converted_on,
        converted_at_book_value=profile.converted_at_book_value,
        main_business=profile.main_business,
        shares_lawful=profile.shares_lawful,
        shares_evidence=profile.shares_evidence,
        sponsor_broker=profile.sponsor_broker.name if profile.sponsor_broker else None,
        sponsor_engaged_on=profile.sponsor_engaged_on,
        confirmation_letter_no=profile.confirmation_letter_no,
        confirmation_letter_on=profile.confirmation_letter_on,
    )
