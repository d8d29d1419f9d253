"""Helpers of page tests: signing in, posting prefixed forms, counting rows."""

from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from tests.factories.accounts import PASSWORD
from torchfin.extensions import db
from torchfin.models import User


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign `client` in as `user`, signing out whoever was in first.

    The user is read again by id: a test that ran a worker has had its session closed, which
    detaches the records it built before.
    """
    email = db.session.get(User, inspect(user).identity[0]).email
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def post_form(client: FlaskClient, url: str, prefix: str, **fields):
    """Post a page form as the browser does: each field name carries the form's prefix."""
    return client.post(url, data={f"{prefix}-{name}": value for name, value in fields.items()})


def row_counts(*models) -> tuple[int, ...]:
    """How many rows each model's table holds, to show a refusal wrote nothing."""
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)
