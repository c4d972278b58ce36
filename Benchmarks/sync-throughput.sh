#!/usr/bin/env bash
# Sync throughput (issue #13, goal ≥ 5,000 events/s): push N events (default 100,000) from a
# SQLite device store to `cccd serve` on PostgreSQL, with the release build, and print events/s.
#
#   Benchmarks/sync-throughput.sh [EVENTS] [BATCH]        (defaults 100000, 2000)
#
# The device store is made the way a team's laptop fills one: `registry seed` (one event), then
# a re-import that changes every citizen (one `import` event each). The centre is a fresh schema
# in the test PostgreSQL (Hardware/postgres/start.sh, 127.0.0.1 only). Only `cccd sync` is timed;
# the centre's `audit verify` checks afterwards that every event arrived, once, chains intact.
# Set CCCD_BIN to a built cccd to skip the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-100000}"
BATCH="${2:-2000}"
if [ -z "${CCCD_BIN:-}" ]; then
    swift build -c release --product cccd >&2
    CCCD_BIN="$(swift build -c release --show-bin-path)/cccd"
fi
PG="$(Hardware/postgres/start.sh)"
SCHEMA="bench_sync_$(date +%s)_$$"
STORE="$PG?schema=$SCHEMA"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    psql "$PG" -qtAX -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export CCCD_DEVICE=bench-laptop CCCD_SYNC_WARN_DAYS=0
DEVICE_STORE="$WORK/team.sqlite"

echo "preparing a device store with $EVENTS events..." >&2
"$CCCD_BIN" registry seed --citizens "$((EVENTS - 1))" --store "$DEVICE_STORE" --json >/dev/null
python3 - "$DEVICE_STORE" "$WORK/changes.jsonl" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, (id_number, name, birth, sex) in enumerate(db.execute("SELECT id_number, full_name, date_of_birth, sex FROM citizens")):
        out.write(json.dumps({"type": "citizen", "idNumber": id_number, "fullName": name, "dateOfBirth": birth, "sex": sex,
                              "placeOfResidence": f"Tổ {i % 97 + 1}, Phường Lê Hồng Phong, Thành phố Phủ Lý, Hà Nam"}, ensure_ascii=False) + "\n")
PY
"$CCCD_BIN" registry import "$WORK/changes.jsonl" --batch 5000 --store "$DEVICE_STORE" --json >/dev/null
RECORDED="$(sqlite3 "$DEVICE_STORE" "SELECT COUNT(*) FROM outbox WHERE acked_at_ms IS NULL")"

TOKEN="$("$CCCD_BIN" serve device add --team bench --device bench-laptop --store "$STORE" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
"$CCCD_BIN" serve --store "$STORE" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(grep -o 'http://[^ ]*' "$WORK/serve.out" | head -n1)"
[ -n "$URL" ] || { echo "cccd serve did not start: $(cat "$WORK/serve.err")" >&2; exit 1; }

START="$(date +%s.%N)"
SUMMARY="$(CCCD_SYNC_TOKEN="$TOKEN" "$CCCD_BIN" sync --to "$URL" --store "$DEVICE_STORE" --batch "$BATCH" --json)"
END="$(date +%s.%N)"
AUDIT="$("$CCCD_BIN" audit verify --store "$STORE" --json)"
python3 - "$SUMMARY" "$AUDIT" "$START" "$END" "$RECORDED" "$BATCH" <<'PY'
import json, sys
s, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
seconds = float(sys.argv[4]) - float(sys.argv[3])
recorded = int(sys.argv[5])
ok = s["pushed"] == recorded and s["remaining"] == 0 and a["ok"] and a["events"] == recorded
print(f"sync: {s['pushed']} events in {seconds:.2f} s = {s['pushed'] / seconds:,.0f} events/s (batch {sys.argv[6]}); "
      f"centre audit: {a['events']} events, {'intact' if a['ok'] else 'BROKEN'}; goal 5,000 events/s: {'met' if ok and s['pushed'] / seconds >= 5000 else 'NOT met'}")
sys.exit(0 if ok else 1)
PY
