// The driver's side of one queue pair's rings in host memory (PRM sections
// 3 to 5): the one ring model used by the offload target (SqWriter,
// CqReader in driver_model/) and by the cycle harness (QueuePair in verif/).
//
// QueueRing: a ring of 2^log2 slots at a base address, where slot `ptr`
// lies, the register writes that place it (through any callable
// `bool write(offset, value)`), and a move to new memory with its contents
// (the pointers carry on). SqRing writes request descriptors at the
// producer pointer (tail); CqRing reads the completion descriptor at the
// consumer pointer (head), valid only when its phase bit is the one
// expected for the pass, ~(head >> log2Entries) & 1. Neither checks for a
// full ring: that is the owner's policy.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "device_interface.h"
#include "prm.h"

namespace chimney {

// Slot size and placing registers (PRM 3, 4) of each kind of ring.
struct SqLayout {
  static constexpr unsigned kEntryBytes = prm::kSqEntryBytes;
  static constexpr uint32_t kBaseLo = prm::reg::kSqBaseLo, kBaseHi = prm::reg::kSqBaseHi,
                            kSize = prm::reg::kSqSize;
};
struct CqLayout {
  static constexpr unsigned kEntryBytes = prm::kCqEntryBytes;
  static constexpr uint32_t kBaseLo = prm::reg::kCqBaseLo, kBaseHi = prm::reg::kCqBaseHi,
                            kSize = prm::reg::kCqSize;
};

template <class Layout>
class QueueRing {
 public:
  static constexpr unsigned kEntryBytes = Layout::kEntryBytes;

  QueueRing(DmaMemory& memory, uint64_t base, unsigned log2Entries)
      : memory_(&memory), base_(base), log2_(log2Entries) {}

  uint64_t base() const { return base_; }
  unsigned log2Entries() const { return log2_; }
  uint32_t entries() const { return 1u << log2_; }
  uint64_t bytes() const { return uint64_t{kEntryBytes} << log2_; }
  uint64_t slotAddr(uint16_t ptr) const {
    return base_ + uint64_t{kEntryBytes} * (ptr & (entries() - 1));
  }
  // Copies the ring's bytes to `base` and continues there.
  void moveTo(uint64_t base) {
    std::vector<uint8_t> copy(bytes());
    memory_->read(base_, copy.data(), copy.size());
    memory_->write(base, copy.data(), copy.size());
    base_ = base;
  }
  // Continues at `base` without copying.
  void rebase(uint64_t base) { base_ = base; }
  // Writes the base (LO, HI) and, with `size`, the size, which zeroes both
  // hardware pointers. Returns false when a write was refused.
  template <class Write>
  bool program(Write&& write, unsigned qp, bool size) const {
    bool ok = write(prm::reg::qp(qp, Layout::kBaseLo), uint32_t(base_));
    ok = write(prm::reg::qp(qp, Layout::kBaseHi), uint32_t(base_ >> 32)) && ok;
    if (size) ok = write(prm::reg::qp(qp, Layout::kSize), log2_) && ok;
    return ok;
  }

 protected:
  DmaMemory& memory() const { return *memory_; }

 private:
  DmaMemory* memory_;
  uint64_t base_;
  unsigned log2_;
};

class SqRing : public QueueRing<SqLayout> {
 public:
  using QueueRing::QueueRing;
  uint16_t tail() const { return tail_; }
  // The pointer restarts at 0 (after SQ_SIZE was written).
  void restart() { tail_ = 0; }
  // Writes `r` at tail and advances it; returns the pointer written.
  uint16_t push(const prm::Request& r);
  // The request in the slot of `ptr`.
  prm::Request at(uint16_t ptr) const;

 private:
  uint16_t tail_ = 0;
};

class CqRing : public QueueRing<CqLayout> {
 public:
  using QueueRing::QueueRing;
  uint16_t head() const { return head_; }
  bool expectedPhase() const { return prm::phaseFor(head_, log2Entries()); }
  // Zeroes the ring (phase 0 everywhere: no slot valid) and head.
  void restart();
  // The descriptor at head when its phase is the expected one.
  std::optional<prm::Completion> peek() const;
  // Consumes the descriptor at head (after peek() returned one).
  void pop() { ++head_; }

 private:
  uint16_t head_ = 0;
};

}  // namespace chimney
