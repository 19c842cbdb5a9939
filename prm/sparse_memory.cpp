#include "sparse_memory.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace chimney {

SparseMemory::SparseMemory(uint64_t allocBase) : nextAlloc_(allocBase) {}

uint64_t SparseMemory::allocate(std::size_t bytes, std::size_t align) {
  if (align == 0 || (align & (align - 1)) != 0) {
    throw std::invalid_argument("SparseMemory::allocate: alignment must be a power of two");
  }
  const uint64_t a = std::max<uint64_t>(align, 8);
  const uint64_t addr = (nextAlloc_ + a - 1) & ~(a - 1);
  const uint64_t len = std::max<uint64_t>(bytes, 1);
  // Round the end up to a page and leave one unmapped guard page behind it.
  nextAlloc_ = ((addr + len + kPageBytes - 1) & ~(kPageBytes - 1)) + kPageBytes;
  zero(addr, len);
  windows_.emplace(addr, len);
  return addr;
}

void SparseMemory::release(uint64_t busAddr) {
  auto it = windows_.find(busAddr);
  if (it == windows_.end()) throw std::invalid_argument("SparseMemory::release: unknown region");
  const uint64_t len = it->second;
  windows_.erase(it);
  zero(busAddr, len);
}

void SparseMemory::mapWindow(uint64_t busAddr, uint64_t bytes) {
  windows_.emplace(busAddr, bytes);
}

void SparseMemory::unmapWindow(uint64_t busAddr) {
  auto it = windows_.find(busAddr);
  if (it != windows_.end()) windows_.erase(it);
}

uint64_t SparseMemory::windowBytes(uint64_t busAddr) const {
  const auto it = windows_.find(busAddr);
  return it == windows_.end() ? 0 : it->second;
}

bool SparseMemory::isMapped(uint64_t busAddr, uint64_t bytes) const {
  if (bytes == 0 || busAddr + bytes < busAddr) return false;
  // Any window starting at or before busAddr may contain it.
  for (auto it = windows_.begin(); it != windows_.end() && it->first <= busAddr; ++it) {
    if (busAddr + bytes <= it->first + it->second) return true;
  }
  return false;
}

SparseMemory::Page* SparseMemory::findPage(uint64_t pageNumber) const {
  Recent& r = recent_[pageNumber % kRecent];
  if (r.pageNumber == pageNumber) return r.page;
  auto it = pages_.find(pageNumber);
  if (it == pages_.end()) return nullptr;
  r = Recent{pageNumber, it->second.get()};
  return r.page;
}

SparseMemory::Page& SparseMemory::pageFor(uint64_t pageNumber) {
  if (Page* page = findPage(pageNumber)) return *page;
  auto& slot = pages_[pageNumber];
  slot = std::make_unique<Page>(kPageBytes, 0);
  recent_[pageNumber % kRecent] = Recent{pageNumber, slot.get()};
  return *slot;
}

void SparseMemory::zero(uint64_t busAddr, uint64_t bytes) {
  while (bytes > 0) {
    const uint64_t off = busAddr % kPageBytes;
    const uint64_t n = std::min(bytes, kPageBytes - off);
    if (Page* page = findPage(busAddr / kPageBytes)) std::memset(page->data() + off, 0, n);
    busAddr += n;
    bytes -= n;
  }
}

void SparseMemory::read(uint64_t busAddr, void* dst, std::size_t bytes) const {
  auto* out = static_cast<uint8_t*>(dst);
  while (bytes > 0) {
    const uint64_t off = busAddr % kPageBytes;
    const std::size_t n = std::min<uint64_t>(bytes, kPageBytes - off);
    if (const Page* page = findPage(busAddr / kPageBytes)) {
      std::memcpy(out, page->data() + off, n);
    } else {
      std::memset(out, 0, n);
    }
    out += n;
    busAddr += n;
    bytes -= n;
  }
}

void SparseMemory::write(uint64_t busAddr, const void* src, std::size_t bytes) {
  const auto* in = static_cast<const uint8_t*>(src);
  while (bytes > 0) {
    const uint64_t off = busAddr % kPageBytes;
    const std::size_t n = std::min<uint64_t>(bytes, kPageBytes - off);
    std::memcpy(pageFor(busAddr / kPageBytes).data() + off, in, n);
    in += n;
    busAddr += n;
    bytes -= n;
  }
}

bool SparseMemory::admitDma(uint64_t busAddr, std::size_t bytes, uint64_t& accesses) {
  if (!isMapped(busAddr, bytes)) {
    ++strayCount_;
    lastStray_ = busAddr;
    return false;
  }
  ++accesses;
  return true;
}

bool SparseMemory::dmaRead(uint64_t busAddr, void* dst, std::size_t bytes) {
  if (!admitDma(busAddr, bytes, dmaReads_)) return false;
  read(busAddr, dst, bytes);
  return true;
}

bool SparseMemory::dmaWrite(uint64_t busAddr, const void* src, std::size_t bytes) {
  if (!admitDma(busAddr, bytes, dmaWrites_)) return false;
  write(busAddr, src, bytes);
  return true;
}

uint64_t SparseMemory::read64(uint64_t busAddr) const {
  uint8_t b[8];
  read(busAddr, b, sizeof b);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

void SparseMemory::write64(uint64_t busAddr, uint64_t value) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(value >> (8 * i));
  write(busAddr, b, sizeof b);
}

}  // namespace chimney
