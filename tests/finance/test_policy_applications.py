"""Applications under policies: offers worked out from the platform's records, applying, the
state machine with an audit event per step, staged rewards never twice, versions kept."""

from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from tests.factories.accounts import make_zone_admin
from tests.factories.policies import make_listing, make_loan_case, qualify, zgc_policy
from tests.factories.registry import make_zone
from torchfin.extensions import db
from torchfin.models import EnterpriseQualification, PolicyApplication, PolicyBudget
from torchfin.models.enums import ApplicationState, GuaranteeState, ListingStage, ListingVenue
from torchfin.services.errors import Conflict, Forbidden, Invalid, NotFound
from torchfin.services.finance import audit
from torchfin.services.finance.policies import applications
from torchfin.services.finance.policies.applications import application_subject

INTEREST = "zgc-loan-interest-subsidy"
LISTING = "zgc-listing-reward"


def test_the_sme_is_offered_the_interest_subsidy_worked_out_from_its_loan(parties):
    policy = zgc_policy(parties.zone, INTEREST)
    qualify(parties)
    case = make_loan_case(parties)
    make_loan_case(parties, state=GuaranteeState.DUE_DILIGENCE)
    offers = applications.offers(parties.sme)
    assert [(o.policy.code, o.subject) for o in offers] == [
        (INTEREST, f"guarantee:{case.id}"),
        (INTEREST, f"guarantee:{case.id + 1}"),
    ]
    ready, pending = offers
    assert ready.evaluation.amount == Decimal("108750.00")
    assert ready.evaluation.eligible and ready.application_id is None
    assert not pending.evaluation.eligible
    assert pending.evaluation.results[-1].status.value == "fail"
    application = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case.id}"}
    )
    assert application.amount == Decimal("108750.00")
    assert application.state == ApplicationState.APPLIED
    assert application.evaluation["version"] == 1
    assert application.evaluation["working"]["interest_paid"] == "217500.00"
    assert applications.offers(parties.sme)[0].application_id == application.id


def test_applying_with_a_failed_rule_is_refused_naming_it_and_leaves_no_row(parties):
    policy = zgc_policy(parties.zone, INTEREST)
    case = make_loan_case(parties)  # no qualification recorded
    with pytest.raises(Invalid) as refused:
        applications.apply(parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case.id}"})
    assert refused.value.errors == {"subject": ["Rule failed: qualification."]}
    db.session.rollback()
    assert db.session.query(PolicyApplication).count() == 0


def test_review_then_approve_or_reject_each_an_audit_event_and_illegal_moves_409(parties):
    policy = zgc_policy(parties.zone, INTEREST)
    qualify(parties)
    first, second = make_loan_case(parties), make_loan_case(parties, principal="1000000.00")
    zone_admin = parties.sponsor
    a = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{first.id}"}
    )
    b = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{second.id}"}
    )
    with pytest.raises(Conflict, match="cannot approve an application that is applied"):
        applications.act(zone_admin, a.id, "approve", {})
    with pytest.raises(Forbidden):
        applications.act(parties.sme, a.id, "review", {})
    with pytest.raises(Invalid, match="reject needs reason"):
        applications.act(zone_admin, b.id, "reject", {})
    applications.act(zone_admin, a.id, "review", {})
    approved = applications.act(zone_admin, a.id, "approve", {})
    assert approved.state == ApplicationState.APPROVED and approved.budget_year is not None
    rejected = applications.act(zone_admin, b.id, "reject", {"reason": "贷款用途与主营无关"})
    assert rejected.state == ApplicationState.REJECTED and rejected.reason == "贷款用途与主营无关"
    with pytest.raises(Conflict, match="allowed now: nothing"):
        applications.act(zone_admin, b.id, "review", {})
    steps = [
        (e.action, e.from_state, e.to_state)
        for e in audit.timeline(db.session, application_subject(a.id))
    ]
    assert steps == [
        ("apply", None, "applied"),
        ("review", "applied", "reviewing"),
        ("approve", "reviewing", "approved"),
    ]
    approval = audit.timeline(db.session, application_subject(a.id))[-1]
    assert approval.data["amount"] == "108750.00"
    assert approval.data["budget_left"] == "19891250.00"


def test_an_application_whose_rules_fail_by_the_decision_is_not_approved(parties):
    policy = zgc_policy(parties.zone, INTEREST)
    qualify(parties)
    case = make_loan_case(parties)
    a = applications.apply(parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case.id}"})
    applications.act(parties.sponsor, a.id, "review", {})
    # The enterprise's 高新技术企业 qualification is withdrawn before the zone decides.
    db.session.execute(
        delete(EnterpriseQualification).where(
            EnterpriseQualification.enterprise_id == parties.enterprise.id
        )
    )
    db.session.commit()

    with pytest.raises(Conflict, match="no longer meets qualification") as refused:
        applications.act(parties.sponsor, a.id, "approve", {})

    assert refused.value.errors == {"subject": ["Rule failed: qualification."]}
    db.session.rollback()
    assert db.session.get(PolicyApplication, a.id).state == ApplicationState.REVIEWING
    assert db.session.scalar(select(func.count()).select_from(PolicyBudget)) == 0
    rejected = applications.act(parties.sponsor, a.id, "reject", {"reason": "资质已失效"})
    assert rejected.state == ApplicationState.REJECTED


def test_another_zones_administrator_cannot_decide(parties):
    policy = zgc_policy(parties.zone, INTEREST)
    qualify(parties)
    case = make_loan_case(parties)
    a = applications.apply(parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case.id}"})
    stranger = make_zone_admin(make_zone("wuhan", "武汉东湖新技术开发区"))
    with pytest.raises(NotFound):
        applications.act(stranger, a.id, "review", {})


def test_a_stage_of_the_listing_reward_has_one_live_application(parties):
    policy = zgc_policy(parties.zone, LISTING)
    event = make_listing(parties)
    subject = f"listing:{event.id}"
    offers = applications.offers(parties.sme)
    assert [(o.stage, o.evaluation.amount) for o in offers] == [
        ("filing", Decimal("1000000.00")),
        ("listing", Decimal("2000000.00")),
    ]
    filing = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": subject, "stage": "filing"}
    )
    with pytest.raises(Conflict, match="already has an application"):
        applications.apply(
            parties.sme, {"policy_id": policy.id, "subject": subject, "stage": "filing"}
        )
    db.session.rollback()
    listing = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": subject, "stage": "listing"}
    )
    assert (filing.amount, listing.amount) == (Decimal("1000000.00"), Decimal("2000000.00"))
    with pytest.raises(Invalid, match="unknown stage"):
        applications.apply(
            parties.sme, {"policy_id": policy.id, "subject": subject, "stage": "approval"}
        )


def test_a_listings_events_are_one_subject_and_an_event_after_the_listing_starts_another(
    parties,
):
    zgc_policy(parties.zone, LISTING)
    filed = make_listing(parties, stage=ListingStage.FILED)
    make_listing(parties, stage=ListingStage.APPROVED)
    make_listing(parties)
    # Quoted on NEEQ meanwhile: another venue, another listing.
    neeq = make_listing(parties, venue=ListingVenue.NEEQ, stage=ListingStage.FILED)
    # Filed again on ChiNext after listing there: a listing of its own, not yet listed.
    again = make_listing(parties, stage=ListingStage.FILED)
    offered = [(o.subject, o.stage, o.evaluation.amount) for o in applications.offers(parties.sme)]
    assert offered == [
        (f"listing:{filed.id}", "filing", Decimal("1000000.00")),
        (f"listing:{filed.id}", "listing", Decimal("2000000.00")),
        (f"listing:{neeq.id}", "filing", Decimal("1000000.00")),
        (f"listing:{neeq.id}", "listing", None),
        (f"listing:{again.id}", "filing", Decimal("1000000.00")),
        (f"listing:{again.id}", "listing", None),
    ]


def test_a_rejected_stage_may_be_applied_for_again(parties):
    policy = zgc_policy(parties.zone, LISTING)
    subject = f"listing:{make_listing(parties).id}"
    data = {"policy_id": policy.id, "subject": subject, "stage": "filing"}
    first = applications.apply(parties.sme, data)
    applications.act(parties.sponsor, first.id, "reject", {"reason": "材料不全"})
    again = applications.apply(parties.sme, data)
    assert again.id != first.id and again.state == ApplicationState.APPLIED


def test_a_new_version_leaves_applications_of_the_old_one_as_evaluated(parties):
    old = zgc_policy(parties.zone, INTEREST)
    qualify(parties)
    case = make_loan_case(parties)
    a = applications.apply(parties.sme, {"policy_id": old.id, "subject": f"guarantee:{case.id}"})
    new = zgc_policy(parties.zone, INTEREST, formula={"type": "interest_share", "share": "0.3000"})
    assert new.version == 2
    db.session.expire_all()
    kept = db.session.get(PolicyApplication, a.id)
    assert kept.policy_id == old.id and kept.amount == Decimal("108750.00")
    assert kept.evaluation["version"] == 1
    other = make_loan_case(parties)
    with pytest.raises(Invalid, match="superseded"):
        applications.apply(parties.sme, {"policy_id": old.id, "subject": f"guarantee:{other.id}"})
    b = applications.apply(parties.sme, {"policy_id": new.id, "subject": f"guarantee:{other.id}"})
    assert b.amount == Decimal("65250.00")
