#!/usr/bin/env bash
# check_fault_not_reached.sh JSON -- COMMAND...: runs a chimney-cosim COMMAND
# whose --inject fault the scenario never reaches, writing its report to
# JSON. Passes when the run is clean (exit 0) and says the fault was never
# applied: 0 in the report's faults, a line in the summary and a warning on
# standard error.
set -uo pipefail
source "$(dirname "$0")/run_json.sh"
json=$1; shift
run_json "$json" 0 " (expected 0: the fault never took effect)" "$@"
name=$(jq -r '.faults[0].name // ""' "$json")
applied=$(jq -r '.faults[0].applied // "none"' "$json")
[ -n "$name" ] || { echo "the report lists no fault"; fail=1; }
[ "$applied" = 0 ] || { echo "fault $name applied $applied, expected 0"; fail=1; }
grep -q "^  $name: never applied" "$json.out" || { echo "summary does not say $name was never applied"; fail=1; }
grep -q "^chimney-cosim: warning: --inject $name was never applied" "$json.out" ||
  { echo "no warning for $name"; fail=1; }
[ "$fail" -eq 0 ] || cat "$json.out"
exit "$fail"
