#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for the registry tests (idempotent): Debian's `postgresql`
# package, a data directory under /var/tmp, listening on 127.0.0.1 only, port 55432 (or $PGPORT),
# with role and database `cccd_test` (password `cccd_test`). Prints the URL the tests read from
# CCCD_TEST_POSTGRES_URL. Run as root (it switches to the `postgres` user) or as `postgres`.
set -euo pipefail
PORT="${CCCD_TEST_PGPORT:-55432}"
DATA="${CCCD_TEST_PGDATA:-/var/tmp/cccd-postgres}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2
    exit 1
fi
as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    chown postgres:postgres "$DATA" 2>/dev/null || true
    chmod 700 "$DATA"
    as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c max_connections=200 -c fsync=off" start >/dev/null
fi
psql_() { as_postgres "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }
if [ "$(psql_ -c "SELECT 1 FROM pg_roles WHERE rolname = 'cccd_test'")" != 1 ]; then
    psql_ -c "CREATE ROLE cccd_test LOGIN PASSWORD 'cccd_test'"
fi
if [ "$(psql_ -c "SELECT 1 FROM pg_database WHERE datname = 'cccd_test'")" != 1 ]; then
    psql_ -c "CREATE DATABASE cccd_test OWNER cccd_test"
fi
echo "postgres://cccd_test:cccd_test@127.0.0.1:$PORT/cccd_test"
