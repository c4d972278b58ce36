#!/usr/bin/env bash
# Stops exactly what start.sh started: the simulated card, then pcscd if start.sh started it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -f /tmp/cccd-simulate.pid ]; then
    pid="$(cat /tmp/cccd-simulate.pid)"
    if kill -0 "$pid" 2>/dev/null && [ "$(ps -o comm= -p "$pid")" = cccd ]; then
        kill -INT "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f /tmp/cccd-simulate.pid
fi
if [ -f /tmp/cccd-virtual-started-pcscd ]; then
    rm -f /tmp/cccd-virtual-started-pcscd
    "$here/pcscd-stop.sh"
fi
