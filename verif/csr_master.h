// CsrMaster: AXI4-Lite master for the engine's CSR slave, one access at a
// time. start*() begins an access; the bench steps the model until done().
// Checks the slave side: no response without a request, no B before both
// AW and W were accepted.
#pragma once

#include <cstdint>

#include "violation_log.h"

class Vcpl_engine;

namespace chimney::rtltest {

struct CsrResult {
  uint8_t resp = 0;  // 0 OKAY, 2 SLVERR
  uint32_t data = 0;
  bool ok() const { return resp == 0; }
};

class CsrMaster {
 public:
  explicit CsrMaster(ViolationLog& log) : log_(log) {}

  void startRead(uint16_t addr);
  void startWrite(uint16_t addr, uint32_t data, uint8_t strb);
  bool busy() const { return kind_ != Kind::kIdle; }
  CsrResult result() const { return result_; }
  // Cycles of the last access: request accepted (AR, or the later of AW
  // and W) and response handshake.
  uint64_t requestCycle() const { return requestCycle_; }
  uint64_t responseCycle() const { return responseCycle_; }
  void abandon();

  void drive(Vcpl_engine& io) const;
  void sample(const Vcpl_engine& io, uint64_t cycle);

 private:
  enum class Kind { kIdle, kRead, kWrite };
  ViolationLog& log_;
  Kind kind_ = Kind::kIdle;
  uint16_t addr_ = 0;
  uint32_t data_ = 0;
  uint8_t strb_ = 0;
  bool addrDone_ = false, dataDone_ = false;
  CsrResult result_;
  uint64_t requestCycle_ = 0, responseCycle_ = 0;
};

}  // namespace chimney::rtltest
