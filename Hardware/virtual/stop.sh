#!/usr/bin/env bash
# Stops exactly what start.sh started: the simulated card, then pcscd (if start.sh started it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -f /tmp/cccd-simulate.pid ]; then
    pid="$(cat /tmp/cccd-simulate.pid)"
    kill "$pid" 2>/dev/null || true
    rm -f /tmp/cccd-simulate.pid
fi
"$here/pcscd-stop.sh"
