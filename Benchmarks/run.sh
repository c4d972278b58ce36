#!/usr/bin/env bash
# Runs every swift-cccd benchmark and checks it against its goal (Thresholds/*.p90.json):
# exit 0 = every goal met; non-zero = a goal missed (the tool prints which) or the run failed.
#   Benchmarks/run.sh                       all benchmarks
#   Benchmarks/run.sh --filter "Full read.*"  benchmarks whose whole name matches (any `swift package benchmark` option)
# Needs: a release `cccd` (built here), pcscd with vsmartcard-vpcd and PostgreSQL (both started here when root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

# The release cccd as it should ship: Swift runtime and Foundation linked statically (a cold process
# then skips most dynamic linking). Its own scratch path, so the benchmark executables (built by the
# plugin without that flag) and cccd do not rebuild each other.
(cd "$here" && swift build -c release --static-swift-stdlib --product cccd --scratch-path .build-cccd)
export CCCD_BIN="$here/.build-cccd/release/cccd"

if ! pgrep -x pcscd >/dev/null; then
    if [ "$(id -u)" = 0 ]; then "$root/Hardware/virtual/pcscd-start.sh"; else
        echo "pcscd is not running: sudo $root/Hardware/virtual/pcscd-start.sh" >&2; exit 1; fi
fi

# The registry benchmarks link against PostgreSQL too: the same private server the tests use.
if [ -z "${CCCD_BENCH_POSTGRES_URL:-}" ]; then
    CCCD_BENCH_POSTGRES_URL="$("$root/Hardware/postgres/start.sh")"
    export CCCD_BENCH_POSTGRES_URL
fi

cd "$here"
# Run once into the baseline "latest" (.benchmarkBaselines/), print it, then check it against the goals.
swift package --disable-sandbox --allow-writing-to-package-directory benchmark baseline update latest --no-progress "$@"
swift package --disable-sandbox benchmark baseline read latest --no-progress "$@"
swift package --disable-sandbox benchmark thresholds check latest --no-progress "$@"
