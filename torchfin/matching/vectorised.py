"""The vectorised scorer: many projects against many mandates at once with NumPy.

It must give the reference scorer's totals (tests hold it to 1e-9) and never pass a pair that
breaks a hard constraint. Sets of codes become bit masks (uint64 words) over a vocabulary shared
by both sides, so "do these sets meet" is an AND over a few words per pair.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from torchfin.matching.features import MandateFeatures, ProjectFeatures
from torchfin.matching.model import (
    GEOGRAPHY_POINTS,
    INDUSTRY_POINTS,
    MIN_COVERAGE,
    STAGE_POINTS,
    TICKET_EDGE_SHARE,
    WEIGHTS,
    related_to,
    top_code,
)
from torchfin.matching.reference import project_points


class Vocabulary:
    """Bit positions of every code seen, per kind (i: industry, z: zone, p: province,
    n: instrument, s: stage), so that each kind's masks take as few words as it needs."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.spaces: dict[str, dict[str, int]] = {}
        for full in sorted(set(codes)):
            kind, _, code = full.partition(":")
            space = self.spaces.setdefault(kind, {})
            space[code] = len(space)

    @classmethod
    def of(cls, projects: Sequence[ProjectFeatures], mandates: Sequence[MandateFeatures]):
        """A vocabulary covering both sides (namespaced so a zone never equals an industry)."""
        codes: set[str] = set()
        for p in projects:
            codes.update(f"i:{c}" for c in p.industries)
            codes.update(f"i:{top_code(c)}" for c in p.industries)
            codes.update(f"i:{c}" for c in related_to({top_code(c) for c in p.industries}))
            codes.update((f"z:{p.zone}", f"p:{p.province}", f"n:{p.instrument}", f"s:{p.stage}"))
        for m in mandates:
            codes.update(f"i:{c}" for c in (*m.industries, *m.excluded_industries))
            codes.update(f"i:{top_code(c)}" for c in m.industries)
            codes.update(f"z:{c}" for c in m.zones)
            codes.update(f"p:{c}" for c in m.provinces)
            codes.update(f"n:{c}" for c in m.instruments)
            codes.update(f"s:{c}" for c in m.stages)
            if m.institution_province:
                codes.add(f"p:{m.institution_province}")
        return cls(codes)

    def bit(self, kind: str, code: str | None) -> int:
        """The bit of a code, or -1 when it was never seen."""
        return self.spaces.get(kind, {}).get(code, -1)

    def masks(self, kind: str, sets: Iterable[Iterable[str]]) -> np.ndarray:
        """One row of uint64 words per set of codes of `kind` (unknown codes are ignored)."""
        space = self.spaces.get(kind, {})
        width = max(1, (len(space) + 63) // 64)
        rows = []
        for codes in sets:
            words = [0] * width
            for code in codes:
                i = space.get(code)
                if i is not None:
                    words[i // 64] |= 1 << (i % 64)
            rows.append(words)
        return np.array(rows, dtype=np.uint64).reshape(len(rows), width)


def _meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(rows of a) x (rows of b): True where the two sets share a code."""
    out = np.zeros((a.shape[0], b.shape[0]), dtype=bool)
    for w in range(a.shape[1]):
        out |= (a[:, w, None] & b[None, :, w]) != 0
    return out


@dataclass
class EncodedProjects:
    """Projects as arrays."""

    ids: np.ndarray
    amount: np.ndarray
    instrument: np.ndarray
    stage: np.ndarray
    subfields: np.ndarray
    tops: np.ndarray
    related: np.ndarray
    own: np.ndarray  # codes and their top-level codes, for exclusions
    zone: np.ndarray
    province: np.ndarray
    province_bit: np.ndarray  # the province's bit index, to compare with institutions'
    points: np.ndarray  # enterprise quality and freshness: independent of the mandate


@dataclass
class EncodedMandates:
    """Mandates as arrays."""

    ids: np.ndarray
    low: np.ndarray
    high: np.ndarray
    instruments: np.ndarray
    stages: np.ndarray
    has_stages: np.ndarray
    codes: np.ndarray
    tops: np.ndarray
    has_industries: np.ndarray
    excluded: np.ndarray
    zones: np.ndarray
    provinces: np.ndarray
    has_geography: np.ndarray
    home_bit: np.ndarray  # the institution's province bit index, -1 when unknown


def encode_projects(projects: Sequence[ProjectFeatures], vocab: Vocabulary) -> EncodedProjects:
    """Arrays of a list of projects."""
    tops = [{top_code(c) for c in p.industries} for p in projects]
    return EncodedProjects(
        ids=np.array([p.project_id for p in projects], dtype=np.int64),
        amount=np.array([p.amount for p in projects], dtype=np.float64),
        instrument=vocab.masks("n", ([p.instrument] for p in projects)),
        stage=vocab.masks("s", ([p.stage] for p in projects)),
        subfields=vocab.masks("i", ((c for c in p.industries if "." in c) for p in projects)),
        tops=vocab.masks("i", tops),
        related=vocab.masks("i", (related_to(t) for t in tops)),
        own=vocab.masks("i", ((*p.industries, *t) for p, t in zip(projects, tops, strict=True))),
        zone=vocab.masks("z", ([p.zone] for p in projects)),
        province=vocab.masks("p", ([p.province] for p in projects)),
        province_bit=np.array([vocab.bit("p", p.province) for p in projects], dtype=np.int64),
        points=np.array([project_points(p) for p in projects], dtype=np.float64),
    )


def encode_mandates(mandates: Sequence[MandateFeatures], vocab: Vocabulary) -> EncodedMandates:
    """Arrays of a list of mandates."""
    return EncodedMandates(
        ids=np.array([m.mandate_id for m in mandates], dtype=np.int64),
        low=np.array([m.ticket_min for m in mandates], dtype=np.float64),
        high=np.array([m.ticket_max for m in mandates], dtype=np.float64),
        instruments=vocab.masks("n", (m.instruments for m in mandates)),
        stages=vocab.masks("s", (m.stages for m in mandates)),
        has_stages=np.array([bool(m.stages) for m in mandates]),
        codes=vocab.masks("i", (m.industries for m in mandates)),
        tops=vocab.masks("i", ((top_code(c) for c in m.industries) for m in mandates)),
        has_industries=np.array([bool(m.industries) for m in mandates]),
        excluded=vocab.masks("i", (m.excluded_industries for m in mandates)),
        zones=vocab.masks("z", (m.zones for m in mandates)),
        provinces=vocab.masks("p", (m.provinces for m in mandates)),
        has_geography=np.array([bool(m.zones or m.provinces) for m in mandates]),
        home_bit=np.array(
            [vocab.bit("p", m.institution_province) for m in mandates], dtype=np.int64
        ),
    )


def score_encoded(p: EncodedProjects, m: EncodedMandates) -> np.ndarray:
    """Totals, projects x mandates; NaN where a hard constraint is broken."""
    amount = p.amount[:, None]
    low, high = m.low[None, :], m.high[None, :]
    zone_hit = _meet(p.zone, m.zones)
    province_hit = _meet(p.province, m.provinces)
    allowed = (
        _meet(p.instrument, m.instruments)
        & (low <= amount)
        & (high >= MIN_COVERAGE * amount)
        & ~_meet(p.own, m.excluded)
        & (~m.has_geography[None, :] | zone_hit | province_hit)
        & (~m.has_stages[None, :] | _meet(p.stage, m.stages))
    )
    industry = np.select(
        [
            ~m.has_industries[None, :],
            _meet(p.subfields, m.codes),
            _meet(p.tops, m.tops),
            _meet(p.related, m.tops),
        ],
        [
            INDUSTRY_POINTS["open"],
            INDUSTRY_POINTS["subfield"],
            INDUSTRY_POINTS["industry"],
            INDUSTRY_POINTS["related"],
        ],
        INDUSTRY_POINTS["none"],
    )
    stage = np.where(m.has_stages, STAGE_POINTS["listed"], STAGE_POINTS["open"])[None, :]
    coverage = np.minimum(1.0, high / amount)
    with np.errstate(divide="ignore", invalid="ignore"):
        position = (np.minimum(amount, high) - low) / (high - low)
    centrality = np.where(high > low, 1.0 - np.abs(2.0 * position - 1.0), 1.0)
    ticket = (
        WEIGHTS["ticket"] * coverage * (TICKET_EDGE_SHARE + (1 - TICKET_EDGE_SHARE) * centrality)
    )
    geography = np.select(
        [zone_hit, province_hit, p.province_bit[:, None] == m.home_bit[None, :]],
        [GEOGRAPHY_POINTS["zone"], GEOGRAPHY_POINTS["province"], GEOGRAPHY_POINTS["home"]],
        GEOGRAPHY_POINTS["national"],
    )
    # The same grouping as reference.combine: pair criteria in order, then the project's own.
    pair = 0.0 + industry + stage + ticket + geography
    total = pair + p.points[:, None]
    return np.where(allowed, total, np.nan)


def score_matrix(
    projects: Sequence[ProjectFeatures], mandates: Sequence[MandateFeatures]
) -> np.ndarray:
    """Totals of every project against every mandate; NaN where a hard constraint is broken."""
    vocab = Vocabulary.of(projects, mandates)
    return score_encoded(encode_projects(projects, vocab), encode_mandates(mandates, vocab))


def top_k(scores: np.ndarray, k: int) -> list[list[int]]:
    """Per row, the column indices of the k best scores (NaN never), best first; ties go to the
    lower column index, so columns sorted by id give the reference's order."""
    filled = np.where(np.isnan(scores), -np.inf, scores)
    n = filled.shape[1]
    if k < n:
        kth = np.partition(filled, n - k, axis=1)[:, n - k]
    else:
        kth = np.full(filled.shape[0], -np.inf)
    out = []
    for row, threshold in zip(filled, kth, strict=True):
        cols = np.flatnonzero((row >= threshold) & np.isfinite(row))
        order = np.lexsort((cols, -row[cols]))
        out.append(cols[order][:k].tolist())
    return out
