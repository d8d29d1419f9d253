"""RQ job of OTC-readiness batch runs: takes the batch id, the service does the work."""

from torchfin.services.readiness.batches import work_batch


def run_readiness_batch(batch_id: int) -> int:
    """Work the readiness batch `batch_id`; return how many enterprises it has checked."""
    batch = work_batch(batch_id)
    return batch.done if batch else 0
