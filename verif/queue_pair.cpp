#include "queue_pair.h"

#include <vector>

namespace chimney::rtltest {

using namespace prm::reg;

RingLayout defaultLayout(unsigned q, unsigned sqLog2, unsigned cqLog2) {
  RingLayout l;
  l.sqBase = 0x1'0000'0000ull + uint64_t{q} * 0x100'0000ull;
  l.cqBase = 0x2'0000'0000ull + uint64_t{q} * 0x100'0000ull;
  l.sqLog2 = sqLog2;
  l.cqLog2 = cqLog2;
  return l;
}

QueuePair::QueuePair(EngineBench& bench, unsigned q, const RingLayout& layout)
    : bench_(bench), q_(q), layout_(layout) {}

uint64_t QueuePair::sqSlotAddr(uint16_t ptr) const {
  return layout_.sqBase + uint64_t{prm::kSqEntryBytes} * (ptr & ((1u << layout_.sqLog2) - 1));
}
uint64_t QueuePair::cqSlotAddr(uint16_t ptr) const {
  return layout_.cqBase + uint64_t{prm::kCqEntryBytes} * (ptr & ((1u << layout_.cqLog2) - 1));
}

void QueuePair::registerWindows() {
  bench_.axi().setReadWindow(q_, layout_.sqBase,
                             layout_.sqBase + (uint64_t{prm::kSqEntryBytes} << layout_.sqLog2));
  bench_.axi().setWriteWindow(q_, layout_.cqBase,
                              layout_.cqBase + (uint64_t{prm::kCqEntryBytes} << layout_.cqLog2));
}

void QueuePair::configure(bool irqEnable, uint16_t modCount, uint32_t modTimer) {
  bench_.memory().zero(layout_.cqBase, uint64_t{prm::kCqEntryBytes} << layout_.cqLog2);
  bench_.writeReg(qp(q_, kSqBaseLo), uint32_t(layout_.sqBase));
  bench_.writeReg(qp(q_, kSqBaseHi), uint32_t(layout_.sqBase >> 32));
  bench_.writeReg(qp(q_, kSqSize), layout_.sqLog2);
  bench_.writeReg(qp(q_, kCqBaseLo), uint32_t(layout_.cqBase));
  bench_.writeReg(qp(q_, kCqBaseHi), uint32_t(layout_.cqBase >> 32));
  bench_.writeReg(qp(q_, kCqSize), layout_.cqLog2);
  bench_.writeReg(qp(q_, kIrqModCount), modCount);
  bench_.writeReg(qp(q_, kIrqModTimer), modTimer);
  sqTail_ = 0;
  cqHead_ = 0;
  headWritten_ = 0;
  received_.clear();
  taken_ = 0;
  registerWindows();
  setEnabled(true, irqEnable);
}

void QueuePair::setEnabled(bool enable, bool irqEnable) {
  bench_.writeReg(qp(q_, kQpCtrl),
                  (enable ? prm::qpctrl::kEnable : 0) | (irqEnable ? prm::qpctrl::kIrqEnable : 0));
}

void QueuePair::moveRings(uint64_t sqBase, uint64_t cqBase) {
  const size_t sqBytes = size_t{prm::kSqEntryBytes} << layout_.sqLog2;
  const size_t cqBytes = size_t{prm::kCqEntryBytes} << layout_.cqLog2;
  std::vector<uint8_t> buf(sqBytes > cqBytes ? sqBytes : cqBytes);
  bench_.memory().read(layout_.sqBase, buf.data(), sqBytes);
  bench_.memory().write(sqBase, buf.data(), sqBytes);
  bench_.memory().read(layout_.cqBase, buf.data(), cqBytes);
  bench_.memory().write(cqBase, buf.data(), cqBytes);
  bench_.writeReg(qp(q_, kSqBaseLo), uint32_t(sqBase));
  bench_.writeReg(qp(q_, kSqBaseHi), uint32_t(sqBase >> 32));
  bench_.writeReg(qp(q_, kCqBaseLo), uint32_t(cqBase));
  bench_.writeReg(qp(q_, kCqBaseHi), uint32_t(cqBase >> 32));
  layout_.sqBase = sqBase;
  layout_.cqBase = cqBase;
  registerWindows();
}

uint16_t QueuePair::post(const prm::Request& r) {
  const auto bytes = prm::encodeRequest(r);
  bench_.memory().write(sqSlotAddr(sqTail_), bytes.data(), bytes.size());
  return sqTail_++;
}

void QueuePair::ring() {
  bench_.writeReg(qp(q_, kSqTail), sqTail_);
}

size_t QueuePair::poll() {
  size_t found = 0;
  for (;;) {
    uint8_t raw[prm::kCqEntryBytes];
    bench_.memory().read(cqSlotAddr(cqHead_), raw, sizeof raw);
    const prm::Completion c = prm::decodeCompletion(raw);
    if (c.phase != prm::phaseFor(cqHead_, layout_.cqLog2)) break;
    received_.push_back({c, cqHead_, bench_.cycle()});
    ++cqHead_;
    ++found;
  }
  if (autoHead_ && headWritten_ != cqHead_) writeHead(false);
  return found;
}

void QueuePair::writeHead(bool arm) {
  uint16_t value = cqHead_;
  if (clampHead_) {
    const auto tail = uint16_t(bench_.readReg(qp(q_, kCqTail)));
    const auto ahead = uint16_t(cqHead_ - tail);
    if (ahead != 0 && ahead < 0x8000) value = tail;
  }
  bench_.writeReg(qp(q_, kCqHead), value | (arm ? prm::kCqHeadArm : 0));
  headWritten_ = value;
}

std::vector<prm::Completion> QueuePair::wait(size_t n, uint64_t timeout) {
  bench_.runUntil(
      [&] {
        poll();
        return untaken() >= n;
      },
      timeout,
      std::to_string(n) + " completions on queue pair " + std::to_string(q_) + " (have " +
          std::to_string(untaken()) + ")");
  std::vector<prm::Completion> out;
  for (size_t i = 0; i < n; ++i) out.push_back(received_[taken_ + i].cpl);
  taken_ += n;
  return out;
}

std::vector<prm::Completion> QueuePair::drain(uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; ++i) {
    poll();
    bench_.step();
  }
  poll();
  std::vector<prm::Completion> out;
  for (; taken_ < received_.size(); ++taken_) out.push_back(received_[taken_].cpl);
  return out;
}

}  // namespace chimney::rtltest
