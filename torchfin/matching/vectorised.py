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


def _meet_at(a: np.ndarray, b: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per pair (a[rows[i]], b[cols[i]]): True where the two sets share a code."""
    out = np.zeros(len(rows), dtype=bool)
    for w in range(a.shape[1]):
        out |= (a[rows, w] & b[cols, w]) != 0
    return out


def _table(masks: np.ndarray, size: int) -> np.ndarray:
    """(code, row) -> True where the row's set holds the code: a lookup for one-code sides."""
    codes = np.arange(size)
    words = masks[:, codes // 64]  # rows x codes
    return ((words >> (codes % 64).astype(np.uint64)) & np.uint64(1)).astype(bool).T.copy()


@dataclass
class EncodedProjects:
    """Projects as arrays. A project has one instrument, stage, zone and province: those are
    code indices (into the mandates' lookup tables); industry sets are bit masks."""

    ids: np.ndarray
    amount: np.ndarray
    instrument: np.ndarray
    stage: np.ndarray
    zone: np.ndarray
    province: np.ndarray
    subfields: np.ndarray
    tops: np.ndarray
    related: np.ndarray
    own: np.ndarray  # codes and their top-level codes, for exclusions
    points: np.ndarray  # enterprise quality and freshness: independent of the mandate


@dataclass
class EncodedMandates:
    """Mandates as arrays: (code, mandate) lookup tables for the projects' one-code sides,
    bit masks for industries."""

    ids: np.ndarray
    low: np.ndarray
    high: np.ndarray
    instrument_ok: np.ndarray
    stage_ok: np.ndarray  # the stage is listed, or the mandate lists none
    has_stages: np.ndarray
    zone_named: np.ndarray
    province_named: np.ndarray
    place_ok: np.ndarray  # has no geography (a zone or province named passes as well)
    home: np.ndarray  # (province, mandate): the institution is in that province
    codes: np.ndarray
    tops: np.ndarray
    has_industries: np.ndarray
    excluded: np.ndarray


def encode_projects(projects: Sequence[ProjectFeatures], vocab: Vocabulary) -> EncodedProjects:
    """Arrays of a list of projects (every code in `vocab`, as Vocabulary.of makes sure)."""
    tops = [{top_code(c) for c in p.industries} for p in projects]

    def index(kind: str, values: Iterable[str]) -> np.ndarray:
        return np.array([vocab.bit(kind, v) for v in values], dtype=np.int64)

    return EncodedProjects(
        ids=np.array([p.project_id for p in projects], dtype=np.int64),
        amount=np.array([p.amount for p in projects], dtype=np.float64),
        instrument=index("n", (p.instrument for p in projects)),
        stage=index("s", (p.stage for p in projects)),
        zone=index("z", (p.zone for p in projects)),
        province=index("p", (p.province for p in projects)),
        subfields=vocab.masks("i", ((c for c in p.industries if "." in c) for p in projects)),
        tops=vocab.masks("i", tops),
        related=vocab.masks("i", (related_to(t) for t in tops)),
        own=vocab.masks("i", ((*p.industries, *t) for p, t in zip(projects, tops, strict=True))),
        points=np.array([project_points(p) for p in projects], dtype=np.float64),
    )


def encode_mandates(mandates: Sequence[MandateFeatures], vocab: Vocabulary) -> EncodedMandates:
    """Arrays of a list of mandates."""

    def table(kind: str, sets: Iterable[Iterable[str]]) -> np.ndarray:
        return _table(vocab.masks(kind, sets), len(vocab.spaces.get(kind, {})))

    has_stages = np.array([bool(m.stages) for m in mandates], dtype=bool)
    home_bit = np.array([vocab.bit("p", m.institution_province) for m in mandates], dtype=np.int64)
    provinces = np.arange(len(vocab.spaces.get("p", {})))
    return EncodedMandates(
        ids=np.array([m.mandate_id for m in mandates], dtype=np.int64),
        low=np.array([m.ticket_min for m in mandates], dtype=np.float64),
        high=np.array([m.ticket_max for m in mandates], dtype=np.float64),
        instrument_ok=table("n", (m.instruments for m in mandates)),
        stage_ok=table("s", (m.stages for m in mandates)) | ~has_stages[None, :],
        has_stages=has_stages,
        zone_named=table("z", (m.zones for m in mandates)),
        province_named=table("p", (m.provinces for m in mandates)),
        place_ok=np.array([not (m.zones or m.provinces) for m in mandates], dtype=bool),
        home=provinces[:, None] == home_bit[None, :],
        codes=vocab.masks("i", (m.industries for m in mandates)),
        tops=vocab.masks("i", ((top_code(c) for c in m.industries) for m in mandates)),
        has_industries=np.array([bool(m.industries) for m in mandates], dtype=bool),
        excluded=vocab.masks("i", (m.excluded_industries for m in mandates)),
    )


def score_pairs(
    p: EncodedProjects, m: EncodedMandates
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, totals) of the pairs that break no hard constraint, rows ascending and
    columns ascending within a row.

    Cheap dense tests (lookups and comparisons) keep a few per cent of the pairs; the exclusions
    and the points are computed for those only.
    """
    amount = p.amount[:, None]
    dense = (
        m.instrument_ok[p.instrument]
        & m.stage_ok[p.stage]
        & (m.low[None, :] <= amount)
        & (m.high[None, :] >= MIN_COVERAGE * amount)
        & (m.place_ok[None, :] | m.zone_named[p.zone] | m.province_named[p.province])
    )
    rows, cols = np.nonzero(dense)
    kept = ~_meet_at(p.own, m.excluded, rows, cols)
    rows, cols = rows[kept], cols[kept]
    industry = np.where(
        ~m.has_industries[cols],
        INDUSTRY_POINTS["open"],
        np.where(
            _meet_at(p.subfields, m.codes, rows, cols),
            INDUSTRY_POINTS["subfield"],
            np.where(
                _meet_at(p.tops, m.tops, rows, cols),
                INDUSTRY_POINTS["industry"],
                np.where(
                    _meet_at(p.related, m.tops, rows, cols),
                    INDUSTRY_POINTS["related"],
                    INDUSTRY_POINTS["none"],
                ),
            ),
        ),
    )
    stage = np.where(m.has_stages[cols], STAGE_POINTS["listed"], STAGE_POINTS["open"])
    amount, low, high = p.amount[rows], m.low[cols], m.high[cols]
    coverage = np.minimum(1.0, high / amount)
    with np.errstate(divide="ignore", invalid="ignore"):
        position = (np.minimum(amount, high) - low) / (high - low)
    centrality = np.where(high > low, 1.0 - np.abs(2.0 * position - 1.0), 1.0)
    ticket = (
        WEIGHTS["ticket"] * coverage * (TICKET_EDGE_SHARE + (1 - TICKET_EDGE_SHARE) * centrality)
    )
    geography = np.where(
        m.zone_named[p.zone[rows], cols],
        GEOGRAPHY_POINTS["zone"],
        np.where(
            m.province_named[p.province[rows], cols],
            GEOGRAPHY_POINTS["province"],
            np.where(
                m.home[p.province[rows], cols],
                GEOGRAPHY_POINTS["home"],
                GEOGRAPHY_POINTS["national"],
            ),
        ),
    )
    # The same grouping as reference.combine: pair criteria in order, then the project's own.
    pair = 0.0 + industry + stage + ticket + geography
    return rows, cols, pair + p.points[rows]


def score_encoded(p: EncodedProjects, m: EncodedMandates) -> np.ndarray:
    """Totals, projects x mandates; NaN where a hard constraint is broken."""
    out = np.full((len(p.ids), len(m.ids)), np.nan)
    rows, cols, totals = score_pairs(p, m)
    out[rows, cols] = totals
    return out


def score_matrix(
    projects: Sequence[ProjectFeatures], mandates: Sequence[MandateFeatures]
) -> np.ndarray:
    """Totals of every project against every mandate; NaN where a hard constraint is broken."""
    vocab = Vocabulary.of(projects, mandates)
    return score_encoded(encode_projects(projects, vocab), encode_mandates(mandates, vocab))


def rank_within(groups: np.ndarray, scores: np.ndarray, ties: np.ndarray, k: int) -> np.ndarray:
    """Indices of the entries that are among the k best of their group: higher score first,
    ties to the lower `ties` value; sorted by group, then best first."""
    order = np.lexsort((ties, -scores, groups))
    ranked = groups[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
    return order[rank < k]


def top_k(scores: np.ndarray, k: int) -> list[list[int]]:
    """Per row, the column indices of the k best scores (NaN never), best first; ties go to the
    lower column index, so columns sorted by id give the reference's order.

    argpartition finds each row's k-th best score; only entries at or above it are ranked."""
    filled = np.where(np.isnan(scores), -np.inf, scores)
    n = filled.shape[1]
    if 0 < k < n:
        best = np.argpartition(-filled, k - 1, axis=1)[:, :k]
        threshold = np.take_along_axis(filled, best, axis=1).min(axis=1)
    else:
        threshold = np.full(filled.shape[0], -np.inf)
    rows, cols = np.nonzero((filled >= threshold[:, None]) & np.isfinite(filled))
    chosen = rank_within(rows, filled[rows, cols], cols, k)
    out: list[list[int]] = [[] for _ in range(filled.shape[0])]
    for row, col in zip(rows[chosen].tolist(), cols[chosen].tolist(), strict=True):
        out[row].append(col)
    return out
