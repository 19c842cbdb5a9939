#!/usr/bin/env bash
# check_json.sh JSON COMMAND...: runs a chimney-cosim COMMAND that writes its
# report to JSON, and passes when the run exits 0 and the report (read with
# jq) says "result": "pass" with no violations and no mismatches. On failure
# prints the report (it holds the command that repeats the run).
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
  # jq -e: exit 0 only when the expression is true (a parse error is not).
  check() { jq -e "$1" "$json" >/dev/null 2>&1 || { echo "$2"; fail=1; }; }
  check '.result == "pass"' "report result is not pass"
  check '.violations == []' "report lists invariant violations"
  check '.mismatches == []' "report lists count mismatches"
  check '.completed | type == "object" and length > 0' "report holds no completions"
fi
[ "$fail" -eq 0 ] || { [ -s "$json" ] && cat "$json"; }
exit "$fail"
