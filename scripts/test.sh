#!/usr/bin/env bash
# Builds everything and runs the whole test suite (ctest), then the sanitizer
# build of the driver-model tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
ctest --test-dir "${BUILD_DIR:-$root/build}" -j "$(nproc)" --output-on-failure
