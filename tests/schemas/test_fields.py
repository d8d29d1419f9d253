"""The shared fields' rules on what they refuse, without services: direction controls in text,
amounts that are not plain decimals, dates outside their window."""

from datetime import date
from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError

from schemas.fields import DateWithin, DecimalString, Money, MoneyDay, Text

DIRECTION_CODES = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


class _Today(date):
    """A `date` whose today() is `day_of_run`."""

    day_of_run = date(2026, 12, 4)

    @classmethod
    def today(cls) -> date:
        return cls.day_of_run


class _Sample(Schema):
    name = Text(max_length=50)
    amount = Money(minimum=Decimal(0))
    profit = Money(minimum=Decimal("-1000"))
    share = DecimalString(places=4)
    called_on = MoneyDay()
    founded_on = DateWithin(earliest=date(1900, 1, 1), years_ahead=0)


def _refusal(field: str, value) -> str:
    with pytest.raises(ValidationError) as refused:
        _Sample().load({field: value})
    assert list(refused.value.messages) == [field]
    return refused.value.messages[field][0]


@pytest.mark.parametrize("code", DIRECTION_CODES, ids=lambda code: f"U+{code:04X}")
def test_text_names_the_direction_control_it_holds(code):
    message = _refusal("name", f"发票{chr(code)}fdp.exe")
    assert message == f"Contains the invisible direction control U+{code:04X}."


@pytest.mark.parametrize("value", ["1e3", "１００", " 100.00 ", "-0", "-0.00", "Infinity", ".5"])
def test_amounts_are_plain_decimals(value):
    assert _refusal("amount", value) == "Write amounts as plain decimals such as 1500000.00."


def test_a_signed_amount_reads_negative_zero_as_zero():
    assert _Sample().load({"profit": "-0.00"})["profit"] == Decimal("0.00")
    assert str(_Sample().load({"profit": "-0.00"})["profit"]) == "0.00"
    assert _Sample().load({"profit": "-12.50"})["profit"] == Decimal("-12.50")


@pytest.mark.parametrize("value", ["1e-2", "０.５", " 0.5", "-0", "NaN"])
def test_rates_and_shares_are_plain_decimals(value):
    assert _refusal("share", value) == "Write plain decimals such as 0.0200."


@pytest.mark.parametrize(
    ("field", "value", "window"),
    [
        ("called_on", "1999-12-31", "2000-01-01 and {next_year}"),
        ("called_on", "9999-12-31", "2000-01-01 and {next_year}"),
        ("founded_on", "1899-12-31", "1900-01-01 and {today}"),
        ("founded_on", "{tomorrow}", "1900-01-01 and {today}"),
    ],
)
def test_dates_outside_their_window_name_it(field, value, window):
    today = date.today()
    days = {
        "today": today,
        "tomorrow": date.fromordinal(today.toordinal() + 1),
        "next_year": MoneyDay().latest(),
    }
    assert _refusal(field, value.format(**days)) == f"Must be between {window.format(**days)}."


def test_a_window_takes_its_last_day(monkeypatch):
    monkeypatch.setattr("schemas.fields.date", _Today)
    assert _Sample().load({"called_on": "2027-12-04"})["called_on"] == date(2027, 12, 4)
    assert _refusal("called_on", "2027-12-05") == "Must be between 2000-01-01 and 2027-12-04."


def test_a_window_counted_from_29_february_ends_on_the_28th(monkeypatch):
    monkeypatch.setattr("schemas.fields.date", _Today)
    monkeypatch.setattr(_Today, "day_of_run", date(2028, 2, 29))
    assert MoneyDay().latest() == date(2029, 2, 28)
