#!/usr/bin/env bash
# check_trace.sh FST2VCD FST COSIM: runs the default scenario with a trace
# window, converts the FST with fst2vcd and checks that it holds the engine's
# signals and no time before the window. The run's own verdict (0 or 1) is
# not this test's subject; a crash or a bad-argument exit is.
set -uo pipefail
fst2vcd=$1; fst=$2; cosim=$3
rm -f "$fst"
"$cosim" --quiet --trace "$fst" --trace-from 100 --trace-to 2000 >/dev/null
rc=$?
[ "$rc" -le 1 ] || { echo "chimney-cosim exited $rc"; exit 1; }
[ -s "$fst" ] || { echo "no trace written"; exit 1; }
vcd=$(mktemp); trap 'rm -f "$vcd"' EXIT
"$fst2vcd" "$fst" >"$vcd" 2>/dev/null || { echo "fst2vcd could not read the trace"; exit 1; }
fail=0
for sig in cpl_engine s_evt_valid m_work_valid m_axi_awvalid s_axil_arvalid m_irq_valid; do
  grep -q "$sig" "$vcd" || { echo "trace lacks $sig"; fail=1; }
done
# First time stamp: the window starts at cycle 100 (4 ns clock: 400000 ps).
first=$(grep -m1 '^#' "$vcd" | tr -d '#')
if [ -z "$first" ] || [ "$first" -lt 400000 ]; then
  echo "first dump at time ${first:-none}, before the window"; fail=1
fi
exit "$fail"
