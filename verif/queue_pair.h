// QueuePair: the driver's view of one queue pair, for tests: the driver's
// ring model (SqRing and CqRing, prm/queue_rings.h) placed at a fixed
// layout in the bench's memory. Writes request descriptors at the SQ tail
// and rings the doorbell, consumes completion descriptors from the CQ by
// phase bit, advancing CQ_HEAD, and registers its rings as the DMA windows
// the AXI responder allows.
#pragma once

#include <cstdint>
#include <vector>

#include "engine_bench.h"
#include "prm.h"
#include "queue_rings.h"

namespace chimney::rtltest {

struct RingLayout {
  uint64_t sqBase = 0;
  unsigned sqLog2 = 6;
  uint64_t cqBase = 0;
  unsigned cqLog2 = 6;
};

// Rings of queue pair q above 4 GiB (so the *_HI registers matter), each
// queue pair 16 MiB apart.
RingLayout defaultLayout(unsigned q, unsigned sqLog2 = 6, unsigned cqLog2 = 6);

struct ReceivedCpl {
  prm::Completion cpl;
  uint16_t ptr = 0;    // CQ pointer it was read at
  uint64_t cycle = 0;  // cycle the driver saw it
};

class QueuePair {
 public:
  QueuePair(EngineBench& bench, unsigned q, const RingLayout& layout);

  unsigned index() const { return q_; }
  const RingLayout& layout() const { return layout_; }
  uint16_t sqTail() const { return sq_.tail(); }
  uint16_t cqHead() const { return cq_.head(); }
  uint64_t sqSlotAddr(uint16_t ptr) const { return sq_.slotAddr(ptr); }
  uint64_t cqSlotAddr(uint16_t ptr) const { return cq_.slotAddr(ptr); }

  // Zeroes the CQ, writes bases, sizes and moderation, enables the pair.
  void configure(bool irqEnable = false, uint16_t modCount = 1, uint32_t modTimer = 0);
  void setEnabled(bool enable, bool irqEnable = false);
  // While disabled: copies both rings to new bases and programs them.
  void moveRings(uint64_t sqBase, uint64_t cqBase);

  // Writes one SQ entry at the driver's tail (no doorbell); returns its ptr.
  uint16_t post(const prm::Request& r) { return sq_.push(r); }
  void ring();
  void submit(const prm::Request& r) {
    post(r);
    ring();
  }

  // When on (default), a poll that finds CQ_HEAD behind the driver's head
  // writes it.
  void setAutoHead(bool on) { autoHead_ = on; }
  // When on (default), CQ_HEAD is written no further than CQ_TAIL (read
  // first): the driver can see a descriptor in memory before the engine has
  // its write response, and a head beyond CQ_TAIL is a doorbell error (PRM 7).
  void setClampHeadToTail(bool on) { clampHead_ = on; }
  // Moves every valid descriptor from the CQ into the received list.
  size_t poll();
  void writeHead(bool arm = false);
  // Steps until `n` not yet taken descriptors are there; returns them.
  std::vector<prm::Completion> wait(size_t n, uint64_t timeout = 20000);
  // Runs `cycles` (polling) and returns every descriptor not yet taken.
  std::vector<prm::Completion> drain(uint64_t cycles);
  const std::vector<ReceivedCpl>& received() const { return received_; }
  size_t untaken() const { return received_.size() - taken_; }
  // Forgets every received descriptor, taken or not (a long-running poller
  // that handled them keeps the list from growing; its storage is reused).
  void clearReceived() {
    received_.clear();
    taken_ = 0;
  }

 private:
  void registerWindows();
  // Writes the bases (and sizes) of both rings.
  void programRings(bool sizes);

  EngineBench& bench_;
  unsigned q_;
  RingLayout layout_;
  SqRing sq_;
  CqRing cq_;
  bool autoHead_ = true;
  bool clampHead_ = true;
  uint16_t headWritten_ = 0;
  std::vector<ReceivedCpl> received_;
  size_t taken_ = 0;
};

}  // namespace chimney::rtltest
