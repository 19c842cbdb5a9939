// CsrMaster: the one AXI4-Lite master of the engine's CSR slave, one access
// at a time, used by the co-simulation's transactor and by the cycle
// harness. start*() begins an access; drive(io) sets the master-side inputs
// every cycle, sample(io, cycle) takes the handshakes of the rising edge and
// says when the response arrived. Io is any type with the s_axil_* members
// of the Verilated cpl_engine. Plain C++, header only.
//
// Checks the slave side (each a ViolationLog entry): no response without a
// request, no B before both AW and W were accepted, no R before AR was (a
// response in the cycle its request is accepted counts as early), and a
// response the master does not take yet is held, valid and payload alike.
//
// bready and rready are high in every cycle unless setResponseReadyPercent()
// asks for random response back-pressure.
#pragma once

#include <cstdint>
#include <random>

#include "bus_chance.h"
#include "violation_log.h"

namespace chimney {

struct CsrResult {
  uint8_t resp = 0;  // 0 OKAY, 2 SLVERR, 3 DECERR
  uint32_t data = 0;
  bool ok() const { return resp == 0; }
};

class CsrMaster {
 public:
  explicit CsrMaster(ViolationLog& log) : log_(log) {}

  void startRead(uint16_t addr) { start(Kind::kRead, addr, 0, 0); }
  void startWrite(uint16_t addr, uint32_t data, uint8_t strb) {
    start(Kind::kWrite, addr, data, strb);
  }
  bool busy() const { return kind_ != Kind::kIdle; }
  bool writing() const { return kind_ == Kind::kWrite; }
  uint16_t address() const { return addr_; }
  CsrResult result() const { return result_; }
  // Cycles of the last access: request accepted (AR, or the later of AW
  // and W) and response handshake.
  uint64_t requestCycle() const { return requestCycle_; }
  uint64_t responseCycle() const { return responseCycle_; }
  void abandon() {
    kind_ = Kind::kIdle;
    bHeld_.clear();
    rHeld_.clear();
  }
  // Chance (percent) that bready and rready are high in a cycle, drawn from
  // `seed`; 100 (the default) keeps them high.
  void setResponseReadyPercent(unsigned percent, uint64_t seed) {
    readyDraws_.set(percent, seed);
    respReady_ = readyDraws_.draw();
  }

  template <class Io>
  void drive(Io& io) const;
  // Returns true when the access in progress was answered at this edge.
  template <class Io>
  bool sample(const Io& io, uint64_t cycle);

 private:
  enum class Kind { kIdle, kRead, kWrite };
  void start(Kind kind, uint16_t addr, uint32_t data, uint8_t strb) {
    kind_ = kind;
    addr_ = addr;
    data_ = data;
    strb_ = strb;
    addrDone_ = dataDone_ = false;
  }

  ViolationLog& log_;
  Kind kind_ = Kind::kIdle;
  uint16_t addr_ = 0;
  uint32_t data_ = 0;
  uint8_t strb_ = 0;
  bool addrDone_ = false, dataDone_ = false;
  CsrResult result_;
  uint64_t requestCycle_ = 0, responseCycle_ = 0;
  RandomReady readyDraws_;
  bool respReady_ = true;  // bready and rready of this cycle
  StableChecker<uint8_t> bHeld_{"AXI-Lite B"};
  StableChecker<uint64_t> rHeld_{"AXI-Lite R"};  // {rresp, rdata}
};

template <class Io>
void CsrMaster::drive(Io& io) const {
  const bool write = kind_ == Kind::kWrite;
  const bool read = kind_ == Kind::kRead;
  io.s_axil_awvalid = write && !addrDone_;
  io.s_axil_awaddr = write ? addr_ : 0;
  io.s_axil_wvalid = write && !dataDone_;
  io.s_axil_wdata = write ? data_ : 0;
  io.s_axil_wstrb = write ? strb_ : 0;
  io.s_axil_bready = respReady_;
  io.s_axil_arvalid = read && !addrDone_;
  io.s_axil_araddr = read ? addr_ : 0;
  io.s_axil_rready = respReady_;
}

template <class Io>
bool CsrMaster::sample(const Io& io, uint64_t cycle) {
  const bool write = kind_ == Kind::kWrite;
  const bool read = kind_ == Kind::kRead;
  if (io.s_axil_bvalid && !(write && addrDone_ && dataDone_)) {
    log_.add(cycle, "AXI-Lite B without an accepted write address and data");
  }
  if (io.s_axil_rvalid && !(read && addrDone_)) {
    log_.add(cycle, "AXI-Lite R without an accepted read address");
  }
  bHeld_.observe(cycle, io.s_axil_bvalid, io.s_axil_bready, uint8_t(io.s_axil_bresp), log_);
  rHeld_.observe(cycle, io.s_axil_rvalid, io.s_axil_rready,
                 uint64_t(io.s_axil_rresp) << 32 | uint64_t(io.s_axil_rdata), log_);
  respReady_ = readyDraws_.draw();  // the next cycle's
  if (write) {
    const bool awFire = io.s_axil_awvalid && io.s_axil_awready;
    const bool wFire = io.s_axil_wvalid && io.s_axil_wready;
    if (awFire) addrDone_ = true;
    if (wFire) dataDone_ = true;
    if ((awFire || wFire) && addrDone_ && dataDone_) requestCycle_ = cycle;
    if (io.s_axil_bvalid && io.s_axil_bready && addrDone_ && dataDone_ && !(awFire || wFire)) {
      result_ = {uint8_t(io.s_axil_bresp), 0};
      responseCycle_ = cycle;
      kind_ = Kind::kIdle;
      return true;
    }
  } else if (read) {
    if (!addrDone_ && io.s_axil_arvalid && io.s_axil_arready) {
      addrDone_ = true;
      requestCycle_ = cycle;
    } else if (addrDone_ && io.s_axil_rvalid && io.s_axil_rready) {
      result_ = {uint8_t(io.s_axil_rresp), io.s_axil_rdata};
      responseCycle_ = cycle;
      kind_ = Kind::kIdle;
      return true;
    }
  }
  return false;
}

}  // namespace chimney
