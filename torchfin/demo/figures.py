"""Numbers of the demo data: credit codes, yearly financials, rounds and amounts sought.

Pure functions of a `random.Random`, so the same seed gives the same numbers everywhere.
Money is Decimal in yuan, quantized to the cent.
"""

import math
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from schemas.credit_code import ALPHABET, complete_code
from torchfin.models.enums import Instrument, Stage

CENT = Decimal("0.01")
FINANCIAL_YEARS = (2022, 2023, 2024)
# Rounds are judged as of this year (the demo's "now" is late 2026).
CURRENT_YEAR = 2026


def money(value: float | Decimal) -> Decimal:
    """Whole yuan as a Decimal with two places (rounded toward zero)."""
    return Decimal(int(value)).quantize(CENT)


def _share(value: Decimal, ratio: float) -> Decimal:
    # Rounding toward zero keeps a share within the bound its ratio was drawn from.
    return (value * Decimal(repr(ratio))).quantize(CENT, rounding=ROUND_DOWN)


def credit_code(rng: random.Random, division_code: str, founded_year: int) -> str:
    """A valid unified social credit code of an enterprise registered at `division_code`.

    '9' (registered by market regulation) and '1' (enterprise) lead, then the six-digit
    division code and an eight-character organisation body. Bodies issued since the 2015
    reform start with "MA"; older enterprises kept their numeric organisation codes.
    """
    if founded_year >= 2016:
        body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    return complete_code(f"91{division_code}{body}")


@dataclass(frozen=True)
class FinancialYear:
    """One year of an enterprise's financials, before it becomes an EnterpriseFinancial row."""

    year: int
    revenue: Decimal
    net_profit: Decimal
    rd_spend: Decimal
    total_assets: Decimal
    total_liabilities: Decimal
    employees: int
    college_staff: int


def _jitter(rng: random.Random, base: float, spread: float, low: float, high: float) -> float:
    return min(high, max(low, base + rng.uniform(-spread, spread)))


def financial_history(rng: random.Random, founded_year: int) -> list[FinancialYear]:
    """Consistent yearly financials for 2022-2024 (from the founding year if later).

    Revenue is positive and grows by -20 % to +80 % a year, R&D spend is 3-25 % of revenue,
    net profit -30 % to +25 % of revenue, and staff with a college degree never outnumber
    employees. Most enterprises have more assets than liabilities; a few young ones do not.
    """
    years = [year for year in FINANCIAL_YEARS if year >= founded_year]
    age = years[0] - founded_year
    young = age <= 5
    # Median revenue grows with age: about 3 million yuan for a newcomer, 40 million at 20.
    revenue = min(3e9, max(3e5, rng.lognormvariate(math.log(3e6) + 0.13 * min(age, 20), 1.0)))
    rd_ratio = rng.triangular(0.03, 0.25, 0.06)
    margin = rng.triangular(-0.30, 0.25, -0.02 if young else 0.08)
    asset_ratio = rng.uniform(0.8, 2.5)
    insolvent = rng.random() < 0.03
    leverage = rng.uniform(1.0, 1.3) if insolvent else rng.uniform(0.15, 0.75)
    revenue_per_head = rng.uniform(2e5, 8e5)
    college_ratio = rng.uniform(0.5, 0.95)

    history = []
    for index, year in enumerate(years):
        if index:
            revenue *= 1 + rng.triangular(-0.20, 0.80, 0.35 if young else 0.12)
        revenue_d = money(revenue)
        assets = money(revenue * _jitter(rng, asset_ratio, 0.1, 0.5, 3.0))
        employees = max(3, min(20000, round(revenue / revenue_per_head)))
        history.append(
            FinancialYear(
                year=year,
                revenue=revenue_d,
                net_profit=_share(revenue_d, _jitter(rng, margin, 0.04, -0.30, 0.25)),
                rd_spend=_share(revenue_d, _jitter(rng, rd_ratio, 0.01, 0.03, 0.25)),
                total_assets=assets,
                total_liabilities=_share(assets, _jitter(rng, leverage, 0.05, 0.05, 1.35)),
                employees=employees,
                college_staff=math.floor(employees * college_ratio),
            )
        )
    return history


def invention_patents(rng: random.Random, age: int, rd_intensity: float) -> tuple[int, int]:
    """Invention patents (granted, pending) for an enterprise of this age and R&D intensity."""
    expected = min(age, 15) * rng.uniform(0.05, 0.5) * rd_intensity / 0.08
    granted = max(0, round(rng.gauss(expected, expected / 3 + 0.5)))
    pending = round(granted * rng.uniform(0, 0.6)) + rng.randint(0, 4)
    return granted, pending


# Enterprises are founded up to 2023, so in 2026 the youngest are three years old.
_STAGES_BY_AGE: tuple[tuple[int, tuple[tuple[Stage, int], ...]], ...] = (
    (4, ((Stage.SEED, 5), (Stage.ANGEL, 5))),
    (7, ((Stage.ANGEL, 4), (Stage.A, 6))),
    (11, ((Stage.A, 45), (Stage.B, 45), (Stage.C_PLUS, 10))),
    (16, ((Stage.B, 40), (Stage.C_PLUS, 45), (Stage.PRE_IPO, 15))),
)
_LATE_STAGES = ((Stage.C_PLUS, 5), (Stage.PRE_IPO, 5))


T = TypeVar("T")


def _weighted(rng: random.Random, options: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def stage_for_age(rng: random.Random, age: int) -> Stage:
    """A financing round plausible for an enterprise of `age` years: seed at 3, pre-IPO at 20."""
    for max_age, options in _STAGES_BY_AGE:
        if age <= max_age:
            return _weighted(rng, options)
    return _weighted(rng, _LATE_STAGES)


def instrument_for(rng: random.Random, stage: Stage, has_patents: bool) -> Instrument:
    """An instrument for a round: early rounds raise equity; later ones borrow as well."""
    if stage in (Stage.SEED, Stage.ANGEL):
        options = (
            (Instrument.EQUITY, 75),
            (Instrument.CONVERTIBLE, 15),
            (Instrument.GUARANTEED_LOAN, 5),
            (Instrument.IP_PLEDGE_LOAN, 5),
        )
    else:
        options = (
            (Instrument.EQUITY, 40),
            (Instrument.BANK_LOAN, 18),
            (Instrument.GUARANTEED_LOAN, 15),
            (Instrument.IP_PLEDGE_LOAN, 8),
            (Instrument.CONVERTIBLE, 7),
            (Instrument.LEASING, 12),
        )
    instrument = _weighted(rng, options)
    # An IP-pledge loan needs granted patents to pledge.
    if instrument is Instrument.IP_PLEDGE_LOAN and not has_patents:
        return Instrument.GUARANTEED_LOAN
    return instrument


EQUITY_RANGES: dict[Stage, tuple[int, int]] = {
    Stage.SEED: (2_000_000, 5_000_000),
    Stage.ANGEL: (3_000_000, 15_000_000),
    Stage.A: (10_000_000, 50_000_000),
    Stage.B: (30_000_000, 100_000_000),
    Stage.C_PLUS: (50_000_000, 150_000_000),
    Stage.PRE_IPO: (80_000_000, 200_000_000),
}
LOAN_RANGE = (1_000_000, 50_000_000)
EQUITY_INSTRUMENTS = (Instrument.EQUITY, Instrument.CONVERTIBLE)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _round_to(value: float, step: int) -> int:
    return max(step, round(value / step) * step)


def amount_sought(
    rng: random.Random, instrument: Instrument, stage: Stage, revenue: Decimal
) -> Decimal:
    """The amount a project seeks, in yuan rounded to 100 000 (十万元).

    Equity follows the round (2-5 million for seed, up to 200 million before an IPO);
    convertibles raise half as much; loans and leases run 1-50 million, capped by revenue.
    """
    if instrument in EQUITY_INSTRUMENTS:
        low, high = EQUITY_RANGES[stage]
        if instrument is Instrument.CONVERTIBLE:
            low, high = max(2_000_000, low // 2), high // 2
        value = _log_uniform(rng, low, high)
    else:
        low, high = LOAN_RANGE
        cap = min(high, max(low * 1.5, float(revenue) * rng.uniform(0.1, 0.6)))
        value = _log_uniform(rng, low, cap)
    return money(_round_to(value, 100_000))


def valuation_for(rng: random.Random, amount: Decimal) -> Decimal:
    """A post-money valuation at which the amount buys 8-25 %, rounded to the million."""
    return money(_round_to(float(amount) / rng.uniform(0.08, 0.25), 1_000_000))
