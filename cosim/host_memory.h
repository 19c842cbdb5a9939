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
#pragma once

#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>

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
    uint64_t injectedErrors = 0;
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
  // The next `count` DMA accesses of the chosen direction(s) overlapping
  // [busAddr, busAddr + bytes) answer TLM_GENERIC_ERROR_RESPONSE (SLVERR).
  void failDma(uint64_t busAddr, uint64_t bytes, unsigned count, bool reads, bool writes);

  const Stats& stats() const { return stats_; }
  uint64_t strayDmaCount() const { return stats_.strayDma; }
  SparseMemory& storage() { return storage_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  bool injectFault(bool isWrite, uint64_t addr, uint64_t bytes);

  Config config_;
  SparseMemory storage_;
  Stats stats_;
  struct Fault {
    uint64_t addr = 0, bytes = 0;
    unsigned count = 0;
    bool reads = false, writes = false;
  } fault_;
};

}  // namespace chimney
