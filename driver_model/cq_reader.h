// CqReader: the driver's consumer side of one completion queue (PRM sections
// 3 and 5). It owns the ring (a CqRing of prm/queue_rings.h in a DmaRegion,
// see OwnedRing; zeroed, so no slot is valid before the engine writes it),
// accepts the slot at the consumer pointer (`head`) only when its phase bit
// matches the expected phase for this pass, and writes the CQ_HEAD doorbell
// (with ARM to re-arm the interrupt).
//
// Invariants: head only advances over slots whose phase matched; the
// expected phase is ~(head >> log2Entries) & 1, so it flips at each wrap.
#pragma once

#include <cstdint>
#include <optional>

#include "device_interface.h"
#include "owned_ring.h"
#include "prm.h"
#include "queue_rings.h"

namespace chimney {

class CqReader : public OwnedRing<CqRing> {
 public:
  using OwnedRing::OwnedRing;

  // Zeroes the ring and writes CQ_BASE_LO/HI and CQ_SIZE (zeroes both
  // hardware pointers). Queue pair disabled.
  bool program();

  uint16_t head() const { return ring_.head(); }
  // Head value last written to CQ_HEAD.
  uint16_t doorbell() const { return doorbell_; }
  bool expectedPhase() const { return ring_.expectedPhase(); }

  // The descriptor at head when its phase is the expected one.
  std::optional<prm::Completion> peek() const { return ring_.peek(); }
  // Consumes the descriptor at head (call only after peek() returned one).
  void pop() { ring_.pop(); }
  // CQ_HEAD = head, with ARM when `arm`. Returns false on SLVERR.
  bool writeHead(bool arm) { return writeHead(arm, head()); }
  // CQ_HEAD = `value` (at most head), with ARM when `arm`.
  bool writeHead(bool arm, uint16_t value);

 private:
  uint16_t doorbell_ = 0;
};

}  // namespace chimney
