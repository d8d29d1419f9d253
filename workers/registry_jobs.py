"""RQ jobs of the registry: thin, taking ids, letting failures reach RQ for retries."""

from torchfin.services.registry.imports.runs import run_import


def run_registry_import(import_id: int) -> int:
    """Import the rows of a registry file not yet imported; return how many rows are done.
    Safe to rerun: committed chunks are skipped, and rows already in the registry change nothing."""
    record = run_import(import_id)
    return record.done if record else 0
