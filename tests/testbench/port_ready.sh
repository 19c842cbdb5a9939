#!/usr/bin/env bash
# A ready option (--csr-ready, --work-ready, --irq-ready, --dma-ready) or
# --dma-latency reaches its port: the same run with that port taking in 10 %
# of cycles (or the DMA answering after VALUE cycles) passes, says so in its
# report, posts and completes what the run at the default does, and takes
# more cycles (what the engine offers waits to be taken, or it waits for
# its data).
#   port_ready.sh COSIM WORK_DIR OPTION JSON_KEY [VALUE DEFAULT]   (10 100)
set -uo pipefail
cosim=$1 work=$2 option=$3 key=$4 value=${5:-10} default=${6:-100}
source "$(dirname "$0")/run_json.sh"
mkdir -p "$work"
args=(--scenario request-response --ops 120 --connections 3 --seed 3 --quiet)
run_json "$work/full.json" 0 " ($option $default)" -- "$cosim" "${args[@]}" --json "$work/full.json"
failed=$fail
run_json "$work/held.json" 0 " ($option $value)" -- "$cosim" "${args[@]}" "$option" "$value" --json "$work/held.json"
failed=$((failed + fail))
check() {  # check WHAT JQ_EXPRESSION (over $full and $held)
  if ! jq -e -n --arg key "$key" --arg value "$value" --arg default "$default" --slurpfile full "$work/full.json" --slurpfile held "$work/held.json" "$2" >/dev/null; then
    echo "FAIL: $1"; failed=1
  fi
}
check "the report names the value" \
  '$held[0].options[$key] == ($value | tonumber) and $full[0].options[$key] == ($default | tonumber)'
check "both runs pass" '$held[0].result == "pass" and $full[0].result == "pass"'
check "the same operations are posted" '$held[0].posted == $full[0].posted'
check "the same operations complete, with the same statuses" '$held[0].completed == $full[0].completed'
check "held back, the run takes more cycles" '$held[0].rtl_cycles > $full[0].rtl_cycles'
jq -n --arg o "$option" --arg v "$value" --arg d "$default" --slurpfile full "$work/full.json" \
  --slurpfile held "$work/held.json" \
  '"rtl cycles: \($full[0].rtl_cycles) at \($o) \($d), \($held[0].rtl_cycles) at \($o) \($v)"' -r
exit $((failed != 0))
