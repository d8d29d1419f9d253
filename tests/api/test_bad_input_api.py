"""Every write operation of the OpenAPI document refuses the bad-input corpus and writes nothing.

Operations are read from /api/v1/openapi.json, so a new endpoint is covered the day it lands.
Each field of a request body is sent alone with each corpus value meant for its type; values
that break the field's documented schema, and those no field may hold (very long or control
characters, integers beyond SQL), must come back 422 with the field named in `errors`. Values
a free-text field may legitimately hold (injection strings, mixed scripts) still leave the body
incomplete: the answer is a 4xx with field messages. Either way no table gains or loses a row.
"""

from collections.abc import Iterator
from datetime import date

import jsonschema_rs
import pytest

from schemas.fields import DECIMAL_PATTERN, MONEY_PATTERN
from tests.bad_input import (
    CONTROL_CHARACTERS,
    DEEPLY_NESTED_BODIES,
    DIRECTION_CONTROLS,
    EDGE_DATES,
    HUGE_AND_NEGATIVE_AMOUNTS,
    HUGE_INTEGERS,
    IMPLAUSIBLE_DATES,
    IMPOSSIBLE_DATES,
    LONG_TEXT,
    LOOSE_AMOUNTS,
    STRING_VALUES,
    WRONG_TYPES,
    count_rows,
)
from tests.factories.accounts import auth, make_personas
from torchfin.models.enums import Role

WRITES = ("post", "put", "patch", "delete")
MISSING_ID = 2**31 - 1  # the largest id the INTEGER columns hold; no record has it
BAD_PATH_VALUES = ["abc", "-1", str(2**62), str(10**30), "1 OR 1=1", "*:*"]
# Corpus values every field of the type must refuse, whatever its schema says.
ALWAYS_REFUSED = {
    "string": [LONG_TEXT, *CONTROL_CHARACTERS, *DIRECTION_CONTROLS],
    "integer": HUGE_INTEGERS,
}
# Characters a secret (password) may hold: it is taken verbatim, only bounded.
SECRET_CHARACTERS = [*CONTROL_CHARACTERS, *DIRECTION_CONTROLS]

Path = tuple[str | int, ...]


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _fields(spec: dict, schema: dict, path: Path = (), depth: int = 0) -> Iterator[tuple]:
    """(path, schema) of every writable field, nested objects and list items included."""
    schema = _resolve(spec, schema)
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(spec, prop)
        if prop.get("readOnly"):
            continue
        yield (*path, name), prop
        if depth < 2 and prop.get("type") == "object":
            yield from _fields(spec, prop, (*path, name), depth + 1)
        items = _resolve(spec, prop.get("items", {}))
        if depth < 2 and prop.get("type") == "array" and "properties" in items:
            yield from _fields(spec, items, (*path, name, 0), depth + 1)


def _corpus(prop: dict) -> list:
    kind = prop.get("type", "string")
    values = list(WRONG_TYPES.get(kind, []))
    if kind == "string":
        values += STRING_VALUES
        if prop.get("format") in ("date", "date-time"):
            values += IMPOSSIBLE_DATES
        if prop.get("format") == "date":
            values += [*IMPLAUSIBLE_DATES, *EDGE_DATES]
        if "pattern" in prop:  # amounts, rates and codes
            values += HUGE_AND_NEGATIVE_AMOUNTS
        if prop.get("pattern") in (MONEY_PATTERN, DECIMAL_PATTERN):
            values += LOOSE_AMOUNTS
    if kind == "integer":
        values += [*HUGE_INTEGERS, -1]
    if kind == "array":
        values.append([LONG_TEXT])
    return values


def _must_name_field(spec: dict, prop: dict, value) -> bool:
    """Whether the field itself must be blamed: the value breaks its documented schema (a date's
    window included), or no field of its type may hold it."""
    refused = ALWAYS_REFUSED.get(prop.get("type", "string"), [])
    if prop.get("writeOnly"):
        refused = [v for v in refused if v not in SECRET_CHARACTERS]
    if value in refused or _outside_window(prop, value):
        return True
    documented = {**prop, "components": spec["components"]}  # for the $refs inside
    return not jsonschema_rs.validator_for(documented, validate_formats=True).is_valid(value)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _outside_window(schema: dict, value) -> bool:
    """Whether `value` is a day outside the window a date documents (x-earliest, x-years-ahead);
    IMPLAUSIBLE_DATES are outside every window, documented or not."""
    if schema.get("format") != "date" or not isinstance(value, str):
        return False
    if value in IMPLAUSIBLE_DATES:
        return True
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False  # no day at all: the documented format judges it
    if "x-earliest" not in schema:
        return False  # test_every_date_a_request_takes_documents_its_window fails
    latest = _years_after(date.today(), schema["x-years-ahead"])
    return not date.fromisoformat(schema["x-earliest"]) <= day <= latest


def _nest(path: Path, value):
    for key in reversed(path):
        value = [value] if isinstance(key, int) else {key: value}
    return value


def _blamed(errors: dict, path: Path) -> bool:
    node = errors.get("json", {})
    for key in path:
        if not isinstance(node, dict) or str(key) not in {str(k) for k in node}:
            return False
        node = next(v for k, v in node.items() if str(k) == str(key))
    return True


def _write_operations(client, methods: tuple[str, ...] = WRITES) -> list[tuple[str, str, dict]]:
    """(METHOD, path, operation) of the document's writes, or of `methods`."""
    spec = client.get("/api/v1/openapi.json").json
    # Path parameters sit on the path item; operations may add their own.
    return [
        (method.upper(), path, {**operation, "parameters": [*shared, *own]})
        for path, operations in spec["paths"].items()
        for shared in [operations.get("parameters", [])]
        for method, operation in operations.items()
        if method in methods
        for own in [operation.get("parameters", [])]
    ]


@pytest.fixture
def admin_headers() -> dict[str, str]:
    """A platform admin's token: it reaches every operation's input parsing."""
    return auth(make_personas()[Role.ADMIN])


def _url(path: str, operation: dict, value: str | None = None) -> str:
    """`path` with its ids set to `value` (default: an id no record has) and its words (an
    {action} of an `any(...)` rule) set to the first one documented."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "path":
            continue
        words = parameter.get("schema", {}).get("enum")
        filled = words[0] if words and value is None else value or str(MISSING_ID)
        path = path.replace(f"{{{parameter['name']}}}", filled)
    return path


def _body_cases(client) -> list[tuple[str, str, dict, Path, dict, object]]:
    """(METHOD, path, operation, field, field schema, corpus value) of every bad body."""
    spec = client.get("/api/v1/openapi.json").json
    return [
        (method, path, operation, field, prop, value)
        for method, path, operation in _write_operations(client)
        for body in [operation.get("requestBody", {}).get("content", {})]
        for schema in [body.get("application/json", {}).get("schema")]
        if schema is not None
        for field, prop in _fields(spec, schema)
        for value in _corpus(prop)
    ]


def test_the_corpus_reaches_every_request_body(client):
    """The bodies of the document give the corpus over a thousand fields and values to try."""
    assert len(_body_cases(client)) > 1000, "the OpenAPI document lost its request bodies"


# Thousands of requests: in parts, which parallel test workers share (`make test`).
BODY_PARTS = 8


@pytest.mark.parametrize("part", range(BODY_PARTS))
def test_every_write_operation_refuses_bad_bodies_and_writes_nothing(client, admin_headers, part):
    """Field by field, the corpus is refused with the field named, and no row changes."""
    spec = client.get("/api/v1/openapi.json").json
    failures: list[str] = []
    checked = 0
    for method, path, operation, field, prop, value in _body_cases(client)[part::BODY_PARTS]:
        before = count_rows()
        url = _url(path, operation)
        response = client.open(url, method=method, json=_nest(field, value), headers=admin_headers)
        checked += 1
        label = f"{method} {path} {'.'.join(map(str, field))}={str(value)[:40]!r}"
        errors = (response.json or {}).get("errors", {})
        if not 400 <= response.status_code < 500:
            failures.append(f"{label}: {response.status_code} {str(response.json)[:200]}")
        elif _must_name_field(spec, prop, value) and not (
            response.status_code == 422 and _blamed(errors, field)
        ):
            # Text a field may hold leaves the body incomplete: any 4xx will do then.
            failures.append(f"{label}: field not named in {str(response.json)[:200]}")
        if count_rows() != before:
            failures.append(f"{label}: rows changed")
    assert not failures, f"{len(failures)} of {checked} refused badly:\n" + "\n".join(failures)


def test_every_write_operation_refuses_bad_path_ids_and_writes_nothing(client, admin_headers):
    """Ids that are not ids (words, negatives, beyond SQL, injection) find nothing to change."""
    failures: list[str] = []
    for method, path, operation in _write_operations(client):
        if "{" not in path:
            continue
        for value in [str(MISSING_ID), *BAD_PATH_VALUES]:
            url = _url(path, operation, value)
            before = count_rows()
            response = client.open(url, method=method, json={}, headers=admin_headers)
            # Not found, not allowed (a role check may come first) or not parsed: all refusals.
            if not 400 <= response.status_code < 500:
                failures.append(f"{method} {url}: {response.status_code}")
            if count_rows() != before:
                failures.append(f"{method} {url}: rows changed")
    assert not failures, "\n".join(failures)


def test_every_write_operation_refuses_deeply_nested_bodies(client, admin_headers):
    """A body nested 1,000 or 10,000 deep is a 400 naming the body, never a RecursionError."""
    failures: list[str] = []
    checked = set()
    for method, path, operation in _write_operations(client):
        if "application/json" not in operation.get("requestBody", {}).get("content", {}):
            continue
        checked.add(f"{method} {path}")
        for body in DEEPLY_NESTED_BODIES:
            before = count_rows()
            response = client.open(
                _url(path, operation),
                method=method,
                data=body,
                content_type="application/json",
                headers=admin_headers,
            )
            label = f"{method} {path} {body[:8]}…{len(body)}"
            message = (response.json or {}).get("message", "")
            if response.status_code != 400 or "nested too deeply" not in message:
                failures.append(f"{label}: {response.status_code} {str(response.json)[:200]}")
            if count_rows() != before:
                failures.append(f"{label}: rows changed")
    assert {"POST /api/v1/projects", "POST /api/v1/saved-searches", "POST /api/v1/auth/tokens"} <= (
        checked
    )
    assert not failures, f"{len(failures)} refused badly:\n" + "\n".join(failures)


def _request_dates(client) -> list[tuple[str, dict]]:
    """(label, schema) of every date a request takes, in a JSON body or in the query string."""
    spec = client.get("/api/v1/openapi.json").json
    found = []
    for method, path, operation in _write_operations(client, ("get", *WRITES)):
        content = operation.get("requestBody", {}).get("content", {})
        body = content.get("application/json", {}).get("schema")
        for field, prop in _fields(spec, body) if body else []:
            found.append((f"{method} {path} {'.'.join(map(str, field))}", prop))
        for parameter in operation["parameters"]:
            if parameter.get("in") == "query":
                found.append((f"{method} {path} ?{parameter['name']}", parameter["schema"]))
    return [(label, schema) for label, schema in found if schema.get("format") == "date"]


def test_every_date_a_request_takes_documents_its_window(client):
    """Each date a request takes has a window (schemas.fields.DateWithin), documented for clients
    as x-earliest and x-years-ahead: a plain date field would take 0001-01-01 or 9999-12-31."""
    dates = _request_dates(client)
    assert len(dates) > 20, "the OpenAPI document lost its dates"
    unbounded = [
        label for label, schema in dates if not {"x-earliest", "x-years-ahead"} <= {*schema}
    ]
    assert not unbounded, "\n".join(unbounded)


def test_every_date_in_a_query_refuses_days_outside_its_window(client, admin_headers):
    """A statement's period or an as-of day outside its window is a 422 naming the parameter
    (the day after 9999-12-31 was a 500)."""
    failures: list[str] = []
    checked = 0
    for method, path, operation in _write_operations(client, ("get",)):
        for parameter in operation["parameters"]:
            name, schema = parameter["name"], parameter.get("schema", {})
            if parameter.get("in") != "query" or schema.get("format") != "date":
                continue
            for value in [
                v for v in [*IMPLAUSIBLE_DATES, *EDGE_DATES] if _outside_window(schema, v)
            ]:
                response = client.open(
                    _url(path, operation),
                    method=method,
                    query_string={name: value},
                    headers=admin_headers,
                )
                checked += 1
                errors = (response.json or {}).get("errors", {}).get("query", {})
                if response.status_code != 422 or name not in errors:
                    failures.append(f"{method} {path}?{name}={value}: {response.status_code}")
    assert checked >= 3 * len(IMPLAUSIBLE_DATES), "the OpenAPI document lost its query dates"
    assert not failures, "\n".join(failures)
