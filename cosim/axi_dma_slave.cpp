#include "axi_dma_slave.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

namespace chimney {
namespace {

constexpr uint64_t k4KiB = 4096;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

bool overlaps(uint64_t lo, uint64_t hi, uint64_t a, uint64_t b) {
  return lo < b && a < hi;
}

size_t countOverlapping(const std::vector<DmaBurst>& log, uint64_t lo, uint64_t hi) {
  return size_t(std::count_if(log.begin(), log.end(), [&](const DmaBurst& b) {
    return overlaps(lo, hi, b.addr, b.end());
  }));
}

}  // namespace

AxiDmaSlave::AxiDmaSlave(DmaBackend& backend, ViolationLog& log, uint64_t seed)
    : backend_(backend), log_(log), rng_(seed) {}

void AxiDmaSlave::failReads(uint64_t lo, uint64_t hi, AxiResp resp) {
  readFaults_.push_back({lo, hi, resp});
}
void AxiDmaSlave::failReadBeats(uint64_t lo, uint64_t hi, AxiResp resp) {
  readBeatFaults_.push_back({lo, hi, resp});
}
void AxiDmaSlave::failWrites(uint64_t lo, uint64_t hi, AxiResp resp) {
  writeFaults_.push_back({lo, hi, resp});
}
void AxiDmaSlave::failNthRead(uint64_t n, AxiResp resp) {
  nthReadFaults_.emplace_back(n, resp);
}
void AxiDmaSlave::failNthWrite(uint64_t n, AxiResp resp) {
  nthWriteFaults_.emplace_back(n, resp);
}
void AxiDmaSlave::clearFaults() {
  readFaults_.clear();
  readBeatFaults_.clear();
  writeFaults_.clear();
  nthReadFaults_.clear();
  nthWriteFaults_.clear();
}

size_t AxiDmaSlave::countReads(uint64_t lo, uint64_t hi) const {
  return countOverlapping(readLog_, lo, hi);
}
size_t AxiDmaSlave::countWrites(uint64_t lo, uint64_t hi) const {
  return countOverlapping(writeLog_, lo, hi);
}

std::string releaseUnderDmaText(uint64_t base, uint64_t bytes, const InFlightBurst& b) {
  const char* state = !b.taken  ? "its address not yet taken"
                      : b.write ? "taken, its write response not yet given"
                                : "taken, its last data beat not yet returned";
  char text[320];
  std::snprintf(text, sizeof text,
                "released 0x%" PRIx64 "..0x%" PRIx64
                " while the engine's DMA %s of %u bytes at 0x%" PRIx64 " (offered in cycle %" PRIu64
                ") was in flight, %s; PRM 13: a driver releases a "
                "ring only once QP_STATUS.BUSY of its queue pair reads 0",
                base, base + bytes, b.write ? "write" : "read", b.bytes, b.addr, b.offered, state);
  return text;
}

std::optional<InFlightBurst> AxiDmaSlave::inFlight(uint64_t lo, uint64_t hi) const {
  std::optional<InFlightBurst> oldest;
  auto consider = [&](bool write, uint64_t addr, unsigned bytes, uint64_t offered, bool taken) {
    if (!overlaps(lo, hi, addr, addr + bytes)) return;
    if (!oldest || offered < oldest->offered)
      oldest = InFlightBurst{write, addr, bytes, offered, taken};
  };
  if (arOffer_.on) consider(false, arOffer_.addr, 8u * arOffer_.beats, arOffer_.since, false);
  if (awOffer_.on) consider(true, awOffer_.addr, 8u * awOffer_.beats, awOffer_.since, false);
  for (unsigned i = 0; i < readCount_; ++i) {
    const ReadSlot& r = reads_[(readHead_ + i) & kMask];
    consider(false, r.addr, 8u * r.beats, r.offered, true);
  }
  for (unsigned i = 0; i < awCount_; ++i) {
    const AwEntry& aw = aws_[(awHead_ + i) & kMask];
    consider(true, aw.addr, 8u * (aw.len + 1u), aw.offered, true);
  }
  for (unsigned i = 0; i < bCount_; ++i) {
    const BEntry& b = bs_[(bHead_ + i) & kMask];
    consider(true, b.addr, b.bytes, b.offered, true);
  }
  return oldest;
}

void AxiDmaSlave::resetBus() {
  readHead_ = readCount_ = 0;
  awHead_ = awCount_ = 0;
  wHead_ = wCount_ = 0;
  bHead_ = bCount_ = 0;
  wOpen_ = false;
  rOffered_ = bOffered_ = false;
  arOffer_ = awOffer_ = Offer{};
  arCheck_.clear();
  awCheck_.clear();
  wCheck_.clear();
}

bool AxiDmaSlave::legalBurst(const char* ch, uint64_t addr, unsigned len, unsigned size,
                             unsigned burst, uint64_t cycle) {
  bool legal = true;
  // The text is built only for a broken rule: this runs for every burst.
  auto broken = [&](const std::string& what) {
    log_.add(cycle,
             std::string(ch) + " " + hex(addr) + " len " + std::to_string(len) + ": " + what);
    legal = false;
  };
  if (burst != 1) broken("burst type " + std::to_string(burst) + " is not INCR");
  if (size != 3) broken("size " + std::to_string(size) + " is not 3 (8 bytes)");
  if (len + 1 > kMaxBeats) broken("more than 8 beats");
  if ((addr & 7) != 0) broken("address not 8-byte aligned");
  if ((addr & (k4KiB - 1)) + 8ull * (len + 1) > k4KiB) broken("crosses a 4 KiB boundary");
  return legal;
}

void AxiDmaSlave::checkWindow(const char* ch, const Windows& w, uint64_t lo, uint64_t hi,
                              uint64_t cycle) {
  if (!windowCheck_) return;
  for (const auto& [key, win] : w) {
    if (lo >= win.first && hi <= win.second) return;
  }
  log_.add(cycle,
           std::string(ch) + " [" + hex(lo) + ", " + hex(hi) + ") outside every ring window");
}

AxiResp AxiDmaSlave::faultFor(const std::vector<Fault>& ranges,
                              const std::vector<std::pair<uint64_t, AxiResp>>& nth, uint64_t number,
                              uint64_t lo, uint64_t hi) const {
  for (const auto& [n, resp] : nth) {
    if (n == number) return resp;
  }
  for (const Fault& f : ranges) {
    if (overlaps(f.lo, f.hi, lo, hi)) return f.resp;
  }
  return AxiResp::kOkay;
}

size_t AxiDmaSlave::recordBurst(std::vector<DmaBurst>& log, uint64_t addr, unsigned beats,
                                uint8_t id, uint64_t cycle) {
  if (!record_) return kNoRecord;
  DmaBurst b;
  b.addr = addr;
  b.beats = beats;
  b.id = id;
  b.addrCycle = cycle;
  log.push_back(b);
  return log.size() - 1;
}

void AxiDmaSlave::acceptRead(uint8_t id, uint64_t addr, uint8_t len, uint8_t size, uint8_t burst,
                             uint64_t cycle) {
  const uint64_t number = ++readsAccepted_;
  ReadSlot& r = reads_[(readHead_ + readCount_) & kMask];
  ++readCount_;
  r.id = id;
  r.addr = addr;
  r.offered = arOffer_.on ? arOffer_.since : cycle;
  r.beats = uint16_t(len + 1);
  r.next = 0;
  r.data.fill(0);
  const uint64_t end = addr + 8ull * r.beats;
  r.record = recordBurst(readLog_, addr, r.beats, id, cycle);
  checkWindow("AXI AR", readWindows_, addr, end, cycle);
  const bool legal = legalBurst("AXI AR", addr, len, size, burst, cycle);
  const AxiResp fault = faultFor(readFaults_, nthReadFaults_, number, addr, end);
  uint64_t cycles = 0;
  if (!legal || fault != AxiResp::kOkay) {
    r.resp = legal ? fault : AxiResp::kSlvErr;
  } else {
    const unsigned bytes = r.beats * 8u;
    const DmaBackend::Result res = backend_.read(addr, bytes_.data(), bytes, cycle);
    ++stats_.reads;
    r.resp = res.resp;
    cycles = res.cycles;
    if (r.resp == AxiResp::kOkay) {
      stats_.bytesRead += bytes;
      for (unsigned beat = 0; beat < r.beats; ++beat) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; --i) v = (v << 8) | bytes_[beat * 8 + unsigned(i)];
        r.data[beat] = v;
      }
    }
  }
  // What the log and the statistics see: the burst's error, else a beat's.
  AxiResp seen = r.resp;
  r.beatResp.fill(r.resp);
  if (r.resp == AxiResp::kOkay) {
    for (const Fault& f : readBeatFaults_) {
      for (unsigned beat = 0; beat < r.beats && beat < kMaxBeats; ++beat) {
        const uint64_t at = addr + 8ull * beat;
        if (overlaps(f.lo, f.hi, at, at + 8)) r.beatResp[beat] = seen = f.resp;
      }
    }
  }
  if (seen != AxiResp::kOkay) ++stats_.errorResponses;
  r.readyCycle = cycle + std::max<uint64_t>(1, cycles) + config_.readLatency;
  if (r.record != kNoRecord) readLog_[r.record].resp = seen;
}

void AxiDmaSlave::readTaken(uint64_t cycle) {
  ReadSlot& r = reads_[readHead_];
  rOffered_ = false;
  if (++r.next != r.beats) return;
  if (r.record != kNoRecord) {
    DmaBurst& b = readLog_[r.record];
    b.dataCycle = b.respCycle = cycle;
    b.done = true;
  }
  readHead_ = (readHead_ + 1) & kMask;
  --readCount_;
}

void AxiDmaSlave::acceptWriteAddress(uint8_t id, uint64_t addr, uint8_t len, uint8_t size,
                                     uint8_t burst, uint64_t cycle) {
  const uint64_t number = ++writesAccepted_;
  AwEntry& aw = aws_[(awHead_ + awCount_) & kMask];
  ++awCount_;
  const uint64_t end = addr + 8ull * (len + 1u);
  aw.addr = addr;
  aw.offered = awOffer_.on ? awOffer_.since : cycle;
  aw.id = id;
  aw.len = len;
  aw.record = recordBurst(writeLog_, addr, len + 1u, id, cycle);
  checkWindow("AXI AW", writeWindows_, addr, end, cycle);
  aw.legal = legalBurst("AXI AW", addr, len, size, burst, cycle);
  aw.fault = faultFor(writeFaults_, nthWriteFaults_, number, addr, end);
}

void AxiDmaSlave::acceptWriteBeat(uint64_t data, uint8_t strb, bool last) {
  if (!wOpen_) {
    WBurst& fresh = ws_[(wHead_ + wCount_) & kMask];
    ++wCount_;
    fresh.beats = 0;
    fresh.fullStrobes = true;
    fresh.complete = false;
    wOpen_ = true;
  }
  WBurst& w = ws_[(wHead_ + wCount_ - 1) & kMask];
  if (w.beats < kMaxBeats) w.data[w.beats] = data;
  if (w.beats < 0xFFFF) ++w.beats;
  if (strb != 0xFF) w.fullStrobes = false;
  if (last) {
    w.complete = true;
    wOpen_ = false;
  }
}

void AxiDmaSlave::performWrites(uint64_t cycle) {
  while (awCount_ != 0 && wCount_ != 0 && ws_[wHead_].complete) {
    const AwEntry aw = aws_[awHead_];
    const WBurst& w = ws_[wHead_];
    awHead_ = (awHead_ + 1) & kMask;
    --awCount_;
    BEntry& b = bs_[(bHead_ + bCount_) & kMask];
    ++bCount_;
    b.id = aw.id;
    b.addr = aw.addr;
    b.offered = aw.offered;
    b.bytes = 8u * (aw.len + 1u);
    b.record = aw.record;
    bool legal = aw.legal;
    if (w.beats != aw.len + 1u) {
      log_.add(cycle, "AXI W to " + hex(aw.addr) + ": WLAST on beat " + std::to_string(w.beats) +
                          ", AWLEN says " + std::to_string(aw.len + 1));
      legal = false;
    }
    if (!w.fullStrobes) {
      log_.add(cycle, "AXI W to " + hex(aw.addr) + ": write strobes not all set");
      legal = false;
    }
    uint64_t cycles = 0;
    if (!legal || aw.fault != AxiResp::kOkay) {
      b.resp = legal ? aw.fault : AxiResp::kSlvErr;
    } else {
      const unsigned bytes = w.beats * 8u;
      for (unsigned beat = 0; beat < w.beats; ++beat) {
        for (unsigned i = 0; i < 8; ++i) bytes_[beat * 8 + i] = uint8_t(w.data[beat] >> (8 * i));
      }
      const DmaBackend::Result res = backend_.write(aw.addr, bytes_.data(), bytes, cycle);
      ++stats_.writes;
      b.resp = res.resp;
      cycles = res.cycles;
      if (b.resp == AxiResp::kOkay) stats_.bytesWritten += bytes;
    }
    if (b.resp != AxiResp::kOkay) ++stats_.errorResponses;
    b.readyCycle = cycle + std::max<uint64_t>(1, cycles) + config_.writeLatency;
    if (b.record != kNoRecord) {
      writeLog_[b.record].resp = b.resp;
      writeLog_[b.record].dataCycle = cycle;
    }
    wHead_ = (wHead_ + 1) & kMask;
    --wCount_;
  }
}

void AxiDmaSlave::writeResponseTaken(uint64_t cycle) {
  const BEntry& b = bs_[bHead_];
  if (b.record != kNoRecord) {
    writeLog_[b.record].respCycle = cycle;
    writeLog_[b.record].done = true;
  }
  bHead_ = (bHead_ + 1) & kMask;
  --bCount_;
  bOffered_ = false;
}

}  // namespace chimney
