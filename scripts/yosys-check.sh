#!/usr/bin/env bash
# Synthesizes cpl_engine with Yosys and fails on any latch or error.
# CPL_PARAMS (optional, "NAME VALUE,NAME VALUE") overrides top parameters.
# CPL_SYNTH_COARSE=1 elaborates and runs proc only (where latches would be
# inferred): the check for the largest configuration, whose full generic
# mapping (4096-entry tables as flip-flops) takes far longer than a test may;
# scripts/hw-figures.sh synthesizes it for real.
set -euo pipefail
yosys=$1; shift
# A synthesis that passed is remembered under the digest of everything it
# read (this script, the Yosys version, the arguments and parameters, every
# source and header of their folders), like a compiler cache: the same inputs
# are not synthesized twice on one machine. CHIMNEY_SYNTH_CACHE=off disables it.
cache=${CHIMNEY_SYNTH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chimney-cosim/yosys}
key=""
if [ "$cache" != off ]; then
  key=$( { cat "$0"; "$yosys" -V; for a in "$@"; do basename -- "$a"; done;
           printf '%s\n' "params=${CPL_PARAMS:-}" "coarse=${CPL_SYNTH_COARSE:-0}";
           for a in "$@"; do [ -f "$a" ] && cat "$a"; done;
           for a in "$@"; do [ -f "$a" ] && dirname "$a"; done | sort -u |
             while read -r d; do cat "$d"/*.svh 2>/dev/null || true; done; } | sha256sum | cut -c1-40)
  if [ -f "$cache/$key" ]; then
    echo "yosys: synthesized without latches (same inputs as a passing run: $cache/$key)"
    exit 0
  fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dir=$(dirname "$1")/..   # sources include "rtl/cpl_check.svh"
chparam=""
if [ -n "${CPL_PARAMS:-}" ]; then
  IFS=, read -r -a params <<<"$CPL_PARAMS"
  for p in "${params[@]}"; do chparam+="chparam -set $p cpl_engine; "; done
fi
synth="synth -top cpl_engine" note=""
if [ "${CPL_SYNTH_COARSE:-0}" = 1 ]; then
  synth="hierarchy -check -top cpl_engine; proc; opt_clean" note=" (elaborated and proc only)"
fi
if ! "$yosys" -q -l "$log" -p "read_verilog -sv -I$dir $*; ${chparam}${synth}; select -assert-none t:\$*latch* t:\$dlatch* t:\$_DLATCH*; stat" >/dev/null 2>&1; then
  echo "yosys failed:"; grep -i "error" "$log" | head -20; tail -20 "$log"; exit 1
fi
# Yosys logs "No latch inferred for ..." for every clean process; only a
# line without "No" reports a latch.
if grep -i "latch inferred" "$log" | grep -qvi "no latch inferred"; then
  echo "yosys inferred a latch:"; grep -i "latch inferred" "$log" | grep -vi "no latch inferred"; exit 1
fi
echo "yosys: synthesized without latches${CPL_PARAMS:+ ($CPL_PARAMS)}$note"
if [ -n "$key" ]; then mkdir -p "$cache" && grep -A40 "Printing statistics" "$log" >"$cache/$key" 2>/dev/null || true; fi
