#!/usr/bin/env bash
# check_trace_on_fail.sh FST2VCD DIR COSIM: a run with an injected fault and
# --trace-on-fail DIR fails (exit 1), says what it wrote, and the replay's
# window is there: the FST holds only the window's time; every signal the
# .gtkw lists exists in the FST; the primary marker sits on the first
# violation's cycle (time = cycle x 4000 + 2000 ps) and the view starts at
# the window; the tag filter names the violation's NBL; the txlog covers only
# the window; the repeat line carries the trace options; the trace has one
# top scope.
set -uo pipefail
fst2vcd=$1; dir=$2; cosim=$3
rm -rf "$dir"; mkdir -p "$dir"
fail() { echo "FAIL: $*"; [ -f "$dir/out.txt" ] && cat "$dir/out.txt"; exit 1; }
"$cosim" --scenario smoke --im-layers 1 --inject target.complete-send-twice \
  --trace-on-fail "$dir/tof" --trace-window 300,100 --json "$dir/run.json" > "$dir/out.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc, expected 1"
grep -q "^repeat with: .*--inject target.complete-send-twice --trace-on-fail $dir/tof --trace-window 300,100" \
  "$dir/out.txt" || fail "the repeat line lacks the trace options"
grep -q "^trace-on-fail: replayed with the same options, traced from cycle" "$dir/out.txt" \
  || fail "no trace-on-fail report"
for f in window.fst window.gtkw window.tags.txt window.txlog.jsonl window.json; do
  [ -s "$dir/tof/$f" ] || fail "$f not written"
done
first=$(jq '.violations[0].cycle' "$dir/run.json")
id=$(jq '.violations[0].nbl_id' "$dir/run.json")
tag=$(jq '.violations[0].tag' "$dir/run.json")
[ "$first" != "null" ] || fail "no first violation"
from=$(( first > 300 ? first - 300 : 0 )); to=$(( first + 100 ))
# The replay found the same first violation.
[ "$(jq '.violations[0].message' "$dir/tof/window.json")" = "$(jq '.violations[0].message' "$dir/run.json")" ] \
  || fail "the replay's first violation differs"
vcd="$dir/window.vcd"
"$fst2vcd" "$dir/tof/window.fst" > "$vcd" 2>/dev/null || fail "fst2vcd cannot read the window"
# Full names of every variable in the FST.
awk '/\$scope/{s[++d]=$3} /\$upscope/{d--} /\$var/{n=""; for(i=1;i<=d;i++) n=n s[i] "."; print n $5}' \
  "$vcd" | sort -u > "$dir/fst_signals.txt"
# One top scope.
tops=$(awk '/\$scope/{d++; if (d==1) print $3} /\$upscope/{d--}' "$vcd" | sort -u | wc -l)
[ "$tops" -eq 1 ] || fail "$tops top scopes"
awk '/\$scope/{d++; if (d==2) print $3} /\$upscope/{d--}' "$vcd" | grep -qx "$(awk '/\$scope/{print $3; exit}' "$vcd")" \
  && fail "the top scope repeats inside itself"
# Every signal the view lists exists.
listed=$(grep -v -e '^@' -e '^\[' -e '^\*' -e '^-' -e '^\^' "$dir/tof/window.gtkw")
[ -n "$listed" ] || fail "the view lists no signal"
n=0
while read -r sig; do
  n=$((n + 1))
  grep -qxF "$sig" "$dir/fst_signals.txt" || fail "the view lists $sig, not in the FST"
done <<< "$listed"
[ "$n" -ge 40 ] || fail "only $n signals listed"
for group in "clock and reset" "AXI-Lite (registers)" "DMA AW/W/B (writes)" "DMA AR/R (reads)" work event irq "state: u_"; do
  grep -q -- "^-$group" "$dir/tof/window.gtkw" || fail "no group $group"
done
# Markers, zoom window, time mapping.
marker=$(grep '^\*' "$dir/tof/window.gtkw" | awk '{print $2}')
[ "$marker" -eq $(( first * 4000 + 2000 )) ] || fail "primary marker $marker, first violation at cycle $first"
start=$(sed -n 's/^\[timestart\] //p' "$dir/tof/window.gtkw")
[ "$start" -eq $(( from * 4000 )) ] || fail "view starts at $start, window at cycle $from"
t0=$(grep -m1 '^#' "$vcd" | tr -d '#')
tn=$(grep '^#' "$vcd" | tail -1 | tr -d '#')
[ "$t0" -ge $(( from * 4000 )) ] && [ "$tn" -le $(( (to + 1) * 4000 )) ] \
  || fail "FST spans $t0..$tn ps, window is cycles $from..$to"
grep -q "^TOP.m_axi_wdata$" "$dir/tof/window.gtkw" || fail "no DMA write data"
grep -q '^\^1 .*window.tags.txt' "$dir/tof/window.gtkw" || fail "no tag filter on the data buses"
# The filter names the violation's NBL by its tag.
hex=$(printf '%016x' "$tag")
grep -q "^$hex nbl#$id " "$dir/tof/window.tags.txt" || fail "the filter lacks tag $hex -> nbl#$id"
# The txlog covers the window only.
jq -e -s --argjson a "$from" --argjson b "$to" 'length > 0 and all(.[]; .cycle >= $a and .cycle <= $b)' \
  "$dir/tof/window.txlog.jsonl" > /dev/null || fail "txlog outside the window"
echo "trace-on-fail OK: first violation at cycle $first, $n signals, marker $marker"
