// The only door from the offload target driver to hardware: 32-bit register
// access, DMA-able host memory, and interrupt delivery. Implemented by the
// behavioural device model (reference_device/behavioural_device.h) and by the
// TLM adapter in cosim/ that reaches the RTL, so the driver code is the same
// in both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace chimney {

// Result of a register read: `ok` is false when the device answered SLVERR.
struct RegRead {
  bool ok = false;
  uint32_t value = 0;
};

// Host memory the device can reach by DMA. The driver allocates its rings
// here; an allocation maps an IOMMU-style window for the device, and DMA
// outside every mapped window is refused (and counted) by the implementation.
class DmaMemory {
 public:
  virtual ~DmaMemory() = default;
  // Allocates and maps `bytes` (zero-filled) aligned to `align`; returns the
  // bus address.
  virtual uint64_t allocate(std::size_t bytes, std::size_t align) = 0;
  // Unmaps and frees a region returned by allocate().
  virtual void release(uint64_t busAddr) = 0;
  // CPU access to host memory (not DMA: no window check, no latency).
  virtual void read(uint64_t busAddr, void* dst, std::size_t bytes) const = 0;
  virtual void write(uint64_t busAddr, const void* src, std::size_t bytes) = 0;
};

class DeviceInterface {
 public:
  using InterruptHandler = std::function<void(unsigned vector)>;
  virtual ~DeviceInterface() = default;
  virtual RegRead read32(uint32_t offset) = 0;
  // Returns false when the device answered SLVERR.
  virtual bool write32(uint32_t offset, uint32_t value) = 0;
  virtual DmaMemory& memory() = 0;
  // The handler is called for every interrupt message, outside any register
  // access of the driver (never re-entrantly from read32/write32).
  virtual void setInterruptHandler(InterruptHandler handler) = 0;
};

}  // namespace chimney
