#!/usr/bin/env bash
# failing_points.sh REGRESS OUT: a list of points of which two fail in
# chimney-cosim itself (a watchdog of one cycle, an option it refuses), and
# a fake chimney-cosim that crashes, hangs, or passes. Every failure is
# reported with its repeat line (summary, JUnit, HTML, stdout), exit 1,
# and the runner does not hang.
set -uo pipefail
regress=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out"
fail=0

cat >"$out/real.list" <<'LIST'
# a watchdog of one cycle: the run fails
chimney-cosim --scenario smoke --seed 3 --max-cycles 1
# chimney-cosim refuses the value: exit 2
chimney-cosim --scenario smoke --ring-size 3
chimney-cosim --scenario smoke --ops 10 --device model
LIST
"$regress" --list "$out/real.list" --jobs 2 --out "$out/real" >"$out/real.stdout" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { echo "real: expected exit 1, got $rc"; fail=1; }
s="$out/real/summary.json"
jq -e '[.points[] | .status] == ["fail", "error", "pass"]' "$s" >/dev/null ||
  { echo "real: statuses"; jq -c '[.points[] | .status]' "$s"; fail=1; }
for line in "chimney-cosim --scenario smoke --seed 3 --max-cycles 1" \
            "chimney-cosim --scenario smoke --ring-size 3"; do
  jq -e --arg l "$line" '[.failures[] | .repeat] | index($l) != null' "$s" >/dev/null ||
    { echo "summary lacks the repeat line: $line"; fail=1; }
  for f in "$out/real/junit.xml" "$out/real/report.html" "$out/real.stdout"; do
    grep -qF -- "$line" "$f" || { echo "$f lacks the repeat line: $line"; fail=1; }
  done
done
jq -e '.failures[1].message | test("--ring-size 3")' "$s" >/dev/null ||
  { echo "the refused option is not named"; fail=1; }
[ -s "$out/real/points/point-0.json" ] || { echo "a failing point's report was not kept"; fail=1; }
xmllint --noout "$out/real/junit.xml" "$out/real/report.html" || fail=1
grep -q '<failure type="fail"' "$out/real/junit.xml" || { echo "junit: no failure"; fail=1; }
grep -q '<error type="error"' "$out/real/junit.xml" || { echo "junit: no error"; fail=1; }

cat >"$out/fake.list" <<'LIST'
--scenario crash
--scenario hang
--scenario smoke
--scenario nojson
LIST
"$regress" --list "$out/fake.list" --jobs 2 --timeout 2 --cosim "$here/fake_cosim.sh" \
  --out "$out/fake" >"$out/fake.stdout" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { echo "fake: expected exit 1, got $rc"; fail=1; }
s="$out/fake/summary.json"
jq -e '[.points[] | .status] == ["crash", "timeout", "pass", "crash"]' "$s" >/dev/null ||
  { echo "fake: statuses"; jq -c '[.points[] | .status]' "$s"; fail=1; }
grep -qF "repeat with: chimney-cosim --scenario hang" "$out/fake.stdout" ||
  { echo "stdout lacks the hang's repeat line"; fail=1; }
xmllint --noout "$out/fake/junit.xml" "$out/fake/report.html" || fail=1
[ "$fail" -eq 0 ] || { cat "$out/real.stdout" "$out/fake.stdout"; }
exit "$fail"
