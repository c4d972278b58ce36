#!/usr/bin/env bash
# Local development: pcscd + vpcd + a simulated card in "Virtual PCD 00 00".
#   sudo Hardware/virtual/start.sh              # the built-in synthetic citizen card
#   sudo Hardware/virtual/start.sh --test-card  # the small transport test card
# Extra arguments go to `cccd simulate` (e.g. --fault revoked-signer, --reader-slot 1).
# Stop with Hardware/virtual/stop.sh, which stops the card and, only if this script started it, pcscd.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
marker=/tmp/cccd-virtual-started-pcscd
if pgrep -x pcscd >/dev/null 2>&1; then
    echo "pcscd already running; using it"
else
    "$root/Hardware/virtual/pcscd-start.sh"
    touch "$marker"
fi
cd "$root"
swift build --product cccd >/dev/null 2>&1 || swift build --product cccd
nohup "$root/.build/debug/cccd" simulate "$@" >/tmp/cccd-simulate.log 2>&1 &
echo $! > /tmp/cccd-simulate.pid
echo "simulated card running (pid $(cat /tmp/cccd-simulate.pid), log /tmp/cccd-simulate.log)"
