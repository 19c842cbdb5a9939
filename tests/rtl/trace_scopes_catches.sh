#!/usr/bin/env bash
# The scope check of check_trace_scopes.sh on hand-written VCD headers: it
# passes a well-formed tree and fails each broken one (two top scopes, an
# unnamed block, an unnamed generate block, no engine scope).
#   trace_scopes_catches.sh CHECKER WORKDIR
set -uo pipefail
check=$1 work=$2
mkdir -p "$work"
header() {  # header NAME SCOPE-LINES...
  local f=$work/$1.vcd
  shift
  { echo '$timescale 1ps $end'; printf '%s\n' "$@"; echo '$enddefinitions $end'; echo '#0'; } >"$f"
  echo "$f"
}
s() { echo "\$scope module $1 \$end"; }
u='$upscope $end'
v='$var wire 1 ! clk $end'
fail=0
good=$(header good "$(s TOP)" "$v" "$(s cpl_engine)" "$(s u_csr)" "$(s b_decode)" "$v" "$u" "$u" "$(s 'g_qp[0]')" "$u" "$u" "$u")
"$check" --vcd "$good" >/dev/null || { echo "well-formed tree refused"; fail=1; }
expect_fail() {  # expect_fail WHAT FILE
  if "$check" --vcd "$2" >/dev/null; then echo "not caught: $1"; fail=1; fi
}
expect_fail "two top scopes" \
  "$(header two_tops "$(s TOP)" "$(s cpl_engine)" "$u" "$u" "$(s other)" "$v" "$u")"
expect_fail "unnamed block" \
  "$(header unnamed "$(s TOP)" "$(s cpl_engine)" "$(s u_pool)" "$(s unnamedblk1)" "$v" "$u" "$u" "$u" "$u")"
expect_fail "unnamed generate block" \
  "$(header genblk "$(s TOP)" "$(s cpl_engine)" "$(s genblk2)" "$v" "$u" "$u" "$u")"
expect_fail "no engine scope" "$(header no_engine "$(s TOP)" "$(s u_csr)" "$v" "$u" "$u")"
[ "$fail" = 0 ] && echo "every broken tree caught"
exit "$fail"
