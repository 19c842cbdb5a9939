// AxiDmaPort: the AXI4 slave that answers the engine's DMA master (PRM
// section 2) by turning each burst into exactly one TLM-2.0 b_transport
// (generic payload, 8..64 bytes) towards host memory.
//
// Cycle interface (called by the transactor's loop, plain C++): drive(io,
// cycle) sets the slave-side inputs from registered state before the model
// settles; sample(io, cycle) looks at the handshakes that fire at the rising
// edge. Io is any type with the m_axi_* members of the Verilated cpl_engine
// (tests use a plain struct), so the per-cycle path is inlined and has no
// virtual call, no allocation and no sc_time arithmetic.
//
// Behaviour:
// - AR: the read is carried out at the cycle its address is accepted; its
//   beats are presented on R, in acceptance order, from
//   accept + max(1, ceil(latency / period)) on, where latency is the delay
//   the memory annotated. Any number of reads may overlap (up to kSlots).
// - AW/W: write data may come before or after its address; the write is
//   carried out at the cycle both are complete, B follows after the
//   annotated latency in the same way.
// - Responses: TLM_OK -> OKAY, TLM_ADDRESS_ERROR_RESPONSE -> DECERR, any other
//   -> SLVERR.
// - A burst that breaks the PRM's DMA rules (size 3, INCR, 1..8 beats,
//   8-byte aligned, not crossing 4 KiB, full write strobes, WLAST on the
//   beat AWLEN says) is not carried out: it is answered SLVERR, counted in
//   protocolViolations and described in violations().
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <tlm>
#include <vector>

namespace chimney {

class AxiDmaPort {
 public:
  static constexpr unsigned kMaxBeats = 8;  // 64 bytes on the 64-bit bus
  static constexpr unsigned kSlots = 32;    // reads / writes outstanding at once
  static constexpr uint8_t kOkay = 0;
  static constexpr uint8_t kSlvErr = 2;
  static constexpr uint8_t kDecErr = 3;

  struct Stats {
    uint64_t reads = 0;  // b_transport calls
    uint64_t writes = 0;
    uint64_t bytesRead = 0;
    uint64_t bytesWritten = 0;
    uint64_t errorResponses = 0;  // SLVERR/DECERR bursts answered
    uint64_t protocolViolations = 0;
  };

  explicit AxiDmaPort(const sc_core::sc_time& clockPeriod);
  AxiDmaPort(const AxiDmaPort&) = delete;
  AxiDmaPort& operator=(const AxiDmaPort&) = delete;

  // Where the bursts go; must be set before the first cycle.
  void setTarget(tlm::tlm_blocking_transport_if<>* target) { target_ = target; }

  template <class Io>
  void drive(Io& io, uint64_t cycle);
  // Returns true when any handshake fired this cycle.
  template <class Io>
  bool sample(const Io& io, uint64_t cycle);

  // Anything accepted and not yet answered.
  bool busy() const { return readCount_ + awCount_ + wCount_ + bCount_ != 0; }
  const Stats& stats() const { return stats_; }
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  struct ReadSlot {
    uint64_t readyCycle;
    std::array<uint64_t, kMaxBeats> data;
    uint16_t beats;
    uint16_t next;
    uint8_t id;
    uint8_t resp;
  };
  struct AwEntry {
    uint64_t addr;
    uint8_t id, len, size, burst;
  };
  struct WBurst {
    std::array<uint64_t, kMaxBeats> data;
    uint16_t beats;
    bool fullStrobes;
    bool complete;
  };
  struct BEntry {
    uint64_t readyCycle;
    uint8_t id;
    uint8_t resp;
  };
  static constexpr unsigned kMask = kSlots - 1;
  static_assert((kSlots & kMask) == 0, "kSlots must be a power of two");

  void acceptRead(uint8_t id, uint64_t addr, uint8_t len, uint8_t size, uint8_t burst,
                  uint64_t cycle);
  void acceptWriteBeat(uint64_t data, uint8_t strb, bool last);
  void performWrites(uint64_t cycle);
  // Checks a burst against the PRM DMA rules; records a violation if broken.
  bool legal(const char* dir, uint64_t addr, unsigned len, unsigned size, unsigned burst);
  void violation(std::string what);
  // One b_transport; returns the AXI response, sets readyCycle.
  uint8_t transport(tlm::tlm_command cmd, uint64_t addr, unsigned bytes, uint64_t cycle,
                    uint64_t& readyCycle);

  tlm::tlm_blocking_transport_if<>* target_ = nullptr;
  uint64_t periodTicks_;  // clock period in time-resolution units
  tlm::tlm_generic_payload payload_;
  std::array<uint8_t, std::size_t{kMaxBeats} * 8> bytes_{};

  std::array<ReadSlot, kSlots> reads_{};
  unsigned readHead_ = 0, readCount_ = 0;
  std::array<AwEntry, kSlots> aws_{};
  unsigned awHead_ = 0, awCount_ = 0;
  std::array<WBurst, kSlots> ws_{};
  unsigned wHead_ = 0, wCount_ = 0;
  bool wOpen_ = false;  // the newest W burst is still receiving beats
  std::array<BEntry, kSlots> bs_{};
  unsigned bHead_ = 0, bCount_ = 0;

  Stats stats_;
  std::vector<std::string> violations_;  // the first kKeptViolations
};

template <class Io>
inline void AxiDmaPort::drive(Io& io, uint64_t cycle) {
  io.m_axi_arready = readCount_ < kSlots;
  io.m_axi_awready = awCount_ + bCount_ < kSlots;
  io.m_axi_wready = wOpen_ || wCount_ < kSlots;
  const ReadSlot& r = reads_[readHead_];
  if (readCount_ != 0 && r.readyCycle <= cycle) {
    io.m_axi_rvalid = 1;
    io.m_axi_rid = r.id;
    io.m_axi_rresp = r.resp;
    io.m_axi_rdata = r.next < kMaxBeats ? r.data[r.next] : 0;
    io.m_axi_rlast = r.next + 1 == r.beats;
  } else {
    io.m_axi_rvalid = 0;
  }
  const BEntry& b = bs_[bHead_];
  if (bCount_ != 0 && b.readyCycle <= cycle) {
    io.m_axi_bvalid = 1;
    io.m_axi_bid = b.id;
    io.m_axi_bresp = b.resp;
  } else {
    io.m_axi_bvalid = 0;
  }
}

template <class Io>
inline bool AxiDmaPort::sample(const Io& io, uint64_t cycle) {
  bool fired = false;
  if (io.m_axi_rvalid && io.m_axi_rready) {
    fired = true;
    ReadSlot& r = reads_[readHead_];
    if (++r.next == r.beats) {
      readHead_ = (readHead_ + 1) & kMask;
      --readCount_;
    }
  }
  if (io.m_axi_bvalid && io.m_axi_bready) {
    fired = true;
    bHead_ = (bHead_ + 1) & kMask;
    --bCount_;
  }
  if (io.m_axi_arvalid && io.m_axi_arready) {
    fired = true;
    acceptRead(io.m_axi_arid, io.m_axi_araddr, io.m_axi_arlen, io.m_axi_arsize, io.m_axi_arburst,
               cycle);
  }
  bool writeProgress = false;
  if (io.m_axi_awvalid && io.m_axi_awready) {
    aws_[(awHead_ + awCount_) & kMask] =
        AwEntry{io.m_axi_awaddr, uint8_t(io.m_axi_awid), uint8_t(io.m_axi_awlen),
                uint8_t(io.m_axi_awsize), uint8_t(io.m_axi_awburst)};
    ++awCount_;
    writeProgress = true;
  }
  if (io.m_axi_wvalid && io.m_axi_wready) {
    acceptWriteBeat(io.m_axi_wdata, io.m_axi_wstrb, io.m_axi_wlast);
    writeProgress = true;
  }
  if (writeProgress) {
    fired = true;
    performWrites(cycle);
  }
  return fired;
}

}  // namespace chimney
