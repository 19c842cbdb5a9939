// What one benchmark run measured, and its two renderings: the JSON file
// (bench/results/latest.json) and the Markdown table for README.md.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace chimney::bench {

// One simulator on the workload.
struct SimRun {
  std::string name;  // "rtl", "cosim", "cosim+trace", "icarus", ...
  bool ran = false;
  bool ok = false;
  uint64_t cycles = 0;
  uint64_t evaluatedCycles = 0;  // cycles the RTL was evaluated (the co-simulation skips idle ones)
  uint64_t completions = 0;      // completion descriptors committed
  double simSeconds = 0;         // the simulation loop alone
  double processSeconds = 0;     // the whole process, start-up included
  long maxRssKb = 0;
  std::string note;  // why it failed, or what it compared
  double cyclesPerSecond() const { return simSeconds > 0 ? double(cycles) / simSeconds : 0; }
  double completionsPerSecond() const {
    return simSeconds > 0 ? double(completions) / simSeconds : 0;
  }
};

// A PRM 8 figure in RTL cycles with zero-latency memory.
struct CycleFigure {
  std::string name;
  double value = 0;
  std::string unit;
  std::string target;  // e.g. ">= 0.45"
  bool met = false;
};

struct BenchResults {
  std::string date;  // UTC, ISO 8601
  std::string cpu;
  unsigned cpus = 0;
  std::string commit;
  unsigned ops = 0;  // chimney-cosim --ops of the workload
  SimRun rtl, cosim, cosimTrace, cosimTenfold, icarus;
  uint64_t replayMismatches = 0;
  std::vector<CycleFigure> prm8;
  std::string prm8Note;  // when the PRM 8 figures are missing

  double ratioCosimToRtl() const;   // target >= 0.5
  double ratioRtlToIcarus() const;  // target >= 50
  double rssTenfoldRatio() const;   // target <= 1.2
};

nlohmann::ordered_json toJson(const BenchResults& r);
void writeJson(const BenchResults& r, std::ostream& out);  // toJson(r), indented
void writeMarkdown(const BenchResults& r, std::ostream& out);

// Reading the reports of chimney-cosim and of the RTL run.
// The JSON in `path`; null when the file is missing or not JSON.
nlohmann::json readJsonFile(const std::string& path);
// The number at a JSON pointer ("/cycles", "/hardware_counters/CNT_CPL_WRITTEN").
std::optional<double> jsonNumber(const nlohmann::json& report, const std::string& pointer);
// The first violation, else the first mismatch, of a chimney-cosim report
// (a string, or an object's "message"); empty when there is none.
std::string firstFinding(const nlohmann::json& report);

}  // namespace chimney::bench
