"""RQ jobs of matching: thin, taking ids; the rules live in torchfin.services.matching.scoring."""

from torchfin.services.matching import responsiveness, scoring


def match_project(project_id: int) -> int:
    """Score a project against its candidate mandates (after it was indexed)."""
    return scoring.match_project(project_id)


def match_mandate(mandate_id: int) -> int:
    """Score a mandate against its candidate projects (after it was indexed)."""
    return scoring.match_mandate(mandate_id)


def rescore_chunk(chunk_id: int) -> int:
    """Score one chunk of a bulk rescoring run and store its projects' best matches."""
    return scoring.work_chunk(chunk_id)


def store_chunk(chunk_id: int) -> int:
    """Store one slice of the mandates' best matches a bulk rescoring run keeps."""
    return scoring.store_chunk(chunk_id)


def finish_rescore(run_id: int) -> None:
    """Plan the storing of a bulk run whose scoring is done, or close it when all is stored."""
    scoring.finish_rescore(run_id)


def remind_late_answers() -> int:
    """Remind the late side of every deal whose answer is overdue."""
    return responsiveness.remind_late()
