#!/usr/bin/env bash
# Hardware figures of cpl_engine (slow: minutes; not part of ctest):
#   scripts/hw-figures.sh CHIMNEY_BENCH OUT_JSON [WORK_DIR]
# - Yosys `synth_xilinx -family xcup -flatten` at the default and the maximum
#   configuration: LUTs, LUTRAM, MUXF7/8/9, flip-flops, block RAM, UltraRAM
#   and the deepest register-to-register path (chimney-bench netlist, the
#   netlist walker of bench/netlist_depth.cpp); plus the memories Yosys infers
#   before mapping (`memory -nomap`: $mem_v2 cells). Both again with
#   -nowidelut (default_lut6, max_lut6): LUT6 only, no wide functions built
#   from MUXF7/8/9, which ABC otherwise stacks on paths (each one a level).
#   The default configuration once more with -abc9 (default_abc9): Yosys's
#   delay-driven mapping, which knows the cells' delays (information).
# - nextpnr-ice40 on an HX8K (ct256) with the small configuration inside
#   bench/hw/ice40_top.sv (ports driven from an LFSR, outputs XOR-reduced):
#   post-route Fmax.
# Writes one JSON object to OUT_JSON; a step that fails records its error.
# Each tool run is stopped after $CHIMNEY_HW_TIMEOUT seconds (default 2400).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=$1 out=$2 work=${3:-$root/build/hw-work}
mkdir -p "$work"
mapfile -t srcs < <(ls "$root"/rtl/*_pkg.sv 2>/dev/null; ls "$root"/rtl/*.sv | grep -v '_pkg[.]sv$')
read_rtl="read_verilog -sv -I$root ${srcs[*]}"
limit=${CHIMNEY_HW_TIMEOUT:-2400}

params_default=""
params_max="chparam -set NUM_CONN 4096 -set NUM_QP 16 -set REQ_SLOTS 4096 cpl_engine;"
params_small="-set NUM_CONN 16 -set NUM_QP 2 -set REQ_SLOTS 16"

json_string() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n' ' '; }

xilinx() {  # xilinx NAME CHPARAM [SYNTH_OPTION]
  local name=$1 chp=$2 opt=${3:-}
  local log="$work/xcup-$name.log" net="$work/xcup-$name.json" t0 t1 mems
  t0=$(date +%s)
  # (the memories before mapping do not depend on the mapping option)
  [ -z "$opt" ] && mems=$(timeout "$limit" yosys -q -p "$read_rtl; $chp hierarchy -top cpl_engine; proc; opt_clean; memory -nomap; flatten; tee -o $work/mem-$name.txt stat" \
           >/dev/null 2>"$work/mem-$name.err" && awk '$1 ~ /^\$mem/ {n += $2} $2 ~ /^\$mem/ {n += $1} END {print n + 0}' "$work/mem-$name.txt")
  if ! timeout "$limit" yosys -q -l "$log" -p "$read_rtl; $chp synth_xilinx -family xcup -flatten $opt -top cpl_engine; write_json $net" >/dev/null 2>&1; then
    printf '"%s": {"error": "%s"}' "$name" \
      "$(json_string "$(grep -i error "$log" | head -3) (or stopped after $limit s)")"
    return
  fi
  t1=$(date +%s)
  local fig
  if ! fig=$("$bench" netlist "$net" 2>&1); then
    printf '"%s": {"error": "%s"}' "$name" "$(json_string "$fig")"
    return
  fi
  printf '"%s": {"memories_before_mapping": %s, "synth_seconds": %s, "netlist": %s}' \
    "$name" "${mems:-null}" "$((t1 - t0))" "$fig"
}

ice40() {
  local log="$work/ice40-small.log" net="$work/ice40-small.json" fmax
  if ! timeout "$limit" yosys -q -l "$work/ice40-synth.log" -p "$read_rtl; read_verilog -sv $root/bench/hw/ice40_top.sv; chparam $params_small ice40_top; synth_ice40 -top ice40_top -json $net" >/dev/null 2>&1; then
    printf '"ice40_hx8k_small": {"error": "%s"}' "$(json_string "$(grep -i error "$work/ice40-synth.log" | head -3)")"
    return
  fi
  if ! timeout "$limit" nextpnr-ice40 --hx8k --package ct256 --json "$net" --freq 100 --seed 1 --timing-allow-fail \
        --placer heap -l "$log" >/dev/null 2>&1; then
    # nextpnr's own ERROR line, and the utilisation it reported before it
    local why
    why="$(grep -E '^ERROR' "$log" | head -2) $(grep -E 'ICESTORM_(LC|RAM):' "$log" | tail -2 | tr -s ' \t' ' ')"
    [ -n "${why// /}" ] || why=$(grep -iE 'error|fail' "$log" | head -3)
    printf '"ice40_hx8k_small": {"error": "%s"}' "$(json_string "$why")"
    return
  fi
  # The last "Max frequency" line is the post-route one.
  fmax=$(grep -E "Max frequency for clock" "$log" | tail -1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
  local lcs
  lcs=$(grep -E "ICESTORM_LC: *[0-9]+/ *[0-9]+" "$log" | tail -1 |
        sed -E 's/.*ICESTORM_LC: *([0-9]+)\/ *([0-9]+).*/\1 \2/')
  printf '"ice40_hx8k_small": {"fmax_mhz": %s, "logic_cells": %s, "logic_cells_available": %s}' \
    "${fmax:-null}" "${lcs%% *}" "${lcs##* }"
}

{
  printf '{'
  xilinx default "$params_default"
  printf ', '
  xilinx max "$params_max"
  printf ', '
  xilinx default_lut6 "$params_default" -nowidelut
  printf ', '
  xilinx max_lut6 "$params_max" -nowidelut
  printf ', '
  xilinx default_abc9 "$params_default" -abc9
  printf ', '
  ice40
  printf '}\n'
} >"$out"
cat "$out"
