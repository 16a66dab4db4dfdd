#!/usr/bin/env bash
# Run the whole test suite on a fresh Debian machine: installs what it needs
# (Python packages in .venv, Pango and fonts for the PDF reports, Debian's
# PostgreSQL), starts PostgreSQL on loopback,
# then runs pytest on the embedded database and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
pip install --quiet --disable-pip-version-check -e ".[test]"
bash scripts/system-deps.sh
FLYT_TEST_POSTGRES_URL=$(bash scripts/test-postgres.sh | tail -n 1)
export FLYT_TEST_POSTGRES_URL
exec pytest "$@"
