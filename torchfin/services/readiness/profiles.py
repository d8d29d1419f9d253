"""Recording the facts readiness is checked on: the profile and governance meetings."""

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Enterprise, GovernanceRecord, Institution, ReadinessProfile, User
from torchfin.models.enums import InstitutionKind
from torchfin.services.errors import Invalid
from torchfin.services.records import apply_fields, get_or_404
from torchfin.services.zone_access import require_enterprise_follower

PROFILE_FIELDS = (
    "converted_on",
    "converted_at_book_value",
    "main_business",
    "shares_lawful",
    "shares_evidence",
    "sponsor_broker_id",
    "sponsor_engaged_on",
    "confirmation_letter_no",
    "confirmation_letter_on",
)


def profile_of(enterprise_id: int) -> ReadinessProfile | None:
    """The readiness profile of an enterprise, if one was recorded."""
    return db.session.scalar(
        select(ReadinessProfile).where(ReadinessProfile.enterprise_id == enterprise_id)
    )


def meetings_of(enterprise_id: int) -> list[GovernanceRecord]:
    """The recorded governance meetings of an enterprise, oldest first."""
    return list(
        db.session.scalars(
            select(GovernanceRecord)
            .where(GovernanceRecord.enterprise_id == enterprise_id)
            .order_by(GovernanceRecord.held_on, GovernanceRecord.id)
        )
    )


def followed_enterprise(user: User, enterprise_id: int) -> Enterprise:
    """The enterprise, when `user` may see and change its listing records."""
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
    require_enterprise_follower(user, enterprise)
    return enterprise


def _check_consistency(enterprise: Enterprise, values: dict) -> None:
    # Checked on the would-be values, before the profile row changes: a refusal leaves no trace.
    errors: dict[str, list[str]] = {}
    if values["sponsor_broker_id"] is not None:
        broker = db.session.get(Institution, values["sponsor_broker_id"])
        if broker is None or broker.kind != InstitutionKind.SECURITIES:
            errors["sponsor_broker_id"] = ["Must be a securities firm registered on the platform."]
    if values["converted_on"] is not None and values["converted_on"] < enterprise.founded_on:
        errors["converted_on"] = ["Cannot be before the enterprise was founded."]
    if errors:
        raise Invalid("inconsistent readiness profile", errors)


def save_profile(user: User, enterprise_id: int, data: dict) -> ReadinessProfile:
    """Create or change the readiness profile of an enterprise (fields absent stay as they are)."""
    enterprise = followed_enterprise(user, enterprise_id)
    profile = profile_of(enterprise_id) or ReadinessProfile(enterprise_id=enterprise_id)
    _check_consistency(
        enterprise, {name: data.get(name, getattr(profile, name)) for name in PROFILE_FIELDS}
    )
    apply_fields(profile, data, PROFILE_FIELDS)
    db.session.add(profile)
    db.session.commit()
    return profile


def add_meeting(user: User, enterprise_id: int, data: dict) -> GovernanceRecord:
    """Record a meeting of the shareholders, the board or the supervisors."""
    enterprise = followed_enterprise(user, enterprise_id)
    if data["held_on"] < enterprise.founded_on:
        raise Invalid("too early", {"held_on": ["Cannot be before the enterprise was founded."]})
    meeting = GovernanceRecord(enterprise_id=enterprise_id, **data)
    db.session.add(meeting)
    db.session.commit()
    return meeting
