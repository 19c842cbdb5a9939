#!/usr/bin/env bash
# check_json.sh JSON COMMAND...: runs a chimney-cosim COMMAND that writes its
# report to JSON, and passes when the run exits 0 and the report says
# "result": "pass" with no violations and no mismatches. On failure prints
# the report (it holds the command that repeats the run).
set -uo pipefail
json=$1; shift
rm -f "$json"
timeout 280 "$@"
rc=$?
fail=0
[ "$rc" -eq 0 ] || { echo "exit $rc"; fail=1; }
if [ ! -s "$json" ]; then
  echo "no JSON report written"; fail=1
else
  grep -q '"result": "pass"' "$json" || { echo "report result is not pass"; fail=1; }
  grep -q '"violations": \[\]' "$json" || { echo "report lists invariant violations"; fail=1; }
  grep -q '"mismatches": \[\]' "$json" || { echo "report lists count mismatches"; fail=1; }
  grep -q '"completed": {"' "$json" || { echo "report holds no completions"; fail=1; }
fi
[ "$fail" -eq 0 ] || { [ -s "$json" ] && cat "$json"; }
exit "$fail"
