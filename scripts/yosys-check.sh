#!/usr/bin/env bash
# Synthesizes cpl_engine with Yosys and fails on any latch or error.
set -euo pipefail
yosys=$1; shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dir=$(dirname "$1")/..   # sources include "rtl/cpl_defs.svh"
"$yosys" -q -l "$log" -p "read_verilog -sv -I$dir $*; synth -top cpl_engine; select -assert-none t:\$*latch* t:\$dlatch* t:\$_DLATCH*; stat" >/dev/null
if grep -qi "latch inferred\|Latch inferred" "$log"; then
  echo "yosys inferred a latch:"; grep -i "latch" "$log"; exit 1
fi
echo "yosys: synthesized without latches"
