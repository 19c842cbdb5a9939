#!/usr/bin/env bash
# short_regression.sh REGRESS OUT POINTS [MAX_OPS]: runs a regression of
# POINTS random points (both devices, every option, --ops up to MAX_OPS,
# default 300) with --jobs 2 into OUT/single and checks its outputs: any
# point that does not pass fails it.
set -uo pipefail
regress=$1; out=$2; points=$3; maxops=${4:-300}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out/single"
"$regress" --points "$points" --plan-seed 20260101 --max-ops "$maxops" --jobs 2 --timeout 240 \
  --quiet --out "$out/single"
rc=$?
[ "$rc" -eq 0 ] || echo "chimney-regress exit $rc"
"$here/check_outputs.sh" "$out/single" "$points" || rc=1
exit "$rc"
