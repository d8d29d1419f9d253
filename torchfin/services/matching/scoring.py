"""Scoring and storing matches: the incremental path (one project or mandate after it was
indexed) and the bulk path (a rescoring run fanned out over RQ). docs/matching.md explains
the model; here live the rules for which pairs are stored and what happens to existing ones."""

from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.exc import IntegrityError

from search.candidates import mandates_for_project, projects_for_mandate
from torchfin.extensions import db, search_client
from torchfin.matching.features import (
    MATCHABLE_STATUSES,
    MandateFeatures,
    ProjectFeatures,
    active_mandate_ids,
    load_mandate_features,
    load_project_features,
    matchable_project_ids,
    material_fingerprint,
)
from torchfin.matching.model import ALGORITHM_VERSION
from torchfin.matching.reference import score_match
from torchfin.matching.vectorised import (
    Vocabulary,
    encode_mandates,
    encode_projects,
    score_encoded,
    score_matrix,
    top_k,
)
from torchfin.models import Mandate, Match, MatchRun, MatchRunChunk, Project
from torchfin.models.base import utcnow
from torchfin.models.enums import BatchStatus, MatchStatus
from torchfin.queues import Job, enqueue_quietly

SCORING_SIDES = ("project", "mandate")
STORE_CHUNK = 20_000  # pairs per storing job
DEFAULT_CHUNK = 500
# Rows scored at once inside a job: bounds memory to a few tens of MB per block.
BLOCK = 1024
_SQL_CHUNK = 500


def top_k_setting() -> int:
    """K of the incremental path and of a bulk run not given one (MATCH_TOP_K)."""
    return current_app.config["MATCH_TOP_K"]


# ---- storing ---------------------------------------------------------------------------------


def _existing(pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Match]:
    found: dict[tuple[int, int], Match] = {}
    for start in range(0, len(pairs), _SQL_CHUNK):
        part = pairs[start : start + _SQL_CHUNK]
        query = select(Match).where(tuple_(Match.project_id, Match.mandate_id).in_(part))
        found.update({(m.project_id, m.mandate_id): m for m in db.session.scalars(query)})
    return found


def store_pairs(
    projects: dict[int, ProjectFeatures],
    mandates: dict[int, MandateFeatures],
    pairs: Sequence[tuple[int, int]],
    as_of: date,
) -> int:
    """Insert or refresh the matches of `pairs` with the reference breakdown; return how many.

    Existing matches keep their status; a declined one returns as suggested only when the
    project's material fingerprint changed since the decline. Values are written only when they
    differ, so storing the same scores twice changes no row.
    """
    existing = _existing(list(pairs))
    stored = 0
    for project_id, mandate_id in pairs:
        p, m = projects[project_id], mandates[mandate_id]
        score = score_match(p, m)
        if score is None:
            continue
        values = {
            "score": score.total,
            "breakdown": score.breakdown_json(),
            "algorithm_version": score.version,
            "scored_on": as_of,
            "fingerprint": material_fingerprint(p),
        }
        row = existing.get((project_id, mandate_id))
        if row is None:
            db.session.add(Match(project_id=project_id, mandate_id=mandate_id, **values))
        else:
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
            if row.status == MatchStatus.DECLINED and row.declined_fingerprint != row.fingerprint:
                row.status, row.decline_reason, row.responded_at = MatchStatus.SUGGESTED, None, None
                row.declined_fingerprint = None
        stored += 1
    return stored


def _prune_suggested(where, keep: set[tuple[int, int]]) -> None:
    # Suggestions nobody acted on and that no longer rank are dropped; acted-on ones stay.
    rows = db.session.execute(
        select(Match.id, Match.project_id, Match.mandate_id).where(
            where, Match.status == MatchStatus.SUGGESTED
        )
    ).all()
    stale = [row.id for row in rows if (row.project_id, row.mandate_id) not in keep]
    for start in range(0, len(stale), _SQL_CHUNK):
        db.session.execute(delete(Match).where(Match.id.in_(stale[start : start + _SQL_CHUNK])))


# ---- incremental path ----------------------------------------------------------------------


def _ranks_into(
    column, other_column, ids: list[int], scores: np.ndarray, own_id: int, k: int
) -> list[int]:
    """Of the counterparts `ids` (with our scores), those whose own top-k list we enter: fewer
    than k of their stored matches beat us (ties go to the lower id, as everywhere)."""
    if not ids:
        return []
    stored: dict[int, list[tuple[float, int]]] = {i: [] for i in ids}
    for start in range(0, len(ids), _SQL_CHUNK):
        rows = db.session.execute(
            select(column, other_column, Match.score).where(
                column.in_(ids[start : start + _SQL_CHUNK]), other_column != own_id
            )
        )
        for counterpart, other, score in rows:
            stored[counterpart].append((score, other))
    entering = []
    for counterpart, score in zip(ids, scores, strict=True):
        better = sum(
            1 for s, other in stored[counterpart] if s > score or (s == score and other < own_id)
        )
        if better < k:
            entering.append(counterpart)
    return entering


def _kept(scores: np.ndarray, ids: list[int], own_id: int, k: int, column, other_column) -> set:
    """Counterparts to store a match with: our own top k, and those whose top k we enter."""
    kept = {ids[j] for j in top_k(scores[None, :], k)[0]}
    valid = ~np.isnan(scores)
    valid_ids = [i for i, ok in zip(ids, valid, strict=True) if ok]
    return kept | set(_ranks_into(column, other_column, valid_ids, scores[valid], own_id, k))


def match_project(project_id: int, as_of: date | None = None) -> int:
    """Score a project against its candidate mandates and store its matches; return how many."""
    as_of = as_of or date.today()
    project = db.session.get(Project, project_id)
    if project is None:
        return 0
    if project.status not in MATCHABLE_STATUSES:
        _prune_suggested(Match.project_id == project_id, set())
        db.session.commit()
        return 0
    (p,) = load_project_features(db.session, [project_id], as_of)
    candidates = mandates_for_project(search_client(), current_app.config["SEARCH_INDEX_PREFIX"], p)
    mandates = load_mandate_features(db.session, _active(candidates))
    k = top_k_setting()
    keep: set[tuple[int, int]] = set()
    if mandates:
        scores = score_matrix([p], mandates)[0]
        ids = [m.mandate_id for m in mandates]
        kept = _kept(scores, ids, project_id, k, Match.mandate_id, Match.project_id)
        keep = {(project_id, mandate_id) for mandate_id in kept}
    stored = store_pairs({project_id: p}, {m.mandate_id: m for m in mandates}, sorted(keep), as_of)
    _prune_suggested(Match.project_id == project_id, keep)
    db.session.commit()
    return stored


def _active(mandate_ids: list[int]) -> list[int]:
    found: list[int] = []
    for start in range(0, len(mandate_ids), _SQL_CHUNK):
        part = mandate_ids[start : start + _SQL_CHUNK]
        found += db.session.scalars(
            select(Mandate.id).where(Mandate.id.in_(part), Mandate.active.is_(True))
        )
    return found


def match_mandate(mandate_id: int, as_of: date | None = None) -> int:
    """Score a mandate against its candidate projects and store its matches; return how many."""
    as_of = as_of or date.today()
    mandate = db.session.get(Mandate, mandate_id)
    if mandate is None:
        return 0
    if not mandate.active:
        _prune_suggested(Match.mandate_id == mandate_id, set())
        db.session.commit()
        return 0
    (m,) = load_mandate_features(db.session, [mandate_id])
    candidates = projects_for_mandate(search_client(), current_app.config["SEARCH_INDEX_PREFIX"], m)
    matchable = set(matchable_project_ids(db.session)) & set(candidates)
    projects = load_project_features(db.session, matchable, as_of)
    k = top_k_setting()
    keep: set[tuple[int, int]] = set()
    if projects:
        scores = score_matrix(projects, [m])[:, 0]
        ids = [p.project_id for p in projects]
        kept = _kept(scores, ids, mandate_id, k, Match.project_id, Match.mandate_id)
        keep = {(project_id, mandate_id) for project_id in kept}
    stored = store_pairs({p.project_id: p for p in projects}, {mandate_id: m}, sorted(keep), as_of)
    _prune_suggested(Match.mandate_id == mandate_id, keep)
    db.session.commit()
    return stored


def enqueue_for_indexed(kind: str, ids: list[int]) -> None:
    """After projects or mandates were indexed: one matching job per record."""
    job = {"project": Job.MATCH_PROJECT, "mandate": Job.MATCH_MANDATE}.get(kind)
    if job is not None:
        for record_id in ids:
            enqueue_quietly(job, record_id)


# ---- bulk path ------------------------------------------------------------------------------


def start_rescore(top_k_: int | None = None, chunk: int = DEFAULT_CHUNK) -> tuple[MatchRun, bool]:
    """Start a rescoring run, or resume the unfinished one of today; (run, resumed).

    The run's chunks are fixed when it starts: every matchable project in blocks against all
    mandates, and every active mandate in blocks against all projects. Chunks not done yet
    are (re-)enqueued, so running the command again after a crash resumes the run. Without
    `top_k_` a new run keeps as many as the incremental path (one setting for both).
    """
    run = db.session.scalar(
        select(MatchRun)
        .where(MatchRun.status.in_([BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.FAILED]))
        .where(MatchRun.as_of == date.today(), MatchRun.algorithm_version == ALGORITHM_VERSION)
        .order_by(MatchRun.id.desc())
        .limit(1)
    )
    resumed = run is not None
    if run is None:
        run = MatchRun(
            algorithm_version=ALGORITHM_VERSION, as_of=date.today(), top_k=top_k_ or top_k_setting()
        )
        db.session.add(run)
        for side, ids in (
            ("project", matchable_project_ids(db.session)),
            ("mandate", active_mandate_ids(db.session)),
        ):
            for number, start in enumerate(range(0, len(ids), chunk)):
                run.chunks.append(
                    MatchRunChunk(side=side, number=number, record_ids=ids[start : start + chunk])
                )
        run.total_chunks = len(run.chunks)
    run.status, run.error = BatchStatus.RUNNING, None
    db.session.commit()
    pending = [c for c in run.chunks if c.done_at is None]
    for chunk in pending:
        enqueue_quietly(Job.STORE_CHUNK if chunk.side == "store" else Job.RESCORE_CHUNK, chunk.id)
    if not pending:
        enqueue_quietly(Job.FINISH_RESCORE, run.id)
    return run, resumed


def chunks_done(run_id: int) -> int:
    """How many chunks of the run are done."""
    return db.session.scalar(
        select(func.count())
        .select_from(MatchRunChunk)
        .where(MatchRunChunk.run_id == run_id, MatchRunChunk.done_at.is_not(None))
    )


def rows_of(encoded, start: int, stop: int):
    """A block of rows of an encoded side (every array field sliced alike)."""
    return replace(
        encoded, **{f.name: getattr(encoded, f.name)[start:stop] for f in fields(encoded)}
    )


def best_pairs(
    projects: Sequence[ProjectFeatures],
    mandates: Sequence[MandateFeatures],
    side: str,
    k: int,
) -> list[tuple[int, int]]:
    """Exact top-k pairs: per project (side 'project') or per mandate (side 'mandate').

    Scored in blocks of projects; per mandate, each block's top k are candidates and the best k
    of all candidates win (ties to the lower project id, as in top_k).
    """
    vocab = Vocabulary.of(projects, mandates)
    ep, em = encode_projects(projects, vocab), encode_mandates(mandates, vocab)
    pairs: list[tuple[int, int]] = []
    candidates: list[list[tuple[float, int]]] = [[] for _ in mandates]
    for start in range(0, len(projects), BLOCK):
        block = rows_of(ep, start, start + BLOCK)
        scores = score_encoded(block, em)
        if side == "project":
            for row, cols in enumerate(top_k(scores, k)):
                pairs += [(int(block.ids[row]), int(em.ids[c])) for c in cols]
        else:
            for col, rows in enumerate(top_k(scores.T, k)):
                candidates[col] += [(float(scores[r, col]), int(block.ids[r])) for r in rows]
    if side == "mandate":
        for col, found in enumerate(candidates):
            best = sorted(found, key=lambda c: (-c[0], c[1]))[:k]
            pairs += [(pid, int(em.ids[col])) for _, pid in best]
    return pairs


def _scoring_done(run: MatchRun) -> bool:
    return all(c.done_at is not None for c in run.chunks if c.side in SCORING_SIDES)


def work_chunk(chunk_id: int) -> int:
    """Score one chunk of a run and record the pairs it keeps; idempotent (a done chunk is
    left alone). After the last one, enqueues the planning of the storing. Returns pairs kept."""
    chunk = db.session.get(MatchRunChunk, chunk_id)
    if chunk is None or chunk.done_at is not None:
        return 0
    run = chunk.run
    if chunk.side == "project":
        projects = load_project_features(db.session, chunk.record_ids, run.as_of)
        mandates = load_mandate_features(db.session, active_mandate_ids(db.session))
    else:
        projects = load_project_features(db.session, matchable_project_ids(db.session), run.as_of)
        mandates = load_mandate_features(db.session, chunk.record_ids)
    pairs = best_pairs(projects, mandates, chunk.side, run.top_k) if projects and mandates else []
    chunk.pairs, chunk.done_at = [list(pair) for pair in pairs], utcnow()
    db.session.commit()
    if _scoring_done(run):
        enqueue_quietly(Job.FINISH_RESCORE, run.id)
    return len(pairs)


def store_chunk(chunk_id: int) -> int:
    """Store one slice of the run's pairs with the reference breakdown; idempotent. The last
    slice enqueues the run's closing. Returns the pairs stored."""
    chunk = db.session.get(MatchRunChunk, chunk_id)
    if chunk is None or chunk.done_at is not None:
        return 0
    run = chunk.run
    pairs = [(p, m) for p, m in chunk.pairs]
    projects = {
        p.project_id: p for p in load_project_features(db.session, {p for p, _ in pairs}, run.as_of)
    }
    mandates = {m.mandate_id: m for m in load_mandate_features(db.session, {m for _, m in pairs})}
    present = [pair for pair in pairs if pair[0] in projects and pair[1] in mandates]
    stored = store_pairs(projects, mandates, present, run.as_of)
    chunk.done_at = utcnow()
    db.session.commit()
    if chunks_done(run.id) == run.total_chunks:
        enqueue_quietly(Job.FINISH_RESCORE, run.id)
    return stored


def finish_rescore(run_id: int) -> MatchRun | None:
    """Once scoring is done: drop stale suggestions and fan the storing of the union of the
    kept pairs out over store chunks; once those are done: close the run. Idempotent."""
    run = db.session.get(MatchRun, run_id)
    if run is None or run.status == BatchStatus.DONE or not _scoring_done(run):
        return run
    stores = [c for c in run.chunks if c.side == "store"]
    try:
        if not stores:
            keep = sorted({(p, m) for c in run.chunks for p, m in c.pairs or []})
            _prune_suggested(Match.id.is_not(None), set(keep))
            for number, start in enumerate(range(0, len(keep), STORE_CHUNK)):
                stores.append(
                    MatchRunChunk(
                        side="store",
                        number=number,
                        record_ids=[],
                        pairs=[list(pair) for pair in keep[start : start + STORE_CHUNK]],
                    )
                )
            run.chunks.extend(stores)
            run.total_chunks += len(stores)
            db.session.commit()
            for chunk in stores:
                enqueue_quietly(Job.STORE_CHUNK, chunk.id)
        if all(c.done_at is not None for c in stores):
            run.stored = sum(len(c.pairs) for c in stores)
            run.status, run.finished_at = BatchStatus.DONE, utcnow()
            db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent finishing job planned the store chunks first
    except Exception as exc:
        # Record the failure for `flask match status`, then let RQ see it (retry, failed registry).
        db.session.rollback()
        run = db.session.get(MatchRun, run_id)
        run.status, run.error = BatchStatus.FAILED, str(exc)[:2000]
        db.session.commit()
        raise
    return run
