"""Random but plausible features, generated in memory, for the scorer tests and the benchmark."""

import random

from torchfin.matching.features import MandateFeatures, ProjectFeatures
from torchfin.matching.model import QUALIFICATION_POINTS
from torchfin.models.enums import Instrument, Stage
from torchfin.reference_data.industries import INDUSTRIES
from torchfin.reference_data.zones import ZONES

_CODES = [record.code for record in INDUSTRIES]
_INSTRUMENTS = [i.value for i in Instrument]
_STAGES = [s.value for s in Stage]
_WAN = 10_000.0


def random_project(rng: random.Random, project_id: int) -> ProjectFeatures:
    """One project's features."""
    zone = rng.choice(ZONES)
    return ProjectFeatures(
        project_id=project_id,
        instrument=rng.choice(_INSTRUMENTS),
        stage=rng.choice(_STAGES),
        amount=rng.choice((50, 100, 300, 500, 1000, 2000, 3000, 5000, 10000, 30000))
        * _WAN
        * rng.choice((1.0, 1.2, 0.8)),
        industries=tuple(sorted(rng.sample(_CODES, rng.randint(1, 3)))),
        zone=zone.code,
        province=zone.province,
        rd_intensity=None if rng.random() < 0.1 else rng.uniform(0.0, 0.25),
        patents=rng.randint(0, 25),
        growth=None if rng.random() < 0.15 else rng.uniform(-0.3, 0.8),
        qualifications=tuple(sorted(rng.sample(list(QUALIFICATION_POINTS), rng.randint(0, 3)))),
        age_days=rng.randint(0, 400),
    )


def random_mandate(rng: random.Random, mandate_id: int) -> MandateFeatures:
    """One mandate's features."""
    low = rng.choice((30, 50, 100, 200, 500, 1000, 3000)) * _WAN
    high = low * rng.choice((1, 3, 5, 10, 20))
    zones = rng.sample(ZONES, rng.randint(1, 3)) if rng.random() < 0.15 else []
    provinces = [rng.choice(ZONES).province] if rng.random() < 0.2 else []
    return MandateFeatures(
        mandate_id=mandate_id,
        institution_id=mandate_id // 3 + 1,
        institution_province=rng.choice(ZONES).province if rng.random() < 0.9 else None,
        instruments=tuple(sorted(rng.sample(_INSTRUMENTS, rng.randint(1, 3)))),
        stages=tuple(sorted(rng.sample(_STAGES, rng.randint(1, 4)))) if rng.random() < 0.8 else (),
        ticket_min=low,
        ticket_max=high,
        industries=tuple(sorted(rng.sample(_CODES, rng.randint(1, 4))))
        if rng.random() < 0.85
        else (),
        excluded_industries=tuple(sorted(rng.sample(_CODES, 1))) if rng.random() < 0.2 else (),
        zones=tuple(sorted(z.code for z in zones)),
        provinces=tuple(sorted(provinces)),
    )


def sample(seed: int, projects: int, mandates: int):
    """(projects, mandates) feature lists with ids 1..n."""
    rng = random.Random(seed)
    return (
        [random_project(rng, i + 1) for i in range(projects)],
        [random_mandate(rng, i + 1) for i in range(mandates)],
    )
