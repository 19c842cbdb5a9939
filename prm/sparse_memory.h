// SparseMemory: host memory for the behavioural device and the driver-model
// unit tests. Plain C++ implementation of chimney::DmaMemory.
//
// - Storage is sparse: 4 KiB pages created on first write; unwritten bytes
//   read as zero. CPU-side read()/write() reach any address unchecked.
// - allocate() carves a zeroed region out of a bump allocator (starting above
//   4 GiB so the high halves of 64-bit ring bases are exercised) and maps it
//   as a DMA window, IOMMU style. Each region is followed by an unmapped
//   guard page, so a device overrunning a ring is caught.
// - The device side uses dmaRead()/dmaWrite(): an access that does not lie
//   entirely inside one mapped window is refused (returns false, memory
//   unchanged) and counted as a stray DMA.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "device_interface.h"

namespace chimney {

class SparseMemory final : public DmaMemory {
 public:
  static constexpr uint64_t kPageBytes = 4096;
  static constexpr uint64_t kDefaultAllocBase = 0x1'0000'0000ull;

  explicit SparseMemory(uint64_t allocBase = kDefaultAllocBase);
  // Not copied or moved: `recent_` points into this object's pages.
  SparseMemory(const SparseMemory&) = delete;
  SparseMemory& operator=(const SparseMemory&) = delete;

  // DmaMemory (CPU side).
  uint64_t allocate(std::size_t bytes, std::size_t align) override;
  void release(uint64_t busAddr) override;
  void read(uint64_t busAddr, void* dst, std::size_t bytes) const override;
  void write(uint64_t busAddr, const void* src, std::size_t bytes) override;

  // Maps [busAddr, busAddr + bytes) as a DMA window without allocating
  // (tests place rings at chosen addresses). Overlapping windows are allowed.
  void mapWindow(uint64_t busAddr, uint64_t bytes);
  void unmapWindow(uint64_t busAddr);
  bool isMapped(uint64_t busAddr, uint64_t bytes) const;
  // Length of the window that starts at busAddr (the first, when several
  // do); 0 when none does.
  uint64_t windowBytes(uint64_t busAddr) const;

  // Device side: refused (false) and counted when outside every window.
  bool dmaRead(uint64_t busAddr, void* dst, std::size_t bytes);
  bool dmaWrite(uint64_t busAddr, const void* src, std::size_t bytes);

  uint64_t strayDmaCount() const { return strayCount_; }
  uint64_t lastStrayAddress() const { return lastStray_; }
  uint64_t dmaReadCount() const { return dmaReads_; }
  uint64_t dmaWriteCount() const { return dmaWrites_; }
  std::size_t mappedWindowCount() const { return windows_.size(); }
  std::size_t residentPages() const { return pages_.size(); }

  // Little-endian helpers for CPU-side access.
  uint64_t read64(uint64_t busAddr) const;
  void write64(uint64_t busAddr, uint64_t value);
  // CPU side: clears [busAddr, busAddr + bytes) (pages never written stay absent).
  void zero(uint64_t busAddr, uint64_t bytes);

 private:
  using Page = std::vector<uint8_t>;
  Page& pageFor(uint64_t pageNumber);
  // The resident page, or null; remembers it in `recent_`.
  Page* findPage(uint64_t pageNumber) const;
  // A device access of [busAddr, busAddr + bytes): true, counted in
  // `accesses`, when it lies inside a window; else false, counted as stray.
  bool admitDma(uint64_t busAddr, std::size_t bytes, uint64_t& accesses);

  std::map<uint64_t, std::unique_ptr<Page>> pages_;  // page number -> bytes (never dropped)
  // Pages found lately, direct-mapped by page number: a ring's pages are
  // used over and over, a map lookup each time is most of an access.
  static constexpr std::size_t kRecent = 8;
  struct Recent {
    uint64_t pageNumber = ~uint64_t{0};
    Page* page = nullptr;
  };
  mutable std::array<Recent, kRecent> recent_{};
  std::multimap<uint64_t, uint64_t> windows_;  // start -> length
  uint64_t nextAlloc_;
  uint64_t strayCount_ = 0;
  uint64_t lastStray_ = 0;
  uint64_t dmaReads_ = 0;
  uint64_t dmaWrites_ = 0;
};

}  // namespace chimney
