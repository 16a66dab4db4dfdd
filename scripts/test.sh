#!/usr/bin/env bash
# Run the whole test suite on a fresh Debian machine: installs what it needs
# (Python packages in .venv, Pango and fonts for the PDF reports, Debian's
# PostgreSQL), checks the style (ruff) and the types (mypy, configured in
# pyproject.toml) and stops at the first finding, starts PostgreSQL on loopback,
# then runs pytest on the embedded database and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
pip install --quiet --disable-pip-version-check -e ".[test]"

step() { printf '\n== %s\n' "$1"; }
failed() { printf '\nscripts/test.sh: FAILED at %s (see above); the tests did not run.\n' "$1" >&2; exit 1; }

step "ruff check src tests"
ruff check src tests || failed "ruff check"
step "mypy (pyproject.toml [tool.mypy]: src/flyt)"
mypy || failed "mypy: type errors"

step "pytest"
bash scripts/system-deps.sh
# A database given beforehand is used as it is (several people testing at once each
# use their own); else the local server's flyt_test.
if [ -z "${FLYT_TEST_POSTGRES_URL:-}" ]; then
  FLYT_TEST_POSTGRES_URL=$(bash scripts/test-postgres.sh | tail -n 1)
fi
export FLYT_TEST_POSTGRES_URL
exec pytest "$@"
