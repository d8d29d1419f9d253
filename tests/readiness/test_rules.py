"""The readiness rules on their own: boundaries of 存续满两年, conversions, missing data."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from torchfin.models.enums import GovernanceBody, LegalForm, ReadinessOutcome, RuleStatus
from torchfin.services.readiness.facts import ReadinessFacts
from torchfin.services.readiness.rule_sets import NATIONAL_2013, PILOT_2006, evaluate
from torchfin.services.readiness.rules import (
    complete_fiscal_years,
    confirmation_letter,
    in_pilot_zone,
    joint_stock_company,
    main_business_continuing,
    two_fiscal_years,
)

AS_OF = date(2013, 6, 30)
MEETINGS = dict.fromkeys(GovernanceBody, date(2013, 3, 1))

COMPLETE = ReadinessFacts(
    as_of=AS_OF,
    enterprise_name="北京示例股份有限公司",
    legal_form=LegalForm.JSC,
    founded_on=date(2010, 5, 4),
    zone_name="中关村科技园区",
    zone_pilot_since=2006,
    converted_on=date(2012, 8, 1),
    converted_at_book_value=True,
    revenue_by_year={2011: Decimal("8000000.00"), 2012: Decimal("12000000.00")},
    main_business="锂电池管理系统",
    meetings=MEETINGS,
    shares_lawful=True,
    shares_evidence="北京某律师事务所法律意见书（2013）第12号",
    sponsor_broker="某证券股份有限公司",
    sponsor_engaged_on=date(2013, 1, 10),
    confirmation_letter_no="京政函〔2013〕15号",
    confirmation_letter_on=date(2013, 4, 1),
)


@pytest.mark.parametrize(
    ("founded", "as_of", "years"),
    [
        (date(2011, 1, 1), date(2012, 12, 31), 1),  # 2012 has not ended yet
        (date(2011, 1, 1), date(2013, 1, 1), 2),  # 2011 and 2012 complete
        (date(2011, 1, 2), date(2013, 1, 1), 1),  # 2011 not complete: founded after 1 January
        (date(2011, 1, 2), date(2013, 12, 31), 1),
        (date(2011, 1, 2), date(2014, 1, 1), 2),
        (date(2010, 12, 31), date(2013, 1, 1), 2),  # 2011 and 2012
        (date(2014, 1, 1), date(2013, 1, 1), 0),  # founded after the check date
    ],
)
def test_complete_fiscal_years_counts_calendar_years_wholly_lived(founded, as_of, years):
    assert complete_fiscal_years(founded, as_of) == years


def test_existence_passes_on_the_first_day_after_the_second_complete_year():
    facts = replace(
        COMPLETE, founded_on=date(2011, 1, 1), converted_on=None, as_of=date(2013, 1, 1)
    )
    assert two_fiscal_years(facts)[0] == RuleStatus.PASS
    assert two_fiscal_years(replace(facts, as_of=date(2012, 12, 31)))[0] == RuleStatus.FAIL


def test_existence_fails_one_day_later_founding():
    facts = replace(
        COMPLETE, founded_on=date(2011, 1, 2), converted_on=None, as_of=date(2013, 1, 1)
    )
    status, evidence, next_step = two_fiscal_years(facts)
    assert status == RuleStatus.FAIL
    assert "1 complete fiscal year" in evidence.en
    assert next_step.zh


def test_conversion_at_book_value_counts_from_the_original_founding():
    facts = replace(COMPLETE, founded_on=date(2010, 5, 4), converted_on=date(2013, 3, 1))
    status, evidence, _ = two_fiscal_years(facts)
    assert status == RuleStatus.PASS
    assert "2010-05-04" in evidence.en and "original founding" in evidence.en


def test_conversion_not_at_book_value_counts_from_the_conversion():
    facts = replace(COMPLETE, converted_on=date(2012, 3, 1), converted_at_book_value=False)
    status, evidence, _ = two_fiscal_years(facts)
    assert status == RuleStatus.FAIL  # only 2013 could count, and it has not ended
    assert "2012-03-01" in evidence.en


def test_unrecorded_conversion_basis_is_unknown_when_the_counts_disagree():
    facts = replace(COMPLETE, converted_on=date(2012, 3, 1), converted_at_book_value=None)
    assert two_fiscal_years(facts)[0] == RuleStatus.UNKNOWN
    # An old conversion passes either way, so the missing basis changes nothing.
    old = replace(facts, founded_on=date(2005, 1, 1), converted_on=date(2008, 6, 1))
    assert two_fiscal_years(old)[0] == RuleStatus.PASS


def test_conversion_dated_after_the_check_date_leaves_a_limited_company():
    facts = replace(COMPLETE, converted_on=date(2013, 7, 1))
    status, evidence, _ = joint_stock_company(facts)
    assert status == RuleStatus.FAIL
    assert "2013-07-01" in evidence.en
    assert joint_stock_company(replace(facts, converted_on=AS_OF))[0] == RuleStatus.PASS


def test_a_conversion_recorded_for_a_limited_company_makes_it_joint_stock_from_that_date():
    """The enterprise's record still reads llc; the dated conversion decides, and says so."""
    facts = replace(
        COMPLETE,
        legal_form=LegalForm.LLC,
        founded_on=date(2019, 3, 1),
        converted_on=date(2026, 6, 30),
        converted_at_book_value=True,
        as_of=date(2026, 11, 25),
    )
    status, evidence, next_step = joint_stock_company(facts)
    assert status == RuleStatus.PASS
    assert "converted from a limited company on 2026-06-30" in evidence.en
    assert "Still a limited company" not in evidence.en
    assert "企业类型仍为有限责任公司" in evidence.zh
    assert "legal form in the enterprise's profile" in next_step.en
    # Existence still counts from the founding across the book-value conversion: 2020-2025.
    status, evidence, _ = two_fiscal_years(facts)
    assert status == RuleStatus.PASS
    assert "6 complete fiscal year(s) from 2019-03-01 (original founding)" in evidence.en
    # Before the conversion it was a limited company, and the advice is to convert.
    before = replace(facts, as_of=date(2026, 6, 29))
    status, evidence, next_step = joint_stock_company(before)
    assert status == RuleStatus.FAIL
    assert "Still a limited company on 2026-06-29 (converted only on 2026-06-30)" in evidence.en
    assert "book net assets" in next_step.en


def test_a_joint_stock_record_with_its_conversion_has_nothing_to_do():
    status, evidence, next_step = joint_stock_company(COMPLETE)
    assert status == RuleStatus.PASS
    assert "converted from a limited company on 2012-08-01" in evidence.en
    assert "legal form" not in evidence.en and next_step.en == "Nothing to do."


def test_limited_company_fails_with_the_conversion_as_next_step():
    status, _, next_step = joint_stock_company(
        replace(COMPLETE, legal_form=LegalForm.LLC, converted_on=None)
    )
    assert status == RuleStatus.FAIL
    assert "book net assets" in next_step.en


def test_pilot_zone_counts_from_the_year_the_zone_joined():
    wuhan = replace(COMPLETE, zone_name="武汉东湖新技术开发区", zone_pilot_since=2012)
    assert in_pilot_zone(replace(wuhan, as_of=date(2011, 12, 31)))[0] == RuleStatus.FAIL
    assert in_pilot_zone(replace(wuhan, as_of=date(2012, 1, 1)))[0] == RuleStatus.PASS
    assert in_pilot_zone(replace(wuhan, zone_pilot_since=None))[0] == RuleStatus.FAIL


def test_missing_financial_year_is_unknown_and_zero_revenue_fails():
    missing = replace(COMPLETE, revenue_by_year={2012: Decimal("1.00")})
    status, evidence, next_step = main_business_continuing(missing)
    assert status == RuleStatus.UNKNOWN
    assert "2011" in evidence.en and "2011" in next_step.en
    zero = replace(COMPLETE, revenue_by_year={2011: Decimal("0.00"), 2012: Decimal("5.00")})
    assert main_business_continuing(zero)[0] == RuleStatus.FAIL
    no_business = replace(COMPLETE, main_business=None)
    assert main_business_continuing(no_business)[0] == RuleStatus.UNKNOWN


def test_letter_dated_after_the_check_date_fails_and_a_missing_one_is_unknown():
    assert (
        confirmation_letter(replace(COMPLETE, confirmation_letter_on=date(2013, 7, 1)))[0]
        == RuleStatus.FAIL
    )
    assert confirmation_letter(replace(COMPLETE, confirmation_letter_no=None))[0] == (
        RuleStatus.UNKNOWN
    )


def test_complete_facts_are_ready_under_both_rule_sets():
    assert evaluate(PILOT_2006, COMPLETE).outcome == ReadinessOutcome.READY
    assert evaluate(NATIONAL_2013, COMPLETE).outcome == ReadinessOutcome.READY
    assert [r.code for r in evaluate(NATIONAL_2013, COMPLETE).results] == [
        "joint_stock",
        "two_fiscal_years",
        "main_business",
        "governance",
        "lawful_shares",
        "sponsoring_broker",
    ]


def test_nothing_recorded_is_never_ready():
    bare = ReadinessFacts(
        as_of=AS_OF,
        enterprise_name="x",
        legal_form=LegalForm.JSC,
        founded_on=date(2005, 1, 1),
        zone_name="中关村科技园区",
        zone_pilot_since=2006,
    )
    evaluation = evaluate(NATIONAL_2013, bare)
    assert evaluation.outcome == ReadinessOutcome.INCOMPLETE
    statuses = {r.code: r.status for r in evaluation.results}
    assert statuses == {
        "joint_stock": RuleStatus.PASS,
        "two_fiscal_years": RuleStatus.PASS,
        "main_business": RuleStatus.UNKNOWN,
        "governance": RuleStatus.UNKNOWN,
        "lawful_shares": RuleStatus.UNKNOWN,
        "sponsoring_broker": RuleStatus.UNKNOWN,
    }


def test_the_national_rules_drop_the_zone_and_the_letter():
    outside = replace(COMPLETE, zone_pilot_since=None, confirmation_letter_no=None)
    assert evaluate(NATIONAL_2013, outside).outcome == ReadinessOutcome.READY
    assert evaluate(PILOT_2006, outside).outcome == ReadinessOutcome.NOT_READY
