// The RTL-only run of the benchmark: the Verilated cpl_engine driven by a
// minimal C++ loop, the performance ceiling of any co-simulation of it.
//
// Host memory is the RTL harness's sparse memory behind its zero-latency AXI
// responder, the peer is the same PeerModel the co-simulation uses, and the
// "driver" is a small state machine in the loop (no driver models, no
// SystemC): it posts requests into the SQ of queue pair 0, rings the
// doorbell, polls the CQ by phase and writes CQ_HEAD, with every CSR access
// non-blocking so that the loop alone steps the model (one step, one
// recorded line).
//
// The workload is the co-simulation's default scenario (smoke) on one
// connection: a 2000-byte receive, `ops` sends of 1..4*MSS bytes, a
// 300-byte forward, 1500 bytes of peer data with PUSH, then a graceful
// disconnect with 100 bytes and the peer's FIN.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chimney::bench {

struct RtlWorkloadConfig {
  unsigned ops = 4;  // sends, as chimney-cosim --ops for the smoke scenario
  uint64_t seed = 1;
  unsigned ringLog2 = 6;   // SQ and CQ entries (smoke's default: 64)
  std::string recordFile;  // empty: no port recording
  uint64_t maxCycles = 50'000'000;
};

struct RtlWorkloadResult {
  uint64_t cycles = 0;  // clock cycles from reset to the last completion
  double wallSeconds = 0;
  // CPU time the process spent in the same span (user and system): the time
  // it waited for a core while other programs ran is left out.
  double cpuSeconds = 0;
  uint64_t requests = 0;     // request descriptors posted
  uint64_t completions = 0;  // completion descriptors read from the CQ
  uint64_t recordedCycles = 0;
  std::vector<std::string> errors;  // unexpected descriptors, protocol violations, timeouts
  bool ok() const { return errors.empty(); }
  double cyclesPerSecond() const { return wallSeconds > 0 ? double(cycles) / wallSeconds : 0; }
  double completionsPerSecond() const {
    return wallSeconds > 0 ? double(completions) / wallSeconds : 0;
  }
};

RtlWorkloadResult runRtlWorkload(const RtlWorkloadConfig& config);

}  // namespace chimney::bench
