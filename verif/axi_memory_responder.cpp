#include "axi_memory_responder.h"

#include <cstdio>
#include <string>

#include "Vcpl_engine.h"

namespace chimney::rtltest {
namespace {
std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}
bool overlaps(uint64_t lo, uint64_t hi, uint64_t a, uint64_t b) {
  return lo < b && a < hi;
}
}  // namespace

AxiMemoryResponder::AxiMemoryResponder(SparseMemory& memory, ViolationLog& log, uint64_t seed)
    : memory_(memory), log_(log), rng_(seed) {}

void AxiMemoryResponder::failReads(uint64_t lo, uint64_t hi, AxiResp resp) {
  readFaults_.push_back({lo, hi, resp});
}
void AxiMemoryResponder::failWrites(uint64_t lo, uint64_t hi, AxiResp resp) {
  writeFaults_.push_back({lo, hi, resp});
}
void AxiMemoryResponder::failNthRead(uint64_t n, AxiResp resp) {
  nthReadFaults_.emplace_back(n, resp);
}
void AxiMemoryResponder::failNthWrite(uint64_t n, AxiResp resp) {
  nthWriteFaults_.emplace_back(n, resp);
}
void AxiMemoryResponder::clearFaults() {
  readFaults_.clear();
  writeFaults_.clear();
  nthReadFaults_.clear();
  nthWriteFaults_.clear();
}

size_t AxiMemoryResponder::countReads(uint64_t lo, uint64_t hi) const {
  size_t n = 0;
  for (const auto& b : reads_) n += overlaps(lo, hi, b.addr, b.end()) ? 1 : 0;
  return n;
}
size_t AxiMemoryResponder::countWrites(uint64_t lo, uint64_t hi) const {
  size_t n = 0;
  for (const auto& b : writes_) n += overlaps(lo, hi, b.addr, b.end()) ? 1 : 0;
  return n;
}

void AxiMemoryResponder::resetBus() {
  readQueue_.clear();
  awQueue_.clear();
  wQueue_.clear();
  bQueue_.clear();
  rOffered_ = bOffered_ = false;
  arCheck_.clear();
  awCheck_.clear();
  wCheck_.clear();
}

bool AxiMemoryResponder::chance(unsigned percent) {
  if (percent >= 100) return true;
  return std::uniform_int_distribution<unsigned>(0, 99)(rng_) < percent;
}

void AxiMemoryResponder::drive(Vcpl_engine& io, uint64_t cycle) {
  io.m_axi_arready = arReady_;
  io.m_axi_awready = awReady_;
  io.m_axi_wready = wReady_;

  if (!rOffered_ && rMayOffer_ && !readQueue_.empty() && readQueue_.front().dueCycle <= cycle) {
    const PendingRead& p = readQueue_.front();
    const DmaBurst& b = reads_[p.index];
    rOffered_ = true;
    rData_ = b.resp == AxiResp::kOkay ? memory_.read64(b.addr + 8ull * p.beat) : 0;
  }
  io.m_axi_rvalid = rOffered_;
  if (rOffered_) {
    const PendingRead& p = readQueue_.front();
    const DmaBurst& b = reads_[p.index];
    io.m_axi_rid = b.id;
    io.m_axi_rdata = rData_;
    io.m_axi_rresp = uint8_t(b.resp);
    io.m_axi_rlast = p.beat + 1 == b.beats;
  } else {
    io.m_axi_rid = 0;
    io.m_axi_rdata = 0;
    io.m_axi_rresp = 0;
    io.m_axi_rlast = 0;
  }

  if (!bOffered_ && bMayOffer_ && !bQueue_.empty() && bQueue_.front().dueCycle <= cycle)
    bOffered_ = true;
  io.m_axi_bvalid = bOffered_;
  if (bOffered_) {
    const DmaBurst& b = writes_[bQueue_.front().index];
    io.m_axi_bid = b.id;
    io.m_axi_bresp = uint8_t(b.resp);
  } else {
    io.m_axi_bid = 0;
    io.m_axi_bresp = 0;
  }
}

void AxiMemoryResponder::checkBurst(const char* ch, uint64_t addr, unsigned len, unsigned size,
                                    unsigned burst, uint64_t cycle) {
  const std::string at = std::string(ch) + " " + hex(addr) + " len " + std::to_string(len);
  if (burst != 1) log_.add(cycle, at + ": burst type " + std::to_string(burst) + " is not INCR");
  if (size != 3) log_.add(cycle, at + ": size " + std::to_string(size) + " is not 3 (8 bytes)");
  if (len > 7) log_.add(cycle, at + ": more than 8 beats");
  if (addr % 8 != 0) log_.add(cycle, at + ": address not 8-byte aligned");
  if ((addr % 4096) + 8ull * (len + 1) > 4096) log_.add(cycle, at + ": crosses a 4 KiB boundary");
}

void AxiMemoryResponder::checkWindow(const char* ch,
                                     const std::map<unsigned, std::pair<uint64_t, uint64_t>>& w,
                                     uint64_t lo, uint64_t hi, uint64_t cycle) {
  if (!windowCheck_) return;
  for (const auto& [key, win] : w)
    if (lo >= win.first && hi <= win.second) return;
  log_.add(cycle,
           std::string(ch) + " [" + hex(lo) + ", " + hex(hi) + ") outside every ring window");
}

AxiResp AxiMemoryResponder::faultFor(const std::vector<Fault>& ranges,
                                     const std::vector<std::pair<uint64_t, AxiResp>>& nth,
                                     uint64_t number, uint64_t lo, uint64_t hi) const {
  for (const auto& [n, resp] : nth)
    if (n == number) return resp;
  for (const Fault& f : ranges)
    if (overlaps(f.lo, f.hi, lo, hi)) return f.resp;
  return AxiResp::kOkay;
}

void AxiMemoryResponder::matchWriteBeats(uint64_t cycle) {
  while (!awQueue_.empty() && !wQueue_.empty()) {
    PendingAw& aw = awQueue_.front();
    DmaBurst& b = writes_[aw.index];
    const WBeat w = wQueue_.front();
    wQueue_.pop_front();
    const bool last = aw.beat + 1 == b.beats;
    if (w.last != last)
      log_.add(cycle, "AXI W to " + hex(b.addr) + ": wlast " + std::to_string(w.last) +
                          " on beat " + std::to_string(aw.beat) + " of " + std::to_string(b.beats));
    if (w.strb != 0xFF) log_.add(cycle, "AXI W to " + hex(b.addr) + ": strobes are not all set");
    if (b.resp == AxiResp::kOkay) memory_.write64(b.addr + 8ull * aw.beat, w.data);
    ++aw.beat;
    if (last) {
      b.dataCycle = cycle;
      bQueue_.push_back({aw.index, cycle + 1 + config_.writeLatency});
      awQueue_.pop_front();
    }
  }
}

void AxiMemoryResponder::sample(const Vcpl_engine& io, uint64_t cycle) {
  // AR
  arCheck_.observe(cycle, io.m_axi_arvalid, arReady_,
                   AddrPayload{io.m_axi_arid, io.m_axi_araddr, io.m_axi_arlen, io.m_axi_arsize,
                               io.m_axi_arburst},
                   log_);
  if (io.m_axi_arvalid && arReady_) {
    DmaBurst b;
    b.addr = io.m_axi_araddr;
    b.beats = unsigned(io.m_axi_arlen) + 1;
    b.id = io.m_axi_arid;
    b.addrCycle = cycle;
    checkBurst("AXI AR", b.addr, io.m_axi_arlen, io.m_axi_arsize, io.m_axi_arburst, cycle);
    checkWindow("AXI AR", readWindows_, b.addr, b.end(), cycle);
    b.resp = faultFor(readFaults_, nthReadFaults_, reads_.size() + 1, b.addr, b.end());
    reads_.push_back(b);
    readQueue_.push_back({reads_.size() - 1, 0, cycle + 1 + config_.readLatency});
  }
  // R
  if (rOffered_ && io.m_axi_rready) {
    PendingRead& p = readQueue_.front();
    DmaBurst& b = reads_[p.index];
    rOffered_ = false;
    if (++p.beat == b.beats) {
      b.dataCycle = b.respCycle = cycle;
      b.done = true;
      readQueue_.pop_front();
    }
  }
  // AW
  awCheck_.observe(cycle, io.m_axi_awvalid, awReady_,
                   AddrPayload{io.m_axi_awid, io.m_axi_awaddr, io.m_axi_awlen, io.m_axi_awsize,
                               io.m_axi_awburst},
                   log_);
  if (io.m_axi_awvalid && awReady_) {
    DmaBurst b;
    b.addr = io.m_axi_awaddr;
    b.beats = unsigned(io.m_axi_awlen) + 1;
    b.id = io.m_axi_awid;
    b.addrCycle = cycle;
    checkBurst("AXI AW", b.addr, io.m_axi_awlen, io.m_axi_awsize, io.m_axi_awburst, cycle);
    checkWindow("AXI AW", writeWindows_, b.addr, b.end(), cycle);
    b.resp = faultFor(writeFaults_, nthWriteFaults_, writes_.size() + 1, b.addr, b.end());
    writes_.push_back(b);
    awQueue_.push_back({writes_.size() - 1, 0});
  }
  // W
  wCheck_.observe(cycle, io.m_axi_wvalid, wReady_,
                  WPayload{io.m_axi_wdata, io.m_axi_wstrb, io.m_axi_wlast != 0}, log_);
  if (io.m_axi_wvalid && wReady_) {
    wQueue_.push_back({io.m_axi_wdata, io.m_axi_wstrb, io.m_axi_wlast != 0});
    if (wQueue_.size() > 64) log_.add(cycle, "AXI W: more than 64 beats ahead of their AW");
  }
  matchWriteBeats(cycle);
  // B
  if (bOffered_ && io.m_axi_bready) {
    DmaBurst& b = writes_[bQueue_.front().index];
    b.respCycle = cycle;
    b.done = true;
    bQueue_.pop_front();
    bOffered_ = false;
  }

  arReady_ = chance(config_.readyPercent);
  awReady_ = chance(config_.readyPercent);
  wReady_ = chance(config_.readyPercent);
  rMayOffer_ = chance(config_.validPercent);
  bMayOffer_ = chance(config_.validPercent);
}

}  // namespace chimney::rtltest
