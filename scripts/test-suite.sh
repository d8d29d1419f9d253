#!/usr/bin/env bash
# One database's pass of `make test` (DATABASE_URL names it; unset means SQLite): the suite in
# PYTEST_WORKERS parallel processes (pytest-xdist, each with its own index, queues and database;
# see tests/conftest.py), then, alone on the machine, the tests marked `serial` (Chromium, gunicorn).
# Both parts always run; the exit status is the first failure's. Extra arguments go to both pytests.
set -uo pipefail
cd "$(dirname "$0")/.."
workers="${PYTEST_WORKERS:-3}"
status=0

# pytest answers 5 when a part selects no test (e.g. arguments naming only serial tests): not a failure.
run() {
  .venv/bin/python -m pytest "$@"
  local code=$?
  if [ "$code" -ne 0 ] && [ "$code" -ne 5 ] && [ "$status" -eq 0 ]; then status=$code; fi
}

# worksteal: a worker that runs dry takes pending tests from a busy one, so one slow module
# (Schemathesis, the authorisation matrix) does not leave the others idle at the end.
run -n "$workers" --dist worksteal -m "not faults and not serial" "$@"
run -m "serial and not faults" "$@"
exit "$status"
