// StreamPeer: what the transactor needs from the protocol engine on the other
// side of the work and event streams. Plain C++, called from the transactor's
// cycle loop (no SystemC): onWork() for every work word the engine hands over,
// nextEvent() once per cycle while no event is waiting on the event stream.
//
// PeerStream<P> adapts any class with the PeerModel shape (onWork, nextEvent,
// idle) without a dependency on it.
#pragma once

#include <cstdint>
#include <optional>

#include "prm.h"

namespace chimney {

class StreamPeer {
 public:
  virtual ~StreamPeer() = default;
  // A work word left the engine at the rising edge of `cycle`.
  virtual void onWork(uint64_t cycle, const prm::Work& work) = 0;
  // The next event due at or before `cycle`, if any. Called at most once per
  // cycle, and only while the previous event has been taken by the engine.
  virtual std::optional<prm::Event> nextEvent(uint64_t cycle) = 0;
  // True while the peer has anything scheduled (an event not yet due): the
  // transactor then does not consider the system quiescent.
  virtual bool busy() const = 0;
};

// Adapter for a peer class P with onWork(uint64_t, const prm::Work&),
// nextEvent(uint64_t) and idle() (e.g. PeerModel): PeerStream<PeerModel>.
template <class P>
class PeerStream final : public StreamPeer {
 public:
  explicit PeerStream(P& peer) : peer_(peer) {}
  void onWork(uint64_t cycle, const prm::Work& work) override { peer_.onWork(cycle, work); }
  std::optional<prm::Event> nextEvent(uint64_t cycle) override { return peer_.nextEvent(cycle); }
  bool busy() const override { return !peer_.idle(); }

 private:
  P& peer_;
};

}  // namespace chimney
