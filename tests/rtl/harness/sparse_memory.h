// SparseMemory: byte-addressed host memory over the full 64-bit bus address
// space, allocated in 4 KiB pages on first write; unwritten bytes read 0.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace chimney::rtltest {

class SparseMemory {
 public:
  static constexpr uint64_t kPageBytes = 4096;

  void read(uint64_t addr, void* dst, size_t bytes) const;
  void write(uint64_t addr, const void* src, size_t bytes);
  void fill(uint64_t addr, uint8_t value, size_t bytes);
  uint64_t read64(uint64_t addr) const;
  void write64(uint64_t addr, uint64_t value);
  void clear() { pages_.clear(); }

 private:
  using Page = std::array<uint8_t, kPageBytes>;
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
};

}  // namespace chimney::rtltest
