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
  EXPECT_EQ(bins.at("engine.error.protocol"), 5u);
  EXPECT_EQ(bins.at("engine.event.late"), 2u);
  EXPECT_EQ(bins.at("op.send.REQUEST_ABORTED"), 1u);
  EXPECT_EQ(bins.at("engine.event.peer_rst"), 1u);
  EXPECT_EQ(bins.at("driver.indication.partly_accepted"), 4u);
  EXPECT_EQ(bins.at("driver.chained_completions"), 3u);
  EXPECT_EQ(bins.at("engine.sq_wrap.qp1"), 2u);
  EXPECT_EQ(bins.at("engine.cq_wrap.qp1"), 1u);
  EXPECT_EQ(bins.at("engine.sq_wrap.qp0"), 0u);
  EXPECT_EQ(bins.at("engine.error.doorbell"), 1u);
  EXPECT_EQ(bins.at("engine.cmd.offload.ok"), 3u);
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
  EXPECT_EQ(bins.at("engine.cmd.offload.error"), 1u);
  EXPECT_EQ(bins.at("engine.cmd.terminate.error"), 2u);
  EXPECT_EQ(bins.at("engine.cmd.rx_consumed.bad_state"), 3u);
  EXPECT_EQ(bins.at("engine.cmd.rx_consumed.error"), 4u);
  EXPECT_EQ(bins.at("engine.cmd.rx_consumed.ok"), 1u);
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
