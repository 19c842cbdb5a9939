# Sourced by the test scripts that show a check catching a fault in the RTL
# (tests/formal/run_formal.sh, tests/netlist/replay_netlist.sh).
# mutated_copy SRC SED DEST: writes SRC changed by the sed expression SED to
# DEST; fails, naming the expression, when it does not change SRC (a catch
# whose edit no longer applies would pass on the unchanged RTL).
mutated_copy() {
  sed -e "$2" "$1" > "$3"
  if cmp -s "$1" "$3"; then
    echo "FAIL: the expression '$2' does not change $1" >&2
    return 1
  fi
}
