// The host TCP/IP stack at the top of the chimney path: opens (offloads)
// connections through whatever is bound below it, posts the four operations
// (NBLs from its own pool), consumes their completions, receives indications
// (accepting all, part or none of the data, by a policy), returns accepted
// indicated NBLs through NdisOffloadTcpReceiveReturn, receives FIN/RST
// events, and terminates (uploads) connections. Everything it does and sees
// is reported to the StackObserver before/as it happens.
//
// Each NBL's ProtocolReserved (the allocator's) holds the connection, the
// operation and the posted length, so a completion maps back without a
// lookup table; the host frees an NBL only if it is one it posted and has
// not been completed yet.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "ndis.h"
#include "ndis_offload.h"
#include "ndis_types.h"
#include "offload_by_op.h"
#include "pooled_allocator.h"
#include "stack_observer.h"

namespace chimney {

// What the host saw complete (in arrival order).
struct HostCompletion {
  OffloadOp kind = OffloadOp::kSend;  // which completion callback
  ConnectionId connection;
  OffloadOp postedAs = OffloadOp::kSend;
  uint32_t postedLength = 0;
  NdisStatus status = NdisStatus::kSuccess;
  uint32_t bytesTransferred = 0;
  uint64_t sequence = 0;  // per-host posting order
};

// Misbehaviour on purpose, so the scoreboard can be shown to catch it.
struct HostFaults {
  // Invariant 12 at upload: keep accepted indicated NBLs past the terminate.
  bool keepIndicationsAtTerminate = false;
};

class HostStack : public ProtocolCompletionsByOp {
 public:
  enum class ConnState : uint8_t { kOffloading, kOffloaded, kFailed, kTerminating, kTerminated };

  struct ConnStats {
    uint64_t sendsPosted = 0, sendsCompleted = 0, sendBytesTransferred = 0;
    uint64_t receivesPosted = 0, receivesCompleted = 0, receiveBytes = 0;
    uint64_t indications = 0, indicatedBytesConsumed = 0;
    uint64_t disconnectsCompleted = 0, forwardsCompleted = 0;
    uint32_t outstanding = 0;  // posted, not completed
    bool peerFin = false, peerAbort = false, disconnectPosted = false;
    NdisStatus lastReceiveStatus = NdisStatus::kSuccess;
  };

  // Returns how many of `available` indicated bytes the host takes.
  using AcceptPolicy = std::function<uint32_t(ConnectionId, uint32_t available)>;

  HostStack(Ndis& ndis, const std::string& name, NdisMiniportHandle below,
            StackObserver* observer = nullptr);
  HostStack(const HostStack&) = delete;
  HostStack& operator=(const HostStack&) = delete;

  NdisBindingHandle binding() const { return binding_; }
  DriverId driverId() const { return driver_; }

  // ---- Connections
  ConnectionId openConnection();      // offloads it (NdisInitiateOffload)
  void terminate(ConnectionId conn);  // uploads it (NdisTerminateOffload)
  ConnState state(ConnectionId conn) const;
  const ConnStats& stats(ConnectionId conn) const;
  NdisOffloadHandle offloadHandle(ConnectionId conn) const;
  // The block the connection's initiate / terminate goes down with.
  const OffloadBlock* offloadBlock(ConnectionId conn) const;
  std::vector<ConnectionId> connections() const;

  // ---- The four operations (the NBLs go down as one list per call)
  NdisStatus postSends(ConnectionId conn, const std::vector<uint32_t>& lengths);
  NdisStatus postSend(ConnectionId conn, uint32_t length) { return postSends(conn, {length}); }
  NdisStatus postReceives(ConnectionId conn, const std::vector<uint32_t>& lengths,
                          bool noPush = false);
  NdisStatus postReceive(ConnectionId conn, uint32_t length, bool noPush = false) {
    return postReceives(conn, {length}, noPush);
  }
  NdisStatus postDisconnect(ConnectionId conn, bool abortive, uint32_t length = 0);
  NdisStatus postForwards(ConnectionId conn, const std::vector<uint32_t>& lengths);
  // Malformed requests (negative tests): a disconnect with `flags` as given
  // (other than exactly GRACEFUL or ABORTIVE), and one NBL of `op` whose
  // MDL chain holds one byte less than its DataLength (length >= 1).
  NdisStatus postDisconnectFlags(ConnectionId conn, uint32_t flags, uint32_t length = 0);
  NdisStatus postShortBuffer(ConnectionId conn, OffloadOp op, uint32_t length);

  // ---- Indications
  void setAcceptPolicy(AcceptPolicy policy) { acceptPolicy_ = std::move(policy); }
  HostFaults& faults() { return faults_; }
  std::size_t heldIndications() const { return heldIndications_.size(); }
  // Ranges of ids the terminated connections left behind (their only trace).
  std::size_t terminatedIdRanges() const { return terminatedIds_.size(); }
  // Gives back every accepted indicated NBL (of one connection, or all).
  void returnIndications(ConnectionId conn = {});

  // ---- Results
  // Every completion in arrival order, while records are kept (the default).
  // A long run turns them off (memory then does not grow with the number of
  // operations); the per-connection counters (stats) and completionCount()
  // are kept either way.
  const std::vector<HostCompletion>& completions() const { return completions_; }
  void keepCompletionRecords(bool keep) { keepCompletionRecords_ = keep; }
  uint64_t completionCount() const { return completionCount_; }
  std::size_t outstanding() const { return posted_.size(); }
  // Completions delivered to this host for NBLs it did not post (or twice).
  uint64_t strayCompletions() const { return strayCompletions_; }

  // ---- ProtocolOffloadHandlers
  void ProtocolInitiateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) override;
  void ProtocolTerminateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) override;
  // (send, receive, disconnect, forward completions: tcpCompleted)
  NdisStatus ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                                               NetBufferList* nbl, NdisStatus status,
                                               uint32_t* bytesConsumed) override;
  void ProtocolTcpOffloadEvent(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                               OffloadEvent event, uint32_t info) override;

 private:
  struct Connection {
    ConnectionId id;
    NdisOffloadHandle handle;
    ConnState state = ConnState::kOffloading;
    std::unique_ptr<OffloadBlock> block;  // reused for initiate and terminate
    ConnStats stats;
    uint64_t nextAddress = 0;
  };
  struct HeldIndication {
    ConnectionId conn;
    NetBufferList* nbl = nullptr;
  };

  Connection* find(ConnectionId conn);
  const Connection* find(ConnectionId conn) const;
  Connection* findByHandle(NdisOffloadHandle handle);
  NdisStatus post(ConnectionId conn, OffloadOp op, const std::vector<uint32_t>& lengths,
                  uint32_t flags, bool noPush, uint32_t mdlShortfall = 0);
  void tcpCompleted(OffloadOp kind, NetBufferList* list) override;
  void forgetTerminated();
  bool wasTerminated(ConnectionId conn) const;

  Ndis& ndis_;
  StackObserver* observer_;
  DriverId driver_;
  NdisBindingHandle binding_;
  NetBufferListPool pool_;
  AcceptPolicy acceptPolicy_;
  HostFaults faults_;
  std::map<uint32_t, Connection> conns_;
  std::vector<uint32_t> retired_;                          // terminated, record not yet dropped
  std::vector<std::unique_ptr<OffloadBlock>> freeBlocks_;  // blocks of dropped records
  std::map<uint32_t, uint32_t> terminatedIds_;             // dropped records' ids: first -> last
  PooledUnorderedSet<const NetBufferList*> posted_;
  std::vector<HeldIndication> heldIndications_;
  std::vector<HostCompletion> completions_;
  bool keepCompletionRecords_ = true;
  uint64_t completionCount_ = 0;
  uint64_t nextSequence_ = 1;
  uint64_t strayCompletions_ = 0;
};

}  // namespace chimney
