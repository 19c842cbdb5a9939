// AxiMemoryResponder: the host-memory side of the engine's AXI4 DMA master.
//
// Serves AR/R and AW/W/B from a SparseMemory with configurable latency,
// ready back-pressure and response gaps, injects SLVERR/DECERR by address
// range or by transaction number, logs every burst, and checks the engine's
// side of the protocol (PRM 2): INCR, size 3, at most 8 beats, 8-byte
// aligned, no 4 KiB crossing, full write strobes, correct wlast, valid held
// until ready with a stable payload, and optionally that every burst lies in
// an allowed window (the rings of enabled queue pairs, PRM 7).
//
// Read data is returned in order. Write data is stored when the beat is
// matched to its AW; a faulted write changes nothing.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "sparse_memory.h"
#include "violation_log.h"

class Vcpl_engine;

namespace chimney::rtltest {

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
  uint64_t dataCycle = 0;  // last R or W beat handshake (0: not yet)
  uint64_t respCycle = 0;  // last R beat or B handshake (0: not yet)
  AxiResp resp = AxiResp::kOkay;
  bool done = false;
  uint64_t end() const { return addr + 8ull * beats; }
};

class AxiMemoryResponder {
 public:
  AxiMemoryResponder(SparseMemory& memory, ViolationLog& log, uint64_t seed);

  AxiMemoryConfig& config() { return config_; }
  // Bursts overlapping [lo, hi) answer `resp`.
  void failReads(uint64_t lo, uint64_t hi, AxiResp resp = AxiResp::kSlvErr);
  void failWrites(uint64_t lo, uint64_t hi, AxiResp resp = AxiResp::kSlvErr);
  // The n-th burst (1-based, counted over the whole run, see reads()/writes())
  // answers `resp`.
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

  const std::vector<DmaBurst>& reads() const { return reads_; }
  const std::vector<DmaBurst>& writes() const { return writes_; }
  size_t outstandingReads() const { return readQueue_.size(); }
  size_t outstandingWrites() const { return awQueue_.size() + bQueue_.size(); }
  // Bursts overlapping [lo, hi).
  size_t countReads(uint64_t lo, uint64_t hi) const;
  size_t countWrites(uint64_t lo, uint64_t hi) const;

  // Forgets every transaction in flight (after the model's reset).
  void resetBus();
  void drive(Vcpl_engine& io, uint64_t cycle);
  void sample(const Vcpl_engine& io, uint64_t cycle);

 private:
  struct PendingRead {
    size_t index;
    unsigned beat;
    uint64_t dueCycle;
  };
  struct PendingAw {
    size_t index;
    unsigned beat;
  };
  struct WBeat {
    uint64_t data;
    uint8_t strb;
    bool last;
  };
  struct PendingB {
    size_t index;
    uint64_t dueCycle;
  };
  struct Fault {
    uint64_t lo, hi;
    AxiResp resp;
  };
  using AddrPayload = std::tuple<uint8_t, uint64_t, uint8_t, uint8_t, uint8_t>;
  using WPayload = std::tuple<uint64_t, uint8_t, bool>;

  bool chance(unsigned percent);
  void checkBurst(const char* ch, uint64_t addr, unsigned len, unsigned size, unsigned burst,
                  uint64_t cycle);
  void checkWindow(const char* ch, const std::map<unsigned, std::pair<uint64_t, uint64_t>>& w,
                   uint64_t lo, uint64_t hi, uint64_t cycle);
  AxiResp faultFor(const std::vector<Fault>& ranges,
                   const std::vector<std::pair<uint64_t, AxiResp>>& nth, uint64_t number,
                   uint64_t lo, uint64_t hi) const;
  void matchWriteBeats(uint64_t cycle);

  SparseMemory& memory_;
  ViolationLog& log_;
  AxiMemoryConfig config_;
  std::mt19937_64 rng_;

  std::vector<Fault> readFaults_, writeFaults_;
  std::vector<std::pair<uint64_t, AxiResp>> nthReadFaults_, nthWriteFaults_;
  bool windowCheck_ = false;
  std::map<unsigned, std::pair<uint64_t, uint64_t>> readWindows_, writeWindows_;

  std::vector<DmaBurst> reads_, writes_;
  std::deque<PendingRead> readQueue_;
  std::deque<PendingAw> awQueue_;
  std::deque<WBeat> wQueue_;
  std::deque<PendingB> bQueue_;

  // What is driven in the current cycle.
  bool arReady_ = true, awReady_ = true, wReady_ = true;
  bool rOffered_ = false, bOffered_ = false;
  bool rMayOffer_ = true, bMayOffer_ = true;
  uint64_t rData_ = 0;

  StableChecker<AddrPayload> arCheck_{"AXI AR"};
  StableChecker<AddrPayload> awCheck_{"AXI AW"};
  StableChecker<WPayload> wCheck_{"AXI W"};
};

}  // namespace chimney::rtltest
