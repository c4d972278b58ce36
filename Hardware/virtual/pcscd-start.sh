#!/usr/bin/env bash
# Starts pcscd in the foreground as a background process (so it also works in containers without
# systemd) and records its PID in /tmp/cccd-pcscd.pid. If a pcscd is already running, it is left
# alone and nothing is recorded, so pcscd-stop.sh never stops a daemon it did not start.
set -euo pipefail
pidfile=/tmp/cccd-pcscd.pid
if pgrep -x pcscd >/dev/null 2>&1; then
    echo "pcscd already running (pid $(pgrep -x pcscd | head -1)); using it"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "pcscd must be started as root: sudo $0" >&2
    exit 1
fi
# A socket left by a killed daemon makes the new one refuse to start.
rm -f /run/pcscd/pcscd.comm
nohup pcscd --foreground >/tmp/cccd-pcscd.log 2>&1 &
echo $! > "$pidfile"
# Wait until the daemon answers (the vpcd readers are registered at start-up).
for _ in $(seq 1 50); do
    if [ -S /run/pcscd/pcscd.comm ]; then
        echo "pcscd started (pid $(cat "$pidfile"), log /tmp/cccd-pcscd.log)"
        exit 0
    fi
    sleep 0.1
done
echo "pcscd did not start; see /tmp/cccd-pcscd.log" >&2
exit 1
