// AxiDmaPort: the engine's DMA master answered by host memory behind TLM:
// the AxiDmaSlave (PRM section 2, its checks and timing) with a backend that
// turns each legal burst into exactly one TLM-2.0 b_transport (generic
// payload, 8..64 bytes).
//
// The data is presented from accept + max(1, ceil(latency / period)), where
// latency is the delay the memory annotated. Responses: TLM_OK -> OKAY,
// TLM_ADDRESS_ERROR_RESPONSE -> DECERR, any other -> SLVERR. A burst that
// breaks the PRM's DMA rules is not carried out: it is answered SLVERR,
// counted in protocolViolations and described in violations().
#pragma once

#include <cstdint>
#include <string>
#include <tlm>
#include <vector>

#include "axi_dma_slave.h"
#include "violation_log.h"

namespace chimney {

class AxiDmaPort : private DmaBackend {
 public:
  static constexpr unsigned kMaxBeats = AxiDmaSlave::kMaxBeats;
  static constexpr unsigned kSlots = AxiDmaSlave::kSlots;
  static constexpr uint8_t kOkay = uint8_t(AxiResp::kOkay);
  static constexpr uint8_t kSlvErr = uint8_t(AxiResp::kSlvErr);
  static constexpr uint8_t kDecErr = uint8_t(AxiResp::kDecErr);
  using Stats = AxiDmaSlave::Stats;

  explicit AxiDmaPort(const sc_core::sc_time& clockPeriod);

  // Back-pressure: arready/awready/wready high, and a due R beat or B
  // offered, each with `percent` chance in a cycle (100: always, no draws),
  // from a stream of draws seeded with `seed`. Before the first cycle.
  void setBackPressure(unsigned percent, uint64_t seed) {
    slave_.config().readyPercent = percent;
    slave_.config().validPercent = percent;
    slave_.reseed(seed);
  }

  // Where the bursts go; must be set before the first cycle.
  void setTarget(tlm::tlm_blocking_transport_if<>* target) { target_ = target; }

  template <class Io>
  void drive(Io& io, uint64_t cycle) {
    slave_.drive(io, cycle);
  }
  // Returns true when any handshake fired this cycle.
  template <class Io>
  bool sample(const Io& io, uint64_t cycle) {
    return slave_.sample(io, cycle);
  }

  // Anything accepted and not yet answered.
  bool busy() const { return slave_.busy(); }
  // The oldest burst overlapping [lo, hi) that is offered or outstanding.
  std::optional<InFlightBurst> inFlight(uint64_t lo, uint64_t hi) const {
    return slave_.inFlight(lo, hi);
  }
  const Stats& stats() const { return slave_.stats(); }
  // The first violations, readable (all are counted in stats()).
  const std::vector<std::string>& violations() const { return log_.entries(); }

 private:
  Result read(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t cycle) override;
  Result write(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t cycle) override;
  // One b_transport at `cycle`'s time.
  Result transport(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned bytes,
                   uint64_t cycle);

  tlm::tlm_blocking_transport_if<>* target_ = nullptr;
  uint64_t periodTicks_;  // clock period in time-resolution units
  tlm::tlm_generic_payload payload_;
  ViolationLog log_;
  AxiDmaSlave slave_;
};

}  // namespace chimney
