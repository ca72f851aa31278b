#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the audit store tests and print its DSN.
#
# Installs PostgreSQL from Debian's packages when it is missing, creates a private cluster
# (not the distribution's default one) under $PGROOT, owned by the postgres user, listening
# on loopback only, and a role and database for the tests. Idempotent: a cluster already
# running is reused. Usage: `export ELIGIBILITY_TEST_PG="$(.ci/postgres.sh)"`.
set -euo pipefail
PGROOT="${PGROOT:-/tmp/eligibility-pg}"
PGPORT="${PGPORT:-54329}"
export DEBIAN_FRONTEND=noninteractive

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg() { runuser -u postgres -- "$@"; }

mkdir -p "$PGROOT"
chown postgres:postgres "$PGROOT"
if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    as_pg "$BIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 >/dev/null
fi
if ! as_pg "$BIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    rm -f "$PGROOT/data/postmaster.pid"
    as_pg "$BIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c max_connections=100" \
        start >/dev/null
fi
psql_pg() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'eligibility'")" != 1 ]; then
    psql_pg -c "CREATE ROLE eligibility LOGIN CREATEDB" >&2
fi
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = 'eligibility'")" != 1 ]; then
    psql_pg -c "CREATE DATABASE eligibility OWNER eligibility" >&2
fi
echo "postgresql://eligibility@127.0.0.1:$PGPORT/eligibility"
