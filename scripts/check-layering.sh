#!/usr/bin/env bash
# Checks the layering of docs/architecture.md against the code:
#   scripts/check-layering.sh [ROOT]
# - prm/ includes nothing of the project but prm/, and no SystemC, TLM or
#   Verilator header;
# - reference_device/ includes only prm/ and itself: no NDIS header
#   (driver_model/), no SystemC, TLM or Verilator header;
# - driver_model/ (the NDIS stack) includes no SystemC, TLM or Verilator
#   header and nothing of reference_device/, cosim/, verif/ or testbench/;
# - verif/ includes no SystemC or TLM header, nothing of testbench/, and of
#   cosim/ only engine_model.h and the bus agents it shares with the
#   transactor (AXI DMA slave, CSR master, violation log);
# - those bus agents include no SystemC, TLM or Verilator header;
# - driver_abi/ (the C driver interface, part of the NDIS layer) includes no
#   SystemC, TLM or Verilator header and nothing of reference_device/,
#   cosim/, verif/ or testbench/; driver_model/ includes nothing of it;
# - wdk/include/ and samples/ (C drivers) include only wdk/include headers
#   and standard C headers;
# - regress/ includes no SystemC, TLM or Verilator header and no header of
#   another project folder (it runs chimney-cosim as a program);
# - no product CMake file (outside tests/) names a target defined under tests/.
# Prints one line per violation and exits 1 when there is any.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
status=0

headers_of() { find "$1" -maxdepth 1 -name '*.h' -printf '%f\n' 2>/dev/null | sort; }

# report HITS WHY: one violation line per line of HITS (grep -n output).
report() {
  [ -n "$1" ] || return 0
  while IFS= read -r line; do
    echo "layering: $line: $2"
  done <<<"$1"
  status=1
}

# forbid_in WHO WHAT PATTERN FILE...: no FILE includes a header matching PATTERN.
forbid_in() {
  local who=$1 what=$2 pattern=$3 hits
  shift 3
  [ -n "$pattern" ] || return 0
  hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)[>\"]" \
    "$@" 2>/dev/null || true)
  report "$hits" "$who must not include $what"
}
# forbid DIR WHAT PATTERN: no file of DIR includes a header matching PATTERN.
forbid() { forbid_in "$1/" "$2" "$3" "$1"/*.h "$1"/*.cpp "$1"/*.c; }

alt() { headers_of "$1" | sed 's/[.]/[.]/g' | paste -sd'|' -; }

sim='systemc|systemc[.]h|tlm|tlm[.]h|tlm_utils/[^>"]*|verilated[^>"]*|V[a-z0-9_]+[.]h'
ndis=$(alt driver_model)
refdev=$(alt reference_device)
cosim=$(alt cosim)
verif=$(alt verif)
tb=$(alt testbench)
abi=$(alt driver_abi)

forbid prm "SystemC, TLM or Verilator headers" "$sim"
forbid prm "NDIS headers (driver_model/)" "$ndis"
forbid prm "reference_device/ headers" "$refdev"
forbid reference_device "SystemC, TLM or Verilator headers" "$sim"
forbid reference_device "NDIS headers (driver_model/)" "$ndis"
forbid driver_model "SystemC, TLM or Verilator headers" "$sim"
forbid driver_model "reference_device/ headers" "$refdev"
forbid driver_model "cosim/ headers" "$cosim"
forbid driver_model "verif/ headers" "$verif"
forbid driver_model "testbench/ headers" "$tb"
forbid driver_abi "SystemC, TLM or Verilator headers" "$sim"
forbid driver_abi "reference_device/ headers" "$refdev"
forbid driver_abi "cosim/ headers" "$cosim"
forbid driver_abi "verif/ headers" "$verif"
forbid driver_abi "testbench/ headers" "$tb"
forbid driver_model "driver_abi/ headers" "$abi"

# C drivers and their headers: only the driver interface and standard C.
wdk_headers=$(find wdk/include -name '*.h' -printf '%f\n' 2>/dev/null | sort | sed 's/[.]/[.]/g' |
  paste -sd'|' -)
# A sample may also include its own headers (samples/*/*.h).
sample_headers=$(find samples -name '*.h' -printf '%f\n' 2>/dev/null | sort | sed 's/[.]/[.]/g' |
  paste -sd'|' -)
c_allowed="(wdk/)?(${wdk_headers:-ndis[.]h})|std(def|int|bool|lib|io)[.]h|string[.]h"
[ -n "$sample_headers" ] && c_allowed="$c_allowed|$sample_headers"
for dir in wdk samples; do
  [ -d "$dir" ] || continue
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]" "$dir" \
    --include='*.h' --include='*.c' 2>/dev/null |
    grep -vE "#[[:space:]]*include[[:space:]]*[<\"]($c_allowed)[>\"]" || true)
  report "$hits" "$dir/ may include only the driver interface and standard C headers"
done
forbid verif "SystemC or TLM headers" 'systemc|systemc[.]h|tlm|tlm[.]h|tlm_utils/[^>"]*'
forbid verif "testbench/ headers" "$tb"
bus_agents='axi_dma_slave.h axi_dma_slave.cpp csr_master.h violation_log.h bus_chance.h'
shared="engine_model.h $bus_agents"
cosim_own=$(headers_of cosim | grep -vxF -f <(tr ' ' '\n' <<<"$shared") | sed 's/[.]/[.]/g' |
  paste -sd'|' -)
forbid verif "cosim/ headers but engine_model.h and the bus agents" "$cosim_own"
forbid_in "the bus agents cosim/ shares with verif/" "SystemC, TLM or Verilator headers" "$sim" \
  $(for f in $bus_agents; do echo cosim/$f; done)

# regress/: headers of every other project folder, except names regress/ has too.
others=$(for d in prm reference_device driver_model cosim verif testbench bench; do headers_of "$d"; done |
  sort -u | grep -vxF -f <(headers_of regress; echo '') | sed 's/[.]/[.]/g' | paste -sd'|' -)
forbid regress "SystemC, TLM or Verilator headers" "$sim"
forbid regress "headers of other project folders" "$others"

# Targets defined under tests/ and named by a product CMake file.
test_targets=$(grep -rhoE 'add_library\([A-Za-z0-9_]+' tests --include=CMakeLists.txt 2>/dev/null |
  sed 's/add_library(//' | sort -u)
for t in $test_targets; do
  hits=$(grep -rnwE "$t" --include=CMakeLists.txt . 2>/dev/null |
    grep -vE '^\./(tests|build[^/]*)/' || true)
  report "$hits" "product code names $t, a target defined under tests/"
done

[ $status -eq 0 ] && echo "layering: clean"
exit $status
