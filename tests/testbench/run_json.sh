# Sourced by the check scripts that run chimney-cosim and read its JSON report.
# run_json JSON CODE NOTE [--] COMMAND...: runs COMMAND (at most 280 s, its
# output to JSON.out) after removing an old JSON; sets fail=0, or fail=1 with
# the line "exit RC NOTE" when COMMAND did not exit with CODE; when COMMAND
# wrote no JSON report, prints its output and exits the script with 1.
run_json() {
  local json=$1 code=$2 note=$3 rc
  shift 3
  [ "${1:-}" = "--" ] && shift
  rm -f "$json"
  timeout 280 "$@" > "$json.out" 2>&1
  rc=$?
  fail=0
  [ "$rc" -eq "$code" ] || { echo "exit $rc$note"; fail=1; }
  [ -s "$json" ] || { echo "no JSON report written"; cat "$json.out"; exit 1; }
}
