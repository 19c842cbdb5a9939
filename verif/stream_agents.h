// The protocol-engine side of the completion engine and the interrupt
// controller: WorkSink collects the work stream (with ready back-pressure
// and an optional reaction hook), EventSource drives the event stream from
// a queue, IrqSink collects interrupt messages. Each records the cycle of
// every handshake and checks that the engine holds valid and payload until
// ready.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <vector>

#include "bus_chance.h"
#include "prm.h"
#include "violation_log.h"

class Vcpl_engine;

namespace chimney::rtltest {

// The ready side of one valid/ready stream the engine drives: random
// back-pressure, the check that valid and payload are held until ready, and
// the items taken, each with its cycle.
template <typename Item, typename Payload>
class StreamSink {
 public:
  StreamSink(ViolationLog& log, uint64_t seed, const char* name)
      : log_(log), readyDraws_(seed), check_(name) {}
  // Chance (percent) that ready is high in a cycle; 0 stalls the stream.
  void setReadyPercent(unsigned percent) { readyDraws_.setPercent(percent); }
  // When on (default), every item taken is kept in items(); off, items are
  // only counted (a long run's memory must not grow with its traffic).
  void setRecordItems(bool on) { record_ = on; }
  const std::vector<Item>& items() const { return items_; }
  uint64_t takenCount() const { return takenCount_; }
  void clear() { items_.clear(); }

 protected:
  bool ready() const { return ready_; }
  // Checks this cycle's valid and payload, draws the next cycle's ready;
  // true when the item was taken at this edge.
  bool take(uint64_t cycle, bool valid, const Payload& payload) {
    check_.observe(cycle, valid, ready_, payload, log_);
    const bool taken = valid && ready_;
    ready_ = readyDraws_.draw();
    takenCount_ += taken ? 1 : 0;
    return taken;
  }
  // Keeps a taken item when recording is on.
  void keep(const Item& item) {
    if (record_) items_.push_back(item);
  }
  std::vector<Item> items_;

 private:
  ViolationLog& log_;
  RandomReady readyDraws_;
  bool ready_ = true;
  bool record_ = true;
  uint64_t takenCount_ = 0;
  StableChecker<Payload> check_;
};

struct WorkItem {
  prm::Work work;
  uint64_t raw = 0;
  uint64_t cycle = 0;
};

class WorkSink : public StreamSink<WorkItem, uint64_t> {
 public:
  WorkSink(ViolationLog& log, uint64_t seed) : StreamSink(log, seed, "work stream") {}
  // Called for every accepted work item (e.g. to script the peer's answer).
  void onWork(std::function<void(const WorkItem&)> hook) { hook_ = std::move(hook); }
  std::vector<prm::Work> workFor(uint16_t conn) const;

  void drive(Vcpl_engine& io) const;
  void sample(const Vcpl_engine& io, uint64_t cycle);

 private:
  std::function<void(const WorkItem&)> hook_;
};

struct AcceptedEvent {
  uint64_t raw = 0;
  uint64_t cycle = 0;
};

class EventSource {
 public:
  EventSource(ViolationLog& log, uint64_t seed) : log_(log), rng_(seed) {}
  void push(const prm::Event& e) { pushRaw(prm::encodeEvent(e)); }
  void pushRaw(uint64_t raw) { queue_.push_back(raw); }
  bool idle() const { return queue_.empty(); }
  size_t pending() const { return queue_.size(); }
  // Chance (percent) that a queued event is offered in a cycle.
  void setValidPercent(unsigned percent) { validPercent_ = percent; }
  // When on (default), every accepted event is kept in accepted(); off,
  // accepted events are only counted.
  void setRecordAccepted(bool on) { record_ = on; }
  const std::vector<AcceptedEvent>& accepted() const { return accepted_; }
  uint64_t acceptedCount() const { return acceptedCount_; }
  void clearQueue() {
    queue_.clear();
    offered_ = false;
  }

  void drive(Vcpl_engine& io);
  void sample(const Vcpl_engine& io, uint64_t cycle);

 private:
  ViolationLog& log_;
  std::mt19937_64 rng_;
  std::deque<uint64_t> queue_;
  unsigned validPercent_ = 100;
  bool mayOffer_ = true;
  bool offered_ = false;
  bool record_ = true;
  uint64_t acceptedCount_ = 0;
  std::vector<AcceptedEvent> accepted_;
};

struct IrqMessage {
  unsigned vector = 0;
  uint64_t cycle = 0;
};

class IrqSink : public StreamSink<IrqMessage, uint8_t> {
 public:
  IrqSink(ViolationLog& log, uint64_t seed) : StreamSink(log, seed, "interrupt messages") {}
  const std::vector<IrqMessage>& messages() const { return items_; }
  size_t count(unsigned vector) const;

  void drive(Vcpl_engine& io) const;
  void sample(const Vcpl_engine& io, uint64_t cycle);
};

}  // namespace chimney::rtltest
