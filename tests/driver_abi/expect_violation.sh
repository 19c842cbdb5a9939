#!/usr/bin/env bash
# Runs chimney-cosim with --json and passes when the run failed (exit 1) and
# one of the report's violations contains the fixed string PATTERN (the
# summary prints only the first of a group).
#   expect_violation.sh PATTERN JSON -- COSIM ARGS...
set -uo pipefail
pattern=$1; json=$2; shift 2
[ "${1:-}" = "--" ] && shift
rm -f "$json"
timeout 600 "$@" --quiet --json "$json" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 1 ]; then echo "expected exit 1, got $rc: $*"; exit 1; fi
if ! jq -r '.violations[].message' "$json" | grep -qF -- "$pattern"; then
  echo "no violation contains: $pattern"; jq -r '.violations[].message' "$json"; exit 1
fi
