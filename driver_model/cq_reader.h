// CqReader: the driver's consumer side of one completion queue (PRM sections
// 3 and 5). It owns the ring memory (zeroed, so no slot is valid before the
// engine writes it), reads the slot at the consumer pointer (`head`), accepts
// it only when its phase bit matches the expected phase for this pass, and
// writes the CQ_HEAD doorbell (with ARM to re-arm the interrupt).
//
// Invariants: head only advances over slots whose phase matched; the
// expected phase is ~(head >> log2Entries) & 1, so it flips at each wrap.
#pragma once

#include <cstdint>
#include <optional>

#include "device_interface.h"
#include "offload_target_dma.h"
#include "prm.h"

namespace chimney {

class CqReader {
 public:
  CqReader(DeviceInterface& device, unsigned qp, unsigned log2Entries);

  // Writes CQ_BASE_LO/HI and CQ_SIZE (zeroes both hardware pointers) and
  // zeroes the ring. Queue pair disabled.
  bool program();
  // Moves the ring to fresh memory with the same contents (phase bits
  // included), reprograms the base; pointers carry on. Queue pair disabled.
  bool relocate();

  unsigned log2Entries() const { return log2Entries_; }
  uint32_t entries() const { return 1u << log2Entries_; }
  uint64_t base() const { return ring_.busAddr(); }
  uint16_t head() const { return head_; }
  // Head value last written to CQ_HEAD.
  uint16_t doorbell() const { return doorbell_; }
  bool expectedPhase() const { return prm::phaseFor(head_, log2Entries_); }

  // The descriptor at head when its phase is the expected one.
  std::optional<prm::Completion> peek() const;
  // Consumes the descriptor at head (call only after peek() returned one).
  void pop() { ++head_; }
  // CQ_HEAD = head, with ARM when `arm`. Returns false on SLVERR.
  bool writeHead(bool arm) { return writeHead(arm, head_); }
  // CQ_HEAD = `value` (at most head), with ARM when `arm`.
  bool writeHead(bool arm, uint16_t value);

 private:
  uint32_t reg(uint32_t off) const { return prm::reg::qp(qp_, off); }

  DeviceInterface& device_;
  unsigned qp_;
  unsigned log2Entries_;
  DmaRegion ring_;
  uint16_t head_ = 0;
  uint16_t doorbell_ = 0;
};

}  // namespace chimney
