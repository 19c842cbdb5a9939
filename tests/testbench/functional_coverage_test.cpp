// Functional coverage bins: every bin listed in every run, counts taken from
// the observation, unhit bins listed, merging adds bin by bin.
#include "functional_coverage.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace chimney::tb {
namespace {

CoverageObservation observation(const RunReport& report) {
  CoverageObservation seen;
  seen.report = &report;
  seen.ringSize = 4;
  seen.imLayers = 2;
  return seen;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(FunctionalCoverage, EmptyRunListsEveryBinUnhitButItsImDepth) {
  RunReport report;
  const CoverageBins bins = collectCoverage(observation(report));
  EXPECT_EQ(bins.size(), coverageBinNames().size());
  EXPECT_EQ(bins.at("driver.im_depth.2"), 1u);
  const std::vector<std::string> unhit = unhitBins(bins);
  EXPECT_EQ(unhit.size(), bins.size() - 1);
  EXPECT_TRUE(contains(unhit, "engine.error.protocol"));
  EXPECT_TRUE(contains(unhit, "op.send.SUCCESS"));
}

TEST(FunctionalCoverage, CountsComeFromCountersCompletionsAndRings) {
  RunReport report;
  report.options.connections = 3;
  report.hardwareCounters["CNT_PROTO_ERR"] = 5;
  report.hardwareCounters["CNT_EVT_LATE"] = 2;
  report.countCompleted("send", "REQUEST_ABORTED");
  report.countEvent("event", "peer-rst");
  CoverageObservation seen = observation(report);
  seen.closing.target.indicationsPartial = 4;
  seen.closing.target.nblsCompleted = 10;
  seen.closing.target.completionCalls = 7;
  RingSnapshot ring;
  ring.qp = 1;
  ring.hwSqHead = 9;  // two passes through a 4-entry ring
  ring.hwCqTail = 4;
  seen.closing.rings.push_back(ring);
  seen.hw.doorbellErrors = 1;
  const CoverageBins bins = collectCoverage(seen);
  const CoverageBins want{{"engine.error.protocol", 5},
                          {"engine.event.late", 2},
                          {"op.send.REQUEST_ABORTED", 1},
                          {"engine.event.peer_rst", 1},
                          {"driver.indication.partly_accepted", 4},
                          {"driver.chained_completions", 3},
                          {"engine.sq_wrap.qp1", 2},
                          {"engine.cq_wrap.qp1", 1},
                          {"engine.sq_wrap.qp0", 0},
                          {"engine.error.doorbell", 1},
                          {"engine.cmd.offload.ok", 3}};
  for (const auto& [bin, n] : want) EXPECT_EQ(bins.at(bin), n) << bin;
  EXPECT_FALSE(contains(unhitBins(bins), "engine.error.protocol"));
}

TEST(FunctionalCoverage, StatusPairsInvariantFourForbidsAreNoBins) {
  const std::vector<std::string> names = coverageBinNames();
  EXPECT_TRUE(contains(names, "op.receive.INVALID_STATE"));
  for (const char* kind : {"send", "disconnect", "forward"}) {
    EXPECT_FALSE(contains(names, std::string("op.") + kind + ".INVALID_STATE")) << kind;
    EXPECT_TRUE(contains(names, std::string("op.") + kind + ".INVALID_PARAMETER")) << kind;
  }
  RunReport report;
  report.countCompleted("send", "INVALID_STATE");
  EXPECT_EQ(collectCoverage(observation(report)).count("op.send.INVALID_STATE"), 0u);
}

TEST(FunctionalCoverage, RefusedCommandsComeFromTheRegisterLayer) {
  RunReport report;
  CoverageObservation seen = observation(report);
  seen.hw.offloadRefused = 1;
  seen.hw.terminateRefused = 2;
  seen.hw.rxConsumedBadState = 3;
  seen.hw.rxConsumedRefused = 4;
  seen.closing.target.rxConsumedBytes = 10;
  const CoverageBins bins = collectCoverage(seen);
  const CoverageBins want{{"engine.cmd.offload.error", 1},
                          {"engine.cmd.terminate.error", 2},
                          {"engine.cmd.rx_consumed.bad_state", 3},
                          {"engine.cmd.rx_consumed.error", 4},
                          {"engine.cmd.rx_consumed.ok", 1}};
  for (const auto& [bin, n] : want) EXPECT_EQ(bins.at(bin), n) << bin;
}

TEST(FunctionalCoverage, MergeAddsBinByBin) {
  CoverageBins a{{"x", 1}, {"y", 0}};
  const CoverageBins b{{"x", 2}, {"y", 3}, {"z", 0}};
  mergeCoverage(a, b);
  EXPECT_EQ(a.at("x"), 3u);
  EXPECT_EQ(a.at("y"), 3u);
  EXPECT_EQ(a.at("z"), 0u);
  EXPECT_EQ(unhitBins(a), std::vector<std::string>{"z"});
}

}  // namespace
}  // namespace chimney::tb
