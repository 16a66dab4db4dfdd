#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback and create the test role and database.
# Prints the URL to use as FLYT_TEST_POSTGRES_URL. Idempotent.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='flyt'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role flyt login superuser password 'flyt'\""
su postgres -c "psql -qAtc \"select 1 from pg_database where datname='flyt_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O flyt flyt_test"
echo "postgresql://flyt:flyt@127.0.0.1:5432/flyt_test"
