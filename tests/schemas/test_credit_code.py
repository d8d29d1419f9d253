"""The unified social credit code checks (GB 32100-2015 and GB 11714), without services."""

import pytest
from marshmallow import ValidationError

from schemas.credit_code import ALPHABET, CODE_CHECK, FORMAT, ORGANISATION_CHECK, find_problems
from schemas.enterprise import EnterpriseSchema

REAL_CODES = ["914403001922038216", "9144030071526726XG", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_both_checks(code):
    assert find_problems(code) == []


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_character_change_is_rejected_naming_the_check(code):
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            checks = {p.check for p in find_problems(changed)}
            assert checks, f"{changed} (position {position + 1}) was accepted"
            if 8 <= position <= 16:
                # The organisation code and its own check digit live in characters 9-17.
                assert checks & {ORGANISATION_CHECK, CODE_CHECK}
            else:
                assert checks == {CODE_CHECK}


def test_organisation_check_failure_is_named_even_when_overall_check_is_recomputed():
    from schemas.credit_code import code_check_char

    body = "91110000802100432"  # ninth organisation character changed from 3 to 2
    problems = find_problems(body + code_check_char(body))
    assert [p.check for p in problems] == [ORGANISATION_CHECK]
    assert "GB 11714" in problems[0].message


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91110000802100433", "18 characters"),
        ("91110000802100433I", "alphabet"),
        ("", "18 characters"),
    ],
)
def test_malformed_codes_report_format(code, fragment):
    problems = find_problems(code)
    assert problems[0].check == FORMAT
    assert fragment in problems[0].message


def _enterprise(**overrides):
    data = {
        "credit_code": "91110000802100433B",
        "name": "北京测试科技有限公司",
        "legal_form": "llc",
        "founded_on": "2015-03-01",
        "zone": "zhongguancun",
        "industries": ["nev"],
    }
    return {**data, **overrides}


def test_schema_error_names_the_failed_check():
    with pytest.raises(ValidationError) as caught:
        EnterpriseSchema().load(_enterprise(credit_code="91110000802100433C"))
    messages = caught.value.messages["credit_code"]
    assert any(m.startswith(f"{CODE_CHECK}:") for m in messages)


def test_schema_accepts_failed_checksum_only_with_override_reason():
    loaded = EnterpriseSchema().load(
        _enterprise(
            credit_code="91110000802100433C", credit_code_override_reason="工商档案原样录入"
        )
    )
    assert loaded["credit_code_override_reason"] == "工商档案原样录入"


def test_override_never_excuses_a_malformed_code():
    with pytest.raises(ValidationError) as caught:
        EnterpriseSchema().load(
            _enterprise(credit_code="9111000080210043", credit_code_override_reason="x")
        )
    assert caught.value.messages["credit_code"][0].startswith("format:")


def test_lower_case_is_normalised_before_checking():
    assert EnterpriseSchema().load(_enterprise(credit_code="9144030071526726xg"))[
        "credit_code"
    ] == ("9144030071526726XG")
