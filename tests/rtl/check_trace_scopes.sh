#!/usr/bin/env bash
# Scope tree of a waveform: exactly one top scope, the engine (cpl_engine)
# below it, and no scope Verilator names for an unnamed block (unnamedblkN)
# or an unnamed generate block (genblkN), so every scope path in a viewer
# says which block of the RTL it is.
#
#   check_trace_scopes.sh --vcd FILE              checks a VCD file
#   check_trace_scopes.sh FST2VCD COSIM WORKDIR   runs chimney-cosim with
#       --trace into WORKDIR, converts the FST with fst2vcd and checks it
#
# Prints each finding and exits 1 when there is one.
set -uo pipefail
if [ "${1:-}" = --vcd ]; then
  vcd=$2
else
  fst2vcd=$1 cosim=$2 work=$3
  mkdir -p "$work"
  fst=$work/scopes.fst vcd=$work/scopes.vcd
  rm -f "$fst" "$vcd"
  "$cosim" --quiet --trace "$fst" --trace-from 100 --trace-to 400 >/dev/null
  rc=$?
  [ "$rc" -le 1 ] || { echo "chimney-cosim exited $rc"; exit 1; }
  "$fst2vcd" "$fst" >"$vcd" 2>/dev/null || { echo "fst2vcd could not read $fst"; exit 1; }
fi
[ -r "$vcd" ] || { echo "cannot read $vcd"; exit 1; }
awk '
  $1 == "$scope" {
    depth++
    path[depth] = $3
    p = path[1]
    for (i = 2; i <= depth; i++) p = p "." path[i]
    if (depth == 1) tops = tops " " $3
    if ($3 ~ /^(unnamedblk|genblk)[0-9]*$/) { print "unnamed scope " p; bad = 1 }
    if (depth == 2 && $3 == "cpl_engine") engine = 1
  }
  $1 == "$upscope" { depth-- }
  $1 == "$enddefinitions" { exit }
  END {
    n = split(tops, t, " ")
    if (n != 1) { print n " top scopes:" tops; bad = 1 }
    if (!engine) { print "no scope cpl_engine below the top scope"; bad = 1 }
    exit bad
  }' "$vcd"
