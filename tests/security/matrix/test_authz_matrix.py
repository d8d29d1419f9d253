"""Every cell of the authorisation matrix (`authz_matrix.RULES` x roles) against the real API.

The world is built once for the module (`conftest.py`, `authz_world`); rows that change or
delete records act on a fresh record per cell, so cells do not depend on each other. A read-only
token of a role the matrix allows is then refused every write (token scopes).
"""

from itertools import count

import pytest

from tests.security.authz_matrix import DOC, RULES, Rule, document_table, render_markdown
from tests.security.authz_world import ROLES, TARGETS, World

PREFIX = "/api/v1"
_seq = count(1)
CELLS = [pytest.param(rule, role, id=f"{rule.id}-{role}") for rule in RULES for role in ROLES]


def _resolve(value, params: dict):
    """Fill "{key}" placeholders of a body from the target and the world's ids."""
    if isinstance(value, dict):
        return {name: _resolve(item, params) for name, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return params[value[1:-1]]
    return value


def request_cell(client, world: World, rule: Rule, role: str, headers: dict | None = None):
    """Send `rule`'s call as `role` (or with `headers`) on a target built for this cell."""
    # `n` makes names and codes a body must keep unique distinct per cell.
    params = world.ids | {"n": next(_seq)} | TARGETS[rule.target][1](world, role)
    headers = headers if headers is not None else params.pop("headers", world.headers[role])
    body = rule.body(params) if callable(rule.body) else rule.body
    url = PREFIX + rule.path.format(**params)
    json = _resolve(body, params) if body is not None else None
    return client.open(url, method=rule.method, json=json, headers=headers)


@pytest.mark.parametrize(("rule", "role"), CELLS)
def test_cell(client, world, rule: Rule, role: str):
    """The role gets exactly the outcome the matrix promises."""
    response = request_cell(client, world, rule, role)
    expected = rule.expect[role]
    if expected == "ok":
        assert 200 <= response.status_code < 300, response.get_data(as_text=True)[:500]
    else:
        assert response.status_code == int(expected), response.get_data(as_text=True)[:500]


def test_every_role_has_a_cell_in_every_row():
    """No row leaves a role out (a missing cell would silently go untested)."""
    for rule in RULES:
        assert set(rule.expect) == set(ROLES), rule.id


def test_docs_table_is_the_matrix():
    """docs/security.md shows exactly this table; regenerate it with
    `.venv/bin/python -m tests.security.authz_matrix`."""
    assert document_table(DOC.read_text(encoding="utf-8")) == render_markdown()


WRITES = [
    pytest.param(rule, next(r for r in ROLES if rule.expect[r] == "ok"), id=rule.id)
    for rule in RULES
    if rule.method != "GET" and "ok" in rule.expect.values()
]


@pytest.mark.parametrize(("rule", "role"), WRITES)
def test_read_only_token_cannot_write(client, world, rule: Rule, role: str):
    """A role the matrix lets write is refused the same write with a read-only token."""
    from tests.factories import auth

    read_only = auth(world.user(role), scopes=["read"])  # scopes are checked before the view
    response = request_cell(client, world, rule, role, headers=read_only)
    assert response.status_code == 403, response.get_data(as_text=True)[:500]
    assert "'write' scope" in response.get_json()["message"]
