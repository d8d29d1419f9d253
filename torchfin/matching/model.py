"""Constants of the scoring model (docs/matching.md), shared by the reference and vectorised
scorers so that the two can never drift apart on a weight or a threshold."""

# Bump whenever a weight, threshold or rule changes: every stored match carries the version.
ALGORITHM_VERSION = "2025.1"

# Maximum points per criterion; they add up to 100. The order is the order of the breakdown.
WEIGHTS: dict[str, float] = {
    "industry": 30.0,
    "stage": 10.0,
    "ticket": 15.0,
    "geography": 10.0,
    "rd_intensity": 7.0,
    "patents": 6.0,
    "growth": 7.0,
    "qualifications": 5.0,
    "freshness": 10.0,
}
CRITERIA = tuple(WEIGHTS)

# Industry fit tiers: points per tier.
INDUSTRY_POINTS = {
    "subfield": 30.0,  # the mandate names one of the enterprise's sub-fields
    "industry": 20.0,  # same top-level industry
    "open": 12.0,  # the mandate names no industry: a generalist
    "related": 10.0,  # a related top-level industry (RELATED below)
    "none": 0.0,
}
# Stage fit: a mandate that lists the stage (a hard constraint otherwise) versus one open to all.
STAGE_POINTS = {"listed": 10.0, "open": 5.0}
# Geography tiers.
GEOGRAPHY_POINTS = {
    "zone": 10.0,  # the project's zone is named by the mandate
    "province": 7.0,  # its province is named
    "home": 6.0,  # nationwide mandate of an institution in the project's province
    "national": 4.0,  # nationwide mandate elsewhere
}
# Ticket: a financing round may be syndicated, so a mandate qualifies when it can fund at least
# this share of the amount and its minimum ticket is not above the amount.
MIN_COVERAGE = 0.5
# Share of the ticket points earned by an amount at the very edge of the range.
TICKET_EDGE_SHARE = 0.4
# Enterprise quality: full marks at or above these levels, linear below.
RD_INTENSITY_FULL = 0.10  # R&D spend / revenue; the high-tech-enterprise test asks 3-6 %
PATENTS_FULL = 10  # granted invention patents
GROWTH_FULL = 0.30  # year-on-year revenue growth
QUALIFICATION_POINTS = {
    "high_tech": 3.0,
    "tech_sme": 2.0,
    "incubator": 1.0,
    "accelerator": 1.0,
    "returnee": 1.0,
}
# Freshness: full marks on the day of publication, none after this many days.
FRESHNESS_DAYS = 180

# Related top-level industries: value chains that share technology or customers. Symmetric.
_RELATED_PAIRS = (
    ("nev", "energy"),
    ("nev", "material"),
    ("nev", "equip"),
    ("energy", "eco"),
    ("energy", "material"),
    ("it", "equip"),
    ("it", "service"),
    ("bio", "service"),
    ("material", "equip"),
    ("eco", "upgrade"),
    ("equip", "upgrade"),
)
RELATED: dict[str, frozenset[str]] = {
    code: frozenset(b if a == code else a for a, b in _RELATED_PAIRS if code in (a, b))
    for code in {c for pair in _RELATED_PAIRS for c in pair}
}

# What makes a project change "materially" for a declined match (see fingerprint in features):
# amounts are compared by band, each band this factor wider than the previous one.
AMOUNT_BAND_FACTOR = 1.5


def top_code(code: str) -> str:
    """The top-level industry of a code ('nev.battery' -> 'nev'; 'nev' -> 'nev')."""
    return code.partition(".")[0]


def related_to(codes: set[str] | frozenset[str]) -> frozenset[str]:
    """Top-level industries related to any of `codes` (top-level codes)."""
    return frozenset().union(*(RELATED.get(code, frozenset()) for code in codes))
