#!/usr/bin/env bash
# shard_merge.sh REGRESS OUT POINTS: runs a plan of POINTS random points
# whole, then as two shards, merges the shards, and checks the merge equals
# the single run: same plan, same points with the same options and results
# (whatever the results are), well-formed outputs. Merging one shard alone
# is reported incomplete.
set -uo pipefail
regress=$1; out=$2; points=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out"
plan=(--points "$points" --plan-seed 77 --max-ops 200 --jobs 2 --timeout 240 --quiet)
"$regress" "${plan[@]}" --out "$out/single" >/dev/null
for i in 0 1; do
  "$regress" "${plan[@]}" --shard "$i/2" --out "$out/shard$i" >/dev/null
done
"$regress" merge "$out/shard0" "$out/shard1" --out "$out/merged" >/dev/null
fail=0
for d in single merged; do "$here/check_outputs.sh" "$out/$d" "$points" --any-result || fail=1; done
view='[.plan.id, .totals, [.points[] | [.index, .args, .status, .cycles]], .aggregate.latency_histograms]'
if ! diff <(jq -c "$view" "$out/single/summary.json") <(jq -c "$view" "$out/merged/summary.json") >/dev/null; then
  echo "the merged shards differ from the single run"; fail=1
fi
jq -e '[.shards[] | .index] == [0, 1]' "$out/merged/summary.json" >/dev/null || { echo "shards not 0 and 1"; fail=1; }
jq -e '[.points[] | .index] == [range(0; '"$points"')]' "$out/merged/summary.json" >/dev/null ||
  { echo "the merge does not hold every point once, in order"; fail=1; }
"$regress" merge "$out/shard1" --out "$out/partial" >/dev/null
[ $? -eq 1 ] || { echo "an incomplete merge did not exit 1"; fail=1; }
jq -e '.complete == false and .missing_shards == [0]' "$out/partial/summary.json" >/dev/null ||
  { echo "an incomplete merge is not reported as such"; fail=1; }
exit "$fail"
