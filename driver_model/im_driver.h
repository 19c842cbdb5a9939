// An NDIS intermediate (IM) driver on the TCP chimney path: a miniport edge
// above (MiniportOffloadHandlers, bound to by host stacks or other IMs) and
// one binding to the miniport below (ProtocolOffloadHandlers). It passes every
// request down and every completion, indication and event up with the same
// NBL pointer, translating offload handles between its two edges.
//
// Per propagated operation it keeps an IM call entry (upper offload handle,
// the SourceHandle NDIS overwrote on the way down), found again through an
// NBL context it pushed or a table keyed by the NBL pointer, read (and the
// context popped) before the completion goes up, and freed once after.
//
// When a call entry for a send cannot be allocated it completes the sends up
// itself without passing them down: the first with REQUEST_UPLOAD, the rest
// with UPLOAD_REQUESTED, and every later send of that connection with
// UPLOAD_REQUESTED. To keep the per-connection completion order, such sends
// are held until the sends already passed down have come back, and are
// completed from an NDIS work item (never inside the initiating call).
//
// Fault knobs (ImFaults) make it misbehave on purpose so the scoreboard's
// IM checks can be shown to catch each violation.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ndis.h"
#include "ndis_offload.h"
#include "ndis_types.h"
#include "offload_by_op.h"
#include "pooled_allocator.h"
#include "stack_observer.h"

namespace chimney {

enum class CallEntryLookup : uint8_t { kNblContext, kTableByNbl };

struct ImFaults {
  // Call-entry allocations for sends that fail from now on (a countdown).
  uint32_t failSendCallEntries = 0;
  // Invariant 3: complete failed sends inside MiniportTcpOffloadSend.
  bool completeFailuresInline = false;
  // Invariant 13: pass a copy of each send NBL down instead of the NBL itself.
  bool substituteSendNbl = false;
  // Invariant 14: never free call entries / free each one twice / leave the
  // NBL context pushed when completing up.
  bool leakCallEntries = false;
  bool leakReceiveCallEntries = false;  // only the call entries of receives
  bool doubleFreeCallEntries = false;
  bool keepContextPushed = false;
  // Invariant 15: leave SourceHandle as NDIS set it on the way down (naming
  // the IM's own lower binding), or route completions to this binding.
  bool skipSourceHandleRestore = false;
  NdisBindingHandle misrouteCompletionsTo;
  // Own tables: keep the block entry of every terminate after it completed.
  bool keepTerminateBlocks = false;

  // How often each fault above took effect (a run's report names a fault
  // that never did: the run did not exercise it).
  struct Applied {
    uint64_t failSendCallEntries = 0;     // send call entries refused
    uint64_t completeFailuresInline = 0;  // failed sends completed inside the send call
    uint64_t substituteSendNbl = 0;       // copies passed down
    uint64_t leakCallEntries = 0;         // call entries never freed
    uint64_t leakReceiveCallEntries = 0;
    uint64_t doubleFreeCallEntries = 0;    // second frees
    uint64_t keepContextPushed = 0;        // completions with the context left pushed
    uint64_t skipSourceHandleRestore = 0;  // completions with SourceHandle not restored
    uint64_t misrouteCompletions = 0;      // completions routed to the IM's own binding
    uint64_t keepTerminateBlocks = 0;      // block entries kept
  } applied;
};

// Sizes of an IM's own tracking tables. At quiescence the per-operation ones
// are empty and the per-connection ones hold exactly the live connections.
struct ImTables {
  std::size_t callEntries = 0;   // live call entries
  std::size_t entriesByNbl = 0;  // NBL -> entry index (table lookup)
  std::size_t connections = 0;   // by upper handle
  std::size_t lowerHandles = 0;  // lower handle -> upper handle
  std::size_t blocks = 0;        // initiate / terminate blocks in flight below
  std::size_t heldSends = 0;     // sends failed here, waiting for earlier ones
};

class ImDriver : public MiniportRequestsByOp, public ProtocolCompletionsByOp {
 public:
  // Registers the IM with NDIS and binds its lower half to `below`.
  ImDriver(Ndis& ndis, const std::string& name, NdisMiniportHandle below,
           StackObserver* observer = nullptr,
           CallEntryLookup lookup = CallEntryLookup::kNblContext);
  ImDriver(const ImDriver&) = delete;
  ImDriver& operator=(const ImDriver&) = delete;

  NdisMiniportHandle miniportHandle() const { return miniport_; }
  NdisBindingHandle lowerBinding() const { return lowerBinding_; }
  DriverId driverId() const { return driver_; }
  ImFaults& faults() { return faults_; }
  const ImFaults& faults() const { return faults_; }
  std::size_t liveCallEntries() const { return entries_.size(); }
  ImTables tables() const;
  std::size_t heldSends() const;
  std::size_t connections() const { return conns_.size(); }

  // ---- Upper edge (MiniportOffloadHandlers)
  void MiniportInitiateOffload(OffloadBlock* block) override;
  void MiniportTerminateOffload(OffloadBlock* block) override;
  // (send, receive, disconnect, forward: tcpRequest)
  NdisStatus MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) override;

  // ---- Lower edge (ProtocolOffloadHandlers)
  void ProtocolInitiateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) override;
  void ProtocolTerminateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) override;
  // (send, receive, disconnect, forward completions: tcpCompleted)
  NdisStatus ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                                               NetBufferList* nbl, NdisStatus status,
                                               uint32_t* bytesConsumed) override;
  void ProtocolTcpOffloadEvent(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                               OffloadEvent event, uint32_t info) override;

 private:
  struct CallEntry {
    OffloadOp op = OffloadOp::kSend;
    NetBufferList* upperNbl = nullptr;  // the NBL received from above
    NetBufferList* lowerNbl = nullptr;  // the NBL passed down (same unless faulted)
    NdisBindingHandle savedSourceHandle;
    NdisOffloadHandle upperHandle;
  };
  struct Connection {
    NdisOffloadHandle upperHandle;
    NdisOffloadHandle lowerHandle;
    ConnectionId connection;
    bool uploadRequested = false;
    uint32_t sendsBelow = 0;                // sends passed down, not yet back
    std::vector<NetBufferList*> heldSends;  // failed sends waiting for the ones below
  };
  struct BlockEntry {
    NdisOffloadHandle upperHandle;
  };

  // Passes a request from above down to the layer below.
  NdisStatus tcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* list,
                        uint32_t flags) override;
  bool allocateCallEntry(OffloadOp op, NetBufferList* nbl, NdisOffloadHandle upper,
                         NetBufferList** lower);
  // Finds and releases the entry of an NBL coming up; returns the NBL to pass up.
  NetBufferList* takeCallEntry(NetBufferList* lower, OffloadOp op, uint64_t* entryId);
  void freeCallEntry(uint64_t id);
  void completeUp(OffloadOp op, NetBufferList* list);
  // A completion from below, handed up.
  void tcpCompleted(OffloadOp op, NetBufferList* list) override;
  // Completes the sends this IM failed itself, once none of the
  // connection's sends is below any more (or regardless, with force).
  void flushHeldSends(NdisOffloadHandle upper, bool force);
  Connection* findUpper(NdisOffloadHandle handle);
  Connection* findLower(NdisOffloadHandle handle);

  Ndis& ndis_;
  StackObserver* observer_;
  CallEntryLookup lookup_;
  DriverId driver_;
  NdisMiniportHandle miniport_;
  NdisBindingHandle lowerBinding_;
  ImFaults faults_;
  NetBufferListPool shadowPool_;
  struct CompletionScratch {
    std::vector<NetBufferList*> up;
    std::vector<uint64_t> ids;
    std::vector<NdisOffloadHandle> touched;
  };
  Spares<CompletionScratch> completionScratch_;
  uint64_t nextEntryId_ = 1;
  PooledUnorderedMap<uint64_t, CallEntry> entries_;
  PooledUnorderedMap<const NetBufferList*, uint64_t> entryByNbl_;        // kTableByNbl
  std::unordered_map<NdisOffloadHandle, Connection, HandleHash> conns_;  // by upper handle
  std::unordered_map<NdisOffloadHandle, NdisOffloadHandle, HandleHash> upperOf_;
  std::unordered_map<const OffloadBlock*, BlockEntry> blocks_;
};

}  // namespace chimney
