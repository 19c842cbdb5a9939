#include "host_stack.h"

#include <algorithm>
#include <iterator>

namespace chimney {

namespace {
// ProtocolReserved layout of the host's NBLs.
constexpr std::size_t kResConnection = 0;
constexpr std::size_t kResOp = 1;
constexpr std::size_t kResLength = 2;
constexpr std::size_t kResSequence = 3;
}  // namespace

HostStack::HostStack(Ndis& ndis, const std::string& name, NdisMiniportHandle below,
                     StackObserver* observer)
    : ndis_(ndis), observer_(observer) {
  driver_ = ndis_.NdisRegisterDriver(DriverKind::kHostStack, name);
  binding_ = ndis_.NdisOpenAdapter(driver_, *this, ProtocolBindingContext{1}, below);
}

HostStack::Connection* HostStack::find(ConnectionId conn) {
  auto it = conns_.find(conn.value);
  return it == conns_.end() ? nullptr : &it->second;
}
const HostStack::Connection* HostStack::find(ConnectionId conn) const {
  auto it = conns_.find(conn.value);
  return it == conns_.end() ? nullptr : &it->second;
}
HostStack::Connection* HostStack::findByHandle(NdisOffloadHandle handle) {
  for (auto& [id, conn] : conns_) {
    if (conn.handle == handle) return &conn;
  }
  return nullptr;
}

HostStack::ConnState HostStack::state(ConnectionId conn) const {
  const Connection* c = find(conn);
  if (c != nullptr) return c->state;
  return wasTerminated(conn) ? ConnState::kTerminated : ConnState::kFailed;
}
const HostStack::ConnStats& HostStack::stats(ConnectionId conn) const {
  static const ConnStats kNone{};
  const Connection* c = find(conn);
  return c != nullptr ? c->stats : kNone;
}
NdisOffloadHandle HostStack::offloadHandle(ConnectionId conn) const {
  const Connection* c = find(conn);
  return c != nullptr ? c->handle : NdisOffloadHandle{};
}
std::vector<ConnectionId> HostStack::connections() const {
  std::vector<ConnectionId> out;
  for (const auto& [id, conn] : conns_) out.push_back(conn.id);
  return out;
}

// ---- Connections ----------------------------------------------------------------------

ConnectionId HostStack::openConnection() {
  forgetTerminated();
  ConnectionId id = ndis_.allocateConnectionId();
  Connection& conn = conns_[id.value];
  conn.id = id;
  conn.handle = ndis_.NdisAllocateOffloadHandle(binding_, id);
  // Blocks come from a free list, most recently released first: a new
  // connection's block is often an address an earlier connection used.
  if (freeBlocks_.empty()) {
    conn.block = std::make_unique<OffloadBlock>();
  } else {
    conn.block = std::move(freeBlocks_.back());
    freeBlocks_.pop_back();
  }
  *conn.block = OffloadBlock{conn.handle, id, NdisStatus::kSuccess, 0};
  ndis_.NdisInitiateOffload(binding_, conn.block.get());
  return id;
}

void HostStack::ProtocolInitiateOffloadComplete(ProtocolBindingContext, OffloadBlock* block) {
  Connection* conn = find(block->connection);
  if (conn == nullptr) return;
  if (block->status == NdisStatus::kSuccess) {
    conn->state = ConnState::kOffloaded;
    if (observer_ != nullptr) observer_->onHostConnectionOpened(conn->id, conn->handle);
  } else {
    conn->state = ConnState::kFailed;
    ndis_.NdisFreeOffloadHandle(conn->handle);
  }
}

void HostStack::terminate(ConnectionId id) {
  Connection* conn = find(id);
  if (conn == nullptr || conn->state != ConnState::kOffloaded) return;
  // Nothing indicated stays with the host past the upload.
  if (!faults_.keepIndicationsAtTerminate) returnIndications(id);
  conn->state = ConnState::kTerminating;
  *conn->block = OffloadBlock{conn->handle, id, NdisStatus::kSuccess, 0};
  if (observer_ != nullptr) observer_->onHostTerminateRequested(id);
  ndis_.NdisTerminateOffload(binding_, conn->block.get());
}

void HostStack::ProtocolTerminateOffloadComplete(ProtocolBindingContext, OffloadBlock* block) {
  Connection* conn = find(block->connection);
  if (conn == nullptr) return;
  conn->state = ConnState::kTerminated;
  if (observer_ != nullptr) observer_->onHostTerminateComplete(conn->id, block->status);
  ndis_.NdisFreeOffloadHandle(conn->handle);
  // The record (and the block inside it, which the layers below may still
  // name while this completion unwinds) goes at the next openConnection.
  retired_.push_back(conn->id.value);
}

// Drops the records of terminated connections, keeping only their ids, so
// the host's memory is bounded by its live connections. The next connection
// may get a record (and so an offload block) at a freed address.
void HostStack::forgetTerminated() {
  for (const uint32_t id : retired_) {
    auto rec = conns_.find(id);
    if (rec == conns_.end()) continue;
    freeBlocks_.push_back(std::move(rec->second.block));
    conns_.erase(rec);
    auto next = terminatedIds_.upper_bound(id);
    if (next != terminatedIds_.begin() && std::prev(next)->second + 1 >= id) {
      auto prev = std::prev(next);
      prev->second = std::max(prev->second, id);
      if (next != terminatedIds_.end() && next->first == prev->second + 1) {
        prev->second = next->second;
        terminatedIds_.erase(next);
      }
    } else if (next != terminatedIds_.end() && next->first == id + 1) {
      const uint32_t last = next->second;
      terminatedIds_.erase(next);
      terminatedIds_[id] = last;
    } else {
      terminatedIds_[id] = id;
    }
  }
  retired_.clear();
}

const OffloadBlock* HostStack::offloadBlock(ConnectionId conn) const {
  const Connection* c = find(conn);
  return c != nullptr ? c->block.get() : nullptr;
}

bool HostStack::wasTerminated(ConnectionId conn) const {
  auto next = terminatedIds_.upper_bound(conn.value);
  return next != terminatedIds_.begin() && std::prev(next)->second >= conn.value;
}

// ---- Posting ------------------------------------------------------------------------------

NdisStatus HostStack::post(ConnectionId id, OffloadOp op, const std::vector<uint32_t>& lengths,
                           uint32_t flags, bool noPush, uint32_t mdlShortfall) {
  Connection* conn = find(id);
  if (conn == nullptr || conn->state != ConnState::kOffloaded || lengths.empty()) {
    return NdisStatus::kInvalidParameter;
  }
  NblListBuilder made;  // linked as the NBLs are made (no vector per post)
  for (uint32_t length : lengths) {
    // Buffers of one connection never overlap: a made-up address space per
    // connection, 1 TiB apart.
    uint64_t address = (uint64_t{id.value} << 40) + conn->nextAddress;
    conn->nextAddress += length;
    NetBufferList* nbl = pool_.allocate(length, address);
    nbl->protocolReserved[kResConnection] = id.value;
    nbl->protocolReserved[kResOp] = uint64_t(op);
    nbl->protocolReserved[kResLength] = length;
    nbl->protocolReserved[kResSequence] = nextSequence_++;
    nbl->tcpReceiveNoPush = noPush && op == OffloadOp::kReceive;
    Mdl& last = nbl->netBuffer.mdlChain.back();
    last.byteCount -= std::min(last.byteCount, mdlShortfall);
    posted_.insert(nbl);
    made.append(nbl);
  }
  NetBufferList* list = made.head;
  ConnStats& st = conn->stats;
  st.outstanding += made.count;
  if (op == OffloadOp::kSend) st.sendsPosted += made.count;
  if (op == OffloadOp::kReceive) st.receivesPosted += made.count;
  if (op == OffloadOp::kDisconnect) st.disconnectPosted = true;
  const NdisOffloadHandle handle = conn->handle;
  if (observer_ != nullptr) observer_->onHostPost(id, op, list, flags);
  const NdisStatus status = ndis_.NdisOffloadTcpRequest(op, handle, list, flags);
  if (observer_ != nullptr) observer_->onHostPostReturned(id, op, status);
  return status;
}

NdisStatus HostStack::postSends(ConnectionId conn, const std::vector<uint32_t>& lengths) {
  return post(conn, OffloadOp::kSend, lengths, 0, false);
}
NdisStatus HostStack::postReceives(ConnectionId conn, const std::vector<uint32_t>& lengths,
                                   bool noPush) {
  return post(conn, OffloadOp::kReceive, lengths, 0, noPush);
}
NdisStatus HostStack::postDisconnect(ConnectionId conn, bool abortive, uint32_t length) {
  return post(conn, OffloadOp::kDisconnect, {length},
              abortive ? kTcpDisconnectAbortive : kTcpDisconnectGraceful, false);
}
NdisStatus HostStack::postForwards(ConnectionId conn, const std::vector<uint32_t>& lengths) {
  return post(conn, OffloadOp::kForward, lengths, 0, false);
}
NdisStatus HostStack::postDisconnectFlags(ConnectionId conn, uint32_t flags, uint32_t length) {
  return post(conn, OffloadOp::kDisconnect, {length}, flags, false);
}
NdisStatus HostStack::postShortBuffer(ConnectionId conn, OffloadOp op, uint32_t length) {
  if (length == 0) return NdisStatus::kInvalidParameter;
  return post(conn, op, {length}, op == OffloadOp::kDisconnect ? kTcpDisconnectGraceful : 0, false,
              1);
}

// ---- Completions ---------------------------------------------------------------------------

void HostStack::tcpCompleted(OffloadOp kind, NetBufferList* list) {
  if (observer_ != nullptr) observer_->onHostCompletion(kind, list);
  NetBufferList* next = nullptr;
  for (NetBufferList* nbl = list; nbl != nullptr; nbl = next) {
    next = nbl->next;  // read before the NBL goes back to the pool
    if (posted_.erase(nbl) == 0) {
      ++strayCompletions_;  // not ours, or completed twice: never free it again
      continue;
    }
    HostCompletion rec;
    rec.kind = kind;
    rec.connection = ConnectionId{uint32_t(nbl->protocolReserved[kResConnection])};
    rec.postedAs = OffloadOp(nbl->protocolReserved[kResOp]);
    rec.postedLength = uint32_t(nbl->protocolReserved[kResLength]);
    rec.sequence = nbl->protocolReserved[kResSequence];
    rec.status = nbl->status;
    rec.bytesTransferred = nbl->tcpOffloadBytesTransferred;
    ++completionCount_;
    if (keepCompletionRecords_) completions_.push_back(rec);
    if (Connection* conn = find(rec.connection)) {
      ConnStats& st = conn->stats;
      if (st.outstanding > 0) --st.outstanding;
      switch (rec.postedAs) {
        case OffloadOp::kSend:
          ++st.sendsCompleted;
          st.sendBytesTransferred += rec.bytesTransferred;
          break;
        case OffloadOp::kReceive:
          ++st.receivesCompleted;
          st.receiveBytes += rec.bytesTransferred;
          st.lastReceiveStatus = rec.status;
          break;
        case OffloadOp::kDisconnect:
          ++st.disconnectsCompleted;
          break;
        case OffloadOp::kForward:
          ++st.forwardsCompleted;
          break;
        default:
          break;
      }
    }
    nbl->next = nullptr;
    pool_.free(nbl);
  }
}

// ---- Indications and events -------------------------------------------------------------------

NdisStatus HostStack::ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext,
                                                        NdisOffloadHandle handle,
                                                        NetBufferList* nbl, NdisStatus,
                                                        uint32_t* bytesConsumed) {
  Connection* conn = findByHandle(handle);
  const uint32_t available = nbl->firstNetBuffer->dataLength;
  uint32_t consumed = 0;
  if (conn != nullptr) {
    consumed = acceptPolicy_ ? std::min(acceptPolicy_(conn->id, available), available) : available;
  }
  NdisStatus result = NdisStatus::kSuccess;
  if (consumed == 0 && available > 0) {
    result = NdisStatus::kOffloadDataNotAccepted;
  } else if (consumed < available) {
    result = NdisStatus::kOffloadDataPartiallyAccepted;
  }
  if (conn != nullptr) {
    ++conn->stats.indications;
    conn->stats.indicatedBytesConsumed += consumed;
    if (result == NdisStatus::kSuccess) heldIndications_.push_back({conn->id, nbl});
  }
  *bytesConsumed = consumed;
  if (observer_ != nullptr) {
    observer_->onHostIndication(conn != nullptr ? conn->id : ConnectionId{}, nbl, result, consumed);
  }
  return result;
}

void HostStack::returnIndications(ConnectionId conn) {
  std::vector<HeldIndication> keep;
  std::vector<HeldIndication> give;
  for (const HeldIndication& h : heldIndications_) {
    (conn.valid() && h.conn != conn ? keep : give).push_back(h);
  }
  heldIndications_.swap(keep);
  for (const HeldIndication& h : give) {
    NdisStatus status = ndis_.NdisOffloadTcpReceiveReturn(binding_, h.nbl);
    if (observer_ != nullptr) observer_->onHostReceiveReturn(h.conn, h.nbl, status);
  }
}

void HostStack::ProtocolTcpOffloadEvent(ProtocolBindingContext, NdisOffloadHandle handle,
                                        OffloadEvent event, uint32_t) {
  Connection* conn = findByHandle(handle);
  if (conn == nullptr) return;
  if (event == OffloadEvent::kDisconnect) conn->stats.peerFin = true;
  if (event == OffloadEvent::kAbort) conn->stats.peerAbort = true;
  if (observer_ != nullptr) observer_->onHostEvent(conn->id, event);
}

}  // namespace chimney
