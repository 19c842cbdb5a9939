#!/usr/bin/env bash
# Builds the benchmark and what it measures (./build or $BUILD_DIR), then runs
# every simulator on the same workload and writes bench/results/latest.json
# and latest.md. Arguments go to chimney-bench (e.g. --ops 2000, --no-icarus,
# --json FILE); see docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
build=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target chimney-bench chimney-cosim rtl_throughput_test
exec "$build/bench/chimney-bench" --source-dir "$root" --cosim "$build/testbench/chimney-cosim" \
  --throughput-test "$build/tests/rtl/rtl_throughput_test" --work-dir "$build/bench-work" "$@"
