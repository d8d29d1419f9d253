#!/usr/bin/env bash
# Prepare a checkout: Python virtualenv in .venv with requirements.txt, front-end assets in node_modules
# (package.json), compiled translations. Each step is skipped when its stamp file is newer than its
# inputs, so reruns are fast. PYTHON overrides the interpreter used to create .venv (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"

# 1. Python virtualenv.
if [ ! -x .venv/bin/python ]; then
  command -v "$python" >/dev/null || { echo "bootstrap: $python not found (set PYTHON to a Python 3.11+ interpreter)" >&2; exit 1; }
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "bootstrap: $python is $("$python" -V 2>&1 | awk '{print $2}'); Python 3.11+ is required (set PYTHON)" >&2; exit 1; }
  echo "bootstrap: creating .venv with $python ($("$python" -V 2>&1))"
  "$python" -m venv .venv \
    || { echo "bootstrap: '$python -m venv' failed; on Debian install python3-venv" >&2; exit 1; }
fi
if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then
  echo "bootstrap: pip install -r requirements.txt into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  touch .venv/.installed
else
  echo "bootstrap: .venv is up to date with requirements.txt"
fi

# 2. Front-end assets (swagger-ui-dist, echarts).
if [ -f package.json ]; then
  stamp=node_modules/.installed
  if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
    command -v npm >/dev/null || { echo "bootstrap: npm not found; install Node.js 20+ (apt-get install nodejs npm)" >&2; exit 1; }
    echo "bootstrap: npm install (package.json)"
    npm install --no-audit --no-fund --loglevel=error
    touch "$stamp"
  else
    echo "bootstrap: node_modules is up to date with package.json"
  fi
fi

# 3. Translations (.po -> .mo; the .mo files are not committed).
if [ -d torchfin/translations ]; then
  if find torchfin/translations -name '*.po' -print -quit | grep -q .; then
    echo "bootstrap: compiling translations in torchfin/translations"
    .venv/bin/pybabel -q compile -d torchfin/translations
  else
    echo "bootstrap: no .po files in torchfin/translations; nothing to compile"
  fi
fi

echo "bootstrap: done"
