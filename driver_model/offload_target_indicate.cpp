// OffloadTarget, receive indication and peer events: RX_INDICATE ->
// NdisTcpOffloadReceiveHandler -> RX_CONSUMED (ordered before the next
// receive doorbell of the queue pair), EVT_FIN / EVT_RST ->
// NdisTcpOffloadEventHandler (Disconnect 2 / Abort 4).
#include <algorithm>
#include <limits>

#include "offload_target.h"

namespace chimney {

// ---- Receive indication -------------------------------------------------

void OffloadTarget::onRxIndicate(const prm::Completion& c) {
  Connection* conn = liveConnection(c.conn);
  if (conn == nullptr) {
    ++counters_.unknownConnEvent;
    return;
  }
  flushChainBeforeIndication(c.conn);
  if (conn->state == ConnState::kTerminateIssued) {
    // The engine has already closed the connection: its buffered bytes go
    // back to the host stack with the uploaded state, not by indication.
    ++counters_.indicationsAtTerminate;
    return;
  }
  conn->buffered += c.bytes;
  if (conn->receivesInSq > 0 || conn->receivesWaiting > 0) {
    // Receives the engine holds (or will fetch) take buffered bytes first;
    // what they leave is indicated when the last of them completes. An
    // RX_CONSUMED now could name bytes those receives are taking. A receive
    // still waiting for SQ space counts too: the host posted it before this
    // indication, and the engine will fill it from the same buffer.
    conn->indicationDeferred = true;
    ++counters_.indicationsDeferred;
    return;
  }
  indicate(c.conn);
}

// Indicates every buffered byte not yet consumed (oldest first), then
// reports what the host took with RX_CONSUMED before any receive doorbell of
// the queue pair: doorbells are held while the receive handler runs, so
// receives the host posts from inside it reach the engine only after.
void OffloadTarget::indicate(uint16_t connId) {
  Connection& conn = conns_[connId];
  conn.indicationDeferred = false;
  if (conn.buffered == 0) return;
  const uint32_t len =
      uint32_t(std::min<uint64_t>(conn.buffered, std::numeric_limits<uint32_t>::max()));
  NetBufferList* nbl = indicationPool_.allocate(len, 0);
  QpState& qs = qps_[conn.qp];
  ++qs.doorbellHold;
  ++counters_.indications;
  uint32_t consumed = 0;
  indicating_ = nbl;
  returnedDuringIndicate_ = false;
  const NdisStatus st =
      up_.NdisTcpOffloadReceiveHandler
          ? up_.NdisTcpOffloadReceiveHandler(conn.handle, nbl, NdisStatus::kSuccess, &consumed)
          : NdisStatus::kOffloadDataNotAccepted;
  indicating_ = nullptr;

  uint32_t taken = 0;
  bool keep = false;  // NBL outstanding until MiniportTcpOffloadReceiveReturn
  switch (st) {
    case NdisStatus::kSuccess:
      ++counters_.indicationsAccepted;
      if (consumed != len) ++counters_.indicationAnomalies;
      taken = len;  // SUCCESS means all of it
      keep = !returnedDuringIndicate_;
      break;
    case NdisStatus::kOffloadDataPartiallyAccepted:
      ++counters_.indicationsPartial;
      if (consumed == 0 || consumed >= len) ++counters_.indicationAnomalies;
      taken = std::min(consumed, len);
      break;
    case NdisStatus::kOffloadDataNotAccepted:
      ++counters_.indicationsRefused;
      break;
    default:
      ++counters_.indicationAnomalies;
      ++counters_.indicationsRefused;
      break;
  }
  if (keep) {
    indicated_.insert(nbl);
  } else {
    indicationPool_.free(nbl);
  }
  if (taken > 0) {
    const CmdOutcome out = command(connId, conn.qp, prm::ConnOp::kRxConsumed, taken);
    if (out.completed && out.result == prm::CmdResult::kBadState) {
      // Reset (or aborted) in the engine after the data was indicated: the
      // engine discarded its buffer; the host legitimately has the bytes.
      ++counters_.rxConsumedLate;
    } else if (!out.ok()) {
      ++counters_.rxConsumedErrors;
    }
    counters_.rxConsumedBytes += taken;
    conn.buffered -= std::min<uint64_t>(conn.buffered, taken);
  }
  if (--qs.doorbellHold == 0) drainWaiting(conn.qp);
}

// ---- Events ----------------------------------------------------------------

void OffloadTarget::onEvent(const prm::Completion& c) {
  Connection* conn = liveConnection(c.conn);
  if (conn == nullptr) {
    ++counters_.unknownConnEvent;
    return;
  }
  flushChain(c.conn);
  OffloadEvent ev = OffloadEvent::kDisconnect;
  if (c.type == prm::CplType::kEvtRst) {
    ev = OffloadEvent::kAbort;
    conn->buffered = 0;  // discarded by the reset
    conn->indicationDeferred = false;
  }
  ++counters_.events;
  if (up_.NdisTcpOffloadEventHandler) up_.NdisTcpOffloadEventHandler(conn->handle, ev, 0);
}

}  // namespace chimney
