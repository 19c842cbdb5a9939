#!/bin/sh
# Compiles one block testbench with Icarus Verilog and runs it.
# Usage: run_tb.sh <iverilog> <vvp> <include dir> <out.vvp> <tb top> <sources...>
# Passes only if the compile succeeds, vvp exits 0 and prints a line "PASS".
set -u
iverilog=$1 vvp=$2 inc=$3 out=$4 top=$5
shift 5
"$iverilog" -g2012 -Wall -Wno-timescale -s "$top" -I"$inc" -o "$out" "$@" || {
  echo "run_tb: compile failed" >&2
  exit 1
}
log=$("$vvp" -n "$out")
rc=$?
printf '%s\n' "$log"
if [ "$rc" -ne 0 ]; then
  echo "run_tb: vvp exited with $rc" >&2
  exit 1
fi
printf '%s\n' "$log" | grep -qx 'PASS' || {
  echo "run_tb: no PASS line" >&2
  exit 1
}
exit 0
