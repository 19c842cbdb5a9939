// Functional coverage of one run: named bins (name -> count) collected at the
// end of the run from what the bench observes on either device: the host's
// completions and events, the offload target's counters, the engine's CNT_*
// registers and ring pointers. Every bin of the fixed list is present, 0 when
// not hit, so runs merge by adding counts bin by bin.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "closing_checks.h"
#include "run_report.h"

namespace chimney::tb {

using CoverageBins = std::map<std::string, uint64_t>;

struct CoverageObservation {
  const RunReport* report = nullptr;  // completed, events, hardware counters
  ClosingObservation closing;         // rings, target counters
  HwCounters hw;                      // the target's register-level counters
  unsigned imLayers = 0;
  unsigned ringSize = 0;  // entries per ring
  bool softResetAtStart = false;
};

// Every bin, each with its count in this run.
CoverageBins collectCoverage(const CoverageObservation& seen);
// The bins of the fixed list (what collectCoverage always returns).
std::vector<std::string> coverageBinNames();
// Bins with count 0, in name order.
std::vector<std::string> unhitBins(const CoverageBins& bins);
// Adds `more` into `into` bin by bin.
void mergeCoverage(CoverageBins& into, const CoverageBins& more);

}  // namespace chimney::tb
