#!/usr/bin/env bash
# The engine's elaboration-time parameter check (CPL_CHECK in
# rtl/cpl_engine.sv) rejects a value just outside each bound it sets (the
# upper ones are the PRM's maximum configuration), and accepts the smallest
# and the largest configuration: Verilator elaborates cpl_engine
# with one parameter just outside its range at a time and must stop with the
# engine's own "parameter out of range" (other blocks repeat some bounds, so
# their messages do not count); at the extremes it must lint clean.
#   param_checks.sh VERILATOR ROOT
set -uo pipefail
verilator=$1 root=$2
mapfile -t srcs < <(ls "$root"/rtl/*_pkg.sv; ls "$root"/rtl/*.sv | grep -v '_pkg[.]sv$')
lint() { "$verilator" --lint-only -Wall -I"$root" --top-module cpl_engine "$@" "${srcs[@]}" 2>&1; }
fail=0
for bad in NUM_CONN=0 NUM_CONN=4097 NUM_QP=0 NUM_QP=17 REQ_SLOTS=15 REQ_SLOTS=4097; do
  out=$(lint "-G$bad")
  if ! grep -qE 'rtl/cpl_engine[.]sv:[0-9]+:[0-9]+: cpl_engine: parameter out of range' <<< "$out"; then
    echo "FAIL: cpl_engine elaborated with $bad without its parameter check firing" >&2
    fail=1
  else
    echo "ok: $bad rejected by cpl_engine's check"
  fi
done
for good in "NUM_CONN=1 NUM_QP=1 REQ_SLOTS=16" "NUM_CONN=4096 NUM_QP=16 REQ_SLOTS=4096"; do
  args=()
  for g in $good; do args+=("-G$g"); done
  if ! out=$(lint "${args[@]}"); then
    echo "FAIL: cpl_engine with $good does not lint clean:" >&2
    head -5 <<< "$out" >&2
    fail=1
  else
    echo "ok: $good accepted"
  fi
done
exit $fail
