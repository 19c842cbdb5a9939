#include "sparse_memory.h"

#include <algorithm>
#include <cstring>

namespace chimney::rtltest {

void SparseMemory::read(uint64_t addr, void* dst, size_t bytes) const {
  auto* out = static_cast<uint8_t*>(dst);
  while (bytes > 0) {
    const uint64_t offset = addr % kPageBytes;
    const size_t chunk = std::min<size_t>(bytes, kPageBytes - offset);
    auto it = pages_.find(addr / kPageBytes);
    if (it == pages_.end())
      std::memset(out, 0, chunk);
    else
      std::memcpy(out, it->second->data() + offset, chunk);
    addr += chunk;
    out += chunk;
    bytes -= chunk;
  }
}

void SparseMemory::write(uint64_t addr, const void* src, size_t bytes) {
  const auto* in = static_cast<const uint8_t*>(src);
  while (bytes > 0) {
    const uint64_t offset = addr % kPageBytes;
    const size_t chunk = std::min<size_t>(bytes, kPageBytes - offset);
    auto& page = pages_[addr / kPageBytes];
    if (!page) page = std::make_unique<Page>(Page{});
    std::memcpy(page->data() + offset, in, chunk);
    addr += chunk;
    in += chunk;
    bytes -= chunk;
  }
}

void SparseMemory::fill(uint64_t addr, uint8_t value, size_t bytes) {
  const std::array<uint8_t, 256> block = [value] {
    std::array<uint8_t, 256> b{};
    b.fill(value);
    return b;
  }();
  while (bytes > 0) {
    const size_t chunk = std::min(bytes, block.size());
    write(addr, block.data(), chunk);
    addr += chunk;
    bytes -= chunk;
  }
}

uint64_t SparseMemory::read64(uint64_t addr) const {
  uint8_t b[8];
  read(addr, b, 8);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

void SparseMemory::write64(uint64_t addr, uint64_t value) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(value >> (8 * i));
  write(addr, b, 8);
}

}  // namespace chimney::rtltest
