#!/usr/bin/env bash
# check_coverage_bins.sh JSON "BIN BIN ..." -- COMMAND...: runs a chimney-cosim
# COMMAND that writes its report to JSON, and passes when the run passed
# (exit 0, result "pass") and every named functional-coverage bin of the
# report counts at least 1.
set -uo pipefail
source "$(dirname "$0")/run_json.sh"
json=$1; bins=$2; shift 2
run_json "$json" 0 "" "$@"
jq -e '.result == "pass"' "$json" >/dev/null 2>&1 || { echo "report result is not pass"; fail=1; }
for bin in $bins; do
  n=$(jq -r --arg b "$bin" '.coverage[$b] // "absent"' "$json")
  case "$n" in
    absent) echo "bin $bin: not in the report"; fail=1 ;;
    0) echo "bin $bin: not hit"; fail=1 ;;
  esac
done
[ "$fail" -eq 0 ] || cat "$json.out"
exit "$fail"
