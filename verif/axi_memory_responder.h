// AxiMemoryResponder: the host-memory side of the engine's DMA master in the
// cycle harness: the AxiDmaSlave (PRM 2 checks, latency, back-pressure,
// error injection, ring windows) serving bursts from a SparseMemory, every
// burst recorded with its cycles for the tests.
#pragma once

#include <cstdint>

#include "axi_dma_slave.h"
#include "sparse_memory.h"
#include "violation_log.h"

class Vcpl_engine;

namespace chimney::rtltest {

// Bursts reach the memory at once (CPU access: the responder's own window
// check stands for the IOMMU).
class SparseMemoryDma : public DmaBackend {
 public:
  explicit SparseMemoryDma(SparseMemory& memory) : memory_(memory) {}
  Result read(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t) override {
    memory_.read(addr, data, bytes);
    return {};
  }
  Result write(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t) override {
    memory_.write(addr, data, bytes);
    return {};
  }

 private:
  SparseMemory& memory_;
};

class AxiMemoryResponder : private SparseMemoryDma, public AxiDmaSlave {
 public:
  AxiMemoryResponder(SparseMemory& memory, ViolationLog& log, uint64_t seed)
      : SparseMemoryDma(memory), AxiDmaSlave(static_cast<SparseMemoryDma&>(*this), log, seed) {
    setRecordBursts(true);
  }
  void drive(Vcpl_engine& io, uint64_t cycle);
  void sample(const Vcpl_engine& io, uint64_t cycle);
};

}  // namespace chimney::rtltest
