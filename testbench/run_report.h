// What one co-simulation run produced, and the two ways it is shown: the
// readable summary on stdout and the JSON report (--json). Filled by the top
// and the scenario; knows nothing of SystemC or the driver models.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "run_options.h"
#include "violation_report.h"

namespace chimney::tb {

// Latency samples in cycles, in a log-linear histogram whose size does not
// grow with the number of samples: one bucket per value below 4096 cycles,
// above that 2048 buckets per power of two. Counts, the mean and the maximum
// are exact. Percentiles use the nearest-rank method (p-th percentile = the
// smallest sample with at least p% of samples at or below it); below 4096
// cycles the value reported is exactly that sample, above it is the upper end
// of the sample's bucket (less than 0.05% above it), never beyond the largest
// sample seen.
class LatencyStats {
 public:
  void add(uint64_t cycles);
  std::size_t count() const { return std::size_t(count_); }
  // 0 when there are no samples. p in [0, 100].
  uint64_t percentile(double p) const;
  uint64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0 : sum_ / double(count_); }
  // Buckets allocated so far (bounded: at most 4096 + 52 x 2048).
  std::size_t buckets() const { return counts_.size(); }

  // The samples in quarter-octave bins (one bin per value below 16; above,
  // four bins per power of two), only the bins that hold samples, in
  // ascending order. The bins are the same for every run, so histograms of
  // many runs add up bin by bin; at most 4 x 64 bins.
  struct Bin {
    uint64_t low = 0;   // smallest value of the bin
    uint64_t high = 0;  // largest value of the bin
    uint64_t count = 0;
  };
  std::vector<Bin> histogram() const;
  static Bin binOf(uint64_t cycles);  // the bin holding `cycles` (count 0)

  static std::size_t bucketOf(uint64_t cycles);
  static uint64_t bucketLast(std::size_t bucket);  // largest value in the bucket

 private:
  std::vector<uint64_t> counts_;  // by bucket, grown on demand
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  double sum_ = 0;
};

// A value sampled over simulated time in at most kMax samples. Samples are
// at least spacing() cycles apart; when kMax are exceeded, neighbours merge
// in pairs and the spacing doubles. Each sample is the largest value seen
// since the one before it, so peaks survive the merging.
class SampledSeries {
 public:
  static constexpr std::size_t kMax = 256;
  void sample(uint64_t cycle, uint64_t value);
  const std::vector<std::pair<uint64_t, uint64_t>>& samples() const { return samples_; }
  uint64_t spacing() const { return spacing_; }
  uint64_t peak() const { return peak_; }

 private:
  std::vector<std::pair<uint64_t, uint64_t>> samples_;  // (cycle, value)
  uint64_t spacing_ = 64;
  uint64_t pending_ = 0;  // largest value since the last sample
  bool hasPending_ = false;
  uint64_t peak_ = 0;
};

// Counts per window of simulated time, in at most kMax windows: when a run
// outgrows them, the window doubles and neighbouring windows add up.
class WindowedCounts {
 public:
  static constexpr std::size_t kMax = 128;
  void add(uint64_t cycle, uint64_t n = 1);
  const std::vector<uint64_t>& counts() const { return counts_; }
  uint64_t window() const { return window_; }
  uint64_t total() const;

 private:
  std::vector<uint64_t> counts_;
  uint64_t window_ = 256;  // cycles
};

// Counts by operation kind ("send", "receive", ...) and outcome
// ("SUCCESS", "REQUEST_ABORTED", ...), both ordered by name.
using OutcomeCounts = std::map<std::string, std::map<std::string, uint64_t>>;

struct RunReport {
  RunOptions options;

  OutcomeCounts posted;                         // kind -> "posted" count, by kind only
  OutcomeCounts completed;                      // kind -> status -> count
  OutcomeCounts events;                         // indications and connection events by outcome
  std::map<std::string, LatencyStats> latency;  // kind -> post-to-completion cycles

  uint64_t interruptsSeen = 0;  // interrupt messages the driver handled
  // Sampled each time the driver's DPC context wakes up: descriptors waiting
  // in every completion queue, and interrupts handled since the last wake-up.
  SampledSeries cqOccupancy;
  WindowedCounts interruptWindows;
  std::map<std::string, uint64_t> hardwareCounters;  // CNT_* registers at the end

  uint64_t cycles = 0;     // simulated time, in clock cycles
  uint64_t rtlCycles = 0;  // cycles the RTL model was evaluated (idle time is skipped)
  uint32_t clockPeriodPs = 4000;
  double wallSeconds = 0;

  // Functional coverage: bin name -> count (functional_coverage.h).
  std::map<std::string, uint64_t> coverage;

  std::vector<ViolationRecord> violations;  // the scoreboard's, in order of detection
  std::vector<std::string> mismatches;      // expected counts, hardware checks
  // The faults given with --inject, in the order given, and how often each
  // took effect (0: the run never reached it; fault_injection.h).
  std::vector<std::pair<std::string, uint64_t>> faultsApplied;

  bool clean() const { return violations.empty() && mismatches.empty(); }
  double simulatedNs() const { return double(cycles) * clockPeriodPs / 1000.0; }
  // RTL cycles evaluated per wall-clock second.
  double cyclesPerSecond() const { return wallSeconds > 0 ? double(rtlCycles) / wallSeconds : 0; }

  void countPosted(const std::string& kind) { ++posted[kind]["posted"]; }
  void countCompleted(const std::string& kind, const std::string& status) {
    ++completed[kind][status];
  }
  void countEvent(const std::string& kind, const std::string& outcome) { ++events[kind][outcome]; }
  uint64_t completedCount(const std::string& kind, const std::string& status) const;
  uint64_t completedTotal(const std::string& kind) const;
  uint64_t postedCount(const std::string& kind) const;
  uint64_t eventCount(const std::string& kind, const std::string& outcome) const;
};

// The readable summary (what a newcomer reads first).
void printSummary(const RunReport& report, std::ostream& out);
// The --inject faults of the report that never took effect, in order.
std::vector<std::string> faultsNeverApplied(const RunReport& report);
// The JSON report: one object, stable key names (documented in
// docs/testbench.md), built section by section (run_report_json.cpp).
nlohmann::ordered_json toJson(const RunReport& report);
// toJson(report), indented, with a final newline.
void writeJson(const RunReport& report, std::ostream& out);

}  // namespace chimney::tb
