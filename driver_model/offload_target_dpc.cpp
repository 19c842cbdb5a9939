// OffloadTarget, interrupt half: ISR, DPC over each completion queue (phase
// bit, budget, re-arm), tag -> NBL, status mapping, completion chaining,
// TERMINATE_DONE, and the error DPC that recovers a queue pair halted by a
// DMA error. Indications and peer events: offload_target_indicate.cpp.
#include <algorithm>

#include "offload_target.h"
#include "offload_target_status.h"

namespace chimney {

// ---- ISR and DPC scheduling ---------------------------------------------

void OffloadTarget::MiniportInterrupt(unsigned vector) {
  ++counters_.interrupts;
  if (vector == hw_.errorVector()) {
    errorPending_ = true;
  } else if (vector < qps_.size()) {
    qps_[vector].dpcPending = true;
  } else {
    ++counters_.unknownVector;
    return;
  }
  scheduleDpc();
}

void OffloadTarget::scheduleDpc() {
  if (inDpc_) return;  // the running DPC picks the new work up before it ends
  if (!dpcScheduler_) {
    runDpcs();
    return;
  }
  if (dpcQueued_) return;
  dpcQueued_ = true;
  dpcScheduler_([this] {
    dpcQueued_ = false;
    runDpcs();
  });
}

// One pass serves the error vector first (so a halted queue pair is
// recovered before its CQ is read for new work), then every queue pair with
// work, each at most dpcBudget descriptors. Inline, passes repeat until no
// work is left; with a scheduler, leftover work queues the DPC again.
void OffloadTarget::runDpcs() {
  if (inDpc_ || !hw_.initialized()) return;  // halted since the DPC was queued
  inDpc_ = true;
  bool more = true;
  while (more) {
    if (errorPending_) {
      errorPending_ = false;
      errorDpc();
    }
    for (unsigned q = 0; q < qps_.size(); ++q) {
      if (!qps_[q].dpcPending) continue;
      qps_[q].dpcPending = false;
      if (!dpcRun(q, false) || !qps_[q].backlog.empty()) qps_[q].dpcPending = true;
    }
    serviceDeferred();
    for (QpState& s : qps_) {
      if (!s.backlog.empty()) s.dpcPending = true;  // reaped meanwhile
    }
    more = errorPending_ ||
           std::any_of(qps_.begin(), qps_.end(), [](const QpState& s) { return s.dpcPending; });
    if (more && dpcScheduler_) break;
  }
  inDpc_ = false;
  if (more) scheduleDpc();
}

// Consumes the valid descriptors of queue pair q (at most dpcBudget unless
// `unlimited`), delivers what they complete, and writes CQ_HEAD: with ARM
// when the queue is drained (the engine fires again at once if more was
// committed meanwhile), without when the budget ran out. Returns false when
// the budget ran out.
bool OffloadTarget::dpcRun(unsigned q, bool unlimited) {
  ++counters_.dpcRuns;
  QpState& qs = qps_[q];
  CqReader& cq = hw_.queuePair(q).cq;
  unsigned n = 0;
  bool exhausted = false;
  for (;;) {
    if (!unlimited && n >= config_.dpcBudget) {
      exhausted = !qs.backlog.empty() || cq.peek().has_value();
      break;
    }
    std::optional<prm::Completion> c;
    if (!qs.backlog.empty()) {
      c = qs.backlog.front();  // taken off the ring earlier: older than the ring's
      qs.backlog.pop_front();
    } else {
      c = cq.peek();
      if (!c && config_.checkCqTail) {
        // CQ_TAIL moves only over descriptors whose write was acknowledged,
        // so read it first and look at the slot again: still stale means
        // the engine committed a descriptor that is not in memory.
        const std::optional<int16_t> ahead = readCqTail(q);
        if (ahead && *ahead > 0) {
          c = cq.peek();
          if (!c) {
            if (!qs.stalled) ++counters_.phaseMismatch;
            qs.stalled = true;
          }
        }
      }
      if (!c) break;
      qs.stalled = false;
      if (observer_ != nullptr) observer_->onDescriptorRead(q, cq.head() & (cq.entries() - 1), *c);
      cq.pop();
      ++qs.unconfirmed;
    }
    ++n;
    ++counters_.descriptors;
    handleDescriptor(q, *c);
  }
  flushAllChains();
  if (n == 0 && !qs.stalled && !unlimited) ++counters_.spuriousInterrupts;
  if (exhausted) ++counters_.dpcBudgetExhausted;
  // No re-arm while stalled: with CQ_TAIL beyond head the engine would
  // interrupt again at once, forever. MiniportTimer looks at the slot again
  // (hasDeferredWork() stays true), so a descriptor that becomes visible late
  // is still delivered; the anomaly stays counted. A halted queue pair (the
  // error DPC's drain, `unlimited`) commits nothing until it is enabled
  // again: no point waiting for commits there.
  writeCqHead(q, !exhausted && !qs.stalled, !unlimited);
  if (!qs.waiting.empty()) drainWaiting(q);
  return !exhausted;
}

// CQ_HEAD may not pass CQ_TAIL (PRM 7: doorbell error, write ignored). A
// descriptor can be in memory, phase valid, shortly before its write response
// commits it, so wait (bounded) for the commit; if it does not come, hand back
// only what is committed (the engine then sees committed descriptors beyond
// the head and, armed, interrupts again at once). Without `arm` the armed
// state is left as it is.
void OffloadTarget::writeCqHead(unsigned q, bool arm, bool waitCommit) {
  QpState& qs = qps_[q];
  CqReader& cq = hw_.queuePair(q).cq;
  const unsigned polls = waitCommit ? config_.hw.cmdPollLimit : 0;
  for (unsigned i = 0; qs.unconfirmed > 0 && i < polls; ++i) {
    if (!readCqTail(q)) break;
  }
  if (qs.unconfirmed > 0) ++counters_.cqHeadHeldBack;
  if (!cq.writeHead(arm, uint16_t(cq.head() - qs.unconfirmed))) ++counters_.doorbellErrors;
}

// Takes every valid descriptor off every CQ into the queue pair's backlog and
// hands the slots back, without delivering anything (no NDIS call): used
// while a connection command is BUSY, since the engine may need CQ space to
// finish it, and the caller may be outside any DPC. Slots the DPC has read
// but not yet handed back (a command issued while it handles a descriptor,
// e.g. RX_CONSUMED from an indication) are handed back too: the engine may
// need exactly those to write the descriptors ahead of the command.
void OffloadTarget::reapAll() {
  for (unsigned q = 0; q < qps_.size(); ++q) {
    QpState& qs = qps_[q];
    CqReader& cq = hw_.queuePair(q).cq;
    const bool handBack = cq.doorbell() != cq.head();
    bool any = false;
    while (const std::optional<prm::Completion> c = cq.peek()) {
      if (observer_ != nullptr) observer_->onDescriptorRead(q, cq.head() & (cq.entries() - 1), *c);
      cq.pop();
      ++qs.unconfirmed;
      qs.backlog.push_back(*c);
      any = true;
    }
    if (any) ++counters_.reaps;
    if (any || handBack) writeCqHead(q, false, true);
  }
}

CmdOutcome OffloadTarget::command(uint16_t conn, unsigned q, prm::ConnOp op, uint32_t arg) {
  return hw_.connCommand(conn, uint8_t(q), op, arg, [this] { reapAll(); });
}

// Reads CQ_TAIL; returns how far it is ahead of the driver's head (negative:
// the driver consumed descriptors not committed yet) and updates the
// unconfirmed count. Both pointers are within a ring of each other, so the
// signed 16-bit difference is exact.
std::optional<int16_t> OffloadTarget::readCqTail(unsigned q) {
  const auto tail = hw_.read(prm::reg::qp(q, prm::reg::kCqTail));
  if (!tail) return std::nullopt;
  const int16_t ahead = int16_t(uint16_t(uint16_t(*tail) - hw_.queuePair(q).cq.head()));
  QpState& qs = qps_[q];
  qs.unconfirmed = ahead >= 0 ? 0 : std::min<uint16_t>(qs.unconfirmed, uint16_t(-ahead));
  return ahead;
}

void OffloadTarget::handleDescriptor(unsigned q, const prm::Completion& c) {
  switch (c.type) {
    case prm::CplType::kSend:
    case prm::CplType::kRecv:
    case prm::CplType::kDisconnect:
    case prm::CplType::kForward:
      completeRequest(q, c);
      return;
    case prm::CplType::kRxIndicate:
      onRxIndicate(c);
      return;
    case prm::CplType::kEvtFin:
    case prm::CplType::kEvtRst:
      onEvent(c);
      return;
    case prm::CplType::kTerminateDone:
      onTerminateDone(c);
      return;
  }
  ++counters_.unknownType;
}

// ---- Request completions ------------------------------------------------

void OffloadTarget::completeRequest(unsigned q, const prm::Completion& c) {
  std::optional<Request> r = requests_.take(c.tag);
  if (!r) {
    ++counters_.unknownTag;
    return;
  }
  // The tag is the identity; type, conn and queue pair are cross-checks.
  // The NBL goes back through the completion of the operation it was posted
  // with whatever the descriptor says.
  if (c.type != completionTypeFor(r->op)) ++counters_.typeMismatch;
  if (r->conn != kNoConn && c.conn != r->conn) ++counters_.connMismatch;
  if (r->qp != q) ++counters_.wrongQueue;
  const MappedStatus st = mapCompletionStatus(c.status, r->op);
  if (!st.known) ++counters_.unknownStatus;
  uint32_t bytes = c.bytes;
  if (bytes > r->desc.length) {
    ++counters_.bytesOverrun;
    bytes = r->desc.length;
  }

  Connection* conn = r->conn != kNoConn ? &conns_[r->conn] : nullptr;
  if (conn != nullptr && r->op == OffloadOp::kReceive) {
    if (r->inSq && conn->receivesInSq > 0) --conn->receivesInSq;
    // Buffered bytes fill a receive before any newer data, so the first
    // `bytes` placed came out of the NIC's buffer as far as it reached.
    conn->buffered -= std::min<uint64_t>(conn->buffered, bytes);
  }
  if (conn != nullptr && r->op == OffloadOp::kDisconnect &&
      (r->desc.flags & prm::reqflag::kAbortive) != 0 && st.status == NdisStatus::kSuccess) {
    conn->buffered = 0;  // the abort discarded the NIC's buffered data
    conn->indicationDeferred = false;
  }

  completeNbl(*r, st.status, bytes);
  const bool failed = st.status != NdisStatus::kSuccess;
  const bool partial = bytes > 0 && bytes < r->desc.length;
  addToChain(r->conn, r->op, r->nbl, partial, failed);

  // Data indicated while receives were outstanding and left over after they
  // completed: indicate it now.
  if (conn != nullptr && r->op == OffloadOp::kReceive && conn->indicationDeferred &&
      conn->receivesInSq == 0 && conn->receivesWaiting == 0 && conn->state != ConnState::kFree &&
      conn->state != ConnState::kTerminateIssued) {
    flushChainBeforeIndication(r->conn);
    indicate(uint16_t(r->conn));
  }
}

void OffloadTarget::completeNbl(Request& r, NdisStatus status, uint32_t bytes) {
  NetBufferList* nbl = r.nbl;
  nbl->status = status;
  nbl->tcpOffloadBytesTransferred = bytes;
  if (NetBuffer* nb = nbl->firstNetBuffer; nb != nullptr) {
    const uint32_t n = std::min(bytes, nb->dataLength);
    nb->dataOffset += n;
    nb->dataLength -= n;
  }
  nbl->next = nullptr;
}

// One open chain per connection; a chain is delivered when something else
// for its connection comes (another kind, an indication, an event, the
// terminate) or at the end of the DPC run, so per-connection order is the
// CQ's order. A send chain is also cut so that it holds at most one partial
// NBL and no success after a failure (invariant 5 is about one list).
void OffloadTarget::addToChain(uint32_t conn, OffloadOp op, NetBufferList* nbl, bool partial,
                               bool failed) {
  auto it = chains_.find(conn);
  if (it != chains_.end()) {
    const Chain& ch = it->second;
    const bool cut = ch.op != op || (op == OffloadOp::kSend &&
                                     ((partial && ch.hasPartial) || (!failed && ch.hasFailure)));
    if (cut) flushChain(conn);
  }
  Chain& ch = chains_[conn];
  if (ch.nbls.capacity() == 0 && !spareChainVectors_.empty()) {
    ch.nbls = std::move(spareChainVectors_.back());  // empty, with room
    spareChainVectors_.pop_back();
  }
  ch.op = op;
  ch.nbls.push_back(nbl);
  ch.hasPartial = ch.hasPartial || partial;
  ch.hasFailure = ch.hasFailure || failed;
}

// Delivers the connection's chained completions ahead of an indication,
// unless the indicate-ahead fault skips them (applied when a chain waited).
void OffloadTarget::flushChainBeforeIndication(uint32_t conn) {
  if (!config_.faults.indicateAheadOfReceives) {
    flushChain(conn);
    return;
  }
  auto it = chains_.find(conn);
  if (it != chains_.end() && !it->second.nbls.empty()) {
    ++config_.faults.applied.indicateAheadOfReceives;
  }
}

void OffloadTarget::flushChain(uint32_t conn) {
  auto it = chains_.find(conn);
  if (it == chains_.end()) return;
  Chain ch = std::move(it->second);
  chains_.erase(it);
  // The vector's room is kept for the next chain (a chain per DPC run and
  // connection); also when the calls up below start another chain.
  struct KeepRoom {
    std::vector<std::vector<NetBufferList*>>& spare;
    std::vector<NetBufferList*>& nbls;
    ~KeepRoom() {
      nbls.clear();
      if (nbls.capacity() != 0) spare.push_back(std::move(nbls));
    }
  } keepRoom{spareChainVectors_, ch.nbls};
  if (ch.nbls.empty()) return;
  NetBufferList* list = nblListFromVector(ch.nbls);
  ++counters_.completionCalls;
  counters_.nblsCompleted += ch.nbls.size();
  switch (ch.op) {
    case OffloadOp::kSend:
      if (config_.faults.dropSendCompletion) {
        config_.faults.dropSendCompletion = false;
        ++config_.faults.applied.dropSendCompletion;
        list = list->next;  // the first NBL is lost
        if (list == nullptr) break;
      }
      if (up_.NdisTcpOffloadSendComplete) up_.NdisTcpOffloadSendComplete(miniport_, list);
      if (config_.faults.completeSendTwice && up_.NdisTcpOffloadSendComplete) {
        config_.faults.completeSendTwice = false;
        ++config_.faults.applied.completeSendTwice;
        NetBufferList* again = ch.nbls.front();
        again->next = nullptr;
        up_.NdisTcpOffloadSendComplete(miniport_, again);
      }
      break;
    case OffloadOp::kReceive:
      if (up_.NdisTcpOffloadReceiveComplete) up_.NdisTcpOffloadReceiveComplete(miniport_, list);
      break;
    case OffloadOp::kDisconnect:
      if (up_.NdisTcpOffloadDisconnectComplete) {
        up_.NdisTcpOffloadDisconnectComplete(miniport_, list);
      }
      break;
    case OffloadOp::kForward:
      if (up_.NdisTcpOffloadForwardComplete) up_.NdisTcpOffloadForwardComplete(miniport_, list);
      break;
    default:
      break;
  }
}

void OffloadTarget::flushAllChains() {
  while (!chains_.empty()) flushChain(chains_.begin()->first);
}

void OffloadTarget::onTerminateDone(const prm::Completion& c) {
  Connection* conn = liveConnection(c.conn);
  if (conn == nullptr) {
    ++counters_.unknownConnEvent;
    return;
  }
  if (conn->state != ConnState::kTerminateIssued) {
    ++counters_.unexpectedTerminateDone;
    return;
  }
  finishTerminate(c.conn);
}

// ---- DMA error recovery ---------------------------------------------------

// PRM section 7: a halted queue pair issues no DMA, so its CQ holds all it
// will get until it is enabled again. Drain it (nothing committed is lost),
// disable it (clears HALTED), optionally move both rings once the bursts it
// had offered or outstanding are done (QP_STATUS.BUSY 0, PRM 13: until then
// the engine may still read or write the old rings; if it stays busy the
// rings stay where they are), clear ERR_STATUS, enable it again (SQ doorbell
// again so unfetched entries are fetched, CQ re-armed so descriptors written
// after the resume are signalled).
void OffloadTarget::errorDpc() {
  // Even when ERR_STATUS cannot be read, halted queue pairs are recovered.
  const uint32_t status = hw_.readErrorStatus().value_or(0);
  std::vector<unsigned> halted;
  for (unsigned q = 0; q < qps_.size(); ++q) {
    const auto st = hw_.qpStatus(q);
    if (st && (*st & prm::qpstatus::kHalted) != 0) halted.push_back(q);
  }
  for (const unsigned q : halted) {
    dpcRun(q, true);
    hw_.disableQueuePair(q);
    if (config_.moveRingsOnDmaError && config_.faults.moveRingsUnderDma) {
      ++config_.faults.applied.moveRingsUnderDma;
      hw_.moveRings(q);
    } else if (config_.moveRingsOnDmaError && hw_.waitDmaIdle(q)) {
      hw_.moveRings(q);
    }
  }
  hw_.clearErrorStatus(status);
  for (const unsigned q : halted) {
    if (hw_.enableQueuePair(q)) ++counters_.recoveries;
  }
}

}  // namespace chimney
