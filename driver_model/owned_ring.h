// OwnedRing: one ring of the driver's ring model (prm/queue_rings.h) in a
// DmaRegion the offload target owns: the base of SqWriter and CqReader. It
// programs the ring's registers and moves the ring to fresh memory (the
// recovery of a halted queue pair, PRM 7), the pointers carrying on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "device_interface.h"
#include "offload_target_dma.h"
#include "prm.h"
#include "queue_rings.h"

namespace chimney {

template <class Ring>
class OwnedRing {
 public:
  OwnedRing(DeviceInterface& device, unsigned qp, unsigned log2Entries)
      : device_(device),
        qp_(qp),
        region_(device.memory(), std::size_t{Ring::kEntryBytes} << log2Entries, kRingAlign),
        ring_(device.memory(), region_.busAddr(), log2Entries) {}

  unsigned log2Entries() const { return ring_.log2Entries(); }
  uint32_t entries() const { return ring_.entries(); }
  uint64_t base() const { return region_.busAddr(); }

  // Moves the ring to fresh memory with the same contents and writes the
  // base (not the size: the pointers carry on). Queue pair disabled. On a
  // refused write the old ring stays: the device still points at it.
  bool relocate() {
    DmaRegion fresh(device_.memory(), region_.bytes(), kRingAlign);
    const uint64_t old = ring_.base();
    ring_.moveTo(fresh.busAddr());
    const bool ok = ring_.program(writer(), qp_, false);
    if (ok) {
      region_ = std::move(fresh);
    } else {
      ring_.rebase(old);
    }
    return ok;
  }

 protected:
  // Restarts the ring and writes its base and size (the size zeroes both
  // hardware pointers). The queue pair must be disabled. Returns false when
  // the device refused a write.
  bool programRing() {
    ring_.restart();
    return ring_.program(writer(), qp_, true);
  }
  uint32_t reg(uint32_t off) const { return prm::reg::qp(qp_, off); }

  DeviceInterface& device_;

 private:
  static constexpr std::size_t kRingAlign = 4096;  // PRM: bases are 4 KiB aligned
  auto writer() {
    return [this](uint32_t off, uint32_t value) { return device_.write32(off, value); };
  }

  unsigned qp_;
  DmaRegion region_;  // before ring_: the ring is placed in it

 protected:
  Ring ring_;
};

}  // namespace chimney
