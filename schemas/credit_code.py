"""Unified social credit code (统一社会信用代码) checks of GB 32100-2015 and GB 11714.

Pure functions, used by the schemas to validate input and by the demo generator to make codes.
"""

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

FORMAT = "format"
ORGANISATION_CHECK = "organisation_check"
CODE_CHECK = "code_check"


@dataclass(frozen=True)
class CreditCodeProblem:
    """One failed check: `check` names which (format, organisation_check, code_check)."""

    check: str
    message: str


def _org_value(ch: str) -> int:
    # GB 11714 reads digits as 0-9 and letters A-Z as 10-35.
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def organisation_check_char(body: str) -> str:
    """The GB 11714 check character for the first eight characters of an organisation code."""
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first seventeen characters of a credit code."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def find_problems(code: str) -> list[CreditCodeProblem]:
    """Return every failed check of `code` (empty when the code is valid)."""
    if len(code) != 18:
        return [CreditCodeProblem(FORMAT, f"must be 18 characters, got {len(code)}")]
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return [
            CreditCodeProblem(
                FORMAT,
                f"contains characters outside the GB 32100 alphabet: {' '.join(bad)} "
                "(letters I, O, S, V, Z and lower case are not used)",
            )
        ]
    problems = []
    org = code[8:17]
    if organisation_check_char(org[:8]) != org[8]:
        problems.append(
            CreditCodeProblem(
                ORGANISATION_CHECK,
                f"organisation code {org} fails its GB 11714 check "
                f"(ninth character should be {organisation_check_char(org[:8])})",
            )
        )
    expected = code_check_char(code[:17])
    if expected != code[17]:
        problems.append(
            CreditCodeProblem(
                CODE_CHECK,
                f"check character fails the GB 32100 check (last character should be {expected})",
            )
        )
    return problems


def complete_code(first16: str) -> str:
    """Append both check characters to the first sixteen characters of a code."""
    with_org = first16 + organisation_check_char(first16[8:16])
    return with_org + code_check_char(with_org)
