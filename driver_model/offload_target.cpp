// OffloadTarget, NDIS-facing half: bring-up, connection offload and
// terminate, the four initiating calls, receive return, the SQ waiting
// queue, observation. The interrupt/DPC half is offload_target_dpc.cpp and
// offload_target_indicate.cpp.
#include "offload_target.h"

#include <algorithm>

#include "offload_target_status.h"

namespace chimney {

namespace {

// A request flag bit no opcode owns (PRM 4): the engine completes a request
// carrying it INVALID_REQUEST, which the target reports as
// NDIS_STATUS_INVALID_PARAMETER. The target sends malformed requests this
// way so that they complete from the DPC like every other request (the
// initiating call still returns PENDING).
constexpr uint8_t kMalformedFlag = 0x80;

// The MDL chain holds the bytes [DataOffset, DataOffset + DataLength).
bool holdsItsData(const NetBuffer& nb) {
  uint64_t chain = 0;
  for (const Mdl& m : nb.mdlChain) chain += m.byteCount;
  return uint64_t{nb.dataOffset} + nb.dataLength <= chain;
}

}  // namespace

OffloadTarget::OffloadTarget(DeviceInterface& device, const OffloadTargetConfig& config)
    : device_(device), config_(config), hw_(device, config.hw) {}

OffloadTarget::~OffloadTarget() {
  halt();
}

NdisStatus OffloadTarget::attachNdis(NdisMiniportHandle miniport, NdisOffloadHandlers handlers) {
  miniport_ = miniport;
  up_ = std::move(handlers);
  hwInit_ = hw_.initialize();
  if (hwInit_ != HwInitResult::kOk) return NdisStatus::kResources;
  conns_.assign(hw_.caps().numConn, Connection{});
  freeConns_.clear();
  for (unsigned c = 0; c < hw_.caps().numConn; ++c) freeConns_.push_back(uint16_t(c));
  handles_.clear();
  qps_.assign(hw_.queuePairCount(), QpState{});
  device_.setInterruptHandler([this](unsigned vector) { MiniportInterrupt(vector); });
  return NdisStatus::kSuccess;
}

void OffloadTarget::halt() {
  if (!hw_.initialized()) return;
  device_.setInterruptHandler(nullptr);
  hw_.shutdown();
}

void OffloadTarget::forgetDevice() {
  device_.setInterruptHandler(nullptr);
  hw_.forgetDevice();
}

OffloadTarget::Connection* OffloadTarget::liveConnection(uint32_t conn) {
  if (conn >= conns_.size() || conns_[conn].state == ConnState::kFree) return nullptr;
  return &conns_[conn];
}

std::optional<uint16_t> OffloadTarget::hardwareConnection(NdisOffloadHandle handle) const {
  const auto it = handles_.find(handle);
  if (it == handles_.end()) return std::nullopt;
  return it->second;
}

// ---- Connection offload / terminate -------------------------------------

void OffloadTarget::MiniportInitiateOffload(OffloadBlock* block) {
  if (block == nullptr) return;
  if (!hw_.initialized() || freeConns_.empty()) {
    block->status = NdisStatus::kResources;
  } else {
    // Least recently released id first, so a connection id is reused as late
    // as possible after its terminate.
    const uint16_t conn = freeConns_.front();
    const unsigned q = nextQp_;
    const CmdOutcome out = command(conn, q, prm::ConnOp::kOffload);
    if (!out.ok()) {
      ++counters_.offloadFailures;
      block->status = out.completed ? NdisStatus::kInvalidState : NdisStatus::kResources;
    } else {
      freeConns_.pop_front();
      nextQp_ = (nextQp_ + 1) % hw_.queuePairCount();
      Connection& c = conns_[conn];
      c = Connection{};
      c.state = ConnState::kOffloaded;
      c.id = block->connection;
      c.handle = block->handle;
      c.qp = q;
      handles_[block->handle] = conn;
      if (observer_ != nullptr) observer_->onHardwareConnectionBound(c.id, conn, q);
      block->status = NdisStatus::kSuccess;
    }
  }
  if (up_.NdisMInitiateOffloadComplete) up_.NdisMInitiateOffloadComplete(miniport_, block);
}

void OffloadTarget::MiniportTerminateOffload(OffloadBlock* block) {
  if (block == nullptr) return;
  const auto it = handles_.find(block->handle);
  if (it == handles_.end() || conns_[it->second].state != ConnState::kOffloaded) {
    // Unknown (or already terminating) handle: nothing of ours to upload.
    ++counters_.invalidHandle;
    block->status = NdisStatus::kInvalidParameter;
    if (up_.NdisMTerminateOffloadComplete) up_.NdisMTerminateOffloadComplete(miniport_, block);
    return;
  }
  const uint16_t conn = it->second;
  Connection& c = conns_[conn];
  if (removed_) {
    // Nothing to upload: completed from MiniportTimer.
    c.state = ConnState::kTerminateIssued;
    c.terminateBlock = block;
    terminateAfterRemoval_.push_back(conn);
    return;
  }
  c.state = ConnState::kTerminateWaitFetch;
  ++terminatesWaiting_;
  c.terminateBlock = block;
  // Requests still waiting for SQ space never reach the hardware: they are
  // completed with UPLOAD_IN_PROGRESS when the terminate finishes.
  auto& waiting = qps_[c.qp].waiting;
  for (auto w = waiting.begin(); w != waiting.end();) {
    const Request* r = requests_.find(*w);
    if (r != nullptr && r->conn == conn) {
      if (r->op == OffloadOp::kReceive && c.receivesWaiting > 0) --c.receivesWaiting;
      c.held.push_back(*w);
      w = waiting.erase(w);
    } else {
      ++w;
    }
  }
  advanceTerminate(conn);
}

// TERMINATE only once the engine has fetched every SQ entry of the
// connection: an entry fetched after it would complete INVALID_CONN after
// TERMINATE_DONE and name a connection NDIS has already forgotten
// (invariant 10).
void OffloadTarget::advanceTerminate(uint16_t conn) {
  Connection& c = conns_[conn];
  if (c.state != ConnState::kTerminateWaitFetch) return;
  if (qps_[c.qp].doorbellHold > 0) return;  // entries not announced yet; retried after
  if (c.hasSqEntries) {
    SqWriter& sq = hw_.queuePair(c.qp).sq;
    const auto fetched = [&] {
      const uint16_t behind = uint16_t(c.lastSqPtr - sq.head());
      return behind == 0 || behind > sq.used();
    };
    for (unsigned i = 0; i < config_.terminateFetchPolls && !fetched(); ++i) {
      hw_.refreshSqHead(c.qp);
      // Fetching can wait for request slots, which free only as completions
      // are written: keep CQ space available.
      if ((i + 1) % OffloadHardware::kBusyServiceInterval == 0) reapAll();
    }
    if (!fetched()) return;  // MiniportTimer / the next DPC tries again
  }
  c.state = ConnState::kTerminateIssued;
  --terminatesWaiting_;
  const CmdOutcome out = command(conn, c.qp, prm::ConnOp::kTerminate);
  if (out.completed && !out.ok()) {
    // The engine does not hold the connection (it will send no
    // TERMINATE_DONE); upload what the driver holds and finish now.
    ++counters_.terminateCmdErrors;
    finishTerminate(conn);
  }
  // Timed out: the command was written and takes effect in order; its
  // TERMINATE_DONE finishes the terminate.
}

void OffloadTarget::finishTerminate(uint16_t conn) {
  Connection& c = conns_[conn];
  // Anything the engine still owes for this connection after TERMINATE_DONE
  // is lost by the hardware; upload it here so every NBL comes back before
  // the terminate completion, in posting order.
  std::vector<std::pair<uint64_t, uint64_t>> owed;  // (seq, tag)
  requests_.forEach([&](uint64_t tag, const Request& r) {
    if (r.conn == conn && r.inSq) owed.emplace_back(r.seq, tag);
  });
  std::sort(owed.begin(), owed.end());
  counters_.lostByHardware += owed.size();
  std::vector<uint64_t> tags;
  tags.reserve(owed.size() + c.held.size());
  for (const auto& o : owed) tags.push_back(o.second);
  tags.insert(tags.end(), c.held.begin(), c.held.end());
  for (const uint64_t tag : tags) {
    auto r = requests_.take(tag);
    if (!r) continue;
    completeNbl(*r, NdisStatus::kUploadInProgress, 0);
    addToChain(conn, r->op, r->nbl, false, true);
  }
  flushChain(conn);

  OffloadBlock* block = c.terminateBlock;
  handles_.erase(c.handle);
  c = Connection{};
  freeConns_.push_back(conn);
  if (observer_ != nullptr) observer_->onHardwareConnectionReleased(conn);
  ++counters_.terminates;
  if (block != nullptr) {
    block->status = NdisStatus::kSuccess;
    if (up_.NdisMTerminateOffloadComplete) up_.NdisMTerminateOffloadComplete(miniport_, block);
  }
}

// ---- Initiating calls ---------------------------------------------------

NdisStatus OffloadTarget::MiniportTcpOffloadSend(NdisOffloadHandle handle, NetBufferList* nbl) {
  return post(handle, nbl, OffloadOp::kSend, 0);
}

NdisStatus OffloadTarget::MiniportTcpOffloadReceive(NdisOffloadHandle handle, NetBufferList* nbl) {
  return post(handle, nbl, OffloadOp::kReceive, 0);
}

NdisStatus OffloadTarget::MiniportTcpOffloadForward(NdisOffloadHandle handle, NetBufferList* nbl) {
  return post(handle, nbl, OffloadOp::kForward, 0);
}

NdisStatus OffloadTarget::MiniportTcpOffloadDisconnect(NdisOffloadHandle handle, NetBufferList* nbl,
                                                       uint32_t flags) {
  // GRACEFUL or ABORTIVE, exactly one of them. Anything else is passed to
  // the engine as malformed, so it completes through the one completion
  // path with INVALID_REQUEST (-> INVALID_PARAMETER).
  uint8_t hwFlags;
  if (flags == kTcpDisconnectGraceful) {
    hwFlags = 0;
  } else if (flags == kTcpDisconnectAbortive) {
    hwFlags = prm::reqflag::kAbortive;
  } else {
    hwFlags = kMalformedFlag;
  }
  if (nbl != nullptr) nbl->next = nullptr;  // exactly one NBL
  return post(handle, nbl, OffloadOp::kDisconnect, hwFlags);
}

NdisStatus OffloadTarget::post(NdisOffloadHandle handle, NetBufferList* list, OffloadOp op,
                               uint8_t flags) {
  if (list == nullptr) {
    ++counters_.nullNbl;
    return NdisStatus::kInvalidParameter;
  }
  if (!hw_.initialized() && !removed_) return NdisStatus::kResources;
  // An unknown handle still goes through the engine, as a request for a
  // connection id no NUM_CONN reaches: it completes INVALID_CONN
  // (-> INVALID_PARAMETER) from the DPC like every other request.
  uint32_t conn = kNoConn;
  unsigned q = 0;
  const auto it = handles_.find(handle);
  if (it != handles_.end()) {
    conn = it->second;
    q = conns_[conn].qp;
  } else {
    ++counters_.invalidHandle;
  }
  for (NetBufferList* nbl = list; nbl != nullptr;) {
    NetBufferList* next = nbl->next;
    nbl->next = nullptr;
    Request r;
    r.nbl = nbl;
    r.op = op;
    r.conn = conn;
    r.qp = q;
    r.seq = nextSeq_++;
    r.desc.opcode = uint8_t(completionTypeFor(op));
    r.desc.flags = flags;
    if (op == OffloadOp::kReceive && nbl->tcpReceiveNoPush) r.desc.flags |= prm::reqflag::kNoPush;
    const NetBuffer* nb = nbl->firstNetBuffer;
    // A buffer whose MDL chain does not hold its data cannot be given to
    // the NIC: malformed, like a disconnect of no type.
    if (nb != nullptr && !holdsItsData(*nb)) r.desc.flags |= kMalformedFlag;
    r.desc.conn = uint16_t(conn);
    r.desc.length = nb != nullptr ? nb->dataLength : 0;
    r.desc.buffer = nb != nullptr ? nb->currentAddress() : 0;
    const uint64_t tag = requests_.insert(r);
    requests_.find(tag)->desc.tag = tag;
    nbl->miniportReserved[0] = tag;  // diagnostics only; the tag table is the truth
    ++counters_.posts;
    if (removed_) {
      abortAfterRemoval_.push_back(tag);  // completed from MiniportTimer
    } else if (conn != kNoConn && conns_[conn].state != ConnState::kOffloaded) {
      conns_[conn].held.push_back(tag);  // terminating: uploaded when it finishes
    } else {
      qps_[q].waiting.push_back(tag);
      if (conn != kNoConn && op == OffloadOp::kReceive) ++conns_[conn].receivesWaiting;
    }
    nbl = next;
  }
  if (!removed_) drainWaiting(q);
  return NdisStatus::kPending;
}

// Moves requests from the waiting queue into the SQ while there is room
// (re-reading SQ_HEAD when the ring looks full), then rings the doorbell
// unless an indication on this queue pair is still to be consumed.
void OffloadTarget::drainWaiting(unsigned q) {
  QpState& qs = qps_[q];
  SqWriter& sq = hw_.queuePair(q).sq;
  bool refreshed = false;
  while (!qs.waiting.empty()) {
    if (sq.full()) {
      if (refreshed || !hw_.refreshSqHead(q) || sq.full()) {
        ++counters_.sqFullStalls;
        break;
      }
      refreshed = true;
    }
    Request* r = requests_.find(qs.waiting.front());
    qs.waiting.pop_front();
    if (r == nullptr) continue;
    const uint32_t slot = sq.tail() & (sq.entries() - 1);
    sq.push(r->desc);
    r->inSq = true;
    if (observer_ != nullptr) observer_->onRequestQueued(r->nbl, r->op, r->desc.tag, q, slot);
    if (r->conn != kNoConn) {
      Connection& c = conns_[r->conn];
      c.lastSqPtr = sq.tail();
      c.hasSqEntries = true;
      if (r->op == OffloadOp::kReceive) {
        if (c.receivesWaiting > 0) --c.receivesWaiting;
        ++c.receivesInSq;
      }
    }
  }
  if (qs.doorbellHold == 0) ringSqDoorbell(q);
}

void OffloadTarget::ringSqDoorbell(unsigned q) {
  if (!hw_.queuePair(q).sq.ringDoorbell()) ++counters_.doorbellErrors;
}

NdisStatus OffloadTarget::MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) {
  if (nbl != nullptr && nbl == indicating_) {
    // Returned from inside the indication that handed it up: freed when the
    // receive handler returns.
    returnedDuringIndicate_ = true;
    return NdisStatus::kSuccess;
  }
  if (nbl == nullptr || indicated_.erase(nbl) == 0) {
    ++counters_.badReceiveReturn;
    return NdisStatus::kSuccess;
  }
  indicationPool_.free(nbl);
  return NdisStatus::kSuccess;
}

// ---- Deferred work ------------------------------------------------------

void OffloadTarget::MiniportTimer() {
  if (removed_) {
    serviceRemoved();
    return;
  }
  if (!hw_.initialized() || inDpc_) return;
  // A CQ stalled on a stale slot behind CQ_TAIL is looked at again (if the
  // descriptor has become visible since, the queue pair carries on), and
  // descriptors reaped while a command was busy are delivered.
  bool stalled = false;
  for (QpState& qs : qps_) {
    if (qs.stalled || !qs.backlog.empty()) qs.dpcPending = stalled = true;
  }
  if (stalled) {
    runDpcs();
    return;
  }
  serviceDeferred();
}

void OffloadTarget::serviceDeferred() {
  for (unsigned q = 0; q < qps_.size(); ++q) {
    if (!qps_[q].waiting.empty()) drainWaiting(q);
  }
  if (terminatesWaiting_ == 0) return;
  for (std::size_t conn = 0; conn < conns_.size(); ++conn) {
    if (conns_[conn].state == ConnState::kTerminateWaitFetch) advanceTerminate(uint16_t(conn));
  }
}

bool OffloadTarget::hasDeferredWork() const {
  if (!abortAfterRemoval_.empty() || !terminateAfterRemoval_.empty()) return true;
  for (const auto& qs : qps_) {
    if (!qs.waiting.empty() || qs.stalled || !qs.backlog.empty()) return true;
  }
  return terminatesWaiting_ > 0;
}

std::size_t OffloadTarget::waitingForSq() const {
  std::size_t n = 0;
  for (const auto& qs : qps_) n += qs.waiting.size();
  return n;
}

std::vector<RingSnapshot> OffloadTarget::ringSnapshots() {
  std::vector<RingSnapshot> out;
  if (removed_) return out;  // no device whose pointers could be read
  for (unsigned q = 0; q < hw_.queuePairCount(); ++q) {
    const HwRingPointers p = hw_.readRingPointers(q);
    RingSnapshot s;
    s.qp = q;
    s.driverSqTail = hw_.queuePair(q).sq.doorbell();
    s.driverCqHead = hw_.queuePair(q).cq.head();
    s.hwSqHead = p.sqHead;
    s.hwSqTail = p.sqTail;
    s.hwCqHead = p.cqHead;
    s.hwCqTail = p.cqTail;
    out.push_back(s);
  }
  return out;
}

}  // namespace chimney
