// HostMemory: host RAM as the engine's DMA sees it, a TLM-2.0 target, and as
// the driver sees it, a chimney::DmaMemory (CPU side: allocate() maps an
// IOMMU-style window, read()/write() unchecked and untimed).
//
// Storage and windows are a SparseMemory (sparse 4 KiB pages, a guard page
// after each allocation). A DMA b_transport that does not lie inside one
// mapped window is answered TLM_ADDRESS_ERROR_RESPONSE and counted as a stray
// DMA; others add the configured read or write latency to the annotated
// delay (LT style: the target never waits). failDma() makes chosen accesses
// answer TLM_GENERIC_ERROR_RESPONSE, for DMA error scenarios.
//
// Timing of data: a DMA write takes effect at its annotated time
// (sc_time_stamp() + delay, latency included), which is when the engine sees
// its write response; until then CPU reads and later DMA reads at earlier
// times see the old bytes. The window check happens at the call.
#pragma once

#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "device_interface.h"
#include "sparse_memory.h"

namespace chimney {

class HostMemory : public sc_core::sc_module, public DmaMemory {
 public:
  struct Config {
    sc_core::sc_time readLatency = sc_core::SC_ZERO_TIME;
    sc_core::sc_time writeLatency = sc_core::SC_ZERO_TIME;
  };
  struct Stats {
    uint64_t reads = 0;  // DMA accesses answered OK
    uint64_t writes = 0;
    uint64_t bytesRead = 0;
    uint64_t bytesWritten = 0;
    uint64_t strayDma = 0;  // outside every window: address error
    uint64_t lastStrayAddress = 0;
    uint64_t injectedErrors = 0;  // reads and writes
    uint64_t injectedReadErrors = 0;
    uint64_t injectedWriteErrors = 0;
    uint64_t refused = 0;  // byte enables / streaming width not supported
  };

  tlm_utils::simple_target_socket<HostMemory> socket;

  explicit HostMemory(sc_core::sc_module_name name) : HostMemory(name, Config{}) {}
  HostMemory(sc_core::sc_module_name name, const Config& config);

  // DmaMemory (CPU side).
  uint64_t allocate(std::size_t bytes, std::size_t align) override;
  void release(uint64_t busAddr) override;
  void read(uint64_t busAddr, void* dst, std::size_t bytes) const override;
  void write(uint64_t busAddr, const void* src, std::size_t bytes) override;

  void setLatency(const sc_core::sc_time& read, const sc_core::sc_time& write);
  // Called for every DMA access after it was answered (data: what was
  // read or written; ok: answered OK; an injected error or a stray access
  // is not OK). For transaction logs.
  using AccessTap =
      std::function<void(bool isWrite, uint64_t addr, const uint8_t* data, unsigned len, bool ok)>;
  void setAccessTap(AccessTap tap) { tap_ = std::move(tap); }
  // Called at every release(), before the window is unmapped, with the
  // window's first address and size.
  using ReleaseTap = std::function<void(uint64_t base, uint64_t bytes)>;
  void setReleaseTap(ReleaseTap tap) { releaseTap_ = std::move(tap); }
  // The next `count` DMA accesses of the chosen direction(s) overlapping
  // [busAddr, busAddr + bytes) answer TLM_GENERIC_ERROR_RESPONSE (SLVERR).
  // Each call arms a fault of its own beside those still armed (a read and
  // a write fault at once, or two of one direction: an access takes the
  // oldest armed fault it matches).
  void failDma(uint64_t busAddr, uint64_t bytes, unsigned count, bool reads, bool writes);
  // The same for a window that may move: `window` gives {busAddr, bytes} at
  // the time of each access (a ring the driver moves after an error).
  using Window = std::function<std::pair<uint64_t, uint64_t>()>;
  void failDma(Window window, unsigned count, bool reads, bool writes);

  const Stats& stats() const { return stats_; }
  uint64_t strayDmaCount() const { return stats_.strayDma; }
  // The first DMA access outside every mapped window, for the run's report
  // ("" while there was none): direction, bytes, address, the clock cycle
  // (of `period`) it reached memory, and the allocation it fell into after
  // the driver had released it, when it is one of the last kReleasedKept.
  std::string firstStrayDescription(const sc_core::sc_time& period) const;
  static constexpr std::size_t kReleasedKept = 64;
  // The backing store, without the timing of pending DMA writes.
  SparseMemory& storage() { return storage_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  bool injectFault(bool isWrite, uint64_t addr, uint64_t bytes);
  // Applies the DMA writes that take effect at or before `time` (in
  // time-resolution units).
  void applyWrites(uint64_t time) const;

  struct PendingWrite {
    uint64_t at;  // time the write takes effect
    uint64_t addr;
    unsigned len;
    std::array<uint8_t, 64> data;
  };

  struct Released {
    uint64_t base = 0, bytes = 0;
    uint64_t at = 0;  // time of the release
  };
  struct Stray {
    bool isWrite = false;
    uint64_t addr = 0;
    unsigned len = 0;
    uint64_t at = 0;                 // time the access reached memory
    std::optional<Released> inside;  // a released allocation it overlaps
  };
  void noteStray(bool isWrite, uint64_t addr, unsigned len, uint64_t at);

  Config config_;
  std::deque<Released> released_;  // the last kReleasedKept, oldest first
  std::optional<Stray> firstStray_;
  // Mutable: DMA writes are applied lazily, also from the const CPU read().
  mutable SparseMemory storage_;
  // Not yet applied: pending_[pendingHead_..], ordered by `at`.
  mutable std::vector<PendingWrite> pending_;
  mutable std::size_t pendingHead_ = 0;
  Stats stats_;
  AccessTap tap_;
  ReleaseTap releaseTap_;
  struct Fault {
    Window window;
    unsigned count = 0;
    bool reads = false, writes = false;
  };
  std::vector<Fault> faults_;  // armed, oldest first; a fault leaves when its count is used up
};

}  // namespace chimney
