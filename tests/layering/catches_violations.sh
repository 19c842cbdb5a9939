#!/usr/bin/env bash
# Each layering rule of scripts/check-layering.sh, fed one violation in a
# scratch copy of the tree, must be reported (and the clean copy must pass).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
check=$root/scripts/check-layering.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail=0

fresh() {
  rm -rf "$scratch/tree"; mkdir -p "$scratch/tree"
  (cd "$root" && cp -r prm reference_device driver_model driver_abi wdk samples cosim verif testbench bench regress tests \
     CMakeLists.txt "$scratch/tree/")
}
expect_caught() {  # NAME FILE LINE  (LINE is appended to FILE)
  fresh
  echo "$3" >>"$scratch/tree/$2"
  if out=$("$check" "$scratch/tree"); then
    echo "MISSED: $1"; fail=1
  elif ! grep -q "^layering: " <<<"$out"; then
    echo "NO MESSAGE: $1"; fail=1
  else
    echo "caught: $1 -> $(head -n1 <<<"$out")"
  fi
}

fresh
"$check" "$scratch/tree" >/dev/null || { echo "the clean tree is reported"; fail=1; }

# One violation per rule: what it is | the file | the line appended to it.
while IFS='|' read -r name file line <&3; do
  expect_caught "$name" "$file" "$line"
done 3<<'EOF'
reference device includes an NDIS header|reference_device/behavioural_device.cpp|#include "ndis.h"
reference device includes SystemC|reference_device/behavioural_device.cpp|#include <systemc>
NDIS stack includes SystemC|driver_model/ndis.cpp|#include <systemc>
NDIS stack includes TLM|driver_model/ndis.cpp|#include <tlm_utils/simple_target_socket.h>
NDIS stack includes the Verilated model|driver_model/ndis.cpp|#include "Vcpl_engine.h"
NDIS stack includes the reference device|driver_model/ndis.cpp|#include "behavioural_device.h"
C driver interface includes SystemC|driver_abi/c_api.cpp|#include <systemc>
C driver interface includes the testbench|driver_abi/c_api.cpp|#include "bench.h"
NDIS stack includes the C driver interface|driver_model/ndis.cpp|#include "loaded_drivers.h"
sample driver includes a project header|samples/im_passthrough/im_passthrough.c|#include "ndis_types.h"
driver headers include a C++ header|wdk/include/wdk/ndis_base.h|#include <vector>
PRM contract includes an NDIS header|prm/prm.h|#include "ndis_types.h"
verification agents include SystemC|verif/stream_agents.cpp|#include <systemc>
verification agents include the transactor|verif/queue_pair.cpp|#include "transactor.h"
a shared bus agent includes TLM|cosim/axi_dma_slave.cpp|#include <tlm>
a shared bus agent includes the Verilated model|cosim/csr_master.h|#include "Vcpl_engine.h"
regression runner includes a testbench header|regress/plan.cpp|#include "run_options.h"
regression runner includes SystemC|regress/plan.cpp|#include <systemc>
product links a test target|bench/CMakeLists.txt|target_link_libraries(chimney-bench PRIVATE rtl_test_fixture)
EOF

[ $fail -eq 0 ] && echo "every layering rule caught its violation"
exit $fail
