// Judging a run, merging shards, the reports and the child-process pool.
#include "results.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include "child_pool.h"
#include "reports.h"
#include "runner.h"

namespace chimney::regress {
namespace {

Point point(std::size_t index, const std::string& scenario = "smoke") {
  return {index, {"--scenario", scenario, "--seed", std::to_string(index), "--device", "model"}};
}

ChildOutcome exited(int code) {
  ChildOutcome o;
  o.started = true;
  o.exitCode = code;
  return o;
}

Json passingReport() {
  return Json::parse(R"({"result": "pass", "cycles": 900, "interrupts": 4,
    "latency_cycles": {"send": {"count": 3, "histogram": [[16, 19, 2], [112, 127, 1]]}},
    "cq_occupancy": {"spacing_cycles": 64, "peak": 5, "samples": [[0, 1], [100, 5]]},
    "interrupt_windows": {"window_cycles": 256, "counts": [3, 1]},
    "violations": [], "mismatches": []})");
}

TEST(Judge, CleanRunPasses) {
  const PointResult r = judge(point(1), exited(0), passingReport(), "");
  EXPECT_EQ(r.status, "pass");
  EXPECT_EQ(r.cycles, 900u);
  EXPECT_EQ(r.peakCq, 5u);
}

TEST(Judge, FailedCheckIsAFailureWithItsFinding) {
  Json report = passingReport();
  report["result"] = "fail";
  report["violations"] = Json::array({"inv 5: out of order", Json{{"message", "inv 7: lost"}}});
  const PointResult r = judge(point(2), exited(1), report, "");
  EXPECT_EQ(r.status, "fail");
  EXPECT_EQ(r.message, "inv 5: out of order");
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[1], "inv 7: lost") << "violations as objects are read too";
}

TEST(Judge, ExitZeroWithAFailingReportIsAFailure) {
  Json report = passingReport();
  report["mismatches"] = Json::array({"send SUCCESS: expected 2, got 1"});
  EXPECT_EQ(judge(point(3), exited(0), report, "").status, "fail");
  report["mismatches"] = Json::array();
  report["result"] = "fail";
  EXPECT_EQ(judge(point(3), exited(0), report, "").status, "fail");
}

TEST(Judge, CrashesTimeoutsAndRefusedOptions) {
  ChildOutcome sig;
  sig.started = true;
  sig.signal = SIGSEGV;
  EXPECT_EQ(judge(point(4), sig, Json(), "").status, "crash");
  ChildOutcome late = sig;
  late.signal = SIGKILL;
  late.timedOut = true;
  const PointResult t = judge(point(4), late, Json(), "");
  EXPECT_EQ(t.status, "timeout");
  EXPECT_NE(t.message.find("killed"), std::string::npos);
  const PointResult e =
      judge(point(4), exited(2), Json(), "chimney-cosim: error: --ring-size 3: must be ...");
  EXPECT_EQ(e.status, "error");
  EXPECT_NE(e.message.find("--ring-size 3"), std::string::npos) << e.message;
  EXPECT_EQ(judge(point(4), exited(0), Json(), "").status, "crash") << "no report";
  EXPECT_EQ(judge(point(4), exited(134), Json(), "abort").status, "crash");
  ChildOutcome missing;
  EXPECT_EQ(judge(point(4), missing, Json(), "").status, "error");
}

Regression shardResult(std::size_t shard, std::size_t shards, std::size_t points) {
  Regression r;
  r.planId = "abc";
  r.planPoints = points;
  r.shards = {{shard, shards}};
  for (std::size_t i = shard; i < points; i += shards) {
    const bool fails = i == 3;
    Json report = passingReport();
    if (fails) report["result"] = "fail";
    PointResult p =
        judge(point(i, i % 2 ? "bulk-send" : "smoke"), exited(fails ? 1 : 0), report, "");
    p.peakCq = i;  // distinct peaks: the series kept are the fullest
    r.aggregate.addReport(p, report);
    r.points.push_back(p);
  }
  return r;
}

TEST(Merge, TwoShardsEqualTheWholeRun) {
  const Regression whole = shardResult(0, 1, 10);
  const Regression merged = merge({shardResult(1, 2, 10), shardResult(0, 2, 10)});
  ASSERT_EQ(merged.points.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(merged.points[i].point.index, i);
    EXPECT_EQ(merged.points[i].status, whole.points[i].status);
  }
  EXPECT_TRUE(merged.missingShards().empty());
  EXPECT_EQ(merged.failed(), 1u);
  EXPECT_EQ(merged.aggregate.toJson(), whole.aggregate.toJson());
  EXPECT_EQ(merged.aggregate.latency.at("send").at(16)[2], 20u);
  ASSERT_EQ(merged.aggregate.series.size(), 2u) << "one series per scenario and device";
  EXPECT_EQ(merged.aggregate.series[0].index, 9u);  // bulk-send, fullest
  EXPECT_EQ(merged.aggregate.series[1].index, 8u);  // smoke, fullest
}

TEST(Aggregate, SeriesWithAShapeComeBeforeFullerOnes) {
  Aggregate a;
  Json many = Json::array();
  for (int i = 0; i < 10; ++i) many.push_back(Json::array({i * 100, i}));
  for (std::size_t i = 0; i < 10; ++i) {
    RunSeries s{i, "label " + std::to_string(i), Json{{"samples", i == 4 ? many : Json::array()}},
                Json(), 100 - i};
    a.keepSeries(s);
  }
  ASSERT_EQ(a.series.size(), Aggregate::kSeries);
  EXPECT_EQ(a.series[0].index, 4u) << "ten samples beat a fuller queue sampled twice";
  EXPECT_EQ(a.series[1].index, 0u);
  a.keepSeries(RunSeries{20, "label 0", Json{{"samples", many}}, Json(), 1});
  EXPECT_EQ(a.series[1].index, 20u) << "the better series of a label replaces the other";
  EXPECT_EQ(a.series.size(), Aggregate::kSeries);
}

TEST(Merge, SummaryJsonRoundTrips) {
  const Regression r = shardResult(0, 1, 6);
  const Regression back = Regression::fromJson(Json::parse(r.toJson().dump()));
  EXPECT_EQ(back.toJson(), r.toJson());
  const Json j = r.toJson();
  EXPECT_EQ(j.at("totals").at("passed"), 5);
  EXPECT_EQ(j.at("totals").at("failed"), 1);
  EXPECT_EQ(j.at("failures").at(0).at("repeat"), point(3, "bulk-send").repeatLine());
  EXPECT_EQ(j.at("complete"), true);
}

TEST(Merge, MissingShardIsReported) {
  const Regression merged = merge({shardResult(0, 3, 9), shardResult(2, 3, 9)});
  EXPECT_EQ(merged.missingShards(), std::vector<std::size_t>{1});
  EXPECT_EQ(merged.toJson().at("complete"), false);
}

TEST(Merge, RefusesOtherPlansAndDuplicates) {
  Regression other = shardResult(1, 2, 10);
  other.planId = "def";
  EXPECT_THROW(merge({shardResult(0, 2, 10), other}), std::runtime_error);
  EXPECT_THROW(merge({shardResult(0, 2, 10), shardResult(0, 2, 10)}), std::runtime_error);
  EXPECT_THROW(merge({shardResult(0, 2, 10), shardResult(1, 3, 10)}), std::runtime_error);
}

TEST(Reports, JunitHoldsEveryPointAndTheRepeatLineOfFailures) {
  Regression r = shardResult(0, 1, 5);
  r.points[1].message = "inv 5: <bad> & \"quoted\"\x01";
  r.points[1].status = "crash";
  std::ostringstream out;
  writeJunit(r, out);
  const std::string x = out.str();
  EXPECT_NE(x.find("tests=\"5\" failures=\"1\" errors=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("<failure type=\"fail\""), std::string::npos);
  EXPECT_NE(
      x.find("<error type=\"crash\" message=\"inv 5: &lt;bad&gt; &amp; &quot;quoted&quot; \""),
      std::string::npos)
      << x;
  EXPECT_NE(x.find("repeat with: " + point(3, "bulk-send").repeatLine()), std::string::npos);
  EXPECT_EQ(x.find('\x01'), std::string::npos);
}

TEST(Reports, HtmlIsSelfContained) {
  Regression r = shardResult(0, 1, 5);
  r.aggregate.hasCoverage = true;
  r.aggregate.coverage = {{"engine.ring_wrap.qp0", 3}, {"engine.cq_full_stall", 0}};
  std::ostringstream out;
  writeHtml(r, out);
  const std::string h = out.str();
  EXPECT_EQ(h.find("://"), std::string::npos) << "no address of anything elsewhere";
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
  EXPECT_NE(h.find("4 of 5 points passed"), std::string::npos);
  EXPECT_NE(h.find(escapeXml(point(3, "bulk-send").repeatLine())), std::string::npos);
  EXPECT_NE(h.find("1 of 2 bins hit"), std::string::npos);
  EXPECT_NE(h.find("<li>engine.cq_full_stall</li>"), std::string::npos);
  std::size_t svgs = 0;
  for (std::size_t at = h.find("<svg"); at != std::string::npos; at = h.find("<svg", at + 1))
    ++svgs;
  EXPECT_EQ(svgs, 3u) << "latency (send), CQ occupancy, interrupts";
  EXPECT_NE(h.find("<polyline"), std::string::npos);
  EXPECT_NE(h.find("<rect"), std::string::npos);
}

TEST(CosimHelp, FindsEveryOptionAndThoseNotSwept) {
  const std::string help =
      "Usage: chimney-cosim [OPTIONS]\n\nOptions:\n"
      "  -h,--help                   Print this help message and exit\n"
      "  --scenario NAME             scenario to run (default: smoke)\n"
      "  --list-scenarios            list the scenarios\n"
      "  --list-faults               list the faults\n"
      "  --json FILE                 write the run report as JSON, see --scenario\n"
      "  --coverage FILE             write coverage\n"
      "  --inject NAME ...           inject fault NAME\n"
      "  --new-knob N                something new\n";
  const CosimOptions o = cosimOptions(help);
  EXPECT_EQ(o.all,
            (std::vector<std::string>{"--help", "--scenario", "--list-scenarios", "--list-faults",
                                      "--json", "--coverage", "--inject", "--new-knob"}));
  // --inject is left out on purpose: named apart, not warned about.
  EXPECT_EQ(o.unswept, std::vector<std::string>{"--new-knob"});
  EXPECT_EQ(o.keptOut, std::vector<std::string>{"--inject"});
  EXPECT_TRUE(o.coverage);
  EXPECT_FALSE(cosimOptions("  --scenario NAME  x\n").coverage);
}

TEST(CosimHelp, ReadsTheScenarioList) {
  EXPECT_EQ(scenarioList("scenarios:\n  smoke      one\n  bulk-send  two\n"),
            (std::vector<std::string>{"smoke", "bulk-send"}));
}

TEST(ChildPool, KillsAChildThatOutlivesItsLimitAndReportsEveryEnd) {
  std::vector<ChildSpec> specs = {{{"/bin/sh", "-c", "sleep 100"}, "", "", 0.5},
                                  {{"/bin/sh", "-c", "exit 3"}, "", "", 0},
                                  {{"/bin/sh", "-c", "kill -SEGV $$"}, "", "", 0},
                                  {{"/nonexistent/program"}, "", "", 0}};
  std::map<std::size_t, ChildOutcome> got;
  runChildren(specs, 2, [&](std::size_t i, const ChildOutcome& o) { got[i] = o; });
  ASSERT_EQ(got.size(), 4u);
  EXPECT_TRUE(got[0].timedOut);
  EXPECT_EQ(got[0].signal, SIGKILL);
  EXPECT_EQ(got[1].exitCode, 3);
  EXPECT_FALSE(got[1].timedOut);
  EXPECT_EQ(got[2].signal, SIGSEGV);
  EXPECT_FALSE(got[3].started);
  EXPECT_NE(got[3].startError.find("/nonexistent/program"), std::string::npos);
}

}  // namespace
}  // namespace chimney::regress
