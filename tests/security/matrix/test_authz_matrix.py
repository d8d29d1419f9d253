"""Every cell of the authorisation matrix (`authz_matrix.RULES` x roles) against the real API.

The world is built once for the module (`conftest.py`, `authz_world`); rows that change or
delete records act on a fresh record per cell, so cells do not depend on each other. A read-only
token of a role the matrix allows is then refused every write (token scopes). The matrix covers
the whole API: every operation of the OpenAPI document has a row, and every row an operation.
"""

from itertools import count

import pytest

from tests.security.authz_matrix import (
    API_PREFIX,
    DOC,
    RULES,
    SIGNED_IN,
    Rule,
    document_table,
    render_markdown,
)
from tests.security.authz_world import ROLES, TARGETS, World
from torchfin.auth import SELF_REVOCATION

_seq = count(1)
CELLS = [pytest.param(rule, role, id=f"{rule.id}-{role}") for rule in RULES for role in ROLES]
HTTP_METHODS = ("get", "put", "post", "patch", "delete")


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
    url = API_PREFIX + rule.path.format(**params)
    if rule.upload is not None:
        form = rule.upload()
        return client.open(url, method=rule.method, data=form, headers=headers)
    body = rule.body(params) if callable(rule.body) else rule.body
    json = _resolve(body, params) if body is not None else None
    return client.open(url, method=rule.method, json=json, headers=headers)


@pytest.mark.parametrize(("rule", "role"), CELLS)
def test_cell(client, world, rule: Rule, role: str):
    """The role gets exactly the outcome the matrix promises."""
    with request_cell(client, world, rule, role) as response:  # closes a downloaded file
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


def _is_self_revocation(rule: Rule) -> bool:
    # The one write a read-only token may make (test_token_scopes checks that it does).
    return (rule.method, API_PREFIX + rule.path) == SELF_REVOCATION


WRITES = [
    pytest.param(rule, next(r for r in SIGNED_IN if rule.expect[r] == "ok"), id=rule.id)
    for rule in RULES
    if rule.method != "GET"
    and any(rule.expect[r] == "ok" for r in SIGNED_IN)
    and not _is_self_revocation(rule)
]


@pytest.mark.parametrize(("rule", "role"), WRITES)
def test_read_only_token_cannot_write(client, world, rule: Rule, role: str):
    """A role the matrix lets write is refused the same write with a read-only token."""
    from tests.factories.accounts import auth

    read_only = auth(world.user(role), scopes=["read"])  # scopes are checked before the view
    response = request_cell(client, world, rule, role, headers=read_only)
    assert response.status_code == 403, response.get_data(as_text=True)[:500]
    assert "'write' scope" in response.get_json()["message"]


# -- the matrix covers the whole API ------------------------------------------------------------


def _operations(path: str, item: dict) -> set[str]:
    """The operations of one OpenAPI path, as "METHOD /path": an enumerated path parameter
    (an action such as {action} or {decision}) gives one operation per value, since each value
    may be allowed to different roles."""
    found = set()
    for method in HTTP_METHODS:
        if method not in item:
            continue
        paths = [path]
        for parameter in item.get("parameters", []) + item[method].get("parameters", []):
            values = parameter.get("schema", {}).get("enum")
            if parameter["in"] == "path" and values:
                slot = "{" + parameter["name"] + "}"
                paths = [p.replace(slot, value) for p in paths for value in values]
        found |= {f"{method.upper()} {p}" for p in paths}
    return found


@pytest.fixture(scope="module")
def documented_operations(app) -> set[str]:
    """Every operation of the OpenAPI document the API serves."""
    document = app.test_client().get(f"{API_PREFIX}/openapi.json").get_json()
    return set().union(*(_operations(path, item) for path, item in document["paths"].items()))


def test_the_document_lists_the_operations_the_matrix_checks(documented_operations):
    """The drift check below would pass vacuously on an empty or unreadable document."""
    assert "POST /api/v1/guarantees/{case_id}/disburse" in documented_operations
    assert "GET /api/v1/search" in documented_operations


def test_every_documented_operation_has_a_row(documented_operations):
    """A new endpoint (or a new value of an action parameter) needs its row in the matrix."""
    covered = {rule.operation for rule in RULES}
    missing = sorted(documented_operations - covered)
    assert not missing, "operations without a row in authz_matrix.RULES:\n" + "\n".join(missing)


def test_every_row_calls_a_documented_operation(documented_operations):
    """A row whose call the API does not document tests a path that is gone or misspelt."""
    unknown = sorted({rule.operation for rule in RULES} - documented_operations)
    assert not unknown, "rows calling no documented operation:\n" + "\n".join(unknown)
