"""`Idempotency-Key` on API writes: claim the key before the view runs, keep its answer after.

The rules (what a key may be, when it replays, when it is refused) live in
`torchfin.services.idempotency`; this module only connects them to Flask's request cycle.
"""

from flask import Flask, Response, g, jsonify, request
from flask_login import current_user

from torchfin.api import WRITES
from torchfin.extensions import db
from torchfin.services import idempotency
from torchfin.services.errors import ServiceError

REPLAYED = "Idempotent-Replayed"


def init_idempotency(app: Flask) -> None:
    """Honour `Idempotency-Key` on every API write of a signed-in caller."""
    app.before_request(_claim_key)
    app.after_request(_keep_answer)


def _claim_key() -> Response | tuple | None:
    key = request.headers.get(idempotency.HEADER)
    if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
        return None
    if request.url_rule is None:  # no such operation: its 404 or 405 is the answer
        return None
    if not current_user.is_authenticated:  # the view answers 401 itself; nothing to replay
        return None
    print_ = idempotency.fingerprint(
        request.method, request.path, request.query_string, request.get_data()
    )
    try:
        idempotency.check_key(key)
        claimed = idempotency.claim(db.engine, current_user.id, key, print_)
    except ServiceError as error:
        body = {"code": error.status, "message": error.message}
        return jsonify(body | {"errors": {"headers": error.errors}}), error.status
    if isinstance(claimed, idempotency.Answer):
        replay = Response(claimed.body, claimed.status_code, mimetype="application/json")
        replay.headers[REPLAYED] = "true"
        return replay
    g.idempotent_request_id = claimed
    return None


def _keep_answer(response: Response) -> Response:
    record_id = g.pop("idempotent_request_id", None)
    if record_id is not None:
        # The view committed what it keeps; what it left open (a refusal after a locking read)
        # ends now rather than at teardown, or on SQLite it would hold the write lock that
        # storing the answer needs.
        db.session.rollback()
        answer = idempotency.Answer(response.status_code, response.get_data(as_text=True))
        idempotency.keep_answer(db.engine, record_id, answer)
    return response
