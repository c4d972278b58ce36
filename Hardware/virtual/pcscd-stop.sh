#!/usr/bin/env bash
# Stops the pcscd that pcscd-start.sh started (by its recorded PID), and nothing else.
set -euo pipefail
pidfile=/tmp/cccd-pcscd.pid
[ -f "$pidfile" ] || exit 0
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null && [ "$(ps -o comm= -p "$pid")" = pcscd ]; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
fi
rm -f "$pidfile"
