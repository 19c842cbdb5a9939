// A scripted stand-in for the completion engine, for the offload target's
// unit tests: a register file with the PRM's pointer rules, host memory with
// allocation windows, and hooks with which a test plays the engine (fetch
// the SQ, write completion descriptors with the right phase, answer
// connection commands, raise interrupts, refuse accesses).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "device_interface.h"
#include "prm.h"

namespace chimney::testing {

class FakeDmaMemory : public DmaMemory {
 public:
  uint64_t allocate(std::size_t bytes, std::size_t align) override {
    next_ = (next_ + align - 1) / align * align;
    const uint64_t addr = next_;
    next_ += bytes;
    regions_[addr] = std::vector<uint8_t>(bytes, 0);
    return addr;
  }
  void release(uint64_t busAddr) override {
    if (regions_.erase(busAddr) == 0) ++badReleases;
  }
  void read(uint64_t busAddr, void* dst, std::size_t bytes) const override {
    const auto* p = locate(busAddr, bytes);
    if (p == nullptr) {
      ++strays;
      std::memset(dst, 0, bytes);
      return;
    }
    std::memcpy(dst, p, bytes);
  }
  void write(uint64_t busAddr, const void* src, std::size_t bytes) override {
    auto* p = const_cast<uint8_t*>(locate(busAddr, bytes));
    if (p == nullptr) {
      ++strays;
      return;
    }
    std::memcpy(p, src, bytes);
  }
  std::size_t liveRegions() const { return regions_.size(); }
  bool mapped(uint64_t addr) const { return locate(addr, 1) != nullptr; }

  mutable uint64_t strays = 0;
  uint64_t badReleases = 0;

 private:
  const uint8_t* locate(uint64_t addr, std::size_t bytes) const {
    auto it = regions_.upper_bound(addr);
    if (it == regions_.begin()) return nullptr;
    --it;
    if (addr + bytes > it->first + it->second.size()) return nullptr;
    return it->second.data() + (addr - it->first);
  }
  uint64_t next_ = 0x1'0000'0000ull;
  std::map<uint64_t, std::vector<uint8_t>> regions_;
};

class FakeDevice : public DeviceInterface {
 public:
  struct Qp {
    uint64_t sqBase = 0, cqBase = 0;
    unsigned sqLog2 = 0, cqLog2 = 0;
    uint16_t sqHead = 0, sqTail = 0, cqHead = 0, cqTail = 0;
    bool armed = false, enabled = false, irqEnabled = false, halted = false;
    uint32_t modCount = 0, modTimer = 0;
    unsigned busyReads = 0;  // the next QP_STATUS reads that show BUSY (DMA in flight)
    // BUSY on every read (DMA that never finishes)
    bool busyForever = false;
  };
  struct Cmd {
    uint16_t conn;
    uint8_t qp;
    prm::ConnOp op;
    uint32_t arg;
  };

  explicit FakeDevice(unsigned numQp = 4, unsigned numConn = 64)
      : numQp_(numQp), numConn_(numConn) {
    qps_.resize(numQp);
  }

  // ---- DeviceInterface ----
  RegRead read32(uint32_t off) override {
    ++reads;
    if (onRead) onRead(off);
    if (failReads.count(off)) return {false, 0};
    if (off >= prm::reg::kQpBase) {
      const unsigned q = (off - prm::reg::kQpBase) / prm::reg::kQpStride;
      const uint32_t r = (off - prm::reg::kQpBase) % prm::reg::kQpStride;
      if (q >= numQp_) return {false, 0};
      Qp& p = qps_[q];
      switch (r) {
        case prm::reg::kSqHead:
          return {true, sqHeadOverride ? *sqHeadOverride : p.sqHead};
        case prm::reg::kSqTail:
          return {true, p.sqTail};
        case prm::reg::kCqHead:
          return {true, p.cqHead | (p.armed ? prm::kCqHeadArm : 0u)};
        case prm::reg::kCqTail:
          return {true, p.cqTail};
        case prm::reg::kQpStatus: {
          const bool busyNow = p.busyReads > 0 || p.busyForever;
          if (p.busyReads > 0) --p.busyReads;
          return {true, (busyNow ? prm::qpstatus::kBusy : 0u) |
                            (p.enabled ? prm::qpstatus::kEnabled : 0u) |
                            (p.halted ? prm::qpstatus::kHalted : 0u) |
                            (p.armed ? prm::qpstatus::kArmed : 0u)};
        }
        default:
          return {true, 0};
      }
    }
    switch (off) {
      case prm::reg::kId:
        return {true, id};
      case prm::reg::kVersion:
        return {true, version};
      case prm::reg::kCaps0:
        return {true, numConn_ | (numQp_ << 16)};
      case prm::reg::kCaps1:
        return {true, reqSlots};
      case prm::reg::kCtrl:
        return {true, ctrl};
      case prm::reg::kErrStatus:
        return {true, errStatus};
      case prm::reg::kErrInfo:
        return {true, errInfo};
      case prm::reg::kConnCmdStatus: {
        if (busyWhile && busyWhile()) return {true, 1u};
        if (busyReadsLeft > 0) {
          --busyReadsLeft;
          return {true, 1u};
        }
        return {true, uint32_t(lastResult) << 4};
      }
      default:
        return {true, 0};
    }
  }

  bool write32(uint32_t off, uint32_t v) override {
    ++writes;
    log.emplace_back(off, v);
    if (failWrites.count(off)) return false;
    if (off >= prm::reg::kQpBase) {
      const unsigned q = (off - prm::reg::kQpBase) / prm::reg::kQpStride;
      const uint32_t r = (off - prm::reg::kQpBase) % prm::reg::kQpStride;
      if (q >= numQp_) return false;
      Qp& p = qps_[q];
      using namespace prm::reg;
      const bool sqRing = r == kSqBaseLo || r == kSqBaseHi || r == kSqSize;
      const bool cqRing = r == kCqBaseLo || r == kCqBaseHi || r == kCqSize;
      if (sqRing || cqRing) {
        if (p.enabled) return false;
        if (p.busyReads > 0 || p.busyForever)
          ++ringWritesWhileBusy;  // PRM 13: the engine may still use it
        if (sqRing) {
          writeRing(r - kSqBaseLo, p.sqBase, p.sqLog2, p.sqHead, p.sqTail, v);
        } else {
          writeRing(r - kCqBaseLo, p.cqBase, p.cqLog2, p.cqHead, p.cqTail, v);
        }
        return true;
      }
      switch (r) {
        case prm::reg::kSqTail:
          p.sqTail = uint16_t(v);
          if (autoFetch) fetchAll(q);
          break;
        case prm::reg::kCqHead:
          if (uint16_t(uint16_t(v) - p.cqHead) > uint16_t(p.cqTail - p.cqHead)) {
            ++doorbellErrors;  // PRM 7: a CQ_HEAD beyond CQ_TAIL is ignored
            return true;
          }
          p.cqHead = uint16_t(v);
          if (v & prm::kCqHeadArm) p.armed = true;
          break;
        case prm::reg::kIrqModCount:
          p.modCount = v;
          break;
        case prm::reg::kIrqModTimer:
          p.modTimer = v;
          break;
        case prm::reg::kQpCtrl:
          p.enabled = (v & prm::qpctrl::kEnable) != 0;
          p.irqEnabled = (v & prm::qpctrl::kIrqEnable) != 0;
          if (!p.enabled) p.halted = false;
          break;
        default:
          return false;
      }
      return true;
    }
    switch (off) {
      case prm::reg::kCtrl:
        if (v & prm::ctrl::kSoftReset) {
          ++softResets;
          for (auto& p : qps_) p = Qp{};
        }
        ctrl = v & prm::ctrl::kEnable;
        return true;
      case prm::reg::kErrStatus:
        errStatus &= ~v;
        return true;
      case prm::reg::kConnCmdArg:
        cmdArg = v;
        return true;
      case prm::reg::kConnCmd: {
        Cmd c{uint16_t(v), uint8_t(v >> 16), prm::ConnOp((v >> 24) & 0xF), cmdArg};
        cmds.push_back(c);
        busyReadsLeft = busyReadsPerCmd;
        lastResult = onCommand ? onCommand(c) : prm::CmdResult::kOk;
        return true;
      }
      default:
        return false;
    }
  }

  DmaMemory& memory() override { return mem; }
  void setInterruptHandler(InterruptHandler h) override { handler_ = std::move(h); }

  // ---- engine side, driven by the test ----
  Qp& qp(unsigned q) { return qps_.at(q); }

  // Fetches every announced request of queue pair q (SQ_HEAD -> SQ_TAIL).
  std::vector<prm::Request> fetchAll(unsigned q) {
    std::vector<prm::Request> out;
    Qp& p = qps_.at(q);
    while (p.enabled && p.sqHead != p.sqTail) {
      uint8_t b[prm::kSqEntryBytes];
      const uint64_t slot = p.sqHead & ((1u << p.sqLog2) - 1);
      mem.read(p.sqBase + slot * prm::kSqEntryBytes, b, sizeof b);
      out.push_back(prm::decodeRequest(b));
      fetched[q].push_back(out.back());
      ++p.sqHead;
    }
    return out;
  }
  // Takes (and forgets) what has been fetched on q so far.
  std::vector<prm::Request> takeFetched(unsigned q) {
    fetchAll(q);
    return std::exchange(fetched[q], {});
  }

  // Writes a completion descriptor at CQ_TAIL of q with the engine's phase.
  bool complete(unsigned q, prm::Completion c) {
    Qp& p = qps_.at(q);
    if (uint16_t(p.cqTail - p.cqHead) >= (1u << p.cqLog2)) return false;
    c.phase = prm::phaseFor(p.cqTail, p.cqLog2);
    const auto b = prm::encodeCompletion(c);
    const uint64_t slot = p.cqTail & ((1u << p.cqLog2) - 1);
    mem.write(p.cqBase + slot * prm::kCqEntryBytes, b.data(), b.size());
    ++p.cqTail;
    return true;
  }
  // Raises vector q's interrupt the way the engine does (when armed).
  bool interrupt(unsigned q) {
    Qp& p = qps_.at(q);
    if (!p.armed || !p.irqEnabled) return false;
    p.armed = false;
    raw(q);
    return true;
  }
  void raw(unsigned vector) {
    ++interrupts;
    if (handler_) handler_(vector);
  }
  // Halts q with a DMA error and raises the error vector.
  void dmaError(unsigned q, bool write) {
    qps_.at(q).halted = true;
    errStatus |= write ? prm::err::kDmaWr : prm::err::kDmaRd;
    errInfo = q;
    raw(numQp_);
  }

  // Offsets written since the log was last cleared, in order.
  std::vector<std::pair<uint32_t, uint32_t>> log;
  std::vector<Cmd> cmds;
  std::map<unsigned, std::vector<prm::Request>> fetched;
  std::function<prm::CmdResult(const Cmd&)> onCommand;
  std::function<bool()> busyWhile;       // CONN_CMD_STATUS reads BUSY while it returns true
  std::function<void(uint32_t)> onRead;  // called with the offset of every register read
  std::set<uint32_t> failReads, failWrites;
  std::optional<uint32_t> sqHeadOverride;
  FakeDmaMemory mem;
  uint32_t id = prm::kIdValue, version = prm::kVersionValue;
  uint32_t reqSlots = 256;  // CAPS1.REQ_SLOTS
  uint32_t ctrl = 0, errStatus = 0, errInfo = 0, cmdArg = 0;
  unsigned busyReadsPerCmd = 2, busyReadsLeft = 0;
  prm::CmdResult lastResult = prm::CmdResult::kOk;
  bool autoFetch = false;
  uint64_t reads = 0, writes = 0, interrupts = 0, softResets = 0, doorbellErrors = 0;
  uint64_t ringWritesWhileBusy = 0;  // a base or size written while QP_STATUS.BUSY was still 1

 private:
  // A ring's registers (PRM 3), by offset from its BASE_LO: the base's low
  // word (4 KiB aligned), its high word, or the size, which empties the ring.
  static void writeRing(uint32_t at, uint64_t& base, unsigned& log2, uint16_t& head, uint16_t& tail,
                        uint32_t v) {
    static_assert(prm::reg::kSqBaseHi - prm::reg::kSqBaseLo == 4 &&
                      prm::reg::kCqBaseHi - prm::reg::kCqBaseLo == 4 &&
                      prm::reg::kSqSize - prm::reg::kSqBaseLo == 8 &&
                      prm::reg::kCqSize - prm::reg::kCqBaseLo == 8,
                  "both rings lay out BASE_LO, BASE_HI, SIZE alike");
    if (at == 0) {
      base = (base & ~0xFFFFFFFFull) | (v & ~0xFFFu);
    } else if (at == 4) {
      base = (base & 0xFFFFFFFFull) | uint64_t{v} << 32;
    } else {
      log2 = v & 0x1F;
      head = tail = 0;
    }
  }

  unsigned numQp_, numConn_;
  std::vector<Qp> qps_;
  InterruptHandler handler_;
};

}  // namespace chimney::testing
