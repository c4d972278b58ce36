#!/usr/bin/env bash
# Local development: pcscd + vpcd + a simulated card in "Virtual PCD 00 00".
#   sudo Hardware/virtual/start.sh            # the built-in synthetic citizen card
#   sudo Hardware/virtual/start.sh --test-card  # the small transport test card
# Extra arguments go to `cccd simulate`. Stop with Hardware/virtual/stop.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/Hardware/virtual/pcscd-start.sh"
cd "$root"
swift build --product cccd >/dev/null
nohup "$root/.build/debug/cccd" simulate "$@" >/tmp/cccd-simulate.log 2>&1 &
echo $! > /tmp/cccd-simulate.pid
echo "simulated card running (pid $(cat /tmp/cccd-simulate.pid), log /tmp/cccd-simulate.log)"
