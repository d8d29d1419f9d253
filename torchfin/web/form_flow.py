"""How a page form reaches its service: through the API's own schema, refusals back on the form.

A page posts strings; the marshmallow schema the JSON API uses loads them, the same service
function acts, and whatever either refuses is attached to the form's fields (in the page's
language) so the page can render again with what was typed. Pages and API thus share one set
of rules. A 403 or 404 is left to the error pages; a 409 is handed back for the page to word.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError

from torchfin.services.errors import Conflict, Invalid
from torchfin.web.sme_forms import attach_errors, submitted


@dataclass
class Outcome:
    """What came of a submission: the service's result, or the refusal and its status."""

    result: object = None
    status: int = 200
    general: list[str] = field(default_factory=list)
    conflict: Conflict | None = None

    @property
    def done(self) -> bool:
        """True when the service acted."""
        return self.status == 200


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
    become field messages and a 422; a Conflict comes back as it is, with 409.
    """
    if not form.validate_on_submit():
        return Outcome(status=422)
    payload = submitted(form)
    try:
        return Outcome(service(schema.load(shape(payload) if shape else payload)))
    except ValidationError as error:
        return _refused(form, error.messages, rows)
    except Invalid as error:
        return _refused(form, error.errors or {"_schema": [error.message]}, rows)
    except Conflict as error:
        return Outcome(status=409, conflict=error)


def _refused(form: FlaskForm, messages: dict, rows: dict[str, list[int]] | None) -> Outcome:
    # Messages for no field of the form are kept as the form's own, for the top of the form.
    general = attach_errors(form, messages, rows)
    form.form_errors.extend(general)
    return Outcome(status=422, general=general)


def answer(
    outcome: Outcome, done: str, target: str, again: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    """After a post: on success say `done` and go to `target` (303), else render `again`."""
    if outcome.done:
        flash(done, "success")
        return redirect(target, 303)
    return again()


def lines(text: str) -> list[str]:
    """The non-blank lines of a textarea, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]
