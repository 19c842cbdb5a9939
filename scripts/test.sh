#!/usr/bin/env bash
# Builds everything and runs the whole test suite (ctest), the engine test
# kept out of it (ctest -C engine), then builds the driver-model tests with
# AddressSanitizer + UBSan and runs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
jobs=$(nproc)
ctest --test-dir "$build" -j "$jobs" --output-on-failure
# Bring your own engine: a second build around a broken copy of the RTL
# (minutes, so not part of the default ctest run; tests/engine/).
ctest --test-dir "$build" -C engine -L engine --output-on-failure

asan=${ASAN_BUILD_DIR:-$root/build-asan}
cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=Debug -DCHIMNEY_SANITIZE=ON >/dev/null
cmake --build "$asan" -j "$jobs" --target driver_model_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$asan/tests/driver_model/driver_model_tests" --gtest_brief=1
