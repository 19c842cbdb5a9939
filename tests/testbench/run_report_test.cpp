// Latency statistics, counts and the JSON report of a run.
#include "run_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace chimney::tb {
namespace {

TEST(LatencyStats, PercentilesUseTheNearestRank) {
  LatencyStats s;
  for (uint64_t v = 1; v <= 100; ++v) s.add(101 - v);  // unsorted input
  EXPECT_EQ(s.percentile(50), 50u);
  EXPECT_EQ(s.percentile(90), 90u);
  EXPECT_EQ(s.percentile(99), 99u);
  EXPECT_EQ(s.max(), 100u);
  EXPECT_EQ(s.percentile(0), 1u);
}

TEST(LatencyStats, OneSampleIsEveryPercentile) {
  LatencyStats s;
  s.add(42);
  EXPECT_EQ(s.percentile(50), 42u);
  EXPECT_EQ(s.percentile(99), 42u);
  EXPECT_EQ(s.max(), 42u);
}

TEST(LatencyStats, EmptyReportsZero) {
  LatencyStats s;
  EXPECT_EQ(s.percentile(50), 0u);
  EXPECT_EQ(s.max(), 0u);
}

TEST(RunReport, CountsAddUpByKindAndStatus) {
  RunReport r;
  r.countPosted("send");
  r.countPosted("send");
  r.countCompleted("send", "SUCCESS");
  r.countCompleted("send", "REQUEST_ABORTED");
  EXPECT_EQ(r.postedCount("send"), 2u);
  EXPECT_EQ(r.completedTotal("send"), 2u);
  EXPECT_EQ(r.completedCount("send", "SUCCESS"), 1u);
  EXPECT_EQ(r.completedCount("receive", "SUCCESS"), 0u);
}

TEST(RunReport, CleanOnlyWithoutViolationsAndMismatches) {
  RunReport r;
  EXPECT_TRUE(r.clean());
  r.violations.push_back("inv 1: lost");
  EXPECT_FALSE(r.clean());
}

TEST(RunReport, JsonHoldsCountsAndResult) {
  RunReport r;
  r.options.scenario = "smoke";
  r.countPosted("send");
  r.countCompleted("send", "SUCCESS");
  r.latency["send"].add(120);
  r.mismatches.push_back("send \"SUCCESS\": expected 2, got 1");
  std::ostringstream out;
  writeJson(r, out);
  const std::string json = out.str();
  EXPECT_NE(json.find("\"scenario\": \"smoke\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"completed\": {\"send\": {\"SUCCESS\": 1}}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"result\": \"fail\""), std::string::npos);
  EXPECT_NE(json.find("\\\"SUCCESS\\\""), std::string::npos) << "quotes escaped: " << json;
  EXPECT_NE(json.find("\"p50\": 120"), std::string::npos);
}

TEST(RunReport, FailedSummaryPrintsTheRepeatCommand) {
  RunReport r;
  r.options.scenario = "smoke";
  r.options.seed = 9;
  r.violations.push_back("inv 5: send completions out of order");
  std::ostringstream out;
  printSummary(r, out);
  EXPECT_NE(out.str().find("result: FAIL"), std::string::npos);
  EXPECT_NE(out.str().find("repeat with: chimney-cosim --scenario smoke --seed 9"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace chimney::tb
