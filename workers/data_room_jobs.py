"""RQ jobs of deal data rooms: thin; the rules live in torchfin.services.matching.data_room."""

from torchfin.services.matching import data_room


def remove_orphan_files() -> list[str]:
    """Delete data-room files no row names that are past the grace period; return them."""
    return data_room.remove_orphan_files()
