// Private state of the Scoreboard (testbench/scoreboard.h), shared by its
// host-level checks (scoreboard.cpp) and its edge / IM checks
// (scoreboard_edges.cpp). Not part of the scoreboard's interface.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pooled_allocator.h"
#include "scoreboard.h"

namespace chimney {

// Where an IM holds a request NBL: one entry per NBL with a bit per place
// (the same as three sets of pointers, in one node per NBL). An NBL no bit
// of which is set is dropped.
class NblPlaces {
 public:
  enum Place : uint8_t { kDownInside = 1, kBelow = 2, kUpInside = 4 };
  void insert(const NetBufferList* nbl, Place p) { places_[nbl] |= p; }
  // True when the NBL was there.
  bool erase(const NetBufferList* nbl, Place p) {
    auto it = places_.find(nbl);
    if (it == places_.end() || (it->second & p) == 0) return false;
    it->second = uint8_t(it->second & ~p);
    if (it->second == 0) places_.erase(it);
    return true;
  }
  std::size_t nbls() const { return places_.size(); }
  std::size_t count() const;  // NBL-place pairs (the three sets' sizes summed)

 private:
  PooledUnorderedMap<const NetBufferList*, uint8_t> places_;
};

// A set of ids kept as disjoint closed ranges [first, last]. Ids handed out
// in increasing order (as IM call-entry ids are) collapse into one range, so
// "was this id ever allocated" stays exact in constant memory.
class IdRanges {
 public:
  void insert(uint64_t id);
  bool contains(uint64_t id) const;
  std::size_t ranges() const { return ranges_.size(); }

 private:
  std::map<uint64_t, uint64_t> ranges_;  // first -> last
};

struct Scoreboard::State {
  // ---- What the host posted and still expects back
  struct PostRec {
    ConnectionId conn;
    OffloadOp op = OffloadOp::kSend;
    uint32_t flags = 0;
    uint32_t offset0 = 0;  // NET_BUFFER DataOffset at the post
    uint32_t length0 = 0;  // NET_BUFFER DataLength at the post
    uint64_t seq = 0;      // global posting order
    uint64_t time = 0;
    // Receive posted after the peer's FIN with nothing left buffered for it.
    bool mustBeInvalidState = false;
  };
  struct ConnRec {
    bool opened = false, terminateRequested = false;
    bool finEvent = false, aborted = false;
    bool abortiveDisconnectPosted = false;
    std::deque<uint64_t> sends, receives;  // outstanding, posting order
    // Hardware binding and what the peer did (known only when reported).
    bool bound = false;
    uint16_t hwConn = 0;
    uint64_t peerSent = 0;
    bool peerFin = false, peerRst = false;
    uint64_t delivered = 0;        // receive completions + indicated bytes consumed
    bool drainedAfterFin = false;  // a receive after FIN came back INVALID_STATE
    // Stream order (invariant 6, ReceiveStreamOrder), from the completion
    // descriptors the target read: `placed` is the stream offset of the
    // oldest byte the device still buffers (bytes placed in receives whose
    // descriptor was read, plus bytes the host took from indications).
    bool streamKnown = false;  // a receive or RX_INDICATE descriptor was read
    bool streamOff = false;    // no longer judged (abort, upload, a violation found)
    uint64_t placed = 0;
    uint64_t arrived = 0;  // end of the stream as far as descriptors tell
  };
  struct Held {
    ConnectionId conn;
    uint64_t time = 0;
  };

  // ---- Topology and edges
  struct ImTrack {
    NdisMiniportHandle upper;  // the IM's miniport edge
    NdisBindingHandle lower;   // the IM's binding to the miniport below
    // kDownInside: from above, not passed on; kBelow: passed down, not back;
    // kUpInside: back from below, not passed up.
    NblPlaces requests;
    PooledUnorderedMap<const NetBufferList*, int> indicationsBelow;  // active indications
    PooledUnorderedSet<const NetBufferList*> returnsAbove;           // active receive returns
    struct Entry {
      const NetBufferList* nbl = nullptr;
      OffloadOp op = OffloadOp::kSend;
      bool wentUp = false;
      uint64_t time = 0;
    };
    PooledUnorderedMap<uint64_t, Entry> entries;  // live (allocated, not freed)
    // The live entries of each NBL (an index of `entries`, kept in step with
    // it where entries are allocated and freed).
    PooledUnorderedMultimap<const NetBufferList*, uint64_t> entriesByNbl;
    // Every id ever allocated: an id in here and not in `entries` was freed.
    IdRanges allocated;
    std::size_t liveEntriesOf(const NetBufferList* nbl) const { return entriesByNbl.count(nbl); }
    void unindex(uint64_t entry, const NetBufferList* nbl);  // drops it from entriesByNbl
  };
  using EdgeNbl = std::pair<uint32_t, const NetBufferList*>;  // (miniport, nbl)
  struct EdgeNblHash {
    std::size_t operator()(const EdgeNbl& k) const {
      return std::hash<const void*>()(k.second) ^ (std::size_t(k.first) * 0x9E3779B97F4A7C15ull);
    }
  };
  // A request NBL that crossed a miniport edge downwards and has not come
  // back up through it.
  struct Crossing {
    uint32_t issuer = 0;    // which binding sent the NBL to the miniport
    std::size_t depth = 0;  // context-stack depth when it crossed down
  };

  Clock clock;
  uint64_t ticks = 0;
  std::function<void(const Violation&)> handler;
  std::vector<Violation> violations;
  uint64_t posts = 0, completions = 0, postSeq = 0;

  PooledUnorderedMap<const NetBufferList*, PostRec> live;
  // Every NBL pointer the host ever posted, to tell "completed again" (1)
  // from "never posted" (2). Bounded by the distinct pointers, not by the
  // posts: NBL pools reuse freed NBLs, so a long run posts the same few
  // pointers over and over.
  std::unordered_set<const NetBufferList*> everPosted;
  // The current run-unique id of each NBL pointer (the post's seq, or a new
  // one at each indication); bounded like everPosted.
  std::unordered_map<const NetBufferList*, uint64_t> nblIds;
  DriverId hostLower;  // the driver right below the host (blamed by host-level checks)
  // Connections not terminated yet; a terminated one leaves only its id in
  // `terminated` (ids are handed out in increasing order: a few ranges).
  std::map<uint32_t, ConnRec> conns;
  IdRanges terminated;
  std::unordered_map<uint16_t, ConnectionId> hwConns;
  PooledUnorderedMap<const NetBufferList*, Held> held;
  // Stream order: receive NBLs queued to the hardware by tag (until their
  // descriptor is read), and the stream offset of the first byte each read
  // receive descriptor placed (until the host gets the NBL back).
  PooledUnorderedMap<uint64_t, const NetBufferList*> receiveTags;
  PooledUnorderedMap<const NetBufferList*, uint64_t> receiveStart;
  uint64_t streamJudgedCount = 0;

  std::map<uint32_t, std::pair<DriverKind, std::string>> drivers;
  std::map<uint32_t, DriverId> miniportDriver;  // miniport -> driver
  std::map<uint32_t, DriverId> bindingDriver;   // binding -> driver
  std::map<uint32_t, ImTrack> ims;              // by DriverId
  std::map<uint32_t, int> activeInitiating;     // binding -> down calls in progress
  // binding -> every down call begun, not ended (pooled: a node per call)
  PooledMap<uint32_t, int> openDownCalls;
  std::map<std::pair<uint32_t, uint32_t>, int> activeReceiveUp;  // (binding, conn)
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> upStack;
  PooledUnorderedMap<EdgeNbl, Crossing, EdgeNblHash> crossings;
  // Invariant 5's per-connection counts of the completion list being
  // checked (onHostCompletion), kept from list to list for their room.
  struct ListConn {
    uint32_t conn;
    int partialSends;
    bool sendFailedSeen;
  };
  std::vector<ListConn> listConns;

  uint64_t now() { return clock ? clock() : ++ticks; }
  ConnRec& conn(ConnectionId c) { return conns[c.value]; }
  bool isTerminated(ConnectionId c) const { return c.valid() && terminated.contains(c.value); }
  // Invariant 6 at the end of a connection's stream: drained after the FIN,
  // every byte the peer sent was delivered.
  void checkDrained(ConnectionId c, const ConnRec& conn);
  // Invariant 6, stream order: a receive completion or an indication
  // reaching the host must start at the host's end of the stream (called
  // before `delivered` counts it).
  bool streamJudged(const ConnRec& conn) const;
  void streamAtReceiveCompletion(ConnectionId c, ConnRec& conn, const NetBufferList* nbl);
  void streamAtIndication(ConnectionId c, ConnRec& conn, const NetBufferList* nbl,
                          uint32_t consumed);
  // Blame for a stream-order violation: the layer holding the first
  // outstanding receive of `c` that starts before `before` ("" if none).
  std::string streamHolder(ConnectionId c, uint64_t before);
  void report(int invariant, const char* check, ConnectionId conn, std::optional<OffloadOp> op,
              const NetBufferList* nbl, const std::string& detail, std::string layer = {});
  ImTrack* imByMiniport(NdisMiniportHandle m);
  ImTrack* imByBinding(NdisBindingHandle b);
  // The IM behind a handle of driverByHandle (null: none).
  ImTrack* imBehind(const std::map<uint32_t, DriverId>& driverByHandle, uint32_t handle);
  // An IM's track, made when the IM is first named.
  ImTrack& imTrack(DriverId im);
  // What imByMiniport / imByBinding answered per handle value (null: no
  // IM), looked up in a few contiguous entries instead of two maps per edge
  // call. Cleared whenever the driver tables change (registrations), and
  // holding at most kImMemoEntries handles (beyond: the maps are asked).
  static constexpr std::size_t kImMemoEntries = 16;
  using ImMemo = std::vector<std::pair<uint32_t, ImTrack*>>;
  ImMemo imByMiniportMemo, imByBindingMemo;
  void forgetImMemo() {
    imByMiniportMemo.clear();
    imByBindingMemo.clear();
  }
  // The memo's answer for `handle`, or else `lookUp(handle)`, remembered
  // while the memo has room.
  template <typename LookUp>
  static ImTrack* memoised(ImMemo& memo, uint32_t handle, LookUp lookUp) {
    for (const auto& [h, im] : memo) {
      if (h == handle) return im;
    }
    ImTrack* im = lookUp(handle);
    if (memo.size() < kImMemoEntries) memo.emplace_back(handle, im);
    return im;
  }
  std::string edgeName(NdisBindingHandle b, NdisMiniportHandle m) const;
  std::string driverName(DriverId d) const;
  // The driver owning a miniport edge / a binding ("?" when unknown).
  std::string miniportOwner(NdisMiniportHandle m) const;
  // The driver that holds the outstanding request posted as `seq`: the
  // lowest layer it went down to and has not come back up from ("" when it
  // is below no edge). Remembered for the last seq asked: a lost request
  // is asked about for every later one of its connection.
  std::string holderOf(uint64_t seq);
  uint64_t holderSeq = 0;
  std::string holderName;
  // An NBL the host posts again must not still hold an IM call entry whose
  // completion already went up: that entry leaked. Reported once, naming the
  // IM and the operation that leaked it, and dropped from the NBL's index so
  // the new request is judged on its own.
  void reportLeakedEntries(const NetBufferList* nbl);
  std::string bindingOwner(NdisBindingHandle b) const;
};

}  // namespace chimney
