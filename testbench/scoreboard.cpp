// Scoreboard: results, the host-level checks (invariants 1, 2, 4-12 as the
// host sees them), the peer's byte stream, and the end-of-run checks. The
// per-edge and IM checks (3, 13, 14, 15) are in scoreboard_edges.cpp.
#include "scoreboard.h"

#include <cstdio>
#include <sstream>

#include "scoreboard_state.h"

namespace chimney {

namespace {

bool statusAllowed(OffloadOp op, NdisStatus s) {
  switch (s) {
    case NdisStatus::kSuccess:
    case NdisStatus::kRequestAborted:
    case NdisStatus::kUploadInProgress:
    case NdisStatus::kInvalidParameter:
      return true;
    case NdisStatus::kRequestUpload:
    case NdisStatus::kUploadRequested:
      return op == OffloadOp::kSend || op == OffloadOp::kReceive;
    case NdisStatus::kInvalidState:
      return op == OffloadOp::kReceive;
    default:
      return false;
  }
}

bool failed(NdisStatus s) {
  return s != NdisStatus::kSuccess;
}

}  // namespace

std::string Violation::message() const {
  std::ostringstream os;
  os << "[invariant " << invariant << " " << check << "] t=" << time;
  if (!layer.empty()) os << " layer=" << layer;
  if (connection.valid()) os << " conn=" << connection.value;
  if (hasOp) os << " op=" << toString(op);
  if (nblId != 0) os << " nbl#" << nblId;
  os << ": " << detail;
  return os.str();
}

void Scoreboard::State::report(int invariant, const char* check, ConnectionId connection,
                               std::optional<OffloadOp> op, const NetBufferList* nbl,
                               const std::string& detail, std::string layer) {
  Violation v;
  v.invariant = invariant;
  v.check = check;
  v.time = now();
  v.connection = connection;
  v.hasOp = op.has_value();
  if (op) v.op = *op;
  v.nbl = nbl;
  if (nbl != nullptr) {
    auto id = nblIds.find(nbl);
    v.nblId = id == nblIds.end() ? 0 : id->second;
  }
  v.layer =
      layer.empty() ? (hostLower.valid() ? driverName(hostLower) : "stack") : std::move(layer);
  v.detail = detail;
  violations.push_back(v);
  if (handler) handler(violations.back());
}

Scoreboard::Scoreboard(Clock clock) : s_(std::make_unique<State>()) {
  s_->clock = std::move(clock);
}
Scoreboard::~Scoreboard() = default;

const std::vector<Violation>& Scoreboard::violations() const {
  return s_->violations;
}
std::size_t Scoreboard::violationCount(int invariant) const {
  std::size_t n = 0;
  for (const Violation& v : s_->violations) n += v.invariant == invariant ? 1 : 0;
  return n;
}
std::string Scoreboard::report() const {
  std::string out;
  for (const Violation& v : s_->violations) out += v.message() + "\n";
  return out;
}
void Scoreboard::onMemoryReleasedUnderDma(const std::string& detail) {
  // Blamed on the offload target: it owns the rings and the device's DMA.
  std::string layer = "target";
  for (const auto& [id, driver] : s_->drivers) {
    if (driver.first == DriverKind::kOffloadTarget) layer = s_->driverName(DriverId{id});
  }
  s_->report(17, "DmaMemoryLifetime", {}, std::nullopt, nullptr, detail, layer);
}
void Scoreboard::setViolationHandler(std::function<void(const Violation&)> handler) {
  s_->handler = std::move(handler);
}
uint64_t Scoreboard::completionsSeen() const {
  return s_->completions;
}
uint64_t Scoreboard::postsSeen() const {
  return s_->posts;
}
std::size_t Scoreboard::outstandingNbls() const {
  return s_->live.size();
}
std::size_t Scoreboard::trackedRecords() const {
  const State& s = *s_;
  std::size_t n = s.live.size() + s.everPosted.size() + s.held.size() + s.crossings.size() +
                  s.upStack.size() + s.activeReceiveUp.size() + s.terminated.ranges() +
                  s.openDownCalls.size() + s.receiveTags.size() + s.receiveStart.size();
  for (const auto& [id, c] : s.conns) n += 1 + c.sends.size() + c.receives.size();
  for (const auto& [id, im] : s.ims) {
    n += im.requests.nbls() + im.indicationsBelow.size() + im.returnsAbove.size() +
         im.entries.size() + im.entriesByNbl.size() + im.allocated.ranges();
  }
  return n;
}
uint64_t Scoreboard::nblId(const NetBufferList* nbl) const {
  auto it = s_->nblIds.find(nbl);
  return it == s_->nblIds.end() ? 0 : it->second;
}
ConnectionId Scoreboard::connectionOf(const NetBufferList* nbl) const {
  auto it = s_->live.find(nbl);
  return it == s_->live.end() ? ConnectionId{} : it->second.conn;
}
std::size_t Scoreboard::liveCallEntries() const {
  std::size_t n = 0;
  for (const auto& [id, im] : s_->ims) n += im.entries.size();
  return n;
}

// ---- Host: connections --------------------------------------------------------------

void Scoreboard::onHostConnectionOpened(ConnectionId c, NdisOffloadHandle) {
  s_->conn(c).opened = true;
}

void Scoreboard::onHostTerminateRequested(ConnectionId c) {
  s_->conn(c).terminateRequested = true;
}

void Scoreboard::onHostTerminateComplete(ConnectionId c, NdisStatus) {
  // 12 at upload: indicated NBLs the host accepted come back before the
  // terminate completes (the NIC's buffers go up with the connection).
  for (const auto& [nbl, h] : s_->held) {
    if (h.conn == c) {
      s_->report(12, "IndicatedNblReturnedOnce", c, OffloadOp::kReceiveIndicate, nbl,
                 "accepted indicated NBL not returned before the terminate completed");
    }
  }
  std::size_t outstanding = 0;
  for (const auto& [nbl, rec] : s_->live) outstanding += rec.conn == c ? 1 : 0;
  if (outstanding > 0) {
    s_->report(10, "NothingAfterTerminate", c, OffloadOp::kTerminateOffload, nullptr,
               "terminate completed with " + std::to_string(outstanding) +
                   " request(s) of the connection still outstanding");
  }
  auto it = s_->conns.find(c.value);
  if (it != s_->conns.end()) {
    s_->checkDrained(c, it->second);
    s_->conns.erase(it);
  }
  s_->terminated.insert(c.value);
}

void Scoreboard::State::checkDrained(ConnectionId c, const ConnRec& conn) {
  if (conn.bound && conn.drainedAfterFin && !conn.aborted && conn.delivered != conn.peerSent) {
    report(6, "ReceiveOrderAndBytes", c, OffloadOp::kReceive, nullptr,
           "drained after FIN with " + std::to_string(conn.delivered) +
               " bytes delivered, peer sent " + std::to_string(conn.peerSent));
  }
}

// ---- Host: posts and completions ------------------------------------------------------

void Scoreboard::onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) {
  State::ConnRec& conn = s_->conn(c);
  for (NetBufferList* nbl = list; nbl != nullptr; nbl = nbl->next) {
    ++s_->posts;
    s_->reportLeakedEntries(nbl);
    // One lookup: the record is made in place when the NBL is not live.
    const auto [slot, fresh] = s_->live.try_emplace(nbl);
    if (!fresh) {
      s_->report(1, "CompletedExactlyOnce", c, op, nbl, "posted again while still outstanding");
      continue;
    }
    State::PostRec& rec = slot->second;
    rec.conn = c;
    rec.op = op;
    rec.flags = flags;
    rec.offset0 = nbl->firstNetBuffer->dataOffset;
    rec.length0 = nbl->firstNetBuffer->dataLength;
    rec.seq = ++s_->postSeq;
    rec.time = s_->now();
    s_->nblIds[nbl] = rec.seq;
    if (op == OffloadOp::kReceive && conn.finEvent && conn.bound &&
        conn.delivered == conn.peerSent) {
      // Nothing buffered is left for it (every byte the peer sent was delivered).
      bool earlierReceiveOutstanding = !conn.receives.empty();
      rec.mustBeInvalidState = !earlierReceiveOutstanding;
    }
    if (op == OffloadOp::kSend) conn.sends.push_back(rec.seq);
    if (op == OffloadOp::kReceive) conn.receives.push_back(rec.seq);
    if (op == OffloadOp::kDisconnect && (flags & kTcpDisconnectAbortive) != 0) {
      conn.abortiveDisconnectPosted = true;
    }
    s_->everPosted.insert(nbl);
  }
}

void Scoreboard::onHostPostReturned(ConnectionId c, OffloadOp op, NdisStatus status) {
  if (status != NdisStatus::kPending) {
    s_->report(3, "InitiatingCallPends", c, op, nullptr,
               std::string("the host's call returned ") + toString(status) +
                   " instead of NDIS_STATUS_PENDING");
  }
}

void Scoreboard::onHostCompletion(OffloadOp kind, NetBufferList* list) {
  State& s = *s_;
  // Per-list checks of invariant 5 (send completions), per connection.
  // (a list holds one or a few connections: a short vector, reused)
  std::vector<State::ListConn>& listConns = s.listConns;
  listConns.clear();
  auto listConn = [&listConns](uint32_t c) -> State::ListConn& {
    for (State::ListConn& l : listConns) {
      if (l.conn == c) return l;
    }
    listConns.push_back(State::ListConn{c, 0, false});
    return listConns.back();
  };
  for (NetBufferList* nbl = list; nbl != nullptr; nbl = nbl->next) {
    ++s.completions;
    auto it = s.live.find(nbl);
    if (it == s.live.end()) {
      if (s.everPosted.count(nbl) != 0) {
        s.report(1, "CompletedExactlyOnce", {}, kind, nbl, "completed again (not outstanding)");
      } else {
        s.report(2, "SamePointerSameKind", {}, kind, nbl,
                 "the host got back a pointer it never posted");
      }
      continue;
    }
    const State::PostRec rec = it->second;
    s.live.erase(it);
    State::ConnRec& conn = s.conn(rec.conn);
    const NetBuffer& nb = *nbl->firstNetBuffer;
    const NdisStatus status = nbl->status;
    const uint32_t bytes = nbl->tcpOffloadBytesTransferred;

    if (s.isTerminated(rec.conn)) {
      s.report(10, "NothingAfterTerminate", rec.conn, rec.op, nbl,
               "completion after the connection's terminate completed");
    }
    // 2: kind of the completion.
    if (kind != rec.op) {
      s.report(2, "SamePointerSameKind", rec.conn, rec.op, nbl,
               std::string("posted as ") + toString(rec.op) + ", came back in a " + toString(kind) +
                   " completion");
    }
    // 4: status and bytes.
    if (!statusAllowed(rec.op, status)) {
      s.report(4, "StatusAndBytesValid", rec.conn, rec.op, nbl,
               std::string("status ") + toString(status) + " not allowed for " + toString(rec.op));
    }
    const int64_t advance = int64_t(nb.dataOffset) - int64_t(rec.offset0);
    const int64_t shrink = int64_t(rec.length0) - int64_t(nb.dataLength);
    if (advance != int64_t(bytes) || shrink != int64_t(bytes)) {
      s.report(4, "StatusAndBytesValid", rec.conn, rec.op, nbl,
               "TcpOffloadBytesTransferred " + std::to_string(bytes) +
                   " but data start advanced by " + std::to_string(advance) +
                   " and length shrank by " + std::to_string(shrink));
    }
    if (bytes > rec.length0) {
      s.report(4, "StatusAndBytesValid", rec.conn, rec.op, nbl,
               std::to_string(bytes) + " bytes transferred exceed the posted " +
                   std::to_string(rec.length0));
    }
    const bool graceful =
        rec.op == OffloadOp::kDisconnect && (rec.flags & kTcpDisconnectAbortive) == 0;
    if (status == NdisStatus::kSuccess && (rec.op == OffloadOp::kSend || graceful) &&
        bytes != rec.length0) {
      s.report(4, "StatusAndBytesValid", rec.conn, rec.op, nbl,
               "SUCCESS with " + std::to_string(bytes) + " of " + std::to_string(rec.length0) +
                   " bytes transferred");
    }

    switch (rec.op) {
      case OffloadOp::kSend: {
        // 5: posting order, one partial per list, failures last in a list.
        if (conn.sends.empty() || conn.sends.front() != rec.seq) {
          // Blamed on the layer still holding the earlier send: every layer
          // above it passed the later one up correctly.
          s.report(5, "SendCompletionOrder", rec.conn, rec.op, nbl,
                   "send completed before an earlier send of the connection",
                   conn.sends.empty() ? std::string() : s.holderOf(conn.sends.front()));
        }
        for (auto q = conn.sends.begin(); q != conn.sends.end(); ++q) {
          if (*q == rec.seq) {
            conn.sends.erase(q);
            break;
          }
        }
        if (bytes > 0 && bytes < rec.length0 && ++listConn(rec.conn.value).partialSends == 2) {
          s.report(5, "SendCompletionOrder", rec.conn, rec.op, nbl,
                   "second partly transferred send in one completion list");
        }
        if (listConn(rec.conn.value).sendFailedSeen && !failed(status)) {
          s.report(5, "SendCompletionOrder", rec.conn, rec.op, nbl,
                   "send succeeded after a failed send in the same completion list");
        }
        if (failed(status)) listConn(rec.conn.value).sendFailedSeen = true;
        // 8: sends overtaken by an abortive disconnect are aborted.
        if (conn.abortiveDisconnectPosted && failed(status) &&
            status != NdisStatus::kRequestAborted && status != NdisStatus::kRequestUpload &&
            status != NdisStatus::kUploadRequested) {
          s.report(8, "SendsBeforeDisconnect", rec.conn, rec.op, nbl,
                   std::string("send failed with ") + toString(status) +
                       " after an abortive disconnect was posted (expected REQUEST_ABORTED)");
        }
        // 9: no SUCCESS after an abort.
        if (conn.aborted && status == NdisStatus::kSuccess) {
          s.report(9, "NoSuccessAfterAbort", rec.conn, rec.op, nbl,
                   "send completed SUCCESS after the connection was aborted");
        }
        break;
      }
      case OffloadOp::kReceive: {
        s.streamAtReceiveCompletion(rec.conn, conn, nbl);
        if (conn.receives.empty() || conn.receives.front() != rec.seq) {
          s.report(6, "ReceiveOrderAndBytes", rec.conn, rec.op, nbl,
                   "receive completed before an earlier receive of the connection");
        }
        for (auto q = conn.receives.begin(); q != conn.receives.end(); ++q) {
          if (*q == rec.seq) {
            conn.receives.erase(q);
            break;
          }
        }
        conn.delivered += bytes;
        if (conn.bound && conn.delivered > conn.peerSent) {
          s.report(6, "ReceiveOrderAndBytes", rec.conn, rec.op, nbl,
                   "host received " + std::to_string(conn.delivered) + " bytes, peer sent " +
                       std::to_string(conn.peerSent));
        }
        const bool finSeen = conn.finEvent || conn.peerFin;
        if (status == NdisStatus::kInvalidState) {
          if (!finSeen) {
            s.report(7, "ReceiveAfterFin", rec.conn, rec.op, nbl,
                     "receive completed INVALID_STATE before the peer's FIN");
          } else {
            conn.drainedAfterFin = true;
          }
        } else if (rec.mustBeInvalidState && !failed(status)) {
          s.report(7, "ReceiveAfterFin", rec.conn, rec.op, nbl,
                   std::string("receive posted after the peer's FIN with nothing buffered "
                               "completed ") +
                       toString(status) + " (expected INVALID_STATE)");
        }
        break;
      }
      case OffloadOp::kDisconnect: {
        // 8: every send posted before it has completed.
        std::size_t earlier = 0;
        for (uint64_t q : conn.sends) earlier += q < rec.seq ? 1 : 0;
        if (earlier > 0) {
          s.report(8, "SendsBeforeDisconnect", rec.conn, rec.op, nbl,
                   "disconnect completed with " + std::to_string(earlier) +
                       " earlier send(s) outstanding");
        }
        if ((rec.flags & kTcpDisconnectAbortive) != 0 && status == NdisStatus::kSuccess) {
          conn.aborted = true;
        }
        break;
      }
      default:
        break;
    }
  }
}

// ---- Host: indications, returns, events ----------------------------------------------

void Scoreboard::onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus returned,
                                  uint32_t consumed) {
  State& s = *s_;
  State::ConnRec& conn = s.conn(c);
  const OffloadOp op = OffloadOp::kReceiveIndicate;
  if (s.isTerminated(c)) {
    s.report(10, "NothingAfterTerminate", c, op, nbl, "indication after terminate completed");
  }
  if (s.held.count(nbl) != 0) {
    s.report(12, "IndicatedNblReturnedOnce", c, op, nbl,
             "indicated again while the host still holds it");
  }
  const uint32_t length = nbl->firstNetBuffer->dataLength;
  const bool consistent = (returned == NdisStatus::kSuccess && consumed == length) ||
                          (returned == NdisStatus::kOffloadDataPartiallyAccepted && consumed > 0 &&
                           consumed < length) ||
                          (returned == NdisStatus::kOffloadDataNotAccepted && consumed == 0);
  if (!consistent) {
    s.report(12, "IndicatedNblReturnedOnce", c, op, nbl,
             std::string("indication answered ") + toString(returned) + " with " +
                 std::to_string(consumed) + " of " + std::to_string(length) + " bytes consumed");
  }
  if (returned == NdisStatus::kSuccess) s.held[nbl] = State::Held{c, s.now()};
  s.streamAtIndication(c, conn, nbl, consumed);
  conn.delivered += consumed;
  if (conn.bound && conn.delivered > conn.peerSent) {
    s.report(6, "ReceiveOrderAndBytes", c, op, nbl,
             "host took " + std::to_string(conn.delivered) + " bytes, peer sent " +
                 std::to_string(conn.peerSent));
  }
}

void Scoreboard::onHostReceiveReturn(ConnectionId c, NetBufferList* nbl, NdisStatus returned) {
  State& s = *s_;
  if (s.held.erase(nbl) == 0) {
    s.report(12, "IndicatedNblReturnedOnce", c, OffloadOp::kReceiveReturn, nbl,
             "returned an NBL the host does not hold (refused, or returned twice)");
  }
  if (returned != NdisStatus::kSuccess) {
    s.report(3, "InitiatingCallPends", c, OffloadOp::kReceiveReturn, nbl,
             std::string("ReceiveReturn returned ") + toString(returned) +
                 " (it is synchronous and returns SUCCESS)");
  }
}

void Scoreboard::onHostEvent(ConnectionId c, OffloadEvent event) {
  State::ConnRec& conn = s_->conn(c);
  if (s_->isTerminated(c)) {
    s_->report(10, "NothingAfterTerminate", c, OffloadOp::kEvent, nullptr,
               std::string(toString(event)) + " event after terminate completed");
  }
  if (event == OffloadEvent::kDisconnect) conn.finEvent = true;
  if (event == OffloadEvent::kAbort) conn.aborted = true;
}

// ---- Hardware binding and the peer ------------------------------------------------------

void Scoreboard::onHardwareConnectionBound(ConnectionId c, uint16_t hwConn, unsigned) {
  State::ConnRec& conn = s_->conn(c);
  conn.bound = true;
  conn.hwConn = hwConn;
  s_->hwConns[hwConn] = c;
}
void Scoreboard::onHardwareConnectionReleased(uint16_t hwConn) {
  s_->hwConns.erase(hwConn);
}

void Scoreboard::onPeerData(uint16_t hwConn, uint32_t bytes) {
  auto it = s_->hwConns.find(hwConn);
  if (it != s_->hwConns.end()) s_->conn(it->second).peerSent += bytes;
}
void Scoreboard::onPeerFin(uint16_t hwConn) {
  auto it = s_->hwConns.find(hwConn);
  if (it != s_->hwConns.end()) s_->conn(it->second).peerFin = true;
}
void Scoreboard::onPeerRst(uint16_t hwConn) {
  auto it = s_->hwConns.find(hwConn);
  if (it != s_->hwConns.end()) s_->conn(it->second).peerRst = true;
}

// ---- End of run ------------------------------------------------------------------------------

void Scoreboard::checkQuiescent(const std::vector<RingSnapshot>& rings) {
  State& s = *s_;
  for (const auto& [nbl, rec] : s.live) {
    if (rec.op == OffloadOp::kReceive) {
      s.report(7, "EveryReceiveCompleted", rec.conn, rec.op, nbl, "posted receive never completed");
    } else {
      s.report(1, "CompletedExactlyOnce", rec.conn, rec.op, nbl, "posted NBL never completed",
               s.holderOf(rec.seq));
    }
  }
  for (const auto& [nbl, h] : s.held) {
    s.report(12, "IndicatedNblReturnedOnce", h.conn, OffloadOp::kReceiveIndicate, nbl,
             "accepted indicated NBL never returned");
  }
  for (const auto& [binding, open] : s.openDownCalls) {
    s.report(3, "DownCallsPaired", {}, OffloadOp::kSend, nullptr,
             s.edgeName(NdisBindingHandle{binding}, NdisMiniportHandle{}) + ": " +
                 std::to_string(open) + " down call(s) observed beginning, never ending");
  }
  for (const auto& [id, im] : s.ims) {
    const std::string name = s.driverName(DriverId{id});
    for (const auto& [entry, e] : im.entries) {
      // An entry whose request never came back up is held for a request a
      // lower layer still holds: named after that layer, not the IM.
      auto posted = s.live.find(e.nbl);
      std::string holder =
          posted != s.live.end() && !e.wentUp ? s.holderOf(posted->second.seq) : std::string();
      std::string what = name + " call entry " + std::to_string(entry) + " never freed";
      if (holder.empty() || holder == name) {
        holder = name;
      } else {
        what += ": its request is still held by " + holder;
      }
      s.report(14, "ImCallEntryLifetime", {}, e.op, e.nbl, what, holder);
    }
    std::size_t inside = im.requests.count();
    if (inside > 0) {
      s.report(16, "QuiescentAndRingsAgree", {}, OffloadOp::kSend, nullptr,
               std::to_string(inside) + " NBL(s) still held by or below " + name, name);
    }
  }
  for (const auto& [id, conn] : s.conns) s.checkDrained(ConnectionId{id}, conn);
  for (const RingSnapshot& r : rings) {
    const bool ok = r.driverSqTail == r.hwSqTail && r.hwSqHead == r.hwSqTail &&
                    r.driverCqHead == r.hwCqTail && r.hwCqHead == r.hwCqTail;
    if (!ok) {
      std::ostringstream os;
      os << "queue pair " << r.qp << ": SQ driver tail " << r.driverSqTail << " hw tail "
         << r.hwSqTail << " hw head " << r.hwSqHead << "; CQ driver head " << r.driverCqHead
         << " hw head " << r.hwCqHead << " hw tail " << r.hwCqTail;
      s.report(16, "QuiescentAndRingsAgree", {}, OffloadOp::kSend, nullptr, os.str());
    }
  }
  if (s.live.size() + s.held.size() > 0) {
    s.report(16, "QuiescentAndRingsAgree", {}, OffloadOp::kSend, nullptr,
             std::to_string(s.live.size()) + " posted and " + std::to_string(s.held.size()) +
                 " indicated NBL(s) outstanding at quiescence");
  }
}

}  // namespace chimney
