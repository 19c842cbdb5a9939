#!/usr/bin/env bash
# short_regression.sh REGRESS OUT POINTS: runs a regression of POINTS random
# points (both devices, every option) with --jobs 2 into OUT/single and
# checks its outputs.
set -uo pipefail
regress=$1; out=$2; points=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out/single"
"$regress" --points "$points" --plan-seed 20260101 --max-ops 300 --jobs 2 --timeout 240 \
  --quiet --out "$out/single"
rc=$?
[ "$rc" -eq 0 ] || echo "chimney-regress exit $rc"
"$here/check_outputs.sh" "$out/single" "$points" || rc=1
exit "$rc"
