// BehaviouralDevice: construction, reset, the step loop, interrupt
// moderation and delivery, DMA error handling. Registers are in
// behavioural_device_regs.cpp, SQ fetch and the CQ writer in
// behavioural_device_queues.cpp, requests and events in
// behavioural_device_matcher.cpp.
#include "behavioural_device.h"

#include <stdexcept>
#include <utility>

namespace chimney {

BehaviouralDevice::BehaviouralDevice() : BehaviouralDevice(Config{}) {}

BehaviouralDevice::BehaviouralDevice(const Config& config) : config_(config) {
  if (config_.numConn < 1 || config_.numConn > 4096) {
    throw std::invalid_argument("BehaviouralDevice: NUM_CONN must be 1..4096");
  }
  if (config_.numQp < 1 || config_.numQp > 16) {
    throw std::invalid_argument("BehaviouralDevice: NUM_QP must be 1..16");
  }
  if (config_.reqSlots < 16 || config_.reqSlots > 4096) {
    throw std::invalid_argument("BehaviouralDevice: REQ_SLOTS must be 16..4096");
  }
  reset();
}

void BehaviouralDevice::reset() {
  // Everything as after `rst` (SOFT_RESET too). Host memory, the cycle count,
  // the interrupt handler and the error-injection knobs belong to the world
  // around the device and survive.
  enable_ = false;
  errStatus_ = 0;
  errInfoQp_ = 0;
  errInfoConn_ = 0;
  cmdArg_ = 0;
  cmdResult_ = prm::CmdResult::kOk;
  busyReadsLeft_ = 0;
  counters_ = Counters{};
  std::vector<QueuePair> fresh(config_.numQp);
  for (unsigned q = 0; q < qps_.size() && q < fresh.size(); ++q) {
    fresh[q].failFetches = qps_[q].failFetches;
    fresh[q].failCplWrites = qps_[q].failCplWrites;
  }
  qps_ = std::move(fresh);
  conns_.assign(config_.numConn, Conn{});
  slotsInUse_ = 0;
  nextSeq_ = 0;
  events_.clear();
  work_.clear();
  irqs_.clear();
}

void BehaviouralDevice::setInterruptHandler(InterruptHandler handler) {
  handler_ = std::move(handler);
}

// ---- Stepping -------------------------------------------------------------

void BehaviouralDevice::step() {
  ++cycle_;
  if (enable_) {
    unsigned n = 0;
    while (!events_.empty() && (config_.eventsPerStep == 0 || n < config_.eventsPerStep)) {
      const prm::Event e = events_.front();
      events_.pop_front();
      matchEvent(e);
      ++n;
    }
    for (unsigned q = 0; q < config_.numQp; ++q) fetch(q);
  }
  for (unsigned q = 0; q < config_.numQp; ++q) writeCompletions(q);
  for (unsigned q = 0; q < config_.numQp; ++q) evaluateModeration(q);
  deliverInterrupts();
}

void BehaviouralDevice::run(uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; ++i) step();
}

uint64_t BehaviouralDevice::runUntilIdle(uint64_t maxCycles) {
  uint64_t n = 0;
  // Always take at least one step so interrupts raised by register writes
  // are delivered.
  do {
    step();
    ++n;
  } while (!idle() && n < maxCycles);
  return n;
}

bool BehaviouralDevice::idle() const {
  if (!irqs_.empty()) return false;
  if (enable_ && !events_.empty()) return false;
  for (unsigned q = 0; q < config_.numQp; ++q) {
    const QueuePair& p = qps_[q];
    if (enable_ && canFetch(q)) return false;
    if (canWriteCompletion(q)) return false;
    // An interrupt the moderation timer would still fire.
    const bool unsignalled = p.cqTail != p.signalledTail;
    if (p.irqEnable && p.armed && (p.fireNow || (unsignalled && p.irqModTimer != 0))) {
      return false;
    }
  }
  return true;
}

// ---- Work and events ------------------------------------------------------

std::optional<prm::Work> BehaviouralDevice::popWork() {
  if (work_.empty()) return std::nullopt;
  prm::Work w = work_.front();
  work_.pop_front();
  return w;
}

void BehaviouralDevice::pushEvent(const prm::Event& event) {
  events_.push_back(event);
}

void BehaviouralDevice::emitWork(prm::WorkType type, uint16_t c, uint32_t bytes) {
  work_.push_back(prm::Work{type, c, bytes});
}

// ---- Interrupts -----------------------------------------------------------

void BehaviouralDevice::raiseIrq(unsigned vector) {
  ++counters_.irq;
  irqs_.push_back(vector);
}

void BehaviouralDevice::deliverInterrupts() {
  // A handler may access registers (and so raise further interrupts); those
  // are delivered by this same loop, never by a nested call.
  if (delivering_) return;
  delivering_ = true;
  while (!irqs_.empty()) {
    const unsigned v = irqs_.front();
    irqs_.pop_front();
    if (handler_) handler_(v);
  }
  delivering_ = false;
}

void BehaviouralDevice::evaluateModeration(unsigned q) {
  QueuePair& p = qps_[q];
  const uint16_t unsignalled = uint16_t(p.cqTail - p.signalledTail);
  if (!p.irqEnable || !p.armed) return;
  bool fire = p.fireNow;
  if (unsignalled != 0) {
    const uint16_t count = p.irqModCount <= 1 ? 1 : p.irqModCount;
    if (unsignalled >= count) fire = true;
    if (p.irqModTimer != 0 && cycle_ - p.firstUnsignalled >= p.irqModTimer) fire = true;
  }
  if (!fire) return;
  p.armed = false;
  p.fireNow = false;
  p.signalledTail = p.cqTail;
  raiseIrq(q);
}

// ---- Errors ---------------------------------------------------------------

void BehaviouralDevice::raiseError(uint32_t bit) {
  const bool rises = (errStatus_ & bit) == 0;
  errStatus_ |= bit;
  if (rises) raiseIrq(config_.numQp);  // the error vector
}

void BehaviouralDevice::dmaError(unsigned q, uint32_t bit) {
  QueuePair& p = qps_[q];
  p.halted = true;
  ++counters_.dmaErr;
  errInfoQp_ = uint8_t(q);
  raiseError(bit);
}

void BehaviouralDevice::protocolError(uint16_t c) {
  ++counters_.protoErr;
  errInfoConn_ = c;
  raiseError(prm::err::kProto);
}

bool BehaviouralDevice::dmaBlocked(uint64_t addr, uint64_t bytes) const {
  return failRangeSet_ && addr < failHi_ && failLo_ < addr + bytes;
}

void BehaviouralDevice::failNextFetch(unsigned q) {
  ++qps_.at(q).failFetches;
}
void BehaviouralDevice::failNextCompletionWrite(unsigned q) {
  ++qps_.at(q).failCplWrites;
}
void BehaviouralDevice::failDmaRange(uint64_t lo, uint64_t hi) {
  failRangeSet_ = true;
  failLo_ = lo;
  failHi_ = hi;
}
void BehaviouralDevice::clearDmaFailRange() {
  failRangeSet_ = false;
}

}  // namespace chimney
