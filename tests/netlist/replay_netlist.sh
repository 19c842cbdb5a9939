#!/usr/bin/env bash
# The gate netlist Yosys builds from rtl/ replays a recorded run of the
# Verilated engine with no mismatch: the hardware is what the simulations
# verified. Yosys reads the RTL itself, so a construct it reads differently
# from Verilator (as with the size of a conditional of casts inside a
# concatenation, in 0.23) gives a netlist that differs from every simulation.
#   replay_netlist.sh YOSYS IVERILOG VVP CHIMNEY_BENCH ROOT WORK [--mutate FILE SED]
# Records the RTL-only workload (chimney-bench rtl --ops 300, default
# configuration), synthesizes cpl_engine to generic gates with its memories
# kept as arrays (proc, flatten, memory -nomap, techmap, abc), and replays
# the recording on that netlist under Icarus (bench/replay_tb.sv, Yosys's
# simcells.v and simlib.v). --mutate: a copy of FILE changed by SED instead;
# the replay must then show mismatches.
set -euo pipefail
source "$(dirname "$0")/../support/mutated_copy.sh"
yosys=$1 iverilog=$2 vvp=$3 bench=$4 root=$5 work=$6
shift 6
mutate_file="" mutate_sed=""
if [ "${1:-}" = "--mutate" ]; then
  mutate_file=$2 mutate_sed=$3
fi
rm -rf "$work" && mkdir -p "$work"
share=$(dirname "$(command -v "$yosys")")/../share/yosys
[ -f "$share/simcells.v" ] || { echo "FAIL: no simcells.v under $share" >&2; exit 1; }
srcs=("$root/rtl/cpl_pkg.sv")
for s in "$root"/rtl/*.sv; do
  [ "$s" = "$root/rtl/cpl_pkg.sv" ] && continue
  if [ -n "$mutate_file" ] && [ "$s" = "$root/$mutate_file" ]; then
    mutated_copy "$s" "$mutate_sed" "$work/$(basename "$s")" || exit 1
    s="$work/$(basename "$s")"
  fi
  srcs+=("$s")
done
"$bench" rtl --ops 300 --record "$work/ports.txt" > "$work/record.json"
"$yosys" -q -l "$work/yosys.log" -p "read_verilog -sv -I$root ${srcs[*]}; hierarchy -top cpl_engine; proc; flatten; opt; memory -nomap; opt; techmap; opt -fast; abc; opt_clean; write_verilog -noattr $work/netlist.v" > /dev/null 2> "$work/yosys.err"
"$iverilog" -g2012 -I"$root" -s replay_tb -o "$work/replay.vvp" "$root/bench/replay_tb.sv" \
  "$work/netlist.v" "$share/simcells.v" "$share/simlib.v" > "$work/iverilog.log" 2>&1 ||
  { echo "FAIL: iverilog ($work/iverilog.log)" >&2; exit 1; }
"$vvp" -n "$work/replay.vvp" +rec="$work/ports.txt" +show=5 > "$work/replay.log" 2>&1 || true
summary=$(grep -E '^replay: cycles [0-9]+ mismatches [0-9]+$' "$work/replay.log" || true)
lines=$(wc -l < "$work/ports.txt")
if [ -z "$summary" ]; then
  echo "FAIL: the replay did not finish ($work/replay.log)" >&2
  exit 1
fi
cycles=$(echo "$summary" | awk '{print $3}') mismatches=$(echo "$summary" | awk '{print $5}')
if [ -n "$mutate_file" ]; then
  if [ "$mismatches" -gt 0 ]; then
    echo "ok: the netlist of the changed $mutate_file differs from the recording ($mismatches mismatches)"
    exit 0
  fi
  echo "FAIL: the netlist of the changed $mutate_file replays without a mismatch" >&2
  exit 1
fi
if [ "$cycles" -ne "$lines" ] || [ "$mismatches" -ne 0 ]; then
  echo "FAIL: $summary of $lines recorded cycles ($work/replay.log)" >&2
  head -5 "$work/replay.log" >&2
  exit 1
fi
echo "ok: the gate netlist replays $cycles recorded cycles without a mismatch"
