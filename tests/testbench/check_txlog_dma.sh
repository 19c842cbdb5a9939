#!/usr/bin/env bash
# check_txlog_dma.sh DIR COSIM: a DMA-error recovery that moves the rings
# while a burst is in flight (--inject target.move-rings-under-dma, slow DMA
# bus). Its transaction log holds the release (release_under_dma, the
# violation's text) and, later, the engine's stray read of the released
# ring (dma_error), so the timeline shows cause and effect in order.
set -uo pipefail
dir=$1; cosim=$2
rm -rf "$dir"; mkdir -p "$dir"
tx=$dir/run.txlog.jsonl
"$cosim" --scenario dma-error-recovery --dma-ready 1 --inject target.move-rings-under-dma \
  --quiet --txlog "$tx" > "$dir/out.txt" 2>&1
rc=$?
fail() { echo "FAIL: $*"; cat "$dir/out.txt"; exit 1; }
[ "$rc" -eq 1 ] || fail "exit $rc, expected 1 (the fault is found)"
[ -s "$tx" ] || fail "no txlog"
release=$(jq -s '[.[] | select(.kind == "release_under_dma")] | first // empty' "$tx")
[ -n "$release" ] || fail "no release_under_dma record"
jq -e '.what | startswith("released 0x")' <<< "$release" > /dev/null ||
  fail "release_under_dma without the violation's text: $release"
stray=$(jq -s '[.[] | select(.kind == "dma_error")] | first // empty' "$tx")
[ -n "$stray" ] || fail "no dma_error record"
jq -e '.write == false and .bytes == 64 and (.addr | type) == "number"' <<< "$stray" > /dev/null ||
  fail "dma_error record: $stray"
# The stray read falls into a window released under DMA before it.
addr=$(jq .addr <<< "$stray"); at=$(jq .cycle <<< "$stray")
inside=0
while read -r lo hi; do
  (( addr >= 16#$lo && addr < 16#$hi )) && inside=1
done < <(jq -r -s --argjson at "$at" '.[] | select(.kind == "release_under_dma" and .cycle < $at)
           | .what | capture("released 0x(?<lo>[0-9a-f]+)\\.\\.0x(?<hi>[0-9a-f]+)") | "\(.lo) \(.hi)"' "$tx")
[ "$inside" -eq 1 ] || fail "the stray read at $addr is in no window released under DMA before it"
echo "release at cycle $(jq .cycle <<< "$release"), stray read at cycle $(jq .cycle <<< "$stray")"
