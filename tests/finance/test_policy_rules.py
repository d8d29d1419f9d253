"""Policy rules and formulas as pure functions: pass / fail / unknown with evidence, amounts to
the fen, caps, and the hand-worked cases of the issue."""

from datetime import date
from decimal import Decimal

from torchfin.models import Policy
from torchfin.models.enums import (
    GuaranteeState,
    ListingStage,
    ListingVenue,
    PolicyKind,
    Qualification,
    ReadinessOutcome,
    RuleStatus,
)
from torchfin.services.finance.policies.evaluation import evaluate
from torchfin.services.finance.policies.facts import (
    ListingFacts,
    ListingTrack,
    LoanFacts,
    PlacementFacts,
    PolicyFacts,
)
from torchfin.services.finance.policies.formulas import work_out
from torchfin.services.finance.policies.rules import evaluate_rule
from torchfin.services.said import Said

AS_OF = date(2026, 6, 30)
LOAN = LoanFacts(
    7, Decimal("5000000.00"), Decimal("0.0435"), 12, GuaranteeState.DISBURSED, Decimal("100000.00")
)


def facts(**overrides) -> PolicyFacts:
    base = {
        "as_of": AS_OF,
        "enterprise_id": 1,
        "enterprise_name": "北京某科技有限公司",
        "zone_id": 1,
        "zone_name": "中关村科技园区",
        "subject": "guarantee:7",
        "qualifications": {Qualification.HIGH_TECH: date(2027, 12, 31)},
        "loan": LOAN,
    }
    return PolicyFacts(**(base | overrides))


def interest_policy(**overrides) -> Policy:
    values = {
        "id": 1,
        "zone_id": 1,
        "code": "zgc-loan-interest-subsidy",
        "version": 1,
        "kind": PolicyKind.INTEREST_SUBSIDY,
        "valid_from": date(2024, 1, 1),
        "valid_to": date(2028, 12, 31),
        "rules": [
            {"rule": "in_zone"},
            {"rule": "qualification", "any_of": ["high_tech", "tech_sme"]},
            {"rule": "loan_disbursed"},
        ],
        "formula": {"type": "interest_share", "share": "0.5000", "cap": "500000.00"},
        "yearly_cap": Decimal("500000.00"),
        "per_enterprise_cap": None,
    }
    return Policy(**(values | overrides))


def test_interest_subsidy_on_five_million_at_435_for_a_year_is_108750():
    evaluation = evaluate(interest_policy(), facts(), "")
    assert evaluation.outcome == ReadinessOutcome.READY
    assert evaluation.amount == Decimal("108750.00")
    assert evaluation.working["interest_paid"] == "217500.00"
    assert evaluation.working["share"] == "0.5000"
    assert [r.code for r in evaluation.results] == [
        "in_force",
        "in_zone",
        "qualification",
        "loan_disbursed",
    ]


def test_interest_subsidy_is_capped_by_the_formula_and_by_what_the_year_left():
    big = LoanFacts(
        8, Decimal("30000000.00"), Decimal("0.05"), 12, GuaranteeState.DISBURSED, Decimal(0)
    )
    capped = evaluate(interest_policy(), facts(loan=big), "")
    assert capped.amount == Decimal("500000.00")
    assert capped.working["binding"] == "formula_cap"
    partly_used = evaluate(interest_policy(), facts(received_this_year=Decimal("450000.00")), "")
    assert partly_used.amount == Decimal("50000.00")
    assert partly_used.working["left"] == {"yearly_cap": "50000.00", "binding": "yearly_cap"}


def test_missing_qualification_fails_and_an_expired_certificate_fails_with_its_date():
    none = evaluate_rule(
        {"rule": "qualification", "any_of": ["high_tech"]}, facts(qualifications={})
    )
    assert none.status == RuleStatus.FAIL
    assert "No high-tech enterprise qualification" in none.evidence.en
    expired = evaluate_rule(
        {"rule": "qualification", "any_of": ["high_tech"]},
        facts(qualifications={Qualification.HIGH_TECH: date(2025, 12, 31)}),
    )
    assert expired.status == RuleStatus.FAIL
    assert expired.evidence.en == "The high-tech enterprise certificate expired on 2025-12-31."
    held = evaluate_rule({"rule": "qualification", "any_of": ["tech_sme", "high_tech"]}, facts())
    assert held.status == RuleStatus.PASS
    assert held.evidence.zh == "持有高新技术企业资格，有效期至2027-12-31。"


def test_a_loan_not_on_the_platform_is_unknown_and_an_undisbursed_one_fails():
    unknown = evaluate_rule({"rule": "loan_disbursed"}, facts(loan=None))
    assert unknown.status == RuleStatus.UNKNOWN
    pending = LoanFacts(
        7, Decimal("1000000"), Decimal("0.04"), 12, GuaranteeState.CONTRACT_SIGNED, Decimal(0)
    )
    failed = evaluate_rule({"rule": "loan_disbursed"}, facts(loan=pending))
    assert failed.status == RuleStatus.FAIL
    assert "contract_signed" in failed.evidence.en
    evaluation = evaluate(interest_policy(), facts(loan=None), "")
    assert evaluation.outcome == ReadinessOutcome.INCOMPLETE
    assert evaluation.amount is None and evaluation.working == {"missing": "loan"}


def test_an_enterprise_of_another_zone_and_a_policy_out_of_force_fail():
    elsewhere = evaluate(interest_policy(), facts(zone_id=2, zone_name="武汉东湖"), "")
    assert elsewhere.outcome == ReadinessOutcome.NOT_READY
    assert elsewhere.results[1].status == RuleStatus.FAIL
    expired = evaluate(interest_policy(valid_to=date(2025, 12, 31)), facts(), "")
    assert expired.results[0].code == "in_force"
    assert expired.results[0].status == RuleStatus.FAIL


def test_guarantee_fee_subsidy_is_a_share_of_the_fee_charged():
    worked = work_out({"type": "fee_share", "share": "0.5", "cap": "200000"}, facts(), "")
    assert worked.amount == Decimal("50000.00")
    collected = LoanFacts(
        7, Decimal("5000000"), Decimal("0.0435"), 12, GuaranteeState.FEE_COLLECTED, Decimal(1)
    )
    assert evaluate_rule({"rule": "guarantee_fee_charged"}, facts(loan=collected)).status == (
        RuleStatus.PASS
    )


def _track(*events: ListingFacts) -> ListingTrack:
    return ListingTrack(events[0], events)


FILED = ListingFacts(3, ListingVenue.CHINEXT, ListingStage.FILED, date(2025, 1, 8), "300999")
LISTED = ListingFacts(9, ListingVenue.CHINEXT, ListingStage.LISTED, date(2025, 6, 18), "300999")
STAGED = {"type": "stages", "stages": {"filing": "1000000.00", "listing": "2000000.00"}}
LISTING_RULE = {"rule": "listing_event", "venues": ["main_board", "chinext"]}


def test_staged_listing_reward_pays_the_sum_of_each_stage_and_nothing_for_others():
    listed = facts(listing=_track(FILED, LISTED), loan=None)
    assert work_out(STAGED, listed, "filing").amount == Decimal("1000000.00")
    assert work_out(STAGED, listed, "listing").amount == Decimal("2000000.00")
    assert work_out(STAGED, listed, "approval").amount is None
    for stage in ("filing", "listing"):
        assert evaluate_rule(LISTING_RULE | {"stage": stage}, listed).status == RuleStatus.PASS
    quoted = ListingFacts(3, ListingVenue.NEEQ, ListingStage.LISTED, date(2025, 6, 18), "874001")
    assert evaluate_rule(LISTING_RULE, facts(listing=_track(quoted))).status == RuleStatus.FAIL


def test_a_filed_listing_pays_its_filing_stage_and_fails_the_listing_stage_naming_the_event():
    filed = facts(listing=_track(FILED), loan=None)
    assert work_out(STAGED, filed, "filing").amount == Decimal("1000000.00")
    worked = work_out(STAGED, filed, "listing")
    assert (worked.amount, worked.working) == (
        None,
        {"missing": "listing event at stage listed"},
    )
    passed = evaluate_rule(LISTING_RULE | {"stage": "filing"}, filed)
    assert passed.status == RuleStatus.PASS
    assert passed.evidence == Said(
        "2025-01-08 chinext 申报受理：300999。", "chinext filing accepted on 2025-01-08: 300999."
    )
    failed = evaluate_rule(LISTING_RULE | {"stage": "listing"}, filed)
    assert failed.status == RuleStatus.FAIL
    assert failed.evidence.en == (
        "No listed event recorded yet; the latest: chinext filing accepted on 2025-01-08: 300999."
    )
    assert failed.next_step.en == "Apply once the zone records the listed event."
    # A stage of another name, or a policy not staged, needs the listing: nothing is paid early.
    for stage in ("quotation", ""):
        assert evaluate_rule(LISTING_RULE | {"stage": stage}, filed).status == RuleStatus.FAIL


def test_a_later_stage_shows_the_earlier_ones_were_reached_and_is_the_evidence():
    # Only the listing was recorded: its filing was accepted before, so the filing stage passes.
    listed_only = facts(listing=_track(LISTED), loan=None)
    result = evaluate_rule(LISTING_RULE | {"stage": "filing"}, listed_only)
    assert result.status == RuleStatus.PASS
    assert result.evidence.en == "chinext listed on 2025-06-18: 300999."
    assert work_out(STAGED, listed_only, "filing").amount == Decimal("1000000.00")
    # An approval recorded is not a listing.
    approved = ListingFacts(5, ListingVenue.CHINEXT, ListingStage.APPROVED, date(2025, 4, 2), "")
    track = facts(listing=_track(FILED, approved), loan=None)
    assert evaluate_rule(LISTING_RULE | {"stage": "listing"}, track).status == RuleStatus.FAIL
    assert evaluate_rule(LISTING_RULE | {"stage": "approval"}, track).status == RuleStatus.PASS


def test_a_listing_not_on_the_platform_is_unknown():
    result = evaluate_rule(LISTING_RULE | {"stage": "filing"}, facts(loan=None))
    assert result.status == RuleStatus.UNKNOWN
    assert work_out(STAGED, facts(loan=None), "filing").amount is None


def test_vc_risk_subsidy_shares_the_loss_once_the_fund_exited():
    formula = {"type": "loss_share", "share": "0.2", "cap": "1000000"}
    held = PlacementFacts(5, "中关村天使基金", Decimal("3000000"), date(2022, 1, 5), None)
    assert work_out(formula, facts(placement=held), "").amount is None
    exited = PlacementFacts(
        5, "中关村天使基金", Decimal("3000000"), date(2022, 1, 5), Decimal(500000)
    )
    worked = work_out(formula, facts(placement=exited), "")
    assert worked.amount == Decimal("500000.00")
    assert worked.working["loss"] == "2500000.00"
