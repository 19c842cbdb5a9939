#!/usr/bin/env bash
# check_txlog_cycles.sh FST2VCD DIR COSIM: runs smoke with --trace and
# --txlog and checks that the transaction log's engine records carry the
# waveform's cycles: the cycles of its event_accepted records are exactly
# those of the rising edges at which s_evt_valid and s_evt_ready are both 1
# in the trace (4 ns clock; the edge of cycle N is dumped within [N, N+1) x 4 ns), although the engine runs ahead of the driver
# side during the co-simulation.
set -uo pipefail
fst2vcd=$1; dir=$2; cosim=$3
rm -rf "$dir"; mkdir -p "$dir"
fail() { echo "FAIL: $*"; exit 1; }
"$cosim" --scenario smoke --quiet --trace "$dir/run.fst" --txlog "$dir/run.txlog.jsonl" \
  > "$dir/out.txt" 2>&1 || fail "chimney-cosim exited $?: $(cat "$dir/out.txt")"
"$fst2vcd" "$dir/run.fst" > "$dir/run.vcd" 2>/dev/null || fail "fst2vcd could not read the trace"
# The first declaration of each signal names its identifier code.
id() { awk -v s="$1" '$1 == "$var" && $5 == s { print $4; exit }' "$dir/run.vcd"; }
clk=$(id clk); valid=$(id s_evt_valid); ready=$(id s_evt_ready)
[ -n "$clk" ] && [ -n "$valid" ] && [ -n "$ready" ] || fail "trace lacks clk or s_evt_valid/ready"
# Handshake cycles: at each rising edge, the values held before it.
awk -v clk="$clk" -v v="$valid" -v r="$ready" '
  /^#/ { t = substr($0, 2); next }
  /^[01]/ {
    code = substr($0, 2); bit = substr($0, 1, 1)
    if (code == clk && bit == "1" && val[v] == "1" && val[r] == "1") print int(t / 4000)
    val[code] = bit
  }' "$dir/run.vcd" > "$dir/wave.txt"
jq -r 'select(.kind == "event_accepted") | .cycle' "$dir/run.txlog.jsonl" > "$dir/txlog.txt"
n=$(wc -l < "$dir/wave.txt")
[ "$n" -ge 5 ] || fail "only $n event handshakes in the trace"
diff "$dir/wave.txt" "$dir/txlog.txt" > "$dir/diff.txt" ||
  fail "event_accepted cycles differ from the trace's handshakes (< trace, > txlog): $(head -20 "$dir/diff.txt")"
echo "$n event_accepted records at the trace's handshake cycles"
