"""How a page form reaches its service: through the API's own schema, refusals back on the form.

Every page form takes the same step, `submit_values`: the marshmallow schema the JSON API uses
loads what was posted, the same service function acts, and whatever either refuses comes back
as messages by field with a 422. Pages and API thus share one set of rules.

A page whose form is a WTForm (`forms.py`, `sme_forms.py`, `finance_forms.py`, `fund_forms.py`)
posts through `submit`: its fields' strings are gathered, the messages are put on its fields in
the page's language, those for no field at its top, and a 409 is handed back for the page to
word. A form laid out by hand in its template posts `posted()` (or the values the page gathers
by name) through `submit_values` and shows the messages where its template puts them; a 409 is
left to the error page there, as is a 403 or 404 everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError
from wtforms import FieldList, Form
from wtforms.fields import Field

from torchfin.services.errors import Conflict, Invalid, ServiceError
from torchfin.web.messages import localise


@dataclass
class Outcome:
    """What came of a submission: the service's result, or the refusal, its messages by field
    (as the schema or service said them) and its status."""

    result: object = None
    status: int = 200
    messages: dict = field(default_factory=dict)
    conflict: Conflict | None = None

    @property
    def done(self) -> bool:
        """True when the service acted."""
        return self.status == 200


def submit_values(values: dict, schema: Schema, service: Callable[[dict], object]) -> Outcome:
    """Load `values` with `schema` and hand them to `service`; a refusal of either comes back
    as messages by field with a 422. A Conflict is raised on, to the error page."""
    try:
        return Outcome(service(schema.load(values)))
    except ValidationError as error:
        return Outcome(status=422, messages=error.messages)
    except Invalid as error:
        return Outcome(status=error.status, messages=_messages_of(error))


def submit(
    form: FlaskForm,
    schema: Schema,
    service: Callable[[dict], object],
    shape: Callable[[dict], dict] | None = None,
    rows: dict[str, list[int]] | None = None,
) -> Outcome:
    """Load the form's non-blank fields with `schema` and hand them to `service`.

    `shape` turns the plain strings into what the schema expects where a field is not one
    value (a textarea holding one item per line, the rows of a list); `rows` says which form
    row each submitted list item came from (see `attach_errors`). Schema and service refusals
    become field messages and a 422; a Conflict comes back as it is, with 409, for the page to
    word (`place_refusal` puts it on the form, where that is the page's way).
    """
    if not form.validate_on_submit():
        return Outcome(status=422)
    payload = submitted(form)
    try:
        outcome = submit_values(shape(payload) if shape else payload, schema, service)
    except Conflict as error:
        return Outcome(status=error.status, messages=_messages_of(error), conflict=error)
    if not outcome.done:
        place_refusal(form, outcome, rows)
    return outcome


def place_refusal(
    form: FlaskForm, outcome: Outcome, rows: dict[str, list[int]] | None = None
) -> None:
    """Put `outcome`'s messages on `form`'s fields; those for no field go to the form's top
    (`form.form_errors`, which the page's error summary shows)."""
    form.form_errors.extend(attach_errors(form, outcome.messages, rows))


def answer(
    outcome: Outcome, done: str, target: str, again: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    """After a post: on success say `done` and go to `target` (303), else render `again`."""
    if outcome.done:
        flash(done, "success")
        return redirect(target, 303)
    return again()


def posted() -> dict:
    """What a form laid out by hand posted, one string a field, without the CSRF token (which
    was checked before the view ran and is no field of any schema)."""
    return {name: value for name, value in request.form.items() if name != "csrf_token"}


def submitted(form: Form) -> dict:
    """The non-blank values of `form`'s plain fields, for the schema to load.

    Blank fields are left out so the schema applies its defaults or says what is missing; list
    fields and the CSRF token are the caller's business.
    """
    values = {}
    for form_field in form:
        if isinstance(form_field, FieldList) or form_field.short_name == "csrf_token":
            continue
        value = form_field.data
        if isinstance(value, str):
            value = value.strip()
        if value not in ("", None, []):
            values[form_field.short_name] = value
    return values


def submitted_rows(rows: FieldList, key: str) -> tuple[list[dict], list[int]]:
    """The rows of a list whose `key` field is filled, and their positions in the form."""
    kept, positions = [], []
    for position, entry in enumerate(rows.entries):
        values = submitted(entry.form)
        if values.get(key):
            kept.append(values)
            positions.append(position)
    return kept, positions


def attach_errors(
    form: Form, messages: dict, row_positions: dict[str, list[int]] | None = None
) -> list[str]:
    """Put the schema's or service's field messages on the form's fields, in the page's language.

    `row_positions` maps a list field to the form rows its submitted items came from (blank
    rows were skipped). Returns the messages that belong to no field, for the page's top.
    """
    unplaced: list[str] = []
    for name, value in messages.items():
        form_field = form._fields.get(name)
        if form_field is None:
            unplaced.extend(_flatten(value))
        elif isinstance(form_field, FieldList) and isinstance(value, dict):
            positions = (row_positions or {}).get(name, [])
            for index, row_messages in value.items():
                row = form_field.entries[positions[int(index)]].form
                unplaced.extend(attach_errors(row, row_messages))
        else:
            _set_errors(form_field, _flatten(value))
    return unplaced


def lines(text: str) -> list[str]:
    """The non-blank lines of a textarea, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _messages_of(error: ServiceError) -> dict:
    # A service error names its fields, or says only a sentence, which then belongs to no field.
    return error.errors or {"_schema": [error.message]}


def _set_errors(form_field: Field, messages: list[str]) -> None:
    form_field.errors = [*form_field.errors, *messages]


def _flatten(value: object) -> list[str]:
    if isinstance(value, dict):
        return [m for inner in value.values() for m in _flatten(inner)]
    if isinstance(value, list):
        return [m for inner in value for m in _flatten(inner)]
    return [localise(value)]
