"""The scorers on their own (no services): the vectorised path equals the reference, hard
constraints hold, and each criterion's evidence says what its points say."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from torchfin.matching.features import MandateFeatures, ProjectFeatures
from torchfin.matching.model import INDUSTRY_POINTS, WEIGHTS
from torchfin.matching.reference import (
    growth_band,
    industry_tier,
    qualification_points,
    score_match,
    violations,
)
from torchfin.matching.synthetic import sample
from torchfin.matching.vectorised import score_matrix, top_k
from torchfin.services.matching.scoring import best_pairs


def reference_matrix(projects, mandates) -> np.ndarray:
    """Totals by the reference scorer, NaN where it refuses the pair."""
    out = np.full((len(projects), len(mandates)), np.nan)
    for i, p in enumerate(projects):
        for j, m in enumerate(mandates):
            score = score_match(p, m)
            if score is not None:
                out[i, j] = score.total
    return out


def reference_top(matrix: np.ndarray, ids: list[int], k: int) -> list[list[int]]:
    """Per row, the ids of the k best columns, ties to the lower id."""
    return [
        [ids[j] for j in sorted(np.flatnonzero(~np.isnan(row)), key=lambda j: (-row[j], ids[j]))][
            :k
        ]
        for row in matrix
    ]


def test_vectorised_scores_equal_the_reference_on_random_samples():
    for seed in (1, 2, 3):
        projects, mandates = sample(seed, 120, 150)
        expected = reference_matrix(projects, mandates)
        got = score_matrix(projects, mandates)
        assert np.array_equal(np.isnan(got), np.isnan(expected))
        assert np.nanmax(np.abs(got - expected)) <= 1e-9
        assert (~np.isnan(got)).sum() > 200  # the sample exercises real matches


def test_top_k_lists_agree_per_project_and_per_mandate():
    projects, mandates = sample(7, 150, 120)
    expected = reference_matrix(projects, mandates)
    got = score_matrix(projects, mandates)
    mandate_ids = [m.mandate_id for m in mandates]
    project_ids = [p.project_id for p in projects]
    for k in (1, 5):
        assert [[mandate_ids[j] for j in row] for row in top_k(got, k)] == reference_top(
            expected, mandate_ids, k
        )
        assert [[project_ids[i] for i in row] for row in top_k(got.T, k)] == reference_top(
            expected.T, project_ids, k
        )


def test_bulk_blocks_give_the_exact_top_k_of_both_sides(monkeypatch):
    monkeypatch.setattr("torchfin.services.matching.scoring.BLOCK", 16)  # several blocks per side
    projects, mandates = sample(11, 70, 60)
    expected = reference_matrix(projects, mandates)
    mandate_ids = [m.mandate_id for m in mandates]
    project_ids = [p.project_id for p in projects]
    by_project = {
        (pid, mid)
        for pid, row in zip(project_ids, reference_top(expected, mandate_ids, 3), strict=True)
        for mid in row
    }
    by_mandate = {
        (pid, mid)
        for mid, col in zip(mandate_ids, reference_top(expected.T, project_ids, 3), strict=True)
        for pid in col
    }
    assert set(best_pairs(projects, mandates, "project", 3)) == by_project
    assert set(best_pairs(projects, mandates, "mandate", 3)) == by_mandate


_CODES = ["nev", "nev.battery", "nev.motor", "energy", "energy.solar", "it", "it.ic", "bio"]
_places = st.sampled_from([("zgc", "北京市"), ("hd", "北京市"), ("zj", "上海市")])
_amount = st.sampled_from([1e6, 3e6, 5e6, 1e7, 2.5e7, 1e8])
_subset = st.lists(st.sampled_from(_CODES), max_size=3, unique=True).map(lambda c: tuple(sorted(c)))


@st.composite
def project_features(draw) -> ProjectFeatures:
    zone, province = draw(_places)
    return ProjectFeatures(
        project_id=1,
        instrument=draw(st.sampled_from(["equity", "bank_loan"])),
        stage=draw(st.sampled_from(["angel", "a", "b"])),
        amount=draw(_amount),
        industries=draw(_subset.filter(bool)),
        zone=zone,
        province=province,
        rd_intensity=draw(st.none() | st.floats(0, 0.5)),
        patents=draw(st.integers(0, 30)),
        growth=draw(st.none() | st.floats(-0.5, 2)),
        qualifications=draw(
            st.lists(st.sampled_from(["high_tech", "tech_sme", "returnee"]), unique=True).map(
                lambda q: tuple(sorted(q))
            )
        ),
        age_days=draw(st.integers(0, 400)),
    )


@st.composite
def mandate_features(draw) -> MandateFeatures:
    low = draw(_amount)
    return MandateFeatures(
        mandate_id=1,
        institution_id=1,
        institution_province=draw(st.none() | st.sampled_from(["北京市", "上海市"])),
        instruments=tuple(
            sorted(draw(st.sets(st.sampled_from(["equity", "bank_loan"]), min_size=1)))
        ),
        stages=tuple(sorted(draw(st.sets(st.sampled_from(["angel", "a", "b"]))))),
        ticket_min=low,
        ticket_max=low * draw(st.sampled_from([1, 2, 5, 10])),
        industries=draw(_subset),
        excluded_industries=draw(_subset),
        zones=tuple(sorted(draw(st.sets(st.sampled_from(["zgc", "hd", "zj"]), max_size=1)))),
        provinces=tuple(sorted(draw(st.sets(st.sampled_from(["北京市", "上海市"]), max_size=1)))),
    )


@settings(max_examples=300, deadline=None)
@given(project_features(), mandate_features())
def test_hard_constraints_are_never_violated(p, m):
    score = score_match(p, m)
    vectorised = score_matrix([p], [m])[0, 0]
    own = set(p.industries) | {c.split(".")[0] for c in p.industries}
    allowed = (
        p.instrument in m.instruments
        and m.ticket_min <= p.amount
        and m.ticket_max >= 0.5 * p.amount
        and not own & set(m.excluded_industries)
        and (not m.stages or p.stage in m.stages)
        and (not (m.zones or m.provinces) or p.zone in m.zones or p.province in m.provinces)
    )
    assert (score is not None) == allowed == (not violations(p, m))
    assert math.isnan(vectorised) == (not allowed)
    if score is not None:
        assert abs(score.total - vectorised) <= 1e-9
        assert 0 <= score.total <= 100


def test_each_criterion_s_evidence_matches_its_points():
    projects, mandates = sample(5, 80, 80)
    checked = 0
    for p in projects:
        for m in mandates:
            score = score_match(p, m)
            if score is None:
                continue
            checked += 1
            b = score.breakdown
            assert list(b) == list(WEIGHTS)
            assert all(0 <= c.points <= WEIGHTS[name] for name, c in b.items())
            tier, code = industry_tier(p, m)
            assert b["industry"].points == INDUSTRY_POINTS[tier]
            if code:
                assert code.split(".")[0] in {c.split(".")[0] for c in m.industries}
            assert ("不限行业" in b["industry"].evidence_zh) == (tier == "open")
            assert (b["stage"].tier == "listed") == bool(m.stages)
            assert (b["ticket"].tier == "partial") == (m.ticket_max < p.amount)
            if p.rd_intensity is None:
                assert b["rd_intensity"].points == 0 and "未填报" in b["rd_intensity"].evidence_zh
            else:
                assert f"{p.rd_intensity:.1%}" in b["rd_intensity"].evidence_en
                assert b["rd_intensity"].points == WEIGHTS["rd_intensity"] * min(
                    max(p.rd_intensity / 0.10, 0.0), 1.0
                )
            assert f"{p.patents} invention patents" in b["patents"].evidence_en
            assert b["patents"].points == 6 * min(p.patents / 10, 1)
            if p.growth is None:
                assert b["growth"].points == 0 and b["growth"].tier == "missing"
            else:
                assert growth_band(p.growth)[1] in b["growth"].evidence_en
                assert (b["growth"].points == 7) == (p.growth >= 0.3)
                assert (b["growth"].points == 0) == (p.growth <= 0)
            assert b["qualifications"].points == qualification_points(p.qualifications)
            assert f"Published {p.age_days} days ago" in b["freshness"].evidence_en
            assert (b["freshness"].points == 0) == (p.age_days >= 180)
    assert checked > 50
