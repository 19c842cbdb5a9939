#!/usr/bin/env bash
# Checks that the scenario table of a scenarios document is exactly what the
# registry generates, and that a list of scenario names (the ones ctest runs)
# names every registered scenario.
#   check_scenarios_doc.sh COSIM DOC "NAME NAME ..."
# The table sits between the lines "<!-- scenario table: begin -->" and
# "<!-- scenario table: end -->"; regenerate it with
# `chimney-cosim --scenarios-markdown`.
set -uo pipefail
cosim=$1; doc=$2; runs=$3
begin='<!-- scenario table: begin -->'
end='<!-- scenario table: end -->'
if ! grep -qxF "$begin" "$doc" || ! grep -qxF "$end" "$doc"; then
  echo "$doc: no table markers ($begin ... $end)"; exit 1
fi
generated=$(mktemp); documented=$(mktemp)
trap 'rm -f "$generated" "$documented"' EXIT
if ! "$cosim" --scenarios-markdown >"$generated"; then
  echo "$cosim --scenarios-markdown failed"; exit 1
fi
awk -v b="$begin" -v e="$end" '$0==e{inside=0} inside{print} $0==b{inside=1}' "$doc" >"$documented"
fail=0
if ! diff -u "$documented" "$generated"; then
  echo "$doc differs from the registry (above: - document, + registry);"
  echo "regenerate the table with: chimney-cosim --scenarios-markdown"
  fail=1
fi
for name in $("$cosim" --list-scenarios | awk 'NR>1{print $1}'); do
  case " $runs " in
    *" $name "*) ;;
    *) echo "scenario $name is registered but ctest runs do not cover it"; fail=1 ;;
  esac
done
exit "$fail"
