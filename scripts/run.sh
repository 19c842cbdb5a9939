#!/usr/bin/env bash
# Builds everything and runs the default co-simulation scenario.
# Extra arguments go to chimney-cosim (try --help or --list-scenarios).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/testbench/chimney-cosim" "$@"
