#!/usr/bin/env bash
# check_gtkwave_opens.sh XVFB_RUN GTKWAVE DIR COSIM: the view --trace-on-fail
# writes opens in GTKWave itself (headless, under Xvfb): GTKWave loads the
# FST the .gtkw names, shows its signals (groups of interfaces collapsed or
# not), and its primary marker stands on the first violation (cycle x 4000 +
# 2000 ps). (check_trace_on_fail.sh checks each listed signal is in the FST.)
set -uo pipefail
xvfb=$1; gtkwave=$2; dir=$3; cosim=$4
rm -rf "$dir"; mkdir -p "$dir"
fail() { echo "FAIL: $*"; [ -f "$dir/gtkwave.txt" ] && tail -20 "$dir/gtkwave.txt"; exit 1; }
"$cosim" --scenario smoke --im-layers 1 --inject target.complete-send-twice \
  --trace-on-fail "$dir/tof" --json "$dir/run.json" > "$dir/out.txt" 2>&1
[ $? -eq 1 ] || fail "the injected run did not fail"
first=$(jq '.violations[0].cycle' "$dir/run.json")
[ "$first" != "null" ] || fail "no first violation"
listed=$(grep -c '^[A-Za-z_]*TOP\.' "$dir/tof/window.gtkw" || true)
[ "$listed" -gt 0 ] || fail "the .gtkw lists no signal"
cat > "$dir/query.tcl" <<'TCL'
puts "displayed [llength [gtkwave::getDisplayedSignals]]"
puts "marker [gtkwave::getMarker]"
gtkwave::/File/Quit
TCL
timeout 120 "$xvfb" -a "$gtkwave" "$dir/tof/window.gtkw" -S "$dir/query.tcl" \
  > "$dir/gtkwave.txt" 2>&1 || fail "gtkwave exited with an error"
shown=$(awk '$1 == "displayed" { print $2 }' "$dir/gtkwave.txt")
marker=$(awk '$1 == "marker" { print $2 }' "$dir/gtkwave.txt")
[ -n "$shown" ] || fail "gtkwave did not run the query"
[ "$shown" -gt 0 ] || fail "gtkwave shows no signal of the $listed the .gtkw lists"
[ "$marker" -eq $(( first * 4000 + 2000 )) ] || fail "marker at $marker ps, first violation at cycle $first"
echo "gtkwave opened the view: $shown signals, marker on cycle $first"
