// ModelQueuePair: the driver's view of one queue pair of the behavioural
// device (reference_device/), for the tests that hold the RTL against it:
// the ring model of prm/ placed in the device's memory, SQ entries written
// at the tail, the CQ read by phase bit up to CQ_TAIL.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "behavioural_device.h"
#include "prm.h"
#include "queue_pair.h"
#include "queue_rings.h"

namespace chimney::rtltest {

class ModelQueuePair {
 public:
  // Maps and programs the rings at `layout` and enables the queue pair.
  ModelQueuePair(BehaviouralDevice& dev, unsigned q, const RingLayout& layout)
      : dev_(dev),
        q_(q),
        sq_(dev.sparseMemory(), layout.sqBase, layout.sqLog2),
        cq_(dev.sparseMemory(), layout.cqBase, layout.cqLog2) {
    dev_.sparseMemory().mapWindow(layout.sqBase, sq_.bytes());
    dev_.sparseMemory().mapWindow(layout.cqBase, cq_.bytes());
    auto write = [this](uint32_t off, uint32_t value) { return dev_.write32(off, value); };
    sq_.program(write, q_, true);
    cq_.program(write, q_, true);
    dev_.write32(prm::reg::qp(q_, prm::reg::kQpCtrl), prm::qpctrl::kEnable);
  }

  uint16_t sqTail() const { return sq_.tail(); }
  void post(const prm::Request& r) { sq_.push(r); }
  void ring() { dev_.write32(prm::reg::qp(q_, prm::reg::kSqTail), sq_.tail()); }

  // Every descriptor up to CQ_TAIL; CQ_HEAD follows.
  std::vector<prm::Completion> poll() {
    std::vector<prm::Completion> out;
    const auto tail = uint16_t(dev_.read32(prm::reg::qp(q_, prm::reg::kCqTail)).value);
    while (cq_.head() != tail) {
      const std::optional<prm::Completion> c = cq_.peek();
      if (!c) break;
      out.push_back(*c);
      cq_.pop();
    }
    dev_.write32(prm::reg::qp(q_, prm::reg::kCqHead), cq_.head());
    return out;
  }

 private:
  BehaviouralDevice& dev_;
  unsigned q_;
  SqRing sq_;
  CqRing cq_;
};

// A connection command on the device; its result.
inline prm::CmdResult modelCommand(BehaviouralDevice& dev, uint16_t conn, uint8_t q, prm::ConnOp op,
                                   uint32_t arg) {
  dev.write32(prm::reg::kConnCmdArg, arg);
  dev.write32(prm::reg::kConnCmd, prm::encodeConnCmd(conn, q, op));
  return prm::cmdResult(dev.read32(prm::reg::kConnCmdStatus).value);
}

}  // namespace chimney::rtltest
