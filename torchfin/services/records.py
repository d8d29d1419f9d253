"""Small building blocks every record service uses: lookup with 404, applying validated fields."""

from typing import TypeVar

from torchfin.extensions import db
from torchfin.services.errors import NotFound

T = TypeVar("T")


def get_or_404(model: type[T], record_id: int, label: str, lock: bool = False) -> T:
    """The record with this id, or NotFound naming what was looked for.

    `lock` is for a caller about to check the record's state and change it: the row is read
    `FOR UPDATE` (on SQLite, under the database's write lock), so a concurrent request waits
    and then sees the change instead of acting on the same old state.
    """
    record = db.session.get(model, record_id, with_for_update=lock)
    if record is None:
        raise NotFound(f"{label} {record_id} does not exist")
    return record


def apply_fields(record: object, data: dict, names: tuple[str, ...]) -> None:
    """Copy the validated values present in `data` for `names` onto `record`."""
    for name in names:
        if name in data:
            setattr(record, name, data[name])
