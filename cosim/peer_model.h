// PeerModel: the TCP protocol engine and the remote host behind it, as seen
// from the completion engine's work and event streams. Plain C++ (no
// SystemC, nothing device-specific), so the same model drives the
// behavioural device in unit tests and the RTL in the co-simulation.
//
// Time is in cycles supplied by the caller; the model never advances time by
// itself. onWork(cycle, w) takes one work item; nextEvent(cycle) hands out the
// next event due at or before `cycle`. Scenario calls (peerSend, peerFin,
// peerRst, injectEvent) act at the latest cycle seen (now()).
//
// Behaviour:
//   TX_DATA(n)  the host's bytes travel as segments of at most segmentBytes,
//               one every segmentCycles; a cumulative ACK (bytes newly
//               acknowledged) returns rttCycles after a segment, every
//               ackEverySegments segments and after the last one.
//   TX_FIN(n)   data and FIN: one FIN_ACK (bytes = n) after the data's
//               segments and a round trip; no ACK for those bytes.
//   TX_RST      the connection is reset: the peer sends nothing more on it;
//               events already on the wire still arrive (late traffic).
//   FWD(n)      FWD_DONE after fwdCycles.
//   RX_POST(n)  opens the receive window by n (used when
//               respectReceiveWindow is set; counted always).
//   Peer data   each message of peerSend()/peerStream() is cut into DATA
//               segments, PUSH on the last one; they leave one every
//               segmentCycles and arrive rttCycles/2 later.
// Events of one connection are delivered in the order they were produced.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "prm.h"

namespace chimney {

class PeerModel {
 public:
  struct Config {
    uint64_t seed = 1;
    uint32_t segmentBytes = 1460;  // MSS
    uint64_t rttCycles = 200;
    uint64_t jitterCycles = 0;  // extra delay 0..jitter per event, order per connection kept
    uint64_t segmentCycles = 1;
    unsigned ackEverySegments = 1;
    uint64_t fwdCycles = 100;
    // When set, the peer sends no more than the bytes the host has posted
    // receives for (RX_POST) plus windowSlackBytes.
    bool respectReceiveWindow = false;
    uint64_t windowSlackBytes = 0;
  };

  // Per-connection counters; "delivered" means handed out by nextEvent().
  struct ConnStats {
    uint64_t hostBytes = 0;        // data received from the host (TX_DATA + TX_FIN)
    uint64_t ackedBytes = 0;       // bytes in delivered ACK events
    uint64_t finAckedBytes = 0;    // bytes in delivered FIN_ACK events
    uint64_t peerBytesQueued = 0;  // bytes given to peerSend / peerStream
    uint64_t peerBytesSent = 0;    // bytes in delivered DATA events
    uint64_t rxPostedBytes = 0;    // bytes of RX_POST work
    uint64_t forwards = 0;         // FWD work items
    uint64_t forwardsDone = 0;     // delivered FWD_DONE events
    uint64_t messagesSent = 0;     // delivered DATA events with PUSH
    bool hostFin = false;          // TX_FIN seen
    bool hostRst = false;          // TX_RST seen
    bool peerFinSent = false;      // FIN delivered
    bool peerRstSent = false;      // RST delivered
  };

  struct Totals {
    uint64_t workItems = 0;
    uint64_t events = 0;
    uint64_t injected = 0;  // delivered events that came from injectEvent()
  };

  PeerModel();
  explicit PeerModel(const Config& config);

  // Stream side.
  void onWork(uint64_t cycle, const prm::Work& work);
  void onWorkWord(uint64_t cycle, uint64_t word) { onWork(cycle, prm::decodeWork(word)); }
  std::optional<prm::Event> nextEvent(uint64_t cycle) {
    now_ = std::max(now_, cycle);
    if (!sending_.empty()) pump();
    if (heads_.empty() || heads_.front().due > cycle) return std::nullopt;
    return popNext();
  }
  // Cycle of the earliest scheduled event, if any (lets a harness skip idle time).
  std::optional<uint64_t> nextEventCycle();
  // Moves now() forward without taking work or events.
  void advanceTo(uint64_t cycle);
  // Nothing scheduled and nothing waiting to be sent.
  bool idle() const;
  uint64_t now() const { return now_; }

  // Scenario API. Return false (and do nothing) when the peer can no longer
  // send on the connection (after its own FIN or RST, or the host's RST).
  bool peerSend(uint16_t conn, uint64_t bytes);
  // `totalBytes` as messages of random size in [minMessage, maxMessage],
  // one starting every gapCycles at the earliest.
  bool peerStream(uint16_t conn, uint64_t totalBytes, uint32_t minMessage, uint32_t maxMessage,
                  uint64_t gapCycles = 0);
  bool peerFin(uint16_t conn);  // after the data queued so far
  // Resets now: the peer's unsent data is dropped, host data reaching it
  // later is not acknowledged, the RST follows what is already on the wire.
  bool peerRst(uint16_t conn);
  // Delivers `event` as is, `delayCycles` from now, in order with the
  // connection's other events: late events and malformed ones (protocol
  // errors) for negative tests. Not counted in the connection's stats.
  void injectEvent(const prm::Event& event, uint64_t delayCycles = 0);
  // Forgets a connection (its id is about to be reused by a new offload).
  // Events already scheduled still arrive; answers held back do not.
  void forget(uint16_t conn);
  // A stalled peer: from now on its answers to the host (ACK, FIN_ACK,
  // FWD_DONE) are produced but kept back, so nothing the host sends
  // completes. releaseResponses() sends them all, each arriving a round trip
  // (FWD_DONE: fwdCycles) after the release, in order per connection; a held
  // answer keeps the peer from being idle. The host's RST (TX_RST) drops the
  // connection's held answers.
  void holdResponses() { holding_ = true; }
  void releaseResponses();
  std::size_t heldResponses() const { return held_.size(); }

  const ConnStats& stats(uint16_t conn) const;
  const Totals& totals() const { return totals_; }
  const Config& config() const { return config_; }

 private:
  enum class Origin : uint8_t { kResponse, kPeerData, kInjected };
  struct Scheduled {
    prm::Event event;
    uint64_t sendTime = 0;
    Origin origin = Origin::kResponse;
  };
  // A scheduled event with its due cycle and scheduling order.
  struct Queued {
    uint64_t due;
    uint64_t seq;
    Scheduled s;
  };
  // One connection's scheduled events, oldest first: a ring in a vector
  // that grows to the most the connection ever had waiting.
  class EventFifo {
   public:
    bool empty() const { return size_ == 0; }
    const Queued& front() const { return ring_[head_]; }
    void popFront() {
      head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
      --size_;
    }
    void pushBack(const Queued& q);
    // Drops the entries `drop` is true of (called once each), keeping order.
    template <typename Pred>
    void dropIf(Pred drop);

   private:
    // Index in ring_ of the i-th entry from the front (i <= size_ < ring_.size()).
    std::size_t slot(std::size_t i) const {
      const std::size_t at = head_ + i;
      return at >= ring_.size() ? at - ring_.size() : at;
    }
    std::vector<Queued> ring_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
  };
  struct Message {
    uint64_t bytesLeft = 0;
    uint64_t notBefore = 0;
  };
  struct Conn {
    ConnStats stats;
    std::deque<Message> backlog;  // peer data not yet cut into segments
    bool finQueued = false;       // peerFin() called
    bool finScheduled = false;
    bool closed = false;        // the peer sends nothing new
    uint64_t peerLinkFree = 0;  // earliest send time of the peer's next segment
    uint64_t hostLinkFree = 0;  // same for the host's data arriving at the peer
    uint64_t lastDue = 0;       // keeps the connection's events in order
    uint64_t windowSent = 0;    // peer bytes cut into segments
    EventFifo events;           // scheduled, in (due, scheduling order) order
  };

  // The connection's state, made on first use.
  Conn& conn(uint16_t c) {
    if (c >= conns_.size()) conns_.resize(std::size_t{c} + 1);
    std::unique_ptr<Conn>& k = conns_[c];
    if (!k) k = std::make_unique<Conn>();
    return *k;
  }
  uint64_t jitter();
  void schedule(uint16_t c, uint64_t due, const prm::Event& e, uint64_t sendTime, Origin origin);
  void pump();
  void pumpConn(uint16_t c, Conn& k);
  void dropHeld(uint16_t c);
  // Counts a delivered event of connection `k` (the one it was scheduled on).
  void account(Conn& k, const Scheduled& s);

  Config config_;
  std::mt19937_64 rng_;
  uint64_t now_ = 0;
  uint64_t seq_ = 0;
  // The scheduled events leave in (due cycle, scheduling order) order, which
  // is unique. A connection schedules its events in that order (`lastDue`),
  // so each connection keeps them in its FIFO (Conn::events) and a min-heap
  // holds the first entry of every FIFO that is not empty.
  struct Head {
    uint64_t due;
    uint64_t seq;
    Conn* conn;
  };
  // The heap's order (a function object, so the heap algorithms inline it).
  struct Later {
    bool operator()(const Head& a, const Head& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };
  void pushHead(Conn& k);
  prm::Event popNext();  // takes the first scheduled event (due now)
  void siftDownTop();    // restores the heap after its top entry grew
  // Drops the queued events `drop` is true of (called once each).
  template <typename Pred>
  void dropQueued(Pred drop);
  std::vector<Head> heads_;
  // By connection id (null: never named): a per-event lookup is an index,
  // not a tree walk. A Conn never moves (the heap points at it).
  std::vector<std::unique_ptr<Conn>> conns_;
  std::set<uint16_t> sending_;  // connections with backlog or a FIN to send
  bool holding_ = false;
  std::deque<prm::Event> held_;  // answers kept back by holdResponses()
  Totals totals_;
};

}  // namespace chimney
