// Latency statistics, counts and the JSON report of a run.
#include "run_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
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
  ViolationRecord v;
  v.invariant = 1;
  v.message = "inv 1: lost";
  r.violations.push_back(v);
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
  const std::string text = out.str();
  const nlohmann::json json = nlohmann::json::parse(text);  // throws on malformed JSON
  EXPECT_EQ(json.at("scenario"), "smoke") << text;
  EXPECT_EQ(json.at("completed"), nlohmann::json::parse(R"({"send": {"SUCCESS": 1}})")) << text;
  EXPECT_EQ(json.at("posted").at("send"), 1);
  EXPECT_EQ(json.at("result"), "fail");
  EXPECT_EQ(json.at("mismatches").at(0), "send \"SUCCESS\": expected 2, got 1");
  EXPECT_NE(text.find("\\\"SUCCESS\\\""), std::string::npos) << "quotes escaped: " << text;
  EXPECT_EQ(json.at("latency_cycles").at("send").at("p50"), 120);
  EXPECT_EQ(json.at("latency_cycles").at("send").at("histogram"),
            nlohmann::json::parse("[[112, 127, 1]]"));
  EXPECT_EQ(json.at("repeat"), r.options.reproduceCommand());
  EXPECT_EQ(text.back(), '\n');
}

TEST(RunReport, JsonKeepsTheKeyOrderOfTheReport) {
  RunReport r;
  const nlohmann::ordered_json json = toJson(r);
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  const std::vector<std::string> expected = {"scenario",
                                             "device",
                                             "options",
                                             "result",
                                             "posted",
                                             "completed",
                                             "events",
                                             "latency_cycles",
                                             "interrupts",
                                             "cq_occupancy",
                                             "interrupt_windows",
                                             "hardware_counters",
                                             "coverage",
                                             "cycles",
                                             "rtl_cycles",
                                             "clock_period_ps",
                                             "simulated_ns",
                                             "wall_seconds",
                                             "cycles_per_second",
                                             "violations",
                                             "mismatches",
                                             "faults",
                                             "repeat"};
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(json.at("result"), "pass");
  EXPECT_TRUE(json.at("violations").is_array());
}

TEST(RunReport, JsonRoundsMeasuredTimes) {
  RunReport r;
  r.cycles = 1000;
  r.rtlCycles = 1000;
  r.wallSeconds = 0.12345678;
  const nlohmann::json json = toJson(r);
  EXPECT_DOUBLE_EQ(json.at("wall_seconds").get<double>(), 0.123457);
  EXPECT_EQ(json.at("simulated_ns"), 4000);
  EXPECT_EQ(json.at("cycles_per_second"), 8100);  // 1000 / 0.12345678 = 8100.0
}

TEST(RunReport, FailedSummaryPrintsTheRepeatCommand) {
  RunReport r;
  r.options.scenario = "smoke";
  r.options.seed = 9;
  ViolationRecord v;
  v.invariant = 5;
  v.message = "inv 5: send completions out of order";
  r.violations.push_back(v);
  std::ostringstream out;
  printSummary(r, out);
  EXPECT_NE(out.str().find("result: FAIL"), std::string::npos);
  EXPECT_NE(out.str().find("repeat with: chimney-cosim --scenario smoke --seed 9"),
            std::string::npos)
      << out.str();
}

ViolationRecord violation(int inv, const char* check, uint64_t cycle, const char* layer,
                          int64_t conn) {
  ViolationRecord v;
  v.invariant = inv;
  v.check = check;
  v.cycle = cycle;
  v.layer = layer;
  v.connection = conn;
  v.op = "send";
  v.message = std::string("[invariant ") + std::to_string(inv) + " " + check +
              "] t=" + std::to_string(cycle) + " layer=" + layer;
  return v;
}

TEST(RunReport, SummaryLeadsWithTheEarliestViolationAndGroupsTheRest) {
  RunReport r;
  // Detected out of time order (closing checks come last, with earlier times).
  for (uint64_t t = 900; t < 1083; ++t)
    r.violations.push_back(violation(5, "SendCompletionOrder", t, "target", 3));
  r.violations.push_back(violation(15, "ImRoutesToIssuer", 845, "im0", 3));
  r.violations.push_back(violation(1, "CompletedExactlyOnce", 840, "target", 3));
  std::ostringstream out;
  printSummary(r, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("invariant violations: 185\n  first: [invariant 1 CompletedExactlyOnce] "
                      "t=840 layer=target\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("1 of invariant 15 ImRoutesToIssuer (layer im0) on conn 3, the first at t=845"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "183 of invariant 5 SendCompletionOrder (layer target) on conn 3, the first at t=900"),
      std::string::npos)
      << text;
  // One line per group, not per violation.
  EXPECT_EQ(text.find("t=901"), std::string::npos) << text;
}

// Each --inject fault with its count: one the run never reached says so (in
// a passing run too), one that took effect in a clean run escaped every check.
TEST(RunReport, SummaryAndJsonSayHowOftenEachInjectedFaultTookEffect) {
  RunReport r;
  r.faultsApplied = {{"target.drop-send-completion", 0}, {"im.leak-call-entries", 3}};
  std::ostringstream clean;
  printSummary(r, clean);
  EXPECT_NE(clean.str().find("faults injected: 2\n"
                             "  target.drop-send-completion: never applied (the run did not "
                             "reach it, so nothing here checks it)\n"
                             "  im.leak-call-entries: applied 3 times, and no check caught it\n"
                             "invariant violations: 0\n"),
            std::string::npos)
      << clean.str();
  EXPECT_EQ(faultsNeverApplied(r), std::vector<std::string>{"target.drop-send-completion"});

  r.mismatches.push_back("im0: IM call entries left at the end: 3");
  std::ostringstream failed;
  printSummary(r, failed);
  EXPECT_NE(failed.str().find("  im.leak-call-entries: applied 3 times\n"), std::string::npos)
      << failed.str();

  const nlohmann::json json = toJson(r);
  EXPECT_EQ(json.at("faults"), nlohmann::json::parse(R"([
      {"name": "target.drop-send-completion", "applied": 0},
      {"name": "im.leak-call-entries", "applied": 3}])"));
}

TEST(RunReport, SummaryWithoutInjectedFaultsHasNoFaultLines) {
  RunReport r;
  std::ostringstream out;
  printSummary(r, out);
  EXPECT_EQ(out.str().find("faults injected"), std::string::npos) << out.str();
  EXPECT_TRUE(faultsNeverApplied(r).empty());
  const nlohmann::json json = toJson(r);
  EXPECT_TRUE(json.at("faults").is_array());
  EXPECT_TRUE(json.at("faults").empty());
}

TEST(RunReport, IdenticalMismatchesAreShownOnceWithACount) {
  RunReport r;
  r.mismatches.push_back("watchdog: drain not reached");
  r.mismatches.push_back("watchdog: drain not reached");
  r.mismatches.push_back("im1: IM call entries left at the end: 128");
  std::ostringstream out;
  printSummary(r, out);
  EXPECT_NE(out.str().find("  watchdog: drain not reached (x2)\n  im1: IM call"), std::string::npos)
      << out.str();
}

TEST(RunReport, JsonViolationsAreObjectsInTimeOrder) {
  RunReport r;
  ViolationRecord late = violation(5, "SendCompletionOrder", 900, "target", 3);
  ViolationRecord first = violation(1, "CompletedExactlyOnce", 840, "target", 3);
  first.nblId = 17;
  first.tag = 0x100000002;
  first.queuePair = 1;
  r.violations = {late, first};
  std::ostringstream out;
  writeJson(r, out);
  const nlohmann::json json = nlohmann::json::parse(out.str());
  ASSERT_EQ(json["violations"].size(), 2u);
  const nlohmann::json& v = json["violations"][0];
  EXPECT_EQ(v["invariant"], 1);
  EXPECT_EQ(v["check"], "CompletedExactlyOnce");
  EXPECT_EQ(v["cycle"], 840);
  EXPECT_EQ(v["layer"], "target");
  EXPECT_EQ(v["connection"], 3);
  EXPECT_EQ(v["op"], "send");
  EXPECT_EQ(v["nbl_id"], 17);
  EXPECT_EQ(v["nbl"], "nbl#17");
  EXPECT_EQ(v["tag"], 0x100000002);
  EXPECT_EQ(v["queue_pair"], 1);
  EXPECT_TRUE(json["violations"][1]["nbl_id"].is_null());
  EXPECT_TRUE(json["violations"][1]["tag"].is_null());
  EXPECT_EQ(json["violations"][1]["invariant"], 5);
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

TEST(LatencyStats, HistogramBinsAreQuarterOctaves) {
  EXPECT_EQ(LatencyStats::binOf(7).low, 7u);
  EXPECT_EQ(LatencyStats::binOf(7).high, 7u);
  EXPECT_EQ(LatencyStats::binOf(16).low, 16u);
  EXPECT_EQ(LatencyStats::binOf(19).high, 19u);
  EXPECT_EQ(LatencyStats::binOf(20).low, 20u);
  EXPECT_EQ(LatencyStats::binOf(1000).low, 896u);  // 512 + 3 x 128
  EXPECT_EQ(LatencyStats::binOf(1000).high, 1023u);
  EXPECT_EQ(LatencyStats::binOf(~0ull).high, ~0ull);
}

TEST(LatencyStats, HistogramCountsEverySampleOnce) {
  LatencyStats s;
  const uint64_t samples[] = {3, 3, 17, 18, 21, 900, 1000, 5000, 5001, 70000};
  for (uint64_t v : samples) s.add(v);
  const std::vector<LatencyStats::Bin> bins = s.histogram();
  uint64_t total = 0;
  for (std::size_t i = 0; i < bins.size(); ++i) {
    total += bins[i].count;
    if (i > 0) {
      EXPECT_GT(bins[i].low, bins[i - 1].high);
    }
  }
  EXPECT_EQ(total, s.count());
  ASSERT_EQ(bins.size(), 6u);
  EXPECT_EQ(bins[0].count, 2u);  // 3, 3
  EXPECT_EQ(bins[1].count, 2u);  // 17, 18 in 16..19
  EXPECT_EQ(bins[2].count, 1u);  // 21 in 20..23
  EXPECT_EQ(bins[3].count, 2u);  // 900, 1000 in 896..1023
  EXPECT_EQ(bins[4].low, 4096u);
  EXPECT_EQ(bins[4].count, 2u);  // 5000, 5001 in 4096..5119
  EXPECT_EQ(bins[5].count, 1u);
}

TEST(SampledSeries, KeepsPeaksWithinItsBound) {
  SampledSeries s;
  for (uint64_t c = 0; c < 1000000; c += 10) s.sample(c, c == 500000 ? 999 : c % 7);
  EXPECT_LE(s.samples().size(), SampledSeries::kMax);
  EXPECT_GT(s.samples().size(), SampledSeries::kMax / 2);
  EXPECT_EQ(s.peak(), 999u);
  uint64_t largest = 0;
  for (std::size_t i = 0; i < s.samples().size(); ++i) {
    largest = std::max(largest, s.samples()[i].second);
    if (i > 0) {
      EXPECT_GT(s.samples()[i].first, s.samples()[i - 1].first);
    }
  }
  EXPECT_EQ(largest, 999u) << "the peak survives the merging";
}

TEST(SampledSeries, FewSamplesAreKeptAsTheyCame) {
  SampledSeries s;
  s.sample(0, 3);
  s.sample(100, 5);
  s.sample(120, 9);  // closer than the spacing to 100: folded into the next sample
  s.sample(300, 1);
  ASSERT_EQ(s.samples().size(), 3u);
  EXPECT_EQ(s.samples()[1], std::make_pair(uint64_t{100}, uint64_t{5}));
  EXPECT_EQ(s.samples()[2], std::make_pair(uint64_t{300}, uint64_t{9}));
}

TEST(WindowedCounts, CountsEveryEventWithinItsBound) {
  WindowedCounts w;
  w.add(10);
  w.add(300, 2);
  EXPECT_EQ(w.window(), 256u);
  ASSERT_EQ(w.counts().size(), 2u);
  EXPECT_EQ(w.counts()[0], 1u);
  EXPECT_EQ(w.counts()[1], 2u);
  for (uint64_t c = 0; c < 10000000; c += 997) w.add(c);
  EXPECT_LE(w.counts().size(), WindowedCounts::kMax);
  EXPECT_EQ(w.total(), 3u + (10000000 + 996) / 997);
  EXPECT_EQ(w.counts()[0], 1u + 2u + w.window() / 997 + 1) << "window " << w.window();
}

}  // namespace
}  // namespace chimney::tb
