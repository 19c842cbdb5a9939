#!/usr/bin/env bash
# Code coverage of the engine RTL (line, toggle and user points).
#   scripts/coverage.sh [--no-build] [--seeds "1 7 13"]
# Builds with -DCHIMNEY_COVERAGE=ON into build-cov (or $COV_BUILD_DIR), runs
# every scenario at each seed on the RTL device (chimney-cosim --coverage, one
# file per run) and the RTL test executables (one file per engine instance,
# $CHIMNEY_COVERAGE_DIR), merges them and writes into <build>/coverage/:
#   merged.dat       all counters (verilator_coverage --write)
#   rtl.info         lcov tracefile of rtl/ (verilator_coverage --write-info)
#   html/index.html  the lcov HTML report (genhtml)
#   annotated/       rtl/ sources annotated with their counts
#   summary.txt      lines hit / waived / neither, toggles over all points and
#                    over the points no waiver names (target 95 %), every
#                    point neither hit nor waived, every bad waiver
# Exits 1 when a run fails, when an rtl/ line is neither hit nor waived in
# verif/coverage-waivers.txt, when the non-waived toggle figure is below
# 95 %, or when a waiver is stale (names nothing) or untrue (names a point
# that is hit). scripts/coverage_summary.py does the checking.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${COV_BUILD_DIR:-$root/build-cov}
seeds="1 7 13"
do_build=1
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) do_build=0 ;;
    --seeds) seeds=$2; shift ;;
    *) echo "coverage.sh: unknown argument '$1' (allowed: --no-build, --seeds LIST)" >&2; exit 2 ;;
  esac
  shift
done
out=$build/coverage
targets=(chimney-cosim rtl_directed_test rtl_random_test rtl_differential_test)

if [ "$do_build" = 1 ]; then
  launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHIMNEY_COVERAGE=ON "${launcher[@]}" >/dev/null
  cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
fi

rm -rf "$out"
mkdir -p "$out/runs"
cosim=$build/testbench/chimney-cosim
status=0
for scenario in $("$cosim" --list-scenarios | awk 'NR > 1 { print $1 }'); do
  for seed in $seeds; do
    if ! "$cosim" --scenario "$scenario" --seed "$seed" --quiet \
        --coverage "$out/runs/cosim-$scenario-$seed.dat"; then
      echo "coverage.sh: run failed: chimney-cosim --scenario $scenario --seed $seed" >&2
      status=1
    fi
  done
done
for t in rtl_directed_test rtl_random_test rtl_differential_test; do
  exe=$(find "$build/tests" -name "$t" -type f -perm -u+x | head -n 1)
  if ! CHIMNEY_COVERAGE_DIR=$out/runs "$exe" --gtest_brief=1 >"$out/$t.log" 2>&1; then
    echo "coverage.sh: $t failed (see $out/$t.log)" >&2
    status=1
  fi
done

# Every file of runs/: the scenarios' NAME.dat and the test executables'
# model-XXXXXX (one per engine instance).
verilator_coverage --write "$out/merged.dat" "$out"/runs/*
verilator_coverage --write-info "$out/all.info" "$out/merged.dat"
lcov --quiet --extract "$out/all.info" "*/rtl/*" --output-file "$out/rtl.info"
genhtml --quiet --title "cpl_engine RTL" --output-directory "$out/html" "$out/rtl.info"
verilator_coverage --annotate "$out/annotated" --annotate-min 1 "$out/merged.dat" >/dev/null
if ! python3 "$root/scripts/coverage_summary.py" "$out/merged.dat" \
    --waivers "$root/verif/coverage-waivers.txt" --root "$root" | tee "$out/summary.txt"; then
  status=1
fi
echo "coverage.sh: report in $out/html/index.html, annotated sources in $out/annotated"
exit $status
