"""Rates and shares: decimal strings on the wire ("0.0200" is 2 %), never floats."""

from decimal import Decimal

from marshmallow import fields, validate

from schemas.fields import DecimalString


def rate(maximum: str, places: int = 6, **kwargs) -> fields.Decimal:
    """A fraction above 0 and at most `maximum`, carried as a decimal string."""
    return DecimalString(
        places=places,
        as_string=True,
        validate=validate.Range(min=Decimal(0), max=Decimal(maximum), min_inclusive=False),
        metadata={"example": "0.020000"},
        **kwargs,
    )
