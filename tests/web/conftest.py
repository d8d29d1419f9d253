"""Fixtures of the web page tests: the suite's app and database, holding a few known records."""

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories.accounts import PASSWORD
from tests.factories.web import WebSeed, seed_records


@pytest.fixture
def web_empty_app(app: Flask) -> Flask:
    """The app on an empty database (the suite empties every table after each test)."""
    return app


@pytest.fixture
def web_seed(app: Flask) -> WebSeed:
    """The records of `seed_records`; their ids and e-mails."""
    return seed_records()


@pytest.fixture
def web_app(app: Flask, web_seed: WebSeed) -> Flask:
    """The app with the seeded records."""
    return app


@pytest.fixture
def web_client(client: FlaskClient, web_seed: WebSeed) -> FlaskClient:
    """A test client of the seeded app (cookies kept between requests)."""
    return client


@pytest.fixture
def web_login(web_client: FlaskClient) -> Callable[[str, str], object]:
    """Sign `web_client` in through the login form."""

    def login(email: str, password: str = PASSWORD):
        return web_client.post("/login", data={"email": email, "password": password})

    return login
