"""A query string too long for the search answers JSON naming `q`, in process and under gunicorn."""

import urllib.parse

import pytest

from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_institution
from tests.live_server import serve
from torchfin.models.enums import Role

# Far over gunicorn's default request-line limit (4,094 bytes) and its maximum (8,190).
LONG_Q = "动力电池" * 1000  # 4,000 characters, 36,000 bytes percent-encoded


def _investor_headers() -> dict:
    return auth(make_user(Role.INVESTOR, institution=make_institution()))


def _names_q(body: dict) -> None:
    assert body["code"] == 422
    assert list(body["errors"]["query"]) == ["q"]
    assert "200" in body["errors"]["query"]["q"][0]


def test_a_long_q_is_refused_naming_it(app, client):
    response = client.get("/api/v1/search", query_string={"q": LONG_Q}, headers=_investor_headers())
    assert response.status_code == 422
    _names_q(response.json)


def test_the_search_page_says_what_is_wrong_with_a_long_q(app, client):
    from tests.page_helpers import sign_in

    sign_in(client, make_user(Role.INVESTOR, institution=make_institution()))
    page = client.get("/search", query_string={"q": LONG_Q})
    assert page.status_code == 422
    assert "200" in page.get_data(as_text=True)


@pytest.fixture(scope="module")
def server(app):
    """Gunicorn serving this run's database, with the repository's gunicorn.conf.py."""
    yield from serve()


@pytest.mark.serial
def test_gunicorn_hands_a_long_request_line_to_the_app(app, server):
    path = "/api/v1/search?" + urllib.parse.urlencode({"q": LONG_Q})
    answer = server.call("GET", path, _investor_headers())
    assert answer.status == 422
    assert answer.headers["Content-Type"].startswith("application/json")
    _names_q(answer.body)
