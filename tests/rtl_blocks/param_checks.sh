#!/usr/bin/env bash
# The elaboration-time parameter checks (CPL_CHECK) of the engine and of
# each block that has its own: Verilator elaborates the module with one
# parameter just outside a bound at a time and must stop with that module's
# own "parameter out of range" (modules repeat some bounds, so another
# module's message does not count); inside the bounds the message must not
# appear. The engine is also linted clean at the smallest and the largest
# configuration (its upper bounds are the PRM's maximum configuration).
# Not here: the matcher's and the CSR block's checks, which repeat the
# engine's bounds on parameters the engine derives (a mutant of them alone
# is not caught).
#   param_checks.sh VERILATOR ROOT
set -uo pipefail
verilator=$1 root=$2
mapfile -t srcs < <(ls "$root"/rtl/*_pkg.sv; ls "$root"/rtl/*.sv | grep -v '_pkg[.]sv$')
# lint TOP "NAME=VALUE ...": Verilator's findings for TOP at those parameters
lint() {
  local g args=()
  for g in $2; do args+=("-G$g"); done
  "$verilator" --lint-only -Wall -I"$root" --top-module "$1" "${args[@]}" "${srcs[@]}" 2>&1
}
# fires TOP "NAME=VALUE ...": TOP's own check rejects those parameters
fires() {
  grep -qE "rtl/$1[.]sv:[0-9]+:[0-9]+: cpl_engine: parameter out of range" <<< "$(lint "$1" "$2")"
}
fail=0

# One parameter set per bound just outside it (the module's own message
# required) and the tightest sets inside (its message absent; other lint
# findings at such odd sizes do not count here, but for the engine, below).
#   module | sets outside, ";"-separated | sets inside
engine_inside="NUM_CONN=1 NUM_QP=1 REQ_SLOTS=16;NUM_CONN=4096 NUM_QP=16 REQ_SLOTS=4096"
cases=(
  "cpl_engine|NUM_CONN=0;NUM_CONN=4097;NUM_QP=0;NUM_QP=17;REQ_SLOTS=15;REQ_SLOTS=4097|$engine_inside"
  "cpl_fifo|DEPTH=1;DEPTH=3;WIDTH=0|DEPTH=2 WIDTH=1"
  "cpl_out_reg|WIDTH=0|WIDTH=1"
  "cpl_rr_arbiter|N=0 IW=1;N=5 IW=2|N=1 IW=1;N=4 IW=2"
  "cpl_irq|NUM_QP=0 QW=1;NUM_QP=17 QW=5|NUM_QP=1 QW=1;NUM_QP=16 QW=4"
  "cpl_csr_decode|NUM_QP=0;NUM_QP=17 QW=4;QW=0;QW=5 NUM_QP=16|NUM_QP=1 QW=1;NUM_QP=16 QW=4"
  "cpl_ram|DEPTH=1 AW=1;DEPTH=5 AW=2;WIDTH=0|DEPTH=2 AW=1 WIDTH=1;DEPTH=4 AW=2"
  "cpl_req_table|TBL=1 SW=1;TBL=5 SW=2|TBL=2 SW=1;TBL=4 SW=2"
  "cpl_slot_pool|REQ_SLOTS=15;EVT_SLOTS=0;SW=8;FREE_RECS=1;FREE_RECS=3|REQ_SLOTS=16 EVT_SLOTS=1 SW=5 FREE_RECS=2;REQ_SLOTS=16 EVT_SLOTS=16 SW=5 FREE_RECS=2"
  "cpl_sq_fetch|NUM_QP=0 QW=1;NUM_QP=17 QW=5;MAX_OUT=3;MAX_OUT=1|NUM_QP=1 QW=1 MAX_OUT=2;NUM_QP=16 QW=4"
  "cpl_cq_writer|NUM_QP=0 QW=1;NUM_QP=17 QW=5;MAX_OUT=3;MAX_OUT=1|NUM_QP=1 QW=1 MAX_OUT=2;NUM_QP=16 QW=4"
  "cpl_conn_table|NUM_CONN=0;NUM_CONN=65 CW=6;LINKS_W=0;WORD_W=16 LINKS_W=16|NUM_CONN=1 CW=1 WORD_W=2 LINKS_W=1;NUM_CONN=64 CW=6"
  "cpl_match_wb|LINK_W=0;AUX_W=0|LINK_W=1 AUX_W=1;LINK_W=62 AUX_W=118"
)
for c in "${cases[@]}"; do
  IFS='|' read -r top outside inside <<< "$c"
  IFS=';' read -r -a bads <<< "$outside"
  IFS=';' read -r -a goods <<< "$inside"
  for set in "${bads[@]}"; do
    if fires "$top" "$set"; then
      echo "ok: $top rejects $set"
    else
      echo "FAIL: $top elaborated with $set without its parameter check firing" >&2
      fail=1
    fi
  done
  for set in "${goods[@]}"; do
    if fires "$top" "$set"; then
      echo "FAIL: $top's parameter check fires on $set, inside its bounds" >&2
      fail=1
    else
      echo "ok: $top accepts $set"
    fi
  done
done

# The engine at its smallest and largest configuration lints clean.
IFS=';' read -r -a extremes <<< "$engine_inside"
for set in "${extremes[@]}"; do
  if out=$(lint cpl_engine "$set"); then
    echo "ok: cpl_engine with $set lints clean"
  else
    echo "FAIL: cpl_engine with $set does not lint clean:" >&2
    head -5 <<< "$out" >&2
    fail=1
  fi
done
exit $fail
