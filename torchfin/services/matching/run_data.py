"""A rescoring run's features and encoded arrays, loaded from SQL and encoded once per run and
kept in Redis under the run's key, so that every chunk job (on any machine sharing Redis and the
database) reads them instead of deriving them again.

Whoever needs them first and finds them missing (a new run, or Redis restarted empty) loads and
encodes them from SQL and puts them there; the run's chunks name their projects by id, so data
built again later still scores each chunk's own projects.
"""

import pickle
from dataclasses import dataclass, fields, replace

import numpy as np
from flask import current_app

from torchfin.extensions import db
from torchfin.matching.features import MandateFeatures, ProjectFeatures, load_matchable_features
from torchfin.matching.vectorised import (
    EncodedMandates,
    EncodedProjects,
    Vocabulary,
    encode_mandates,
    encode_projects,
)
from torchfin.models import MatchRun
from torchfin.queues import redis_connection

# Long enough for any run to finish or be resumed the same day (runs resume within their day).
TTL_SECONDS = 2 * 24 * 3600
SIZES_TTL_SECONDS = 30 * 24 * 3600


@dataclass
class RunArrays:
    """What a scoring chunk needs: both sides encoded over one vocabulary."""

    projects: EncodedProjects
    mandates: EncodedMandates


@dataclass
class RunFeatures:
    """What a store chunk needs: the features, for the reference breakdown."""

    projects: dict[int, ProjectFeatures]
    mandates: dict[int, MandateFeatures]


def _key(run: MatchRun, part: str) -> str:
    # Named like the queue's keys ("rq:*<prefix>-*"), so clearing a prefix's queues clears it;
    # the start time tells apart runs of a database emptied and begun again with the same id.
    prefix = current_app.config["RQ_QUEUE_PREFIX"]
    return f"rq:match-run:{prefix}-{run.id}-{run.started_at:%Y%m%d%H%M%S%f}:{part}"


def publish(run: MatchRun) -> RunArrays:
    """Load every matchable project and active mandate (set-based selects), encode them and
    keep both in Redis for the run's jobs; return the arrays."""
    projects, mandates = load_matchable_features(db.session, run.as_of)
    vocab = Vocabulary.of(projects, mandates)
    arrays = RunArrays(encode_projects(projects, vocab), encode_mandates(mandates, vocab))
    features = RunFeatures({p.project_id: p for p in projects}, {m.mandate_id: m for m in mandates})
    redis = redis_connection()
    redis.set(_key(run, "features"), pickle.dumps(features, protocol=5), ex=TTL_SECONDS)
    redis.set(_key(run, "arrays"), pickle.dumps(arrays, protocol=5), ex=TTL_SECONDS)
    redis.set(_key(run, "sizes"), f"{len(projects)} {len(mandates)}", ex=TTL_SECONDS)
    return arrays


def arrays(run: MatchRun) -> RunArrays:
    """The run's encoded arrays, published first when missing."""
    found = redis_connection().get(_key(run, "arrays"))
    return pickle.loads(found) if found is not None else publish(run)


def features(run: MatchRun) -> RunFeatures:
    """The run's features, published first when missing."""
    found = redis_connection().get(_key(run, "features"))
    if found is None:
        publish(run)
        found = redis_connection().get(_key(run, "features"))
    return pickle.loads(found)


def sizes(run: MatchRun) -> tuple[int, int] | None:
    """(projects, mandates) of the run's data, or None when it is not in Redis."""
    found = redis_connection().get(_key(run, "sizes"))
    if found is None:
        return None
    projects, mandates = found.split()
    return int(projects), int(mandates)


def forget(run: MatchRun) -> None:
    """Drop the run's data from Redis once it is done; its sizes stay a while longer, for the
    progress figures of finished runs (`flask match status`, the admin page)."""
    redis = redis_connection()
    redis.delete(_key(run, "arrays"), _key(run, "features"))
    redis.expire(_key(run, "sizes"), SIZES_TTL_SECONDS)


def take_rows(encoded: EncodedProjects, index: np.ndarray) -> EncodedProjects:
    """Some rows of the encoded projects (every per-project array taken alike)."""
    return replace(encoded, **{f.name: getattr(encoded, f.name)[index] for f in fields(encoded)})
