#!/usr/bin/env bash
# One formal check of an RTL block: Yosys reads the block and a property
# module (fv_*.sv: assumptions on the inputs, assertions on the outputs) and
# proves the assertions with its SAT solver (`sat -prove-asserts`).
#   run_formal.sh YOSYS ROOT WORK NAME TOP STEPS PARAMS [--mutate FILE SED] -- SOURCES...
# STEPS: 0 for a combinational property module (every input value); N for a
#   clocked one: every input sequence of N cycles from the first, in which
#   the property module assumes reset (a bounded proof); iN: a clocked one
#   by induction (base case and induction step of length up to N): the
#   assertions hold in every reachable state.
# PARAMS: "NAME=VALUE ..." for the property module, or "-".
# --mutate FILE SED: check a copy of FILE (a path under ROOT) changed by the
#   sed expression instead, and expect the proof to fail: shows that the
#   properties catch that fault. The expression must change the file.
# Exit 0 when the result is the expected one.
set -euo pipefail
source "$(dirname "$0")/../support/mutated_copy.sh"
yosys=$1 root=$2 work=$3 name=$4 top=$5 steps=$6 params=$7
shift 7
mutate_file="" mutate_sed=""
if [ "${1:-}" = "--mutate" ]; then
  mutate_file=$2 mutate_sed=$3
  shift 3
fi
[ "${1:-}" = "--" ] && shift
dir="$work/$name"
rm -rf "$dir" && mkdir -p "$dir"
srcs=()
for s in "$@"; do
  if [ -n "$mutate_file" ] && [ "$s" = "$root/$mutate_file" ]; then
    mutated_copy "$s" "$mutate_sed" "$dir/$(basename "$s")" || { echo "FAIL $name" >&2; exit 1; }
    srcs+=("$dir/$(basename "$s")")
  else
    srcs+=("$s")
  fi
done
chparam=""
if [ "$params" != "-" ]; then
  for p in $params; do chparam="$chparam -set ${p%%=*} ${p#*=}"; done
  chparam="chparam$chparam $top;"
fi
prove="sat -prove-asserts -set-assumes -verify"
case $steps in
  0) what="combinational" ;;
  i[0-9]*) prove="$prove -tempinduct -maxsteps ${steps#i} -set-init-zero"
           what="by induction" ;;
  *) prove="$prove -seq $steps -set-init-zero"
     what="$steps cycles" ;;
esac
# (-set-init-zero: the property module's own registers start at their
# declared 0; the block's are reset by the assumed reset of the first cycle)
status=0
"$yosys" -q -l "$dir/yosys.log" -p "read_verilog -sv -formal -I$root ${srcs[*]}; $chparam prep -top $top; flatten; memory_map; opt -fast; $prove" \
  > /dev/null 2>&1 || status=$?
if [ -n "$mutate_file" ]; then
  if [ $status -ne 0 ] && grep -qE "model found( for base case)?: FAIL" "$dir/yosys.log"; then
    echo "ok $name: the changed $mutate_file fails the proof ($what)"
    exit 0
  fi
  echo "FAIL $name: the changed $mutate_file still passes ($what), or the proof did not run: $dir/yosys.log" >&2
  grep -E 'ERROR' "$dir/yosys.log" | head -3 >&2 || true
  exit 1
fi
if [ $status -ne 0 ] || ! grep -qE "no model found: SUCCESS|Induction step proven: SUCCESS" "$dir/yosys.log"; then
  echo "FAIL $name ($what): $dir/yosys.log" >&2
  grep -E 'ERROR|model found|maximum number' "$dir/yosys.log" | head -3 >&2 || true
  exit 1
fi
echo "ok $name: every assertion of $top holds ($what)"
