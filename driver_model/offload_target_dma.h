// DmaRegion: RAII ownership of one allocation in the device-reachable host
// memory (chimney::DmaMemory). The offload target keeps its rings in these;
// releasing unmaps the window, so a ring that is moved or torn down can no
// longer be reached by the device.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "device_interface.h"

namespace chimney {

class DmaRegion {
 public:
  DmaRegion() = default;
  // Allocates `bytes` zero-filled, aligned to `align`.
  DmaRegion(DmaMemory& memory, std::size_t bytes, std::size_t align)
      : memory_(&memory), bytes_(bytes), busAddr_(memory.allocate(bytes, align)) {}
  ~DmaRegion() { reset(); }
  DmaRegion(const DmaRegion&) = delete;
  DmaRegion& operator=(const DmaRegion&) = delete;
  DmaRegion(DmaRegion&& other) noexcept { *this = std::move(other); }
  DmaRegion& operator=(DmaRegion&& other) noexcept {
    if (this != &other) {
      reset();
      memory_ = std::exchange(other.memory_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
      busAddr_ = std::exchange(other.busAddr_, 0);
    }
    return *this;
  }

  bool valid() const { return memory_ != nullptr; }
  uint64_t busAddr() const { return busAddr_; }
  std::size_t bytes() const { return bytes_; }

  void read(std::size_t offset, void* dst, std::size_t n) const {
    memory_->read(busAddr_ + offset, dst, n);
  }
  void write(std::size_t offset, const void* src, std::size_t n) {
    memory_->write(busAddr_ + offset, src, n);
  }

  void reset() {
    if (memory_ != nullptr) memory_->release(busAddr_);
    memory_ = nullptr;
    bytes_ = 0;
    busAddr_ = 0;
  }

 private:
  DmaMemory* memory_ = nullptr;
  std::size_t bytes_ = 0;
  uint64_t busAddr_ = 0;
};

}  // namespace chimney
