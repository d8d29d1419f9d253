"""Audit anchors: the chain heads, signed and appended to a file outside the database.

The hash chains catch a changed, missing or reordered event, and the head rows a chain cut
short, but not someone able to rewrite the events and the head rows together. Each anchor line
records every chain's length and last hash at one moment, signed with HMAC-SHA256 under a key
the database does not hold; verifying against the file catches a chain whose history no longer
leads to a hash it once had. Keep the file where whoever can write the database cannot
(another host, write-once storage).
"""

import hashlib
import hmac
import json
import os
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Engine, select

from torchfin.models import AuditHead
from torchfin.models.base import utcnow
from torchfin.read_snapshot import read_snapshot
from torchfin.services.finance.audit import Anchors, AuditProblem


def _signature(key: str, payload: str) -> str:
    return hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()


def anchor_heads(engine: Engine, path: Path, key: str) -> int:
    """Append one signed line holding every chain's length and last hash; return the chains."""
    with read_snapshot(engine) as session:
        heads = session.execute(
            select(AuditHead.subject, AuditHead.count, AuditHead.head_hash).order_by(
                AuditHead.subject
            )
        ).all()
    payload = json.dumps(
        {"at": utcnow().isoformat(), "heads": [list(head) for head in heads]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{_signature(key, payload)} {payload}\n")
        out.flush()
        os.fsync(out.fileno())  # an anchor is only worth something once it is on disk
    return len(heads)


def read_anchors(path: Path, key: str) -> tuple[Anchors, list[AuditProblem]]:
    """The anchored (length, last hash, line) of each chain, and a problem for each line whose
    signature does not match (an edited or forged line anchors nothing)."""
    anchors: Anchors = defaultdict(list)
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        signature, _, payload = line.partition(" ")
        # As bytes: compare_digest refuses a str with other than ASCII in it (an edited line).
        if not hmac.compare_digest(signature.encode(), _signature(key, payload).encode()):
            problems.append(
                AuditProblem(f"{path.name}:{number}", "forged", "the anchor's signature fails")
            )
            continue
        for subject, count, head_hash in json.loads(payload)["heads"]:
            anchors[subject].append((count, head_hash, number))
    return anchors, problems
