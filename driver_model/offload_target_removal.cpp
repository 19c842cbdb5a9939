// OffloadTarget, surprise removal (docs/spec/DRIVER-MODEL.md "Surprise
// removal"): the device is gone, so no register is touched again; every
// request the target holds completes REQUEST_ABORTED, and what the host
// posts or terminates afterwards completes from MiniportTimer.
#include <algorithm>

#include "offload_target.h"

namespace chimney {

void OffloadTarget::surpriseRemoval() {
  const bool wasUp = hw_.initialized();
  forgetDevice();
  if (removed_ || !wasUp) return;
  removed_ = true;
  ++counters_.surpriseRemovals;
  abortEverything();
}

void OffloadTarget::abortRequest(uint64_t tag) {
  auto r = requests_.take(tag);
  if (!r) return;
  ++counters_.abortedByRemoval;
  completeNbl(*r, NdisStatus::kRequestAborted, 0);
  addToChain(r->conn, r->op, r->nbl, false, true);
}

// Every request held anywhere (waiting for SQ space, in the SQ, fetched,
// held by a terminate) completes REQUEST_ABORTED in posting order, so per
// connection the sends come back before a disconnect posted after them;
// then the terminates that were waiting for the engine complete.
void OffloadTarget::abortEverything() {
  std::vector<std::pair<uint64_t, uint64_t>> all;  // (seq, tag)
  requests_.forEach([&](uint64_t tag, const Request& r) { all.emplace_back(r.seq, tag); });
  std::sort(all.begin(), all.end());
  for (QpState& qs : qps_) qs = QpState{};
  errorPending_ = false;
  for (Connection& c : conns_) {
    c.held.clear();
    c.receivesWaiting = 0;  // the waiting queues are gone
  }
  for (const auto& entry : all) abortRequest(entry.second);
  flushAllChains();
  terminatesWaiting_ = 0;
  for (std::size_t conn = 0; conn < conns_.size(); ++conn) {
    const ConnState st = conns_[conn].state;
    if (st == ConnState::kTerminateWaitFetch || st == ConnState::kTerminateIssued) {
      finishTerminate(uint16_t(conn));
    }
  }
}

// MiniportTimer after a surprise removal: what was posted or terminated
// since completes here, never inside the call that brought it.
void OffloadTarget::serviceRemoved() {
  while (!abortAfterRemoval_.empty()) {
    abortRequest(abortAfterRemoval_.front());
    abortAfterRemoval_.pop_front();
  }
  flushAllChains();
  while (!terminateAfterRemoval_.empty()) {
    finishTerminate(terminateAfterRemoval_.front());
    terminateAfterRemoval_.pop_front();
  }
}

}  // namespace chimney
