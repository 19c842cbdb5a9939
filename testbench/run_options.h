// The chimney-cosim command line: options, their validation and the exit
// codes. Parsing never throws and never exits the process; it returns what
// to do, so tests drive it directly.
//
// Exit codes: 0 run clean (or --help / --list-scenarios / --scenarios-markdown), 1 invariant
// violation or expectation mismatch, 2 bad arguments (one line on stderr
// naming the bad value and what is allowed).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

#include "scenario_registry.h"

namespace chimney::tb {

constexpr int kExitClean = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadArgs = 2;

// Everything one run needs, with the scenario's defaults filled in for the
// options the user left out.
struct RunOptions {
  std::string scenario = kDefaultScenario;
  uint64_t seed = 1;
  unsigned ops = 0;
  unsigned connections = 0;
  unsigned queues = 0;
  unsigned imLayers = 0;
  unsigned ringSize = 0;  // entries, a power of two
  std::string traceFile;  // empty: no trace
  uint64_t traceFrom = 0;
  uint64_t traceTo = std::numeric_limits<uint64_t>::max();
  std::string jsonFile;      // empty: no JSON report
  std::string portLog;       // empty: none; else the engine's ports per cycle (cosim/port_log.h)
  std::string coverageFile;  // empty: no code coverage written (-DCHIMNEY_COVERAGE=ON builds)
  uint64_t maxCycles = 0;    // 0: the scenario's own watchdog limit
  bool quiet = false;        // summary only on failure
  bool modelDevice = false;  // --device model: the behavioural reference instead of the RTL
  // --csr-ready: chance (percent) that the transactor's AXI4-Lite master takes
  // a register response in a cycle (bready/rready); 100, the default, never
  // holds one back. RTL only.
  unsigned csrReadyPercent = 100;
  // --work-ready, --irq-ready: the same for the work port's m_work_ready (the
  // protocol engine side) and the interrupt port's m_irq_ready. RTL only.
  unsigned workReadyPercent = 100;
  unsigned irqReadyPercent = 100;
  // --dma-ready: the same for the host memory's side of the DMA bus
  // (arready/awready/wready, and R beats and B responses offered). RTL only.
  unsigned dmaReadyPercent = 100;
  // --dma-latency: cycles from a DMA read's address or a write's last data
  // beat to the first R beat or the B response; 1, the default, is the next
  // cycle. RTL only.
  unsigned dmaLatencyCycles = 1;
  static constexpr unsigned kMaxDmaLatency = 1000;
  // The watchdog's cycles per operation: 500, stretched by a slow DMA bus
  // (each operation waits for a few DMA round trips, and at a ready chance
  // of p % every handshake and beat takes 100 / p cycles on average) and by
  // a slow register bus (a few register accesses an operation, each waiting
  // 100 / p cycles for its response to be taken).
  // chimney-regress scales a drawn --max-cycles the same way (regress/plan.cpp).
  uint64_t watchdogCyclesPerOp() const {
    return (500 + 8 * uint64_t(dmaLatencyCycles - 1)) * 100 / dmaReadyPercent +
           8 * uint64_t(100 - csrReadyPercent) / csrReadyPercent;
  }
  std::vector<std::string> injections;  // --inject NAME, in the order given (fault_injection.h)
  std::string txlogFile;                // --txlog: JSON Lines transaction log
  std::string timelineFile;             // --timeline: Chrome trace-event JSON
  std::string traceOnFailDir;           // --trace-on-fail: where the replay writes its window
  uint64_t windowBefore = kDefaultWindowBefore;  // --trace-window N,M
  uint64_t windowAfter = kDefaultWindowAfter;
  static constexpr uint64_t kDefaultWindowBefore = 2000;
  static constexpr uint64_t kDefaultWindowAfter = 500;
  // --im-driver, in the order given: IM layers stacked bottom up above the
  // target (a driver library path, or "builtin" for the built-in IM); the
  // --im-layers built-in IMs sit above them.
  std::vector<std::string> imDrivers;
  // --target-driver: the offload target from a driver library instead of the
  // built-in one (empty: built-in).
  std::string targetDriver;

  // The arguments that repeat this run exactly (seed and every resolved
  // option, the output and trace options included), without the program name.
  std::vector<std::string> reproduceArgs() const;
  // The same as one shell command line, printed when a run fails.
  std::string reproduceCommand() const;
};

struct ParseOutcome {
  bool run = false;  // false: exit with exitCode now
  int exitCode = kExitClean;
  RunOptions options;
};

// Parses argv. Help and the scenario list go to `out`, the one-line error to
// `err`. Writes nothing else.
ParseOutcome parseCommandLine(const std::vector<std::string>& args, std::ostream& out,
                              std::ostream& err);
ParseOutcome parseCommandLine(int argc, const char* const* argv, std::ostream& out,
                              std::ostream& err);

}  // namespace chimney::tb
