"""Scoring and storing matches: the incremental path (one project or mandate after it was
indexed) and the bulk path (a rescoring run fanned out over RQ). docs/matching.md explains
the model; here live the rules for which pairs are stored and what happens to existing ones."""

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from search.candidates import mandates_for_project, projects_for_mandate
from torchfin.extensions import db, search_client
from torchfin.matching.features import (
    MATCHABLE_STATUSES,
    MandateFeatures,
    ProjectFeatures,
    load_mandate_features,
    load_project_features,
    matchable_project_ids,
)
from torchfin.matching.model import ALGORITHM_VERSION
from torchfin.matching.vectorised import (
    EncodedMandates,
    EncodedProjects,
    Vocabulary,
    encode_mandates,
    encode_projects,
    rank_within,
    score_matrix,
    score_pairs,
    top_k,
)
from torchfin.models import Mandate, Match, MatchRun, MatchRunChunk, Project, User
from torchfin.models.base import utcnow
from torchfin.models.enums import BatchStatus
from torchfin.queues import Job, enqueue_quietly
from torchfin.services.job_failures import failure_recorded
from torchfin.services.matching import run_data
from torchfin.services.matching.storing import prune_suggested, store_pairs
from torchfin.services.permissions import require_admin

SCORING_SIDES = ("project",)
# A run is split into about this many scoring chunks (and as many store chunks), so that every
# worker of a pool gets a share; the bounds keep each job's overhead and output in proportion.
CHUNKS_PER_RUN = 8
MIN_CHUNK, MAX_CHUNK = 250, 20_000  # projects per scoring chunk
MIN_STORE_CHUNK, MAX_STORE_CHUNK = 2_000, 50_000  # pairs per store chunk
# Rows scored at once inside a job: bounds memory to a few tens of MB per block.
BLOCK = 1024
_SQL_CHUNK = 500


def top_k_setting() -> int:
    """K of the incremental path and of a bulk run not given one (MATCH_TOP_K)."""
    return current_app.config["MATCH_TOP_K"]


# ---- incremental path ----------------------------------------------------------------------


def _ranks_into(
    column, other_column, ids: list[int], scores: np.ndarray, own_id: int, k: int
) -> list[int]:
    """Of the counterparts `ids` (with our scores), those whose own top-k list we enter: fewer
    than k of their stored matches beat us (ties go to the lower id, as everywhere).

    Only each counterpart's k-th best stored match is read, by a walk of k entries down the
    (counterpart, score desc, other id) index: a mandate of a national registry holds hundreds
    of matches, and ranking them all for thousands of candidates took most of a second."""
    if not ids:
        return []
    outer = (Mandate if column is Match.mandate_id else Project).__table__.c.id
    kth_best = (
        select(Match.score)
        .where(column == outer, other_column != own_id)
        .order_by(Match.score.desc(), other_column)
        .limit(1)
        .offset(k - 1)
    )
    kth: dict[int, tuple[float, int]] = {}
    for start in range(0, len(ids), _SQL_CHUNK):
        rows = db.session.execute(
            select(
                outer,
                kth_best.scalar_subquery(),
                kth_best.with_only_columns(other_column).scalar_subquery(),
            ).where(outer.in_(ids[start : start + _SQL_CHUNK]))
        )
        kth.update({counterpart: (score, other) for counterpart, score, other in rows})
    entering = []
    for counterpart, score in zip(ids, scores, strict=True):
        found = kth.get(counterpart, (None, None))  # (None, None): fewer than k stored
        if found[0] is None or score > found[0] or (score == found[0] and own_id < found[1]):
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
        prune_suggested(Match.project_id == project_id, set())
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
    prune_suggested(Match.project_id == project_id, keep)
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
        prune_suggested(Match.mandate_id == mandate_id, set())
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
    prune_suggested(Match.mandate_id == mandate_id, keep)
    db.session.commit()
    return stored


def enqueue_for_indexed(kind: str, ids: list[int]) -> None:
    """After projects or mandates were indexed: one matching job per record."""
    job = {"project": Job.MATCH_PROJECT, "mandate": Job.MATCH_MANDATE}.get(kind)
    if job is not None:
        for record_id in ids:
            enqueue_quietly(job, record_id)


# ---- bulk path ------------------------------------------------------------------------------


def chunk_size(projects: int) -> int:
    """Projects per scoring chunk when not given: about CHUNKS_PER_RUN chunks, so that every
    worker gets a share, within bounds that keep each job's candidates small."""
    return min(MAX_CHUNK, max(MIN_CHUNK, -(-projects // CHUNKS_PER_RUN)))


def start_rescore(top_k_: int | None = None, chunk: int | None = None) -> tuple[MatchRun, bool]:
    """Start a rescoring run, or resume the unfinished one of today; (run, resumed).

    The run's chunks are fixed when it starts: every matchable project, in blocks (`chunk`
    projects, default `chunk_size`), against all active mandates. The features are loaded and
    encoded once, here, into Redis for the chunk jobs (run_data). Chunks not done yet are
    (re-)enqueued, so running the command again after a crash resumes the run. Without `top_k_`
    a new run keeps as many as the incremental path (one setting for both).
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
        ids = matchable_project_ids(db.session)
        size = chunk or chunk_size(len(ids))
        for number, start in enumerate(range(0, len(ids), size)):
            run.chunks.append(
                MatchRunChunk(side="project", number=number, record_ids=ids[start : start + size])
            )
        run.total_chunks = len(run.chunks)
    run.status, run.error = BatchStatus.RUNNING, None
    db.session.commit()
    pending = [c for c in run.chunks if c.done_at is None]
    if pending and any(c.side == "project" for c in pending):
        run_data.arrays(run)  # warm: published once, before the jobs ask for it
    for chunk_ in pending:
        enqueue_quietly(Job.STORE_CHUNK if chunk_.side == "store" else Job.RESCORE_CHUNK, chunk_.id)
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


@dataclass(frozen=True)
class RunProgress:
    """Where a run stands: chunks, pairs scored, speed and the time left (None when unknown)."""

    chunks_done: int
    total_chunks: int
    pairs_scored: int
    pairs_total: int | None
    pairs_per_second: float | None
    eta_seconds: float | None


def progress(run: MatchRun) -> RunProgress:
    """The run's progress: pairs scored (projects of done chunks x mandates) per second since it
    started, and the time left at the pace of the chunks done so far."""
    done = chunks_done(run.id)
    sizes = run_data.sizes(run)
    mandates = sizes[1] if sizes else 0
    scored_projects = sum(
        len(ids)
        for ids in db.session.scalars(
            select(MatchRunChunk.record_ids).where(
                MatchRunChunk.run_id == run.id,
                MatchRunChunk.side == "project",
                MatchRunChunk.done_at.is_not(None),
            )
        )
    )
    end = run.finished_at or utcnow()
    elapsed = max((end - run.started_at).total_seconds(), 1e-3)
    scored = scored_projects * mandates
    finished = run.status == BatchStatus.DONE
    return RunProgress(
        chunks_done=done,
        total_chunks=run.total_chunks,
        pairs_scored=scored,
        pairs_total=sizes[0] * sizes[1] if sizes else None,
        pairs_per_second=scored / elapsed if sizes else None,
        eta_seconds=0.0
        if finished
        else (elapsed / done * (run.total_chunks - done) if done else None),
    )


def rows_of(encoded: EncodedProjects, start: int, stop: int) -> EncodedProjects:
    """A block of rows of the encoded projects (every array field sliced alike)."""
    return replace(
        encoded, **{f.name: getattr(encoded, f.name)[start:stop] for f in fields(encoded)}
    )


def score_chunk(ep: EncodedProjects, em: EncodedMandates, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Score projects x mandates in blocks of BLOCK projects: (each project's best k pairs as
    (project_id, mandate_id) rows, each mandate's best k among these projects as (project_id,
    mandate_id, score) rows). Ties go to the lower id, as in top_k."""
    own, found = [], []
    for start in range(0, len(ep.ids), BLOCK):
        block = rows_of(ep, start, start + BLOCK)
        rows, cols, totals = score_pairs(block, em)
        best = rank_within(rows, totals, cols, k)
        own.append(np.column_stack([block.ids[rows[best]], em.ids[cols[best]]]))
        top = rank_within(cols, totals, rows, k)
        found.append(np.column_stack([block.ids[rows[top]], em.ids[cols[top]], totals[top]]))
    candidates = np.concatenate(found) if found else np.empty((0, 3))
    return (
        np.concatenate(own) if own else np.empty((0, 2), dtype=np.int64),
        candidates[best_of_mandates(candidates, k)],
    )


def best_of_mandates(candidates: np.ndarray, k: int) -> np.ndarray:
    """Indices of each mandate's best k among (project_id, mandate_id, score) rows."""
    return rank_within(candidates[:, 1], candidates[:, 2], candidates[:, 0], k)


def best_pairs(
    projects: Sequence[ProjectFeatures],
    mandates: Sequence[MandateFeatures],
    side: str,
    k: int,
) -> list[tuple[int, int]]:
    """Exact top-k pairs: per project (side 'project') or per mandate (side 'mandate')."""
    vocab = Vocabulary.of(projects, mandates)
    own, candidates = score_chunk(
        encode_projects(projects, vocab), encode_mandates(mandates, vocab), k
    )
    pairs = own if side == "project" else candidates[:, :2]
    return [(int(p), int(m)) for p, m in pairs]


def _scoring_done(run: MatchRun) -> bool:
    # Counted in SQL: loading the chunks would load every chunk's pairs.
    return not db.session.scalar(
        select(func.count())
        .select_from(MatchRunChunk)
        .where(
            MatchRunChunk.run_id == run.id,
            MatchRunChunk.side.in_(SCORING_SIDES),
            MatchRunChunk.done_at.is_(None),
        )
    )


def work_chunk(chunk_id: int) -> int:
    """Score one chunk of a run (its projects against every mandate) from the run's arrays in
    Redis, store its projects' best pairs (features from Redis too) and record them with its
    share of the mandates' candidates, in one transaction; idempotent (a done chunk is left
    alone). After the last one, enqueues the finishing. Returns the pairs stored."""
    chunk = db.session.get(MatchRunChunk, chunk_id)
    if chunk is None or chunk.done_at is not None:
        return 0
    run = chunk.run
    data = run_data.arrays(run)
    index = np.flatnonzero(np.isin(data.projects.ids, chunk.record_ids))
    own, candidates = score_chunk(
        run_data.take_rows(data.projects, index), data.mandates, run.top_k
    )
    features = run_data.features(run)
    pairs = [(p, m) for p, m in own.tolist()]
    stored = store_pairs(features.projects, features.mandates, pairs, run.as_of)
    chunk.pairs = {"own": own.tolist(), "candidates": candidates.tolist()}
    chunk.done_at = utcnow()
    db.session.commit()
    if _scoring_done(run):
        enqueue_quietly(Job.FINISH_RESCORE, run.id)
    return stored


def kept_pairs(run: MatchRun) -> tuple[np.ndarray, np.ndarray]:
    """(the union the run keeps, the part of it the scoring chunks did not store), as sorted
    unique (project_id, mandate_id) rows. The union: every project's best k (stored by its
    scoring chunk) and every mandate's best k of all the chunks' candidates."""
    own, candidates = [np.empty((0, 2), dtype=np.int64)], [np.empty((0, 3))]
    for chunk in run.chunks:
        if chunk.side in SCORING_SIDES and chunk.pairs:
            own.append(np.array(chunk.pairs["own"], dtype=np.int64).reshape(-1, 2))
            candidates.append(np.array(chunk.pairs["candidates"], dtype=np.float64).reshape(-1, 3))
    found = np.concatenate(candidates)
    best = np.unique(found[best_of_mandates(found, run.top_k), :2].astype(np.int64), axis=0)
    stored = np.concatenate(own)
    keys = (stored[:, 0] << 32) | stored[:, 1]
    extra = best[~np.isin((best[:, 0] << 32) | best[:, 1], keys)]
    return np.unique(np.concatenate([stored, extra]), axis=0), extra


def store_size(pairs: int) -> int:
    """Pairs per store chunk: about CHUNKS_PER_RUN of them, within bounds."""
    return min(MAX_STORE_CHUNK, max(MIN_STORE_CHUNK, -(-pairs // CHUNKS_PER_RUN)))


def store_chunk(chunk_id: int) -> int:
    """Store one slice of the mandates' best pairs the scoring chunks did not store, with the
    reference breakdown (features from the run's data in Redis); idempotent. The last slice
    enqueues the run's closing. Returns the pairs stored."""
    chunk = db.session.get(MatchRunChunk, chunk_id)
    if chunk is None or chunk.done_at is not None:
        return 0
    run = chunk.run
    data = run_data.features(run)
    present = [(p, m) for p, m in chunk.pairs if p in data.projects and m in data.mandates]
    stored = store_pairs(data.projects, data.mandates, present, run.as_of)
    chunk.done_at = utcnow()
    db.session.commit()
    if chunks_done(run.id) == run.total_chunks:
        enqueue_quietly(Job.FINISH_RESCORE, run.id)
    return stored


def finish_rescore(run_id: int) -> MatchRun | None:
    """Once scoring is done: drop stale suggestions (set-wise) and fan the storing of the
    mandates' best pairs not stored yet out over store chunks; once those are done (or when
    there are none): close the run. Idempotent."""
    run = db.session.get(MatchRun, run_id)
    if run is None or run.status == BatchStatus.DONE or not _scoring_done(run):
        return run
    stores = [c for c in run.chunks if c.side == "store"]
    with failure_recorded(MatchRun, run_id):
        try:
            if not stores:
                keep, extra = kept_pairs(run)
                prune_suggested(Match.id.is_not(None), keep)
                size = store_size(len(extra))
                for number, start in enumerate(range(0, len(extra), size)):
                    stores.append(
                        MatchRunChunk(
                            side="store",
                            number=number,
                            record_ids=[],
                            pairs=extra[start : start + size].tolist(),
                        )
                    )
                run.chunks.extend(stores)
                run.total_chunks += len(stores)
                run.stored = len(keep)
                db.session.commit()
                for chunk in stores:
                    enqueue_quietly(Job.STORE_CHUNK, chunk.id)
            if all(c.done_at is not None for c in stores):
                run.status, run.finished_at = BatchStatus.DONE, utcnow()
                db.session.commit()
                run_data.forget(run)
        except IntegrityError:
            db.session.rollback()  # a concurrent finishing job planned the store chunks first
    return run


def recent_runs(user: User, limit: int = 5) -> list[tuple[MatchRun, RunProgress]]:
    """The latest rescoring runs with their progress, newest first (admins only)."""
    require_admin(user, "see the rescoring runs")
    runs = db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(limit))
    return [(run, progress(run)) for run in runs]
