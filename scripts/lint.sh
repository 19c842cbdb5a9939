#!/usr/bin/env bash
# Checks the project's C++ against the root .clang-format and .clang-tidy.
#
#   scripts/lint.sh [--format-only] [BUILD_DIR]
#
# clang-format (--dry-run -Werror) runs on every *.h / *.cpp under the
# project C++ folders (dirs below); clang-tidy (--quiet)
# runs on every *.cpp there, with the compilation database in BUILD_DIR
# (default ./build; it must hold compile_commands.json and the generated
# Verilator headers, i.e. a configured and built tree). --format-only skips
# clang-tidy (that is the ctest `format.clang-format`). Exits non-zero when
# either tool reports a finding. CLANG_FORMAT / CLANG_TIDY override the tools;
# LINT_JOBS (default 2) sets how many clang-tidy processes run at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

format_only=0
if [[ "${1:-}" == "--format-only" ]]; then
  format_only=1
  shift
fi
build=${1:-$root/build}
clang_format=${CLANG_FORMAT:-clang-format}
clang_tidy=${CLANG_TIDY:-clang-tidy}
jobs=${LINT_JOBS:-2}

dirs=(prm reference_device driver_model driver_abi wdk samples cosim verif testbench tests bench)
# Sorted, NUL-separated file lists; build trees are never inside these dirs,
# but prune any directory named build* in case one is.
list() {
  find "${dirs[@]}" -type d -name 'build*' -prune -o -type f \( "$@" \) -print0 | sort -z
}

status=0

echo "clang-format: checking $(list -name '*.h' -o -name '*.cpp' | tr -cd '\0' | wc -c) files"
if ! list -name '*.h' -o -name '*.cpp' | xargs -0 "$clang_format" --dry-run -Werror; then
  echo "clang-format: files above differ from .clang-format (fix: clang-format -i <file>)" >&2
  status=1
fi

if [[ $format_only -eq 1 ]]; then
  exit $status
fi

if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "clang-tidy: no compile_commands.json in $build (configure and build it first)" >&2
  exit 2
fi
echo "clang-tidy: checking $(list -name '*.cpp' | tr -cd '\0' | wc -c) files with -p $build"
# Findings go to stdout. clang-tidy --quiet still prints "N warnings
# generated." on stderr for warnings it suppressed (non-project headers), so
# stderr is kept apart and shown only when a run failed (e.g. a file that
# does not compile).
tidy_out=$(mktemp)
tidy_err=$(mktemp)
trap 'rm -f "$tidy_out" "$tidy_err"' EXIT
tidy_rc=0
list -name '*.cpp' |
  xargs -0 -P "$jobs" -n 4 "$clang_tidy" -p "$build" --quiet >"$tidy_out" 2>"$tidy_err" ||
  tidy_rc=$?
findings=$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: (warning|error):' "$tidy_out" || true)
if [[ $findings -gt 0 || $tidy_rc -ne 0 ]]; then
  cat "$tidy_out"
  grep -v 'warnings\? generated\.$' "$tidy_err" >&2 || true
  echo "clang-tidy: $findings findings (exit status $tidy_rc)" >&2
  status=1
else
  echo "clang-tidy: no findings"
fi
exit $status
