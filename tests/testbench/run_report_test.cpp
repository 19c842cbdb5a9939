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

TEST(LatencyStats, ValuesBelow4096CyclesAreExact) {
  LatencyStats s;
  for (uint64_t v = 4095; v >= 4000; --v) s.add(v);
  EXPECT_EQ(s.percentile(0), 4000u);
  EXPECT_EQ(s.percentile(50), 4047u);
  EXPECT_EQ(s.max(), 4095u);
}

TEST(LatencyStats, LargeValuesAreWithinOneBucketAboveTheSample) {
  LatencyStats s;
  const uint64_t samples[] = {5000, 123456, 9876543, 1234567890123ull};
  for (uint64_t v : samples) s.add(v);
  EXPECT_EQ(s.max(), 1234567890123ull);            // exact
  EXPECT_EQ(s.percentile(100), 1234567890123ull);  // never beyond the largest sample
  const uint64_t p50 = s.percentile(50);           // rank 2: 123456
  EXPECT_GE(p50, 123456u);
  EXPECT_LE(p50, 123456u + 123456u / 2048u);
  const uint64_t p25 = s.percentile(25);  // rank 1: 5000
  EXPECT_GE(p25, 5000u);
  EXPECT_LE(p25, 5001u);
}

TEST(LatencyStats, BucketsDoNotGrowWithTheNumberOfSamples) {
  LatencyStats s;
  for (uint64_t i = 0; i < 200000; ++i) s.add(100 + i % 5000);
  const std::size_t buckets = s.buckets();
  for (uint64_t i = 0; i < 200000; ++i) s.add(100 + (i * 7) % 5000);
  EXPECT_EQ(s.buckets(), buckets);
  EXPECT_EQ(s.count(), 400000u);
  EXPECT_DOUBLE_EQ(s.mean(), 100 + 4999.0 / 2);
}

TEST(LatencyStats, EveryBucketHoldsTheValuesThatMapToIt) {
  for (uint64_t v : {0ull, 4095ull, 4096ull, 4097ull, 8191ull, 8192ull, 1ull << 40,
                     (1ull << 63) + 12345, ~0ull}) {
    const std::size_t b = LatencyStats::bucketOf(v);
    EXPECT_GE(LatencyStats::bucketLast(b), v) << v;
    if (b > 0) {
      EXPECT_LT(LatencyStats::bucketLast(b - 1), v) << v;
    }
  }
}

}  // namespace
}  // namespace chimney::tb
