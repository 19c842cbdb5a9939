#include "csr_master.h"

#include "Vcpl_engine.h"

namespace chimney::rtltest {

void CsrMaster::startRead(uint16_t addr) {
  kind_ = Kind::kRead;
  addr_ = addr;
  addrDone_ = dataDone_ = false;
}

void CsrMaster::startWrite(uint16_t addr, uint32_t data, uint8_t strb) {
  kind_ = Kind::kWrite;
  addr_ = addr;
  data_ = data;
  strb_ = strb;
  addrDone_ = dataDone_ = false;
}

void CsrMaster::abandon() {
  kind_ = Kind::kIdle;
}

void CsrMaster::drive(Vcpl_engine& io) const {
  const bool write = kind_ == Kind::kWrite;
  const bool read = kind_ == Kind::kRead;
  io.s_axil_awvalid = write && !addrDone_;
  io.s_axil_awaddr = write ? addr_ : 0;
  io.s_axil_wvalid = write && !dataDone_;
  io.s_axil_wdata = write ? data_ : 0;
  io.s_axil_wstrb = write ? strb_ : 0;
  io.s_axil_bready = 1;
  io.s_axil_arvalid = read && !addrDone_;
  io.s_axil_araddr = read ? addr_ : 0;
  io.s_axil_rready = 1;
}

void CsrMaster::sample(const Vcpl_engine& io, uint64_t cycle) {
  const bool write = kind_ == Kind::kWrite;
  const bool read = kind_ == Kind::kRead;
  if (io.s_axil_bvalid && !(write && addrDone_ && dataDone_))
    log_.add(cycle, "AXI-Lite B without an accepted write address and data");
  if (io.s_axil_rvalid && !(read && addrDone_))
    log_.add(cycle, "AXI-Lite R without an accepted read address");

  if (write) {
    const bool awFire = io.s_axil_awvalid && io.s_axil_awready;
    const bool wFire = io.s_axil_wvalid && io.s_axil_wready;
    if (awFire) addrDone_ = true;
    if (wFire) dataDone_ = true;
    if ((awFire || wFire) && addrDone_ && dataDone_) requestCycle_ = cycle;
    if (io.s_axil_bvalid && addrDone_ && dataDone_ && !(awFire || wFire)) {
      result_ = {uint8_t(io.s_axil_bresp), 0};
      responseCycle_ = cycle;
      kind_ = Kind::kIdle;
    }
  } else if (read) {
    if (!addrDone_ && io.s_axil_arvalid && io.s_axil_arready) {
      addrDone_ = true;
      requestCycle_ = cycle;
    } else if (addrDone_ && io.s_axil_rvalid) {
      result_ = {uint8_t(io.s_axil_rresp), io.s_axil_rdata};
      responseCycle_ = cycle;
      kind_ = Kind::kIdle;
    }
  }
}

}  // namespace chimney::rtltest
