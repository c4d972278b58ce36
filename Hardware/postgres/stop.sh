#!/usr/bin/env bash
# Stops the private test cluster started by start.sh (its data directory stays for the next start).
set -euo pipefail
DATA="${CCCD_TEST_PGDATA:-/var/tmp/cccd-postgres}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[ -f "$DATA/PG_VERSION" ] || exit 0
if [ "$(id -un)" = postgres ]; then
    "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
else
    runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
fi
