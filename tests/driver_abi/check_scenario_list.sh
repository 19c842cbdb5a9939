#!/usr/bin/env bash
# check_scenario_list.sh COSIM SCENARIO...: the scenarios the sample drivers
# run are every scenario chimney-cosim has, so a new scenario is not left out.
set -euo pipefail
cosim=$1; shift
have=$("$cosim" --list-scenarios | awk 'NR > 1 { print $1 }' | sort)
listed=$(printf '%s\n' "$@" | sort)
if [ "$have" != "$listed" ]; then
  echo "FAIL: the driver tests' scenario list differs from chimney-cosim --list-scenarios:"
  diff <(echo "$listed") <(echo "$have") || true
  exit 1
fi
echo "every scenario is run with the sample drivers"
