"""RQ jobs of matching: thin, taking ids; the rules live in torchfin.services.matching."""

from torchfin.services import matching, responsiveness


def match_project(project_id: int) -> int:
    """Score a project against its candidate mandates (after it was indexed)."""
    return matching.match_project(project_id)


def match_mandate(mandate_id: int) -> int:
    """Score a mandate against its candidate projects (after it was indexed)."""
    return matching.match_mandate(mandate_id)


def rescore_chunk(chunk_id: int) -> int:
    """Score one chunk of a bulk rescoring run."""
    return matching.work_chunk(chunk_id)


def store_chunk(chunk_id: int) -> int:
    """Store one slice of the matches a bulk rescoring run keeps."""
    return matching.store_chunk(chunk_id)


def finish_rescore(run_id: int) -> None:
    """Plan the storing of a bulk run whose scoring is done, or close it when all is stored."""
    matching.finish_rescore(run_id)


def remind_late_answers() -> int:
    """Remind the late side of every deal whose answer is overdue."""
    return responsiveness.remind_late()
