#!/usr/bin/env bash
# Runs two chimney-cosim binaries over the same scenarios and option points
# and compares what they produce: the JSON run report (without its
# wall-clock fields, wall_seconds and cycles_per_second) and the transaction
# log, on both devices. Exit 0 when every pair is identical, 1 otherwise
# (the differing runs are listed), 2 on bad arguments.
#
#   scripts/compare-runs.sh OLD_COSIM NEW_COSIM [WORK_DIR]
#
# CHIMNEY_COMPARE_SCENARIOS (default: every scenario OLD_COSIM lists) and
# CHIMNEY_COMPARE_POINTS (';'-separated option sets, '-' for the defaults)
# choose the runs; CHIMNEY_COMPARE_DEVICES (default "rtl model") the devices.
# CHIMNEY_COMPARE_NEW_EXTRA adds options to the new binary's runs only (e.g.
# "--seed 2", to see the comparison fail).
set -uo pipefail
if [ $# -lt 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
  echo "usage: $0 OLD_COSIM NEW_COSIM [WORK_DIR] (both executables)" >&2
  exit 2
fi
old=$1
new=$2
work=${3:-$(mktemp -d)}
mkdir -p "$work"
scenarios=${CHIMNEY_COMPARE_SCENARIOS:-$("$old" --list-scenarios | awk 'NR > 1 {print $1}')}
points=${CHIMNEY_COMPARE_POINTS:-"-;--seed 7 --connections 9 --ops 300;--im-layers 2 --ring-size 2 --seed 3;--connections 64 --ops 1000 --queues 4 --seed 11"}
devices=${CHIMNEY_COMPARE_DEVICES:-"rtl model"}
extra=${CHIMNEY_COMPARE_NEW_EXTRA:-}

# The report without its wall-clock fields, keys sorted.
strip() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in ("wall_seconds", "cycles_per_second"):
    d.pop(k, None)
d.pop("repeat", None)
print(json.dumps(d, indent=1, sort_keys=True))' "$1"
}

runs=0
differ=0
IFS=';' read -r -a pointList <<<"$points"
for s in $scenarios; do
  for p in "${pointList[@]}"; do
    opts=()
    [ "$p" != "-" ] && read -r -a opts <<<"$p"
    for d in $devices; do
      tag="$s.$d.$(echo "$p" | tr -c 'A-Za-z0-9\n' '_')"
      for side in old new; do
        bin=$old
        more=()
        if [ "$side" = new ]; then
          bin=$new
          [ -n "$extra" ] && read -r -a more <<<"$extra"
        fi
        "$bin" --scenario "$s" --device "$d" "${opts[@]}" "${more[@]}" --quiet \
          --json "$work/$tag.$side.json" --txlog "$work/$tag.$side.txlog" \
          >"$work/$tag.$side.out" 2>&1
        echo "exit $?" >>"$work/$tag.$side.out"
        if [ -f "$work/$tag.$side.json" ]; then
          strip "$work/$tag.$side.json" >"$work/$tag.$side.report"
        else
          echo "no report" >"$work/$tag.$side.report"
        fi
      done
      runs=$((runs + 1))
      if ! cmp -s "$work/$tag.old.report" "$work/$tag.new.report" ||
        ! cmp -s "$work/$tag.old.txlog" "$work/$tag.new.txlog" ||
        ! cmp -s <(tail -1 "$work/$tag.old.out") <(tail -1 "$work/$tag.new.out"); then
        differ=$((differ + 1))
        echo "DIFFERS: --scenario $s --device $d $p"
      fi
    done
  done
done
echo "compare-runs: $runs run pairs, $differ differ (files in $work)"
[ "$differ" -eq 0 ]
