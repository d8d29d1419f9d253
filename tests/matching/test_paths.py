"""The incremental and bulk paths against real Elasticsearch, SQL and RQ workers: they store the
reference's scores and top-K lists, a rescore is idempotent, and declines hold until a
material change."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tests.factories.accounts import make_user
from tests.factories.matching import build_world
from tests.matching.test_scorers import reference_matrix, reference_top
from torchfin.extensions import db
from torchfin.matching.features import (
    active_mandate_ids,
    load_mandate_features,
    load_project_features,
    matchable_project_ids,
)
from torchfin.matching.reference import violations
from torchfin.models import Match, MatchRun, Project, User
from torchfin.models.enums import BatchStatus, MatchStatus, Role
from torchfin.services.matching import deals
from torchfin.services.outbox import notify_search
from torchfin.services.registry import projects


def _reference():
    ps = load_project_features(db.session, matchable_project_ids(db.session), date.today())
    ms = load_mandate_features(db.session, active_mandate_ids(db.session))
    return ps, ms, reference_matrix(ps, ms)


def _stored() -> list[tuple]:
    db.session.expire_all()
    return [
        (
            m.project_id,
            m.mandate_id,
            m.score,
            m.breakdown,
            m.status,
            m.algorithm_version,
            m.fingerprint,
        )
        for m in db.session.scalars(select(Match).order_by(Match.project_id, Match.mandate_id))
    ]


def test_incremental_path_stores_the_reference_scores_and_top_k(app, es, run_worker):
    build_world(seed=3, projects=24, mandates=45)
    notify_search()
    run_worker()  # drains the outbox, which enqueues one matching job per project and mandate
    ps, ms, expected = _reference()
    mandate_ids = [m.mandate_id for m in ms]
    features = {(p.project_id, m.mandate_id): (p, m) for p in ps for m in ms}
    stored = _stored()
    assert stored
    index = {
        (p.project_id, m.mandate_id): (i, j) for i, p in enumerate(ps) for j, m in enumerate(ms)
    }
    for project_id, mandate_id, score, *_ in stored:
        assert not violations(*features[project_id, mandate_id])
        i, j = index[project_id, mandate_id]
        assert abs(score - expected[i, j]) <= 1e-9
    k = app.config["MATCH_TOP_K"]
    wanted = reference_top(expected, mandate_ids, k)
    assert any(len(row) == k for row in wanted)  # some projects have more candidates than k
    for p, top in zip(ps, wanted, strict=True):
        mine = sorted((r for r in stored if r[0] == p.project_id), key=lambda r: (-r[2], r[1]))
        assert [r[1] for r in mine[:k]] == top


def test_bulk_rescore_agrees_with_the_reference_and_is_idempotent(app, run_worker):
    build_world(seed=4, projects=30, mandates=25)
    runner = app.test_cli_runner()
    args = ["match", "rescore", "--top-k", "3", "--chunk", "7", "--no-follow"]
    assert runner.invoke(args=args).exit_code == 0
    run_worker()
    ps, ms, expected = _reference()
    project_ids, mandate_ids = [p.project_id for p in ps], [m.mandate_id for m in ms]
    wanted = {
        (pid, mid)
        for pid, row in zip(project_ids, reference_top(expected, mandate_ids, 3), strict=True)
        for mid in row
    } | {
        (pid, mid)
        for mid, col in zip(mandate_ids, reference_top(expected.T, project_ids, 3), strict=True)
        for pid in col
    }
    first = _stored()
    assert {(r[0], r[1]) for r in first} == wanted
    run = db.session.scalar(select(MatchRun))
    assert run.status == BatchStatus.DONE and run.stored == len(wanted)
    assert runner.invoke(args=args).exit_code == 0
    run_worker()
    assert _stored() == first  # identical rows, no duplicates
    assert db.session.scalar(select(func.count()).select_from(MatchRun)) == 2


def test_a_declined_match_returns_only_after_a_material_change(app, es, run_worker):
    build_world(seed=5, projects=6, mandates=12)
    notify_search()
    run_worker()
    # A match whose mandate still fits the project after its amount doubles.
    match = next(
        m
        for m in db.session.scalars(select(Match).order_by(Match.score.desc()))
        if m.mandate.ticket_max > m.project.amount_sought
    )
    institution = match.mandate.institution
    investor = make_user(Role.INVESTOR, institution=institution)
    sme = make_user(Role.SME, enterprise=match.project.enterprise)
    match_id, project_id, sme_id = match.id, match.project_id, sme.id
    deals.decline_match(investor, match_id, "估值过高")

    projects.update_project(sme, project_id, {"title": "项目（修订标题）"})
    run_worker()
    db.session.expire_all()
    assert db.session.get(Match, match_id).status == MatchStatus.DECLINED

    amount = db.session.get(Project, project_id).amount_sought
    sme = db.session.get(User, sme_id)  # the worker run ended the test's session
    projects.update_project(sme, project_id, {"amount_sought": amount * 2 + Decimal(1)})
    run_worker()
    db.session.expire_all()
    match = db.session.get(Match, match_id)
    assert match.status == MatchStatus.SUGGESTED and match.decline_reason is None
