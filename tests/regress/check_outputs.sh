#!/usr/bin/env bash
# check_outputs.sh DIR POINTS [--any-result]: the outputs of a regression of
# POINTS points in DIR are complete and well-formed: summary.json says every
# point passed (with --any-result: lists a repeat line for every point that
# did not) and the plan's options are chimney-cosim's, junit.xml and
# report.html are well-formed XML, and the HTML page refers to nothing
# elsewhere.
set -uo pipefail
dir=$1; points=$2; any=${3:-}
fail=0
check() { jq -e "$1" "$dir/summary.json" >/dev/null || { echo "summary.json: not $1"; fail=1; }; }
check ".totals.points == $points"
check '.complete == true'
if [ "$any" = --any-result ]; then
  check '(.failures | length) == .totals.failed'
  check '[.failures[] | .repeat | startswith("chimney-cosim --scenario ")] | all'
else
  check ".totals.passed == $points"
  check '.failures == []'
fi
# The options every plan draws are among those chimney-cosim offers, and
# none of them is reported unswept.
for o in --scenario --seed --ops --connections --queues --im-layers --ring-size --device \
         --max-cycles --trace --trace-from --trace-to --quiet --im-driver \
         --txlog --timeline --record-ports --trace-on-fail --trace-window --csr-ready --work-ready --irq-ready --dma-ready --dma-latency \
         --target-driver; do
  check ".plan.spec.cosim_options | index(\"$o\") != null"
  check ".plan.spec.unswept_options | index(\"$o\") == null"
done
# Every option chimney-cosim offers is drawn, set by the runner, or left out
# on purpose (--inject alone); a new one nobody decided about fails here.
check '.plan.spec.unswept_options == []'
check '.plan.spec.kept_out_options == ["--inject"]'
check '.aggregate.latency_histograms | length > 0'
check '.aggregate.series | length > 0'
xmllint --noout "$dir/junit.xml" || { echo "junit.xml is not well-formed"; fail=1; }
xmllint --noout "$dir/report.html" || { echo "report.html is not well-formed"; fail=1; }
[ "$(grep -c '<testcase ' "$dir/junit.xml")" -eq "$points" ] || { echo "junit.xml: not $points test cases"; fail=1; }
if grep -q -e '://' -e '<script' -e '<img' -e '<link' "$dir/report.html"; then
  echo "report.html refers to something elsewhere"; fail=1
fi
[ "$(grep -c '<svg' "$dir/report.html")" -ge 3 ] || { echo "report.html: fewer than 3 plots"; fail=1; }
if [ "$fail" -ne 0 ]; then jq '.failures, .totals' "$dir/summary.json"; fi
exit "$fail"
