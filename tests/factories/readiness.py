"""Readiness records for tests: the facts that make an enterprise ready to list."""

from datetime import date

from tests.factories.registry import make_institution
from torchfin.extensions import db
from torchfin.models import Enterprise, GovernanceRecord, ReadinessProfile
from torchfin.models.enums import GovernanceBody, InstitutionKind, LegalForm

# `make_enterprise` files financials for 2023 and 2024 and founds in 2015: ready on this date.
READY_ON = date(2025, 6, 30)


def make_ready_facts(enterprise: Enterprise, letter: bool = True) -> ReadinessProfile:
    """Make `enterprise` a joint-stock company with every fact recorded to be ready on READY_ON."""
    enterprise.legal_form = LegalForm.JSC
    broker = make_institution(InstitutionKind.SECURITIES)
    profile = ReadinessProfile(
        enterprise_id=enterprise.id,
        converted_on=date(2020, 8, 1),
        converted_at_book_value=True,
        main_business="动力电池管理系统",
        shares_lawful=True,
        shares_evidence="法律意见书（2025）第12号",
        sponsor_broker_id=broker.id,
        sponsor_engaged_on=date(2025, 1, 10),
        confirmation_letter_no="京政函〔2025〕15号" if letter else None,
        confirmation_letter_on=date(2025, 4, 1) if letter else None,
    )
    db.session.add(profile)
    db.session.add_all(
        GovernanceRecord(
            enterprise_id=enterprise.id, body=body, held_on=date(2025, 3, 1), minutes_ref="会议记录"
        )
        for body in GovernanceBody
    )
    db.session.commit()
    return profile
