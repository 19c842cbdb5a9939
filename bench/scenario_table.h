// The per-scenario speed table of chimney-bench: for every chimney-cosim
// scenario, the co-simulation's evaluated cycles per second against the bare
// Verilated loop replaying that same run's recorded ports, each timed in
// runs of at least --min-seconds, repeated and interleaved; plus the peak
// RSS of each scenario at a large --ops. Also the RTL-only workload of the
// current RTL against an earlier RTL, interleaved the same way.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace chimney::bench {

// Median and range of repeated measurements.
struct Spread {
  double median = 0, min = 0, max = 0;
  unsigned n = 0;
};
Spread spreadOf(std::vector<double> values);

struct ScenarioRow {
  std::string scenario;
  unsigned ops = 0;                          // --ops of the timed runs
  uint64_t evaluatedCycles = 0;              // cycles the RTL was evaluated in one run
  Spread cosimSeconds, cosimCps, replayCps;  // cps: evaluated cycles per second
  uint64_t replayMismatches = 0;             // the verified replay against the recording
  unsigned rssOps = 0;
  long rssKb = 0;  // peak RSS of the co-simulation at rssOps
  bool ok = false;
  std::string note;  // why a figure is missing or a condition is not met
  double ratio() const { return replayCps.median > 0 ? cosimCps.median / replayCps.median : 0; }
};

// Current RTL against an earlier one on the RTL-only workload.
struct RtlComparison {
  bool ran = false;
  std::string baseline;  // what the earlier RTL is (e.g. a commit)
  unsigned ops = 0;
  Spread current, earlier;        // cycles per second
  Spread currentCpu, earlierCpu;  // cycles per CPU second of the loop (0: not reported)
  std::string note;
  double ratio() const { return earlier.median > 0 ? current.median / earlier.median : 0; }
  double cpuRatio() const {
    return earlierCpu.median > 0 ? currentCpu.median / earlierCpu.median : 0;
  }
};

struct ScenarioOptions {
  std::string cosim;           // chimney-cosim
  std::string rtlLoop;         // chimney-rtl-loop of the current RTL
  std::string compareRtlLoop;  // of the current RTL built like the earlier (empty: rtlLoop)
  std::string earlierRtlLoop;  // of the earlier RTL (empty: no comparison)
  std::string earlierName;
  std::string workDir;
  std::vector<std::string> scenarios;  // empty: every scenario chimney-cosim lists
  unsigned repeat = 5;
  double minSeconds = 2.0;
  unsigned rssOps = 1000000;
  uint64_t seed = 1;
};

using Say = void (*)(const std::string&);

std::vector<ScenarioRow> measureScenarios(const ScenarioOptions& o, Say say);
RtlComparison compareRtl(const ScenarioOptions& o, Say say);

void writeScenarioJson(const std::vector<ScenarioRow>& rows, const RtlComparison& cmp,
                       const ScenarioOptions& o, std::ostream& out);
void writeScenarioMarkdown(const std::vector<ScenarioRow>& rows, const RtlComparison& cmp,
                           const ScenarioOptions& o, std::ostream& out);

}  // namespace chimney::bench
