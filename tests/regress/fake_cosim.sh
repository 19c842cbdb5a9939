#!/usr/bin/env bash
# A stand-in for chimney-cosim in the runner's tests: --scenario crash dies
# of SIGSEGV, hang sleeps, nojson exits 0 without a report, anything else
# writes a passing report to --json.
set -u
case " $* " in
  *" --list-scenarios "*) printf 'scenarios:\n  smoke  passes\n  crash  dies\n  hang  sleeps\n  nojson  no report\n'; exit 0 ;;
  *" --help "*) printf 'Options:\n  --scenario NAME  x\n  --json FILE  x\n'; exit 0 ;;
esac
scenario=smoke json=
while [ $# -gt 0 ]; do
  case $1 in
    --scenario) scenario=$2; shift ;;
    --json) json=$2; shift ;;
  esac
  shift
done
case $scenario in
  crash) kill -SEGV $$ ;;
  hang) sleep 600 ;;
  nojson) exit 0 ;;
esac
printf '{"result": "pass", "cycles": 10, "violations": [], "mismatches": []}\n' >"$json"
