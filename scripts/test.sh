#!/usr/bin/env bash
# Set up a virtual environment (if needed) and run every check the project has:
# ruff, mypy --strict (package and policy set), then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${SURVEYOR_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e '.[dev]'
export PATH="$PWD/$VENV/bin:$PATH"

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy --strict"
mypy cli/surveyor policies
echo "== pytest"
python -m pytest -n 2 --dist loadfile "$@"
