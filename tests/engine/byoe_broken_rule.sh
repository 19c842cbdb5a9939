#!/usr/bin/env bash
# Bring your own engine, shown failing: copies the project's RTL, breaks one
# PRM rule in the copy (PRM 5: a send's completion descriptor carries the
# completion type of a forward), builds chimney-cosim around the copy with
# -DCHIMNEY_ENGINE_SOURCES / -DCHIMNEY_ENGINE_TOP in a second build tree, and
# expects the smoke scenario to fail with the named mismatch.
#   byoe_broken_rule.sh ROOT WORKDIR
set -euo pipefail
root=$1
work=$2
# The broken copy is made in a staging folder; files whose text did not
# change keep their time stamps, so a second run rebuilds nothing.
stage=$work/stage/rtl
rm -rf "$work/stage"
mkdir -p "$stage" "$work/engine/rtl"
cp "$root"/rtl/*.sv "$root"/rtl/*.svh "$stage/"
pkg=$stage/cpl_pkg.sv
grep -q 'localparam int CPL_TYPE_SEND = 1;' "$pkg" || { echo "rule to break not found"; exit 1; }
sed -i 's/localparam int CPL_TYPE_SEND = 1;/localparam int CPL_TYPE_SEND = 4;/' "$pkg"
for f in "$work"/engine/rtl/*; do
  [ -e "$f" ] && [ ! -e "$stage/$(basename "$f")" ] && rm -f "$f"
done
for f in "$stage"/*; do
  cmp -s "$f" "$work/engine/rtl/$(basename "$f")" || cp "$f" "$work/engine/rtl/"
done

# Packages first, then the modules.
sources=$( (ls "$work"/engine/rtl/*_pkg.sv; ls "$work"/engine/rtl/*.sv | grep -v '_pkg[.]sv$') |
  paste -sd';' -)
source "$root/scripts/ccache-launcher.sh"
cmake -S "$root" -B "$work/build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
  -DCHIMNEY_ENGINE_SOURCES="$sources" -DCHIMNEY_ENGINE_TOP=cpl_engine \
  -DCHIMNEY_ENGINE_INCLUDE_DIRS="$work/engine" >"$work/configure.log" 2>&1 ||
  { tail -n 30 "$work/configure.log"; exit 1; }
cmake --build "$work/build" --target chimney-cosim -j "${CHIMNEY_ENGINE_JOBS:-2}" \
  >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; exit 1; }

exec "$root/tests/testbench/expect_run.sh" 1 \
  "driver anomaly counter typeMismatch" -- \
  "$work/build/testbench/chimney-cosim" --scenario smoke --im-layers 0
