// SqWriter: the driver's producer side of one submission queue (PRM sections
// 3 and 4). It owns the ring memory, encodes request descriptors into it,
// tracks the producer pointer (`tail`) and the last engine consumer pointer
// it has read (`head`), and rings the SQ_TAIL doorbell.
//
// Invariants: 0 <= tail - head <= entries (mod 2^16); a slot is rewritten only
// after the engine has fetched it (SQ_HEAD moved past it); the doorbell never
// announces an entry that has not been written to memory.
#pragma once

#include <cstdint>

#include "device_interface.h"
#include "offload_target_dma.h"
#include "prm.h"

namespace chimney {

class SqWriter {
 public:
  enum class HeadRead { kOk, kReadFailed, kOutOfRange };

  SqWriter(DeviceInterface& device, unsigned qp, unsigned log2Entries);

  // Writes SQ_BASE_LO/HI and SQ_SIZE (the latter zeroes both hardware
  // pointers, so the driver's pointers restart at 0 too). The queue pair
  // must be disabled. Returns false when the device refused a write.
  bool program();
  // Moves the ring to fresh memory with the same contents and reprograms the
  // base (not the size: the pointers carry on). Queue pair disabled.
  bool relocate();

  unsigned log2Entries() const { return log2Entries_; }
  uint32_t entries() const { return 1u << log2Entries_; }
  uint64_t base() const { return ring_.busAddr(); }
  uint16_t tail() const { return tail_; }
  uint16_t head() const { return head_; }
  uint16_t doorbell() const { return doorbell_; }
  uint32_t used() const { return uint16_t(tail_ - head_); }
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
  prm::Request entryAt(uint16_t ptr) const;

 private:
  uint32_t reg(uint32_t off) const { return prm::reg::qp(qp_, off); }

  DeviceInterface& device_;
  unsigned qp_;
  unsigned log2Entries_;
  DmaRegion ring_;
  uint16_t tail_ = 0;
  uint16_t head_ = 0;
  uint16_t doorbell_ = 0;
};

}  // namespace chimney
