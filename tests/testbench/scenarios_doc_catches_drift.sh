#!/usr/bin/env bash
# Shows check_scenarios_doc.sh catching drift: it passes on the document as
# it is, and fails on a copy with one default changed, on a copy with a row
# removed, and on a run list missing a scenario.
#   scenarios_doc_catches_drift.sh CHECK COSIM DOC "NAME NAME ..."
set -uo pipefail
check=$1; cosim=$2; doc=$3; runs=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
expect() {  # expect pass|fail WHAT DOC RUNS
  if "$check" "$cosim" "$3" "$4" >"$dir/out" 2>&1; then got=pass; else got=fail; fi
  if [ "$got" != "$1" ]; then
    echo "expected the check to $1 on $2, it did not:"; cat "$dir/out"; fail=1
  fi
}
expect pass "the document as it is" "$doc" "$runs"
sed 's/^| `smoke` (4 ops/| `smoke` (5 ops/' "$doc" >"$dir/default.md"
cmp -s "$doc" "$dir/default.md" && { echo "the alteration did not apply"; fail=1; }
expect fail "a copy with smoke's default ops changed" "$dir/default.md" "$runs"
grep -v '^| `backpressure`' "$doc" >"$dir/row.md"
expect fail "a copy without the backpressure row" "$dir/row.md" "$runs"
expect fail "a run list without smoke" "$doc" "${runs/smoke/}"
exit "$fail"
