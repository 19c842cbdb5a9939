#include "engine_bench.h"

#include <cstdio>

#include "Vcpl_engine.h"

namespace chimney::rtltest {

EngineBench::EngineBench(const BenchConfig& config)
    : config_(config),
      model_(config.model),
      axi_(memory_, log_, config.seed * 4 + 0),
      csr_(log_),
      work_(log_, config.seed * 4 + 1),
      events_(log_, config.seed * 4 + 2),
      irq_(log_, config.seed * 4 + 3) {}

void EngineBench::reset(unsigned cycles) {
  model_.reset(cycles);
  axi_.resetBus();
  csr_.abandon();
  events_.clearQueue();
}

void EngineBench::awaitConnTableClear() {
  run(numConn());
}

void EngineBench::step() {
  Vcpl_engine& io = model_.io();
  const uint64_t now = model_.cycle();
  EngineOutputs edge{};
  if (config_.checkRegisteredOutputs) edge = engineOutputs(io);
  if (csrPins_.drive) {
    csrPins_.drive(io, now);
  } else {
    csr_.drive(io);
  }
  axi_.drive(io, now);
  work_.drive(io);
  events_.drive(io);
  irq_.drive(io);
  model_.settle();
  if (config_.checkRegisteredOutputs && engineOutputs(io) != edge)
    log_.add(now, "output follows an input combinationally: " + changedEngineOutputs(io, edge));
  if (csrPins_.sample) {
    csrPins_.sample(io, now);
  } else {
    csr_.sample(io, now);
  }
  axi_.sample(io, now);
  work_.sample(io, now);
  events_.sample(io, now);
  irq_.sample(io, now);
  model_.tick();
}

void EngineBench::run(uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; ++i) step();
}

void EngineBench::runUntil(const std::function<bool()>& done, uint64_t timeout,
                           const std::string& what) {
  const uint64_t start = cycle();
  while (!done()) {
    if (cycle() - start >= timeout)
      throw HarnessError("timeout after " + std::to_string(timeout) + " cycles waiting for " +
                         what + " (cycle " + std::to_string(cycle()) + ")");
    step();
  }
}

void EngineBench::waitCsr(const char* what, uint16_t addr) {
  const uint64_t start = cycle();
  while (csr_.busy()) {
    if (cycle() - start >= config_.csrTimeout) {
      csr_.abandon();
      char msg[96];
      std::snprintf(msg, sizeof msg, "CSR %s of 0x%04x got no response in %llu cycles", what,
                    unsigned(addr), static_cast<unsigned long long>(config_.csrTimeout));
      throw HarnessError(msg);
    }
    step();
  }
}

CsrResult EngineBench::read32(uint16_t addr) {
  csr_.startRead(addr);
  waitCsr("read", addr);
  return csr_.result();
}

uint8_t EngineBench::write32(uint16_t addr, uint32_t value, uint8_t strb) {
  csr_.startWrite(addr, value, strb);
  waitCsr("write", addr);
  return csr_.result().resp;
}

uint32_t EngineBench::readReg(uint16_t addr) {
  const CsrResult r = read32(addr);
  if (!r.ok()) throw HarnessError("CSR read of " + std::to_string(addr) + " answered SLVERR");
  return r.data;
}

void EngineBench::writeReg(uint16_t addr, uint32_t value) {
  if (write32(addr, value) != 0)
    throw HarnessError("CSR write of " + std::to_string(addr) + " answered SLVERR");
}

prm::CmdResult EngineBench::connCmd(uint16_t conn, uint8_t qp, uint8_t op) {
  writeReg(prm::reg::kConnCmd, uint32_t{conn} | uint32_t{qp} << 16 | uint32_t(op & 0xF) << 24);
  const uint64_t start = cycle();
  for (;;) {
    const uint32_t status = readReg(prm::reg::kConnCmdStatus);
    if (!prm::cmdBusy(status)) return prm::cmdResult(status);
    // after a reset a command also waits for the connection table's clearing
    if (cycle() - start >= config_.csrTimeout + numConn())
      throw HarnessError("CONN_CMD for conn " + std::to_string(conn) + " stayed BUSY");
  }
}

prm::CmdResult EngineBench::offload(uint16_t conn, uint8_t qp) {
  return connCmd(conn, qp, uint8_t(prm::ConnOp::kOffload));
}

prm::CmdResult EngineBench::terminate(uint16_t conn, uint8_t qp) {
  return connCmd(conn, qp, uint8_t(prm::ConnOp::kTerminate));
}

prm::CmdResult EngineBench::rxConsumed(uint16_t conn, uint8_t qp, uint32_t bytes) {
  writeReg(prm::reg::kConnCmdArg, bytes);
  return connCmd(conn, qp, uint8_t(prm::ConnOp::kRxConsumed));
}

void EngineBench::readCaps() {
  if (numQp_ != 0) return;
  const uint32_t caps0 = readReg(prm::reg::kCaps0);
  const uint32_t caps1 = readReg(prm::reg::kCaps1);
  numConn_ = caps0 & 0xFFFF;
  numQp_ = (caps0 >> 16) & 0xFF;
  reqSlots_ = caps1 & 0xFFFF;
  if (numQp_ == 0 || numConn_ == 0) throw HarnessError("CAPS0 reads zero parameters");
}

unsigned EngineBench::numConn() {
  readCaps();
  return numConn_;
}
unsigned EngineBench::numQp() {
  readCaps();
  return numQp_;
}
unsigned EngineBench::reqSlots() {
  readCaps();
  return reqSlots_;
}

}  // namespace chimney::rtltest
