#!/usr/bin/env bash
# Installs what swift-cccd needs on Debian/Ubuntu (run as root or with sudo) and makes sure a PC/SC
# daemon is running. Safe to run again. Swift itself (6.1 or newer) must already be installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(pkg-config libpcsclite-dev pcscd vsmartcard-vpcd libssl-dev libsqlite3-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/virtual/pcscd-start.sh"
