// AxiDmaSlave: the one AXI4 slave that answers the engine's DMA master and
// checks its side of the bus (PRM section 2). The co-simulation's TLM port
// (AxiDmaPort: each burst one b_transport) and the cycle harness's memory
// responder (AxiMemoryResponder: bursts reach a SparseMemory) are this class
// with a different DmaBackend. Plain C++: no SystemC, no Verilator header.
//
// Cycle interface: drive(io, cycle) sets the slave-side inputs from
// registered state before the model settles; sample(io, cycle) takes the
// handshakes that fire at the rising edge. Io is any type with the m_axi_*
// members of the Verilated cpl_engine (tests use plain structs), so the
// per-cycle path is inlined, without virtual calls or allocation.
//
// Behaviour:
// - AR: the read is carried out (DmaBackend::read) at the cycle its address
//   is accepted; its beats are presented on R, in acceptance order, from
//   accept + max(1, backend cycles) + readLatency on. Up to kSlots reads
//   overlap.
// - AW/W: write data may come before or after its address, each burst ends
//   at WLAST; the write is carried out at the cycle both are complete, and B
//   follows max(1, backend cycles) + writeLatency later.
// - Back-pressure: arready, awready and wready are high in a cycle with
//   readyPercent chance (while there is room); a due R beat or B is offered
//   with validPercent chance and, once offered, held until taken.
// - Error injection: a burst overlapping a failing address range, or the
//   n-th read or write of the run, answers the given response and does not
//   reach the backend (a failed read returns zero data).
// - Checks, each broken rule one entry in the violation log: size 3, INCR,
//   1..8 beats, 8-byte aligned, no 4 KiB crossing, full write strobes, WLAST
//   on the beat AWLEN says (PRM 2); valid held until ready with a stable
//   payload on AR, AW and W; optionally every burst inside one window (the
//   rings of the enabled queue pairs, PRM 7). A burst that breaks a PRM 2
//   rule is not carried out: it is answered SLVERR.
// - Optionally every burst is recorded with its cycles (reads(), writes()).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bus_chance.h"
#include "violation_log.h"

namespace chimney {

enum class AxiResp : uint8_t { kOkay = 0, kExOkay = 1, kSlvErr = 2, kDecErr = 3 };

struct AxiMemoryConfig {
  unsigned readLatency = 0;     // extra cycles from AR handshake to the first R beat
  unsigned writeLatency = 0;    // extra cycles from the last W beat to B
  unsigned readyPercent = 100;  // chance that arready/awready/wready is high in a cycle
  unsigned validPercent = 100;  // chance that a due R beat or B is offered in a cycle
};

// One DMA burst as seen on the bus.
struct DmaBurst {
  uint64_t addr = 0;
  unsigned beats = 0;
  uint8_t id = 0;
  uint64_t addrCycle = 0;  // AR or AW handshake
  uint64_t dataCycle = 0;  // last R beat or the cycle the write was complete (0: not yet)
  uint64_t respCycle = 0;  // last R beat or B handshake (0: not yet)
  AxiResp resp = AxiResp::kOkay;
  bool done = false;
  uint64_t end() const { return addr + 8ull * beats; }
};

// A burst of the master that may still touch memory: offered on AR or AW and
// not yet taken, or taken and not yet finished (its last R beat, its B
// response). PRM 13's QP_STATUS.BUSY covers exactly these.
struct InFlightBurst {
  bool write = false;
  uint64_t addr = 0;
  unsigned bytes = 0;
  uint64_t offered = 0;  // the first cycle its address was offered
  bool taken = false;    // the slave has taken its address
};

// The line that names a release of host memory [base, base + bytes) while
// the burst `b` into it was in flight (EngineSide::onReleaseUnderDma).
std::string releaseUnderDmaText(uint64_t base, uint64_t bytes, const InFlightBurst& b);

// Where the legal bursts go: host memory behind TLM, or a SparseMemory.
class DmaBackend {
 public:
  struct Result {
    AxiResp resp = AxiResp::kOkay;
    uint64_t cycles = 0;  // until the data (read) or the write response may be presented
  };
  virtual ~DmaBackend() = default;
  // `bytes` little-endian bytes at `addr`, at `cycle`.
  virtual Result read(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t cycle) = 0;
  virtual Result write(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t cycle) = 0;
};

class AxiDmaSlave {
 public:
  static constexpr unsigned kMaxBeats = 8;  // 64 bytes on the 64-bit bus
  static constexpr unsigned kSlots = 32;    // reads / writes outstanding at once

  struct Stats {
    uint64_t reads = 0;  // bursts the backend carried out
    uint64_t writes = 0;
    uint64_t bytesRead = 0;
    uint64_t bytesWritten = 0;
    uint64_t errorResponses = 0;      // SLVERR/DECERR bursts answered
    uint64_t protocolViolations = 0;  // entries this slave added to the log
  };

  AxiDmaSlave(DmaBackend& backend, ViolationLog& log, uint64_t seed);
  AxiDmaSlave(const AxiDmaSlave&) = delete;
  AxiDmaSlave& operator=(const AxiDmaSlave&) = delete;

  AxiMemoryConfig& config() { return config_; }
  // A stream of back-pressure draws of its own (one per slave).
  void reseed(uint64_t seed) { rng_.seed(seed); }
  // Bursts overlapping [lo, hi) answer `resp`.
  void failReads(uint64_t lo, uint64_t hi, AxiResp resp = AxiResp::kSlvErr);
  void failWrites(uint64_t lo, uint64_t hi, AxiResp resp = AxiResp::kSlvErr);
  // Only the read beats whose 8 bytes overlap [lo, hi) answer `resp`; the
  // other beats of the same burst carry their data with OKAY (a burst
  // fault above takes precedence).
  void failReadBeats(uint64_t lo, uint64_t hi, AxiResp resp = AxiResp::kSlvErr);
  // The n-th burst (1-based, counted over the whole run) answers `resp`.
  void failNthRead(uint64_t n, AxiResp resp = AxiResp::kSlvErr);
  void failNthWrite(uint64_t n, AxiResp resp = AxiResp::kSlvErr);
  void clearFaults();

  // Window check: when enabled, every read must lie inside one read window
  // and every write inside one write window. Windows are keyed (e.g. by
  // queue pair) so they can be replaced when rings move.
  void setWindowCheck(bool on) { windowCheck_ = on; }
  void setReadWindow(unsigned key, uint64_t lo, uint64_t hi) { readWindows_[key] = {lo, hi}; }
  void setWriteWindow(unsigned key, uint64_t lo, uint64_t hi) { writeWindows_[key] = {lo, hi}; }
  void removeWindows(unsigned key) {
    readWindows_.erase(key);
    writeWindows_.erase(key);
  }

  // Keeps every burst in reads()/writes() (off by default: a long run's
  // memory must not grow with its traffic).
  void setRecordBursts(bool on) { record_ = on; }
  const std::vector<DmaBurst>& reads() const { return readLog_; }
  const std::vector<DmaBurst>& writes() const { return writeLog_; }
  // Recorded bursts overlapping [lo, hi).
  size_t countReads(uint64_t lo, uint64_t hi) const;
  size_t countWrites(uint64_t lo, uint64_t hi) const;

  // The oldest burst overlapping [lo, hi) that is in flight as of the last
  // sample(); none when no burst is.
  std::optional<InFlightBurst> inFlight(uint64_t lo, uint64_t hi) const;

  size_t outstandingReads() const { return readCount_; }
  size_t outstandingWrites() const { return awCount_ + bCount_; }
  // Anything accepted and not yet answered.
  bool busy() const { return readCount_ + awCount_ + wCount_ + bCount_ != 0; }
  const Stats& stats() const { return stats_; }

  // Forgets every transaction in flight (after the model's reset).
  void resetBus();

  template <class Io>
  void drive(Io& io, uint64_t cycle);
  // Returns true when any handshake fired this cycle.
  template <class Io>
  bool sample(const Io& io, uint64_t cycle);

 private:
  static constexpr size_t kNoRecord = ~size_t{0};
  struct ReadSlot {
    uint64_t readyCycle;
    uint64_t addr;
    uint64_t offered;
    std::array<uint64_t, kMaxBeats> data;
    uint16_t beats;
    uint16_t next;
    uint8_t id;
    AxiResp resp;                             // the burst's (a burst fault, an illegal burst)
    std::array<AxiResp, kMaxBeats> beatResp;  // each beat's: resp, or a beat fault's
    size_t record;
  };
  struct AwEntry {
    uint64_t addr;
    uint64_t offered;
    uint8_t id, len;
    bool legal;
    AxiResp fault;
    size_t record;
  };
  struct WBurst {
    std::array<uint64_t, kMaxBeats> data;
    uint16_t beats;
    bool fullStrobes;
    bool complete;
  };
  struct BEntry {
    uint64_t readyCycle;
    uint64_t addr;
    uint64_t offered;
    unsigned bytes;
    uint8_t id;
    AxiResp resp;
    size_t record;
  };
  struct Fault {
    uint64_t lo, hi;
    AxiResp resp;
  };
  // An address held on AR or AW without being taken yet.
  struct Offer {
    bool on = false;
    uint64_t addr = 0;
    unsigned beats = 0;
    uint64_t since = 0;
  };
  static void noteOffer(Offer& o, bool valid, uint64_t addr, unsigned len, uint64_t cycle) {
    if (!valid) {
      o.on = false;
    } else if (!o.on) {
      o = Offer{true, addr, len + 1u, cycle};
    }
  }
  using Windows = std::map<unsigned, std::pair<uint64_t, uint64_t>>;
  using AddrPayload = std::tuple<uint8_t, uint64_t, uint8_t, uint8_t, uint8_t>;
  using WPayload = std::tuple<uint64_t, uint8_t, bool>;
  static constexpr unsigned kMask = kSlots - 1;
  static_assert((kSlots & kMask) == 0, "kSlots must be a power of two");

  bool arReadyNow() const { return arReady_ && readCount_ < kSlots; }
  bool awReadyNow() const { return awReady_ && awCount_ + bCount_ < kSlots; }
  bool wReadyNow() const { return wReady_ && (wOpen_ || wCount_ < kSlots); }
  // Checks a burst against PRM 2, one log entry per broken rule.
  bool legalBurst(const char* ch, uint64_t addr, unsigned len, unsigned size, unsigned burst,
                  uint64_t cycle);
  void checkWindow(const char* ch, const Windows& w, uint64_t lo, uint64_t hi, uint64_t cycle);
  AxiResp faultFor(const std::vector<Fault>& ranges,
                   const std::vector<std::pair<uint64_t, AxiResp>>& nth, uint64_t number,
                   uint64_t lo, uint64_t hi) const;
  size_t recordBurst(std::vector<DmaBurst>& log, uint64_t addr, unsigned beats, uint8_t id,
                     uint64_t cycle);
  void acceptRead(uint8_t id, uint64_t addr, uint8_t len, uint8_t size, uint8_t burst,
                  uint64_t cycle);
  void acceptWriteAddress(uint8_t id, uint64_t addr, uint8_t len, uint8_t size, uint8_t burst,
                          uint64_t cycle);
  void acceptWriteBeat(uint64_t data, uint8_t strb, bool last);
  void performWrites(uint64_t cycle);
  void readTaken(uint64_t cycle);
  void writeResponseTaken(uint64_t cycle);

  DmaBackend& backend_;
  ViolationLog& log_;
  AxiMemoryConfig config_;
  std::mt19937_64 rng_;
  std::array<uint8_t, std::size_t{kMaxBeats} * 8> bytes_{};

  std::vector<Fault> readFaults_, readBeatFaults_, writeFaults_;
  std::vector<std::pair<uint64_t, AxiResp>> nthReadFaults_, nthWriteFaults_;
  bool windowCheck_ = false;
  Windows readWindows_, writeWindows_;
  bool record_ = false;
  std::vector<DmaBurst> readLog_, writeLog_;
  uint64_t readsAccepted_ = 0, writesAccepted_ = 0;

  std::array<ReadSlot, kSlots> reads_{};
  unsigned readHead_ = 0, readCount_ = 0;
  std::array<AwEntry, kSlots> aws_{};
  unsigned awHead_ = 0, awCount_ = 0;
  std::array<WBurst, kSlots> ws_{};
  unsigned wHead_ = 0, wCount_ = 0;
  bool wOpen_ = false;  // the newest W burst is still receiving beats
  std::array<BEntry, kSlots> bs_{};
  unsigned bHead_ = 0, bCount_ = 0;

  // Registered for the current cycle.
  bool arReady_ = true, awReady_ = true, wReady_ = true;
  bool rOffered_ = false, bOffered_ = false;
  bool rMayOffer_ = true, bMayOffer_ = true;
  Offer arOffer_, awOffer_;

  StableChecker<AddrPayload> arCheck_{"AXI AR"};
  StableChecker<AddrPayload> awCheck_{"AXI AW"};
  StableChecker<WPayload> wCheck_{"AXI W"};
  Stats stats_;
};

template <class Io>
inline void AxiDmaSlave::drive(Io& io, uint64_t cycle) {
  io.m_axi_arready = arReadyNow();
  io.m_axi_awready = awReadyNow();
  io.m_axi_wready = wReadyNow();
  // A due R beat or B, once offered, stays offered until taken.
  rOffered_ = rOffered_ || (rMayOffer_ && readCount_ != 0 && reads_[readHead_].readyCycle <= cycle);
  bOffered_ = bOffered_ || (bMayOffer_ && bCount_ != 0 && bs_[bHead_].readyCycle <= cycle);
  const ReadSlot& r = reads_[readHead_];
  io.m_axi_rvalid = rOffered_;
  io.m_axi_rid = rOffered_ ? r.id : 0;
  io.m_axi_rresp = !rOffered_ ? 0 : uint8_t(r.next < kMaxBeats ? r.beatResp[r.next] : r.resp);
  io.m_axi_rdata = rOffered_ && r.next < kMaxBeats ? r.data[r.next] : 0;
  io.m_axi_rlast = rOffered_ && r.next + 1 == r.beats;
  const BEntry& b = bs_[bHead_];
  io.m_axi_bvalid = bOffered_;
  io.m_axi_bid = bOffered_ ? b.id : 0;
  io.m_axi_bresp = bOffered_ ? uint8_t(b.resp) : 0;
}

template <class Io>
inline bool AxiDmaSlave::sample(const Io& io, uint64_t cycle) {
  // What was driven this cycle, before any handshake changes the state.
  const bool arReady = arReadyNow(), awReady = awReadyNow(), wReady = wReadyNow();
  const size_t logged = log_.size();
  bool fired = false;
  if (rOffered_ && io.m_axi_rready) {
    fired = true;
    readTaken(cycle);
  }
  if (bOffered_ && io.m_axi_bready) {
    fired = true;
    writeResponseTaken(cycle);
  }
  arCheck_.observe(cycle, io.m_axi_arvalid, arReady,
                   AddrPayload{io.m_axi_arid, io.m_axi_araddr, io.m_axi_arlen, io.m_axi_arsize,
                               io.m_axi_arburst},
                   log_);
  noteOffer(arOffer_, io.m_axi_arvalid, io.m_axi_araddr, io.m_axi_arlen, cycle);
  if (io.m_axi_arvalid && arReady) {
    fired = true;
    acceptRead(io.m_axi_arid, io.m_axi_araddr, io.m_axi_arlen, io.m_axi_arsize, io.m_axi_arburst,
               cycle);
    arOffer_.on = false;
  }
  awCheck_.observe(cycle, io.m_axi_awvalid, awReady,
                   AddrPayload{io.m_axi_awid, io.m_axi_awaddr, io.m_axi_awlen, io.m_axi_awsize,
                               io.m_axi_awburst},
                   log_);
  bool writeProgress = false;
  noteOffer(awOffer_, io.m_axi_awvalid, io.m_axi_awaddr, io.m_axi_awlen, cycle);
  if (io.m_axi_awvalid && awReady) {
    acceptWriteAddress(io.m_axi_awid, io.m_axi_awaddr, io.m_axi_awlen, io.m_axi_awsize,
                       io.m_axi_awburst, cycle);
    awOffer_.on = false;
    writeProgress = true;
  }
  wCheck_.observe(cycle, io.m_axi_wvalid, wReady,
                  WPayload{io.m_axi_wdata, io.m_axi_wstrb, io.m_axi_wlast != 0}, log_);
  if (io.m_axi_wvalid && wReady) {
    acceptWriteBeat(io.m_axi_wdata, io.m_axi_wstrb, io.m_axi_wlast);
    writeProgress = true;
  }
  if (writeProgress) {
    fired = true;
    performWrites(cycle);
  }
  stats_.protocolViolations += log_.size() - logged;
  // The next cycle's back-pressure.
  arReady_ = chance(rng_, config_.readyPercent);
  awReady_ = chance(rng_, config_.readyPercent);
  wReady_ = chance(rng_, config_.readyPercent);
  rMayOffer_ = chance(rng_, config_.validPercent);
  bMayOffer_ = chance(rng_, config_.validPercent);
  return fired;
}

}  // namespace chimney
