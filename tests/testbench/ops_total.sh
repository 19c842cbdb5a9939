#!/usr/bin/env bash
# ops_total.sh COSIM DIR: --ops counts operations in total over all
# connections in every scenario. Runs each scenario with more connections
# than ops and with more ops than connections (behavioural device) and checks
# in its JSON report that the kinds the scenario counts as its operations
# (docs/scenarios.md) add up to --ops exactly.
set -uo pipefail
cosim=$1
dir=$2
mkdir -p "$dir"
# scenario and the report entries that count: posted.KIND or events.KIND
# (all statuses of an event kind summed).
counted() {
  case $1 in
    many-connections | backpressure | dma-error-recovery)
      echo "posted.send posted.forward" ;;
    bad-descriptors) echo "posted.send posted.forward posted.receive posted.disconnect" ;;
    receive-indication) echo "events.indication" ;;
    receive-overrun) echo "posted.receive" ;;
    *) echo "posted.send" ;;
  esac
}
# Sum of the numbers in the JSON object "NAME": {...} inside section SECTION,
# or the single number "NAME": N; whitespace-insensitive.
value() {
  local json=$1 section=$2 name=$3 body
  body=$(tr -d ' \n\t' <"$json" | grep -o "\"$section\":{.*" | head -1)
  if [ "$section" = posted ]; then
    body=$(printf '%s' "$body" | grep -o '^"posted":{[^}]*}')
    printf '%s' "$body" | grep -o "\"$name\":[0-9]*" | head -1 | cut -d: -f2
  else
    printf '%s' "$body" | grep -o "\"$name\":{[^}]*}" | head -1 | grep -o '[0-9][0-9]*' |
      awk '{s += $1} END {print s + 0}'
  fi
}
fail=0
scenarios=$("$cosim" --list-scenarios | awk 'NR > 1 {print $1}')
[ -n "$scenarios" ] || { echo "no scenarios listed"; exit 1; }
for scenario in $scenarios; do
  for point in "5 7" "3 2"; do
    set -- $point
    conns=$1 ops=$2
    json=$dir/$scenario.$conns.$ops.json
    if ! "$cosim" --device model --scenario "$scenario" --connections "$conns" --ops "$ops" \
        --quiet --json "$json" >/dev/null; then
      echo "$scenario --connections $conns --ops $ops: run failed"; fail=1; continue
    fi
    total=0
    for entry in $(counted "$scenario"); do
      n=$(value "$json" "${entry%%.*}" "${entry#*.}")
      total=$((total + ${n:-0}))
    done
    if [ "$total" -ne "$ops" ]; then
      echo "$scenario --connections $conns --ops $ops: $(counted "$scenario") = $total, not $ops"
      fail=1
    fi
  done
done
exit "$fail"
