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

#include "prm.h"
#include "violation_log.h"

class Vcpl_engine;

namespace chimney::rtltest {

struct WorkItem {
  prm::Work work;
  uint64_t raw = 0;
  uint64_t cycle = 0;
};

class WorkSink {
 public:
  WorkSink(ViolationLog& log, uint64_t seed) : log_(log), rng_(seed) {}
  // Chance (percent) that m_work_ready is high in a cycle; 0 stalls the stream.
  void setReadyPercent(unsigned percent) { readyPercent_ = percent; }
  // Called for every accepted work item (e.g. to script the peer's answer).
  void onWork(std::function<void(const WorkItem&)> hook) { hook_ = std::move(hook); }
  const std::vector<WorkItem>& items() const { return items_; }
  std::vector<prm::Work> workFor(uint16_t conn) const;
  void clear() { items_.clear(); }

  void drive(Vcpl_engine& io) const;
  void sample(const Vcpl_engine& io, uint64_t cycle);

 private:
  ViolationLog& log_;
  std::mt19937_64 rng_;
  unsigned readyPercent_ = 100;
  bool ready_ = true;
  std::function<void(const WorkItem&)> hook_;
  std::vector<WorkItem> items_;
  StableChecker<uint64_t> check_{"work stream"};
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
  const std::vector<AcceptedEvent>& accepted() const { return accepted_; }
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
  std::vector<AcceptedEvent> accepted_;
};

struct IrqMessage {
  unsigned vector = 0;
  uint64_t cycle = 0;
};

class IrqSink {
 public:
  IrqSink(ViolationLog& log, uint64_t seed) : log_(log), rng_(seed) {}
  void setReadyPercent(unsigned percent) { readyPercent_ = percent; }
  const std::vector<IrqMessage>& messages() const { return messages_; }
  size_t count(unsigned vector) const;
  void clear() { messages_.clear(); }

  void drive(Vcpl_engine& io) const;
  void sample(const Vcpl_engine& io, uint64_t cycle);

 private:
  ViolationLog& log_;
  std::mt19937_64 rng_;
  unsigned readyPercent_ = 100;
  bool ready_ = true;
  std::vector<IrqMessage> messages_;
  StableChecker<uint8_t> check_{"interrupt messages"};
};

}  // namespace chimney::rtltest
