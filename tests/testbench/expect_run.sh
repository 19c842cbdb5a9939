#!/usr/bin/env bash
# Runs a command and checks its exit code and what it printed.
#   expect_run.sh CODE PATTERN [--stderr-one-line] -- COMMAND ARGS...
# Passes when COMMAND exits with CODE and its output (stdout + stderr)
# contains the fixed string PATTERN (empty PATTERN: no check). With
# --stderr-one-line, stderr must be exactly one line.
set -uo pipefail
code=$1; pattern=$2; shift 2
one_line=0
if [ "${1:-}" = "--stderr-one-line" ]; then one_line=1; shift; fi
[ "${1:-}" = "--" ] && shift
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 600 "$@" >"$out" 2>"$err"
rc=$?
fail=0
if [ "$rc" -ne "$code" ]; then
  echo "expected exit $code, got $rc: $*"; fail=1
fi
if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$out" "$err"; then
  echo "output lacks: $pattern"; fail=1
fi
if [ "$one_line" -eq 1 ] && [ "$(wc -l <"$err")" -ne 1 ]; then
  echo "stderr is not exactly one line"; fail=1
fi
if [ "$fail" -ne 0 ]; then
  echo "--- stdout"; tail -n 40 "$out"; echo "--- stderr"; tail -n 40 "$err"
fi
exit "$fail"
