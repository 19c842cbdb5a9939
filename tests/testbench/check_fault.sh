#!/usr/bin/env bash
# check_fault.sh JSON EXPECT -- COMMAND...: runs a chimney-cosim COMMAND with
# an injected fault that writes its report to JSON, and passes when the run
# fails (exit 1) with the expected first finding:
#   EXPECT = "invariant N layer L [op O]"  the earliest violation (the
#            report's first line) is invariant N, blamed on layer L (and op O)
#   EXPECT = "mismatch TEXT"               no violation, and the first
#            mismatch contains TEXT
# With FIRST_MISMATCH set in the environment, the first mismatch must also
# contain it (where a violation leads, what the counts say comes next).
# Every --inject of the command must be in the report's faults, applied.
set -uo pipefail
source "$(dirname "$0")/run_json.sh"
json=$1; expect=$2; shift 2
run_json "$json" 1 " (expected 1: the fault is found)" "$@"
read -r kind a b c d e <<< "$expect"
case "$kind" in
  invariant)
    got=$(jq -r '.violations[0] | "\(.invariant) \(.layer) \(.op)"' "$json")
    read -r inv layer op <<< "$got"
    [ "$inv" = "$a" ] || { echo "first violation is invariant $inv, expected $a"; fail=1; }
    [ "$b" = "layer" ] && [ "$layer" != "$c" ] && { echo "first violation's layer is $layer, expected $c"; fail=1; }
    [ "${d:-}" = "op" ] && [ "$op" != "$e" ] && { echo "first violation's op is $op, expected $e"; fail=1; }
    # The summary leads with the same violation.
    grep -q "^  first: \[invariant $a " "$json.out" || { echo "summary does not lead with invariant $a"; fail=1; }
    ;;
  mismatch)
    text=${expect#mismatch }
    n=$(jq '.violations | length' "$json")
    [ "$n" -eq 0 ] || { echo "$n violations, expected none"; fail=1; }
    first=$(jq -r '.mismatches[0] // ""' "$json")
    [[ "$first" == *"$text"* ]] || { echo "first mismatch is '$first', expected it to contain '$text'"; fail=1; }
    ;;
  *) echo "bad EXPECT: $expect"; exit 2 ;;
esac
# Every fault of the command is in the report, and each took effect.
injected=$(printf '%s\n' "$@" | grep -c -x -- '--inject')
listed=$(jq '.faults | length' "$json")
[ "$listed" -eq "$injected" ] || { echo "report lists $listed faults, the command injects $injected"; fail=1; }
never=$(jq -r '[.faults[] | select(.applied == 0) | .name] | join(" ")' "$json")
[ -z "$never" ] || { echo "never applied: $never"; fail=1; }
if [ -n "${FIRST_MISMATCH:-}" ]; then
  first=$(jq -r '.mismatches[0] // ""' "$json")
  [[ "$first" == *"$FIRST_MISMATCH"* ]] ||
    { echo "first mismatch is '$first', expected it to contain '$FIRST_MISMATCH'"; fail=1; }
fi
[ "$fail" -eq 0 ] || { cat "$json.out"; }
exit "$fail"
