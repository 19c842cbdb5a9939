#include "queue_pair.h"

#include <optional>
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
    : bench_(bench),
      q_(q),
      layout_(layout),
      sq_(bench.memory(), layout.sqBase, layout.sqLog2),
      cq_(bench.memory(), layout.cqBase, layout.cqLog2) {}

void QueuePair::registerWindows() {
  bench_.axi().setReadWindow(q_, layout_.sqBase, layout_.sqBase + sq_.bytes());
  bench_.axi().setWriteWindow(q_, layout_.cqBase, layout_.cqBase + cq_.bytes());
}

void QueuePair::programRings(bool sizes) {
  auto write = [this](uint32_t off, uint32_t value) {
    bench_.writeReg(uint16_t(off), value);
    return true;
  };
  sq_.program(write, q_, sizes);
  cq_.program(write, q_, sizes);
}

void QueuePair::configure(bool irqEnable, uint16_t modCount, uint32_t modTimer) {
  cq_.restart();
  programRings(true);
  bench_.writeReg(qp(q_, kIrqModCount), modCount);
  bench_.writeReg(qp(q_, kIrqModTimer), modTimer);
  sq_.restart();
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
  sq_.moveTo(sqBase);
  cq_.moveTo(cqBase);
  programRings(false);
  layout_.sqBase = sqBase;
  layout_.cqBase = cqBase;
  registerWindows();
}

void QueuePair::ring() {
  bench_.writeReg(qp(q_, kSqTail), sq_.tail());
}

size_t QueuePair::poll() {
  size_t found = 0;
  while (const std::optional<prm::Completion> c = cq_.peek()) {
    received_.push_back({*c, cq_.head(), bench_.cycle()});
    cq_.pop();
    ++found;
  }
  if (autoHead_ && headWritten_ != cq_.head()) writeHead(false);
  return found;
}

void QueuePair::writeHead(bool arm) {
  uint16_t value = cq_.head();
  if (clampHead_) {
    const auto tail = uint16_t(bench_.readReg(qp(q_, kCqTail)));
    const auto ahead = uint16_t(cq_.head() - tail);
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
