"""Field types shared by the schemas: money, dates, clean text, credit codes, enum values."""

import re
from datetime import date
from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from schemas.credit_code import find_problems

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Invisible marks that reorder how text is shown: "invoice\u202efdp.exe" reads "invoiceexe.pdf".
DIRECTION_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A plain decimal: ASCII digits, then a point and digits if any. Decimal() also reads "1e3",
# " 100 ", full-width "１００" and "Infinity", which the documented patterns do not allow.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# The patterns documented for amounts and for rates; [0-9], not \d, which a regex engine may read
# as any Unicode digit, full-width ones included.
MONEY_PATTERN = r"^-?[0-9]{1,16}(\.[0-9]{1,2})?$"
DECIMAL_PATTERN = r"^-?[0-9]{1,16}(\.[0-9]{1,8})?$"
MONEY_MAX = Decimal("9999999999999999.99")  # what Numeric(18, 2) holds
SQL_INT_MAX = 2**31 - 1  # what the INTEGER columns hold (PostgreSQL fails beyond it)

# Where the date windows of the schemas start (see DateWithin).
FOUNDING_EPOCH = date(1900, 1, 1)  # enterprises older than 1949 are still registered (老字号)
MARKET_EPOCH = date(1990, 1, 1)  # the Shanghai and Shenzhen exchanges open in 1990
MONEY_EPOCH = date(2000, 1, 1)  # no call, placement, loan or claim on the platform is older


def _plain_decimal(text: str, *, signed: bool, message: str) -> Decimal:
    """`text` as a Decimal if written as the patterns document it, else `message` as the error.

    A minus sign on zero ("-0", "-0.00") is refused where the value cannot be below zero; where
    it can, it is read as zero (a float formatted as text writes -0.0 as "-0.00").
    """
    if _PLAIN_DECIMAL.fullmatch(text):
        number = Decimal(text)
        if not (number.is_zero() and text.startswith("-")):
            return number
        if signed:
            return number.copy_abs()
    raise ValidationError(message)


class Money(fields.Field):
    """An amount in yuan: a plain decimal string on the wire ("1500000.00"), never a float.

    JSON numbers are refused (the sender's floats may already have rounded them), and so are
    strings the pattern does not allow: exponents, blanks, full-width digits, non-finite values.
    """

    def __init__(self, *, minimum: Decimal = Decimal("0"), **kwargs) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.metadata.setdefault("type", "string")
        self.metadata.setdefault("pattern", MONEY_PATTERN)
        self.metadata.setdefault("example", "1500000.00")

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value):.2f}"

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        if not isinstance(value, str):
            raise ValidationError('Send amounts as decimal strings, for example "1500000.00".')
        amount = _plain_decimal(
            value,
            signed=self.minimum < 0,
            message="Write amounts as plain decimals such as 1500000.00.",
        )
        if amount.as_tuple().exponent < -2:
            raise ValidationError("At most two decimal places (fen).")
        if amount < self.minimum:
            raise ValidationError(f"Must be at least {self.minimum}.")
        if amount > MONEY_MAX:
            raise ValidationError(f"Must be at most {MONEY_MAX}.")
        return amount.quantize(Decimal("0.01"))


class DateWithin(fields.Date):
    """An ISO date within its field's window: from `earliest` to `years_ahead` years after today
    (0: today). A typo such as 0001-01-01 or 9999-12-31 is refused with the window named, before
    date arithmetic overflows on it (the day after 9999-12-31). The window is documented in the
    field's description and, for clients to read, as x-earliest and x-years-ahead."""

    def __init__(self, *, earliest: date, years_ahead: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.earliest, self.years_ahead = earliest, years_ahead
        ahead = f"{years_ahead} years after today"
        latest = {0: "today", 1: "a year after today"}.get(years_ahead, ahead)
        window = f"From {earliest} to {latest}."
        described = self.metadata.get("description")
        self.metadata = {
            **self.metadata,
            "description": f"{described}. {window}" if described else window,
            "x-earliest": earliest.isoformat(),
            "x-years-ahead": years_ahead,
        }

    def latest(self) -> date:
        """The last day the field takes, counted from today."""
        today = date.today()
        try:
            return today.replace(year=today.year + self.years_ahead)
        except ValueError:  # today is 29 February, and that year has none
            return today.replace(year=today.year + self.years_ahead, day=28)

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        latest = self.latest()
        if not self.earliest <= day <= latest:
            raise ValidationError(f"Must be between {self.earliest} and {latest}.")
        return day


class MoneyDay(DateWithin):
    """A day money moves or a figure is taken as of (capital calls, placements, exits, pool
    loans, repayments, claims, statements): from MONEY_EPOCH to a year after today."""

    def __init__(self, **kwargs) -> None:
        super().__init__(earliest=MONEY_EPOCH, years_ahead=1, **kwargs)


class Text(fields.String):
    """A string stripped of surrounding blanks, refused when it holds control characters or
    invisible direction controls (bidi overrides, marks and isolates), which disguise text."""

    def __init__(self, *, max_length: int, min_length: int = 1, validate=None, **kwargs) -> None:
        extra = validate if isinstance(validate, list) else [validate] if validate else []
        super().__init__(validate=[_length(min_length, max_length), *extra], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if _CONTROL.search(text):
            raise ValidationError("Contains control characters.")
        direction = DIRECTION_CONTROLS.search(text)
        if direction:
            code = f"U+{ord(direction.group()):04X}"
            raise ValidationError(f"Contains the invisible direction control {code}.")
        return text


def _length(low: int, high: int) -> validate.Length:
    return validate.Length(min=low, max=high)


class CreditCode(fields.String):
    """A unified social credit code; only its format is checked here (checksums by the schema)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.metadata.setdefault("example", "91110000802100433B")

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        format_problems = [p for p in find_problems(code) if p.check == "format"]
        if format_problems:
            raise ValidationError(f"format: {format_problems[0].message}")
        return code


class EnumValue(fields.Enum):
    """An enum carried by its string value, dumped from a member or from its stored value.

    JSON columns (a mandate's stages and instruments) hold plain strings once reloaded.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and not isinstance(value, self.enum):
            value = self.enum(value)
        return super()._serialize(value, attr, obj, **kwargs)


class Flag(fields.Boolean):
    """A JSON boolean: true or false, not 0, 1, "yes" or "on" (which the schema never promised)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        # Checked by type: 0 == False and 1 == True would pass a membership test.
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class DecimalString(fields.Decimal):
    """A rate, share or ratio as a plain decimal string ("0.0200"), never a float, whose binary
    rounding would creep into money; documented as the string it is on the wire. None is below
    zero, so "-0" is refused; their ranges refuse other negatives."""

    def __init__(self, **kwargs) -> None:
        super().__init__(as_string=True, **{k: v for k, v in kwargs.items() if k != "as_string"})
        self.metadata.setdefault("type", "string")
        self.metadata.setdefault("pattern", DECIMAL_PATTERN)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError('Send a decimal string, for example "0.0200".')
        _plain_decimal(value, signed=False, message="Write plain decimals such as 0.0200.")
        return super()._deserialize(value, attr, data, **kwargs)


class WholeNumber(fields.Integer):
    """An integer, from JSON or from a form's or query string's digits; 2.5, 1e-42 and true are
    refused rather than truncated (marshmallow's Integer turns 2.5 into 2), and so is anything
    beyond what the INTEGER columns hold, which would otherwise overflow in the database driver
    (the bound is documented in the OpenAPI document as well)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Range(-SQL_INT_MAX, SQL_INT_MAX))

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Whole(fields.Nested):
    """A nested record loaded complete even inside a PATCH: a list item is replaced whole, so a
    partial change of its parent must not make the item's own required fields optional."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=False, **kwargs)


def enum_field(enum_cls, **kwargs) -> fields.Enum:
    """An enum carried by its string value."""
    return EnumValue(enum_cls, by_value=True, **kwargs)


def codes(max_items: int = 50, min_items: int = 0, **kwargs) -> fields.List:
    """A list of short codes (industry, zone, province), without duplicates."""
    return fields.List(
        Text(max_length=40),
        validate=[validate.Length(min=min_items, max=max_items), _unique],
        **kwargs,
    )


def _unique(values: list) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Contains duplicates.")
