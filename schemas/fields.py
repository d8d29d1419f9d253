"""Field types shared by the schemas: money, clean text, credit codes, enum values."""

import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate

from schemas.credit_code import find_problems

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MONEY_MAX = Decimal("9999999999999999.99")  # what Numeric(18, 2) holds
SQL_INT_MAX = 2**31 - 1  # what the INTEGER columns hold (PostgreSQL fails beyond it)


class Money(fields.Field):
    """An amount in yuan: a decimal string on the wire ("1500000.00"), never a float."""

    def __init__(self, *, minimum: Decimal = Decimal("0"), **kwargs) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.metadata.setdefault("type", "string")
        self.metadata.setdefault("pattern", r"^-?\d{1,16}(\.\d{1,2})?$")
        self.metadata.setdefault("example", "1500000.00")

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value):.2f}"

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        # Strings only: a JSON number may already have been rounded by the sender's floats.
        if not isinstance(value, str):
            raise ValidationError('Send amounts as decimal strings, for example "1500000.00".')
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValidationError("Not a decimal amount.") from exc
        if not amount.is_finite():
            raise ValidationError("Not a decimal amount.")
        if amount.as_tuple().exponent < -2:
            raise ValidationError("At most two decimal places (fen).")
        if amount < self.minimum:
            raise ValidationError(f"Must be at least {self.minimum}.")
        if amount > MONEY_MAX:
            raise ValidationError(f"Must be at most {MONEY_MAX}.")
        return amount.quantize(Decimal("0.01"))


class Text(fields.String):
    """A string stripped of surrounding blanks, refused when it holds control characters."""

    def __init__(self, *, max_length: int, min_length: int = 1, validate=None, **kwargs) -> None:
        extra = validate if isinstance(validate, list) else [validate] if validate else []
        super().__init__(validate=[_length(min_length, max_length), *extra], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if _CONTROL.search(text):
            raise ValidationError("Contains control characters.")
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
    """A rate, share or ratio as a decimal string ("0.0200"), never a float, whose binary
    rounding would creep into money; documented as the string it is on the wire."""

    def __init__(self, **kwargs) -> None:
        super().__init__(as_string=True, **{k: v for k, v in kwargs.items() if k != "as_string"})
        self.metadata.setdefault("type", "string")
        self.metadata.setdefault("pattern", r"^-?\d{1,16}(\.\d{1,8})?$")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError('Send a decimal string, for example "0.0200".')
        return super()._deserialize(value.strip(), attr, data, **kwargs)


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
