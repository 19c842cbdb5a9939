#!/usr/bin/env bash
# Builds the benchmark and what it measures (./build or $BUILD_DIR), then:
#   1. builds chimney-rtl-loop twice more, without the verif/sva checkers:
#      against the current RTL and against an earlier one (the commit
#      $CHIMNEY_BENCH_BASELINE, default 3ac40c8), for the side-by-side speed
#      comparison of the bare RTL loop;
#   2. runs scripts/hw-figures.sh (Yosys for xcup, nextpnr-ice40 for HX8K;
#      skip with CHIMNEY_BENCH_HW=0);
#   3. runs chimney-bench: every simulator on the smoke workload, the
#      per-scenario table, the comparison and the hardware figures, written
#      to bench/results/latest.json and latest.md.
# Arguments go to chimney-bench (e.g. --ops 2000, --no-icarus, --json FILE,
# --scenarios smoke,bulk-send); see docs/benchmarks.md.
#
# CHIMNEY_BENCH_TABLE_ONLY=1 runs the per-scenario table alone (step 3's table
# only: no earlier-RTL build, no hardware figures, no smoke-workload runs),
# written to $BUILD_DIR/bench-work/scenarios.json and .md, e.g.
#   CHIMNEY_BENCH_TABLE_ONLY=1 ./scripts/bench.sh --scenarios many-connections,smoke
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
build=${BUILD_DIR:-$root/build}
source "$root/scripts/ccache-launcher.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)" --target chimney-bench chimney-cosim rtl_throughput_test \
  chimney-rtl-loop

if [ "${CHIMNEY_BENCH_TABLE_ONLY:-0}" != 0 ]; then
  exec "$build/bench/chimney-bench" --scenarios-only --source-dir "$root" \
    --cosim "$build/testbench/chimney-cosim" --rtl-loop "$build/bench/chimney-rtl-loop" \
    --work-dir "$build/bench-work" "$@"
fi

extra=()
baseline=${CHIMNEY_BENCH_BASELINE:-3ac40c8}
if [ -n "$baseline" ] && git -C "$root" cat-file -e "$baseline^{commit}" 2>/dev/null; then
  # Both sides of the comparison without the verif/sva checkers (they bind
  # to the current RTL only, and cost time): the current RTL and the earlier.
  earlier=$build/bench-earlier
  rm -rf "$earlier/src" && mkdir -p "$earlier/src"
  git -C "$root" archive "$baseline" rtl | tar -x -C "$earlier/src"
  for side in current earlier; do
    src=$root/rtl
    [ "$side" = earlier ] && src=$earlier/src/rtl
    cmake -S "$root" -B "$earlier/build-$side" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
      -DCHIMNEY_RTL_SOURCE_DIR="$src" -DCHIMNEY_RTL_SVA=OFF >/dev/null
    cmake --build "$earlier/build-$side" -j "$(nproc)" --target chimney-rtl-loop
  done
  extra+=(--compare-rtl-loop "$earlier/build-current/bench/chimney-rtl-loop"
          --earlier-rtl-loop "$earlier/build-earlier/bench/chimney-rtl-loop"
          --earlier-name "RTL of $baseline")
else
  echo "bench.sh: baseline commit '$baseline' not found: no side-by-side RTL comparison" >&2
fi

if [ "${CHIMNEY_BENCH_HW:-1}" != 0 ]; then
  echo "bench.sh: hardware figures (scripts/hw-figures.sh, several minutes)" >&2
  "$root/scripts/hw-figures.sh" "$build/bench/chimney-bench" "$build/hw-figures.json" \
    "$build/hw-work" >/dev/null
  extra+=(--hardware "$build/hw-figures.json")
fi

exec "$build/bench/chimney-bench" --source-dir "$root" --cosim "$build/testbench/chimney-cosim" \
  --throughput-test "$build/tests/rtl/rtl_throughput_test" --rtl-loop "$build/bench/chimney-rtl-loop" \
  --work-dir "$build/bench-work" "${extra[@]}" "$@"
