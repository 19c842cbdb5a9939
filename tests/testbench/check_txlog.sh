#!/usr/bin/env bash
# check_txlog.sh DIR COSIM [DEVICE]: runs COSIM (smoke, one IM, DEVICE rtl or
# model, default rtl) with --txlog and
# --timeline and checks both files: every txlog line has a cycle and a kind,
# cycles never go back, every kind of record of docs/debugging.md a smoke run
# makes is there, and one send NBL can be followed from its post through
# the SQ (tag, SQ slot), the engine's fetch and descriptor write, the DPC's
# read (CQ slot) to its completion at the host. The timeline is trace-event
# JSON with a track per layer and per queue pair and a flow per NBL.
set -euo pipefail
dir=$1; cosim=$2; device=${3:-rtl}
rm -rf "$dir"; mkdir -p "$dir"
tx=$dir/run.txlog.jsonl; tl=$dir/run.timeline.json
"$cosim" --scenario smoke --im-layers 1 --device "$device" --quiet --txlog "$tx" --timeline "$tl"
fail() { echo "FAIL: $*"; exit 1; }
[ -s "$tx" ] || fail "no txlog"
jq -e -s 'all(.[]; has("cycle") and has("kind"))' "$tx" > /dev/null || fail "a line without cycle/kind"
jq -e -s '[.[].cycle] as $c | $c == ($c | sort)' "$tx" > /dev/null || fail "cycles go back"
for kind in post down up sq_write doorbell sq_fetch cpl_write interrupt dpc_begin dpc_end \
            descriptor_read cq_head host_completion event_accepted conn_cmd call_entry_alloc \
            call_entry_free hw_conn_bound connection_opened; do
  jq -e -s --arg k "$kind" 'any(.[]; .kind == $k)' "$tx" > /dev/null || fail "no $kind record"
done
# The first send's journey, by its nbl id.
id=$(jq -s -r '[.[] | select(.kind == "post" and .op == "send")][0].nbls[0]' "$tx")
[ "$id" != "null" ] && [ "$id" -gt 0 ] || fail "no send posted"
journey=$(jq -s -c --argjson id "$id" '[.[] | select(
    (.kind == "post" and (.nbls | index($id))) or
    (.kind == "down" and (.nbls | index($id))) or
    (.kind == "sq_write" and .nbl == $id) or
    (.kind == "sq_fetch" and any(.entries[]; .nbl == $id)) or
    (.kind == "cpl_write" and any(.entries[]; .nbl == $id)) or
    (.kind == "descriptor_read" and .nbl == $id) or
    (.kind == "up" and (.nbls | index($id))) or
    (.kind == "host_completion" and (.nbls | index($id)))) | .kind]' "$tx")
expected='["post","down","down","sq_write","sq_fetch","cpl_write","descriptor_read","up","up","host_completion"]'
[ "$journey" = "$expected" ] || fail "nbl#$id journey is $journey, expected $expected"
# The SQ write names the tag the descriptor comes back with, and the slots.
jq -e -s --argjson id "$id" '
  ([.[] | select(.kind == "sq_write" and .nbl == $id)][0]) as $w |
  ([.[] | select(.kind == "descriptor_read" and .nbl == $id)][0]) as $r |
  $w.tag == $r.tag and ($w.sq_index | type) == "number" and ($r.cq_index | type) == "number"
    and $w.qp == $r.qp' "$tx" > /dev/null || fail "tag / slots of nbl#$id do not line up"
# Timeline.
jq -e '.traceEvents | length > 0' "$tl" > /dev/null || fail "timeline is not trace-event JSON"
for track in host im0 ndis offload-target dpc "qp 0"; do
  jq -e --arg t "$track" 'any(.traceEvents[]; .ph == "M" and .name == "thread_name" and .args.name == $t)' \
    "$tl" > /dev/null || fail "no track $track"
done
jq -e --argjson id "$id" 'any(.traceEvents[]; .ph == "s" and .id == $id) and
  any(.traceEvents[]; .ph == "f" and .id == $id) and
  ([.traceEvents[] | select(.ph == "t" and .id == $id)] | length) >= 6' "$tl" > /dev/null \
  || fail "no flow for nbl#$id"
echo "txlog and timeline OK on the $device device (nbl#$id followed)"
