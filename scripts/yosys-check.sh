#!/usr/bin/env bash
# Synthesizes cpl_engine with Yosys and fails on any latch or error.
set -euo pipefail
yosys=$1; shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dir=$(dirname "$1")/..   # sources include "rtl/cpl_defs.svh"
if ! "$yosys" -q -l "$log" -p "read_verilog -sv -I$dir $*; synth -top cpl_engine; select -assert-none t:\$*latch* t:\$dlatch* t:\$_DLATCH*; stat" >/dev/null 2>&1; then
  echo "yosys failed:"; grep -i "error" "$log" | head -20; tail -20 "$log"; exit 1
fi
# Yosys logs "No latch inferred for ..." for every clean process; only a
# line without "No" reports a latch.
if grep -i "latch inferred" "$log" | grep -qvi "no latch inferred"; then
  echo "yosys inferred a latch:"; grep -i "latch inferred" "$log" | grep -vi "no latch inferred"; exit 1
fi
echo "yosys: synthesized without latches"
