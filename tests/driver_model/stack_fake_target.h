// A scripted offload target for the NDIS / IM / host-stack / scoreboard
// tests: it keeps what it was given per connection and operation, and the
// test decides when and how each NBL completes (status, bytes), what is
// indicated, which events fire, and when a terminate finishes. Knobs make it
// break the NDIS rules on purpose.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <unordered_set>
#include <vector>

#include "ndis.h"
#include "ndis_offload.h"
#include "ndis_types.h"

namespace chimney::test {

// What a target does to an NBL before completing it.
inline void finishNbl(NetBufferList* nbl, NdisStatus status, uint32_t bytes) {
  nbl->status = status;
  nbl->tcpOffloadBytesTransferred = bytes;
  nbl->firstNetBuffer->dataOffset += bytes;
  nbl->firstNetBuffer->dataLength -= bytes;
}

class FakeTarget : public MiniportOffloadHandlers {
 public:
  struct Conn {
    NdisOffloadHandle handle;
    ConnectionId id;
    std::map<OffloadOp, std::deque<NetBufferList*>> pending;
    std::vector<uint32_t> disconnectFlags;
  };

  explicit FakeTarget(Ndis& ndis) : ndis_(ndis) {
    driver_ = ndis_.NdisRegisterDriver(DriverKind::kOffloadTarget, "fake target");
    miniport_ = ndis_.NdisMRegisterMiniport(driver_, *this);
    up_ = ndis_.NdisMGetOffloadHandlers(miniport_);
    pool_ = NetBufferListPool(driver_);
  }

  NdisMiniportHandle miniportHandle() const { return miniport_; }

  // ---- Knobs
  NdisStatus requestReturn = NdisStatus::kPending;  // what the four requests return
  NdisStatus receiveReturnResult = NdisStatus::kSuccess;
  bool completeSendsInline = false;  // completes SUCCESS inside the send call
  bool deferTerminate = false;       // finishTerminate() completes it
  bool failInitiate = false;
  bool terminateKeepsRequests = false;  // completes a terminate with its requests still held

  // ---- MiniportOffloadHandlers
  void MiniportInitiateOffload(OffloadBlock* block) override {
    if (failInitiate) {
      block->status = NdisStatus::kResources;
    } else {
      conns_[block->connection.value] = Conn{block->handle, block->connection, {}, {}};
      block->status = NdisStatus::kSuccess;
    }
    up_.NdisMInitiateOffloadComplete(miniport_, block);
  }
  void MiniportTerminateOffload(OffloadBlock* block) override {
    pendingTerminates_[block->connection.value] = block;
    if (!deferTerminate) finishTerminate(block->connection);
  }
  NdisStatus MiniportTcpOffloadSend(NdisOffloadHandle h, NetBufferList* list) override {
    take(OffloadOp::kSend, h, list);
    if (completeSendsInline) {
      std::vector<NetBufferList*> done;
      for (NetBufferList* nbl : takeFront(connOf(h), OffloadOp::kSend, 1 << 30)) {
        finishNbl(nbl, NdisStatus::kSuccess, nbl->firstNetBuffer->dataLength);
        done.push_back(nbl);
      }
      up_.NdisTcpOffloadSendComplete(miniport_, nblListFromVector(done));
    }
    return requestReturn;
  }
  NdisStatus MiniportTcpOffloadReceive(NdisOffloadHandle h, NetBufferList* list) override {
    take(OffloadOp::kReceive, h, list);
    return requestReturn;
  }
  NdisStatus MiniportTcpOffloadDisconnect(NdisOffloadHandle h, NetBufferList* nbl,
                                          uint32_t flags) override {
    take(OffloadOp::kDisconnect, h, nbl);
    if (Conn* c = find(h)) c->disconnectFlags.push_back(flags);
    return requestReturn;
  }
  NdisStatus MiniportTcpOffloadForward(NdisOffloadHandle h, NetBufferList* list) override {
    take(OffloadOp::kForward, h, list);
    return requestReturn;
  }
  NdisStatus MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) override {
    returned_.push_back(nbl);
    indicatedOut_.erase(nbl);
    return receiveReturnResult;
  }

  // ---- Scripting
  ConnectionId connOf(NdisOffloadHandle h) const {
    for (const auto& [id, c] : conns_) {
      if (c.handle == h) return c.id;
    }
    return {};
  }
  // The NBLs given for `op` on `conn` and not yet completed, oldest first.
  std::deque<NetBufferList*>& pending(ConnectionId conn, OffloadOp op) {
    return conns_[conn.value].pending[op];
  }
  std::vector<NetBufferList*> takeFront(ConnectionId conn, OffloadOp op, std::size_t n) {
    std::deque<NetBufferList*>& q = pending(conn, op);
    std::vector<NetBufferList*> out;
    while (!q.empty() && out.size() < n) {
      out.push_back(q.front());
      q.pop_front();
    }
    return out;
  }
  // Completes the given NBLs (already finished by the caller) as one list.
  void complete(OffloadOp kind, const std::vector<NetBufferList*>& nbls) {
    ndis_.NdisTcpOffloadRequestComplete(kind, miniport_, nblListFromVector(nbls));
  }
  // Completes the oldest `n` requests of `op` with `status`, each transferring
  // `bytes` (or everything when bytes is kAll), in one completion list.
  static constexpr uint32_t kAll = 0xFFFFFFFF;
  std::vector<NetBufferList*> completeOldest(ConnectionId conn, OffloadOp op, std::size_t n,
                                             NdisStatus status, uint32_t bytes = kAll) {
    std::vector<NetBufferList*> nbls = takeFront(conn, op, n);
    for (NetBufferList* nbl : nbls) {
      finishNbl(nbl, status, bytes == kAll ? nbl->firstNetBuffer->dataLength : bytes);
    }
    complete(op, nbls);
    return nbls;
  }
  // Indicates `bytes` buffered bytes; returns the host's answer.
  NdisStatus indicate(ConnectionId conn, uint32_t bytes, uint32_t* consumed,
                      NetBufferList* reuse = nullptr) {
    NetBufferList* nbl = reuse != nullptr ? reuse : pool_.allocate(bytes, 0);
    nbl->firstNetBuffer->dataOffset = 0;
    nbl->firstNetBuffer->dataLength = bytes;
    lastIndicated_ = nbl;
    NdisStatus s = up_.NdisTcpOffloadReceiveHandler(conns_[conn.value].handle, nbl,
                                                    NdisStatus::kSuccess, consumed);
    if (s == NdisStatus::kSuccess) indicatedOut_.insert(nbl);
    return s;
  }
  void event(ConnectionId conn, OffloadEvent e) {
    up_.NdisTcpOffloadEventHandler(conns_[conn.value].handle, e, 0);
  }
  // Indication / event with a stale handle (after terminate).
  NdisOffloadHandle handleOf(ConnectionId conn) { return conns_[conn.value].handle; }
  void finishTerminate(ConnectionId conn) {
    auto it = pendingTerminates_.find(conn.value);
    if (it == pendingTerminates_.end()) return;
    OffloadBlock* block = it->second;
    pendingTerminates_.erase(it);
    // Outstanding requests complete UPLOAD_IN_PROGRESS first, per kind.
    for (OffloadOp op :
         {OffloadOp::kSend, OffloadOp::kReceive, OffloadOp::kDisconnect, OffloadOp::kForward}) {
      if (!terminateKeepsRequests && !pending(conn, op).empty()) {
        completeOldest(conn, op, pending(conn, op).size(), NdisStatus::kUploadInProgress, 0);
      }
    }
    block->status = NdisStatus::kSuccess;
    up_.NdisMTerminateOffloadComplete(miniport_, block);
  }
  const NdisOffloadHandlers& up() const { return up_; }
  NetBufferList* lastIndicated() const { return lastIndicated_; }
  const std::vector<NetBufferList*>& returned() const { return returned_; }
  std::size_t indicatedOutstanding() const { return indicatedOut_.size(); }
  Conn* find(NdisOffloadHandle h) {
    for (auto& [id, c] : conns_) {
      if (c.handle == h) return &c;
    }
    return nullptr;
  }

 private:
  void take(OffloadOp op, NdisOffloadHandle h, NetBufferList* list) {
    Conn* c = find(h);
    if (c == nullptr) return;
    for (NetBufferList* nbl : nblListToVector(list)) c->pending[op].push_back(nbl);
  }

  Ndis& ndis_;
  DriverId driver_;
  NdisMiniportHandle miniport_;
  NdisOffloadHandlers up_;
  NetBufferListPool pool_;
  std::map<uint32_t, Conn> conns_;
  std::map<uint32_t, OffloadBlock*> pendingTerminates_;
  std::vector<NetBufferList*> returned_;
  std::unordered_set<NetBufferList*> indicatedOut_;
  NetBufferList* lastIndicated_ = nullptr;
};

}  // namespace chimney::test
