// SqWriter: the driver's producer side of one submission queue (PRM sections
// 3 and 4). It owns the ring (an SqRing of prm/queue_rings.h in a DmaRegion,
// see OwnedRing), tracks the last engine consumer pointer it has read
// (`head`) against the producer pointer (`tail`), and rings the SQ_TAIL
// doorbell.
//
// Invariants: 0 <= tail - head <= entries (mod 2^16); a slot is rewritten only
// after the engine has fetched it (SQ_HEAD moved past it); the doorbell never
// announces an entry that has not been written to memory.
#pragma once

#include <cstdint>

#include "device_interface.h"
#include "owned_ring.h"
#include "prm.h"
#include "queue_rings.h"

namespace chimney {

class SqWriter : public OwnedRing<SqRing> {
 public:
  enum class HeadRead { kOk, kReadFailed, kOutOfRange };

  using OwnedRing::OwnedRing;

  // Writes SQ_BASE_LO/HI and SQ_SIZE (the latter zeroes both hardware
  // pointers, so the driver's pointers restart at 0 too). The queue pair
  // must be disabled. Returns false when the device refused a write.
  bool program();

  uint16_t tail() const { return ring_.tail(); }
  uint16_t head() const { return head_; }
  uint16_t doorbell() const { return doorbell_; }
  uint32_t used() const { return uint16_t(tail() - head_); }
  uint32_t freeSlots() const { return entries() - used(); }
  bool full() const { return freeSlots() == 0; }

  // Reads SQ_HEAD. A value that would put more than `entries` between head
  // and tail, or behind the last head read, cannot be true; it is refused.
  HeadRead refreshHead();
  // Writes `request` into the slot at tail and advances tail. Returns false
  // (and writes nothing) when the ring is full by the last head read.
  bool push(const prm::Request& request);
  // Announces every written entry (SQ_TAIL = tail). Returns false when the
  // device answered SLVERR. A doorbell that would not move anything is
  // skipped unless `force` is set.
  bool ringDoorbell(bool force = false);
  // Decodes the entry at ring slot `ptr mod entries` (tests, diagnostics).
  prm::Request entryAt(uint16_t ptr) const { return ring_.at(ptr); }

 private:
  uint16_t head_ = 0;
  uint16_t doorbell_ = 0;
};

}  // namespace chimney
