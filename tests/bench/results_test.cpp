// The benchmark's JSON results and how it reads the reports of its runs.
#include "results.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scratch_dir.h"

namespace chimney::bench {
namespace {

using testing_support::ScratchDir;

BenchResults sample() {
  BenchResults r;
  r.date = "2026-01-01 00:00 UTC";
  r.cpu = "a \"quoted\" cpu";
  r.cpus = 2;
  r.ops = 2000;
  r.rtl = {"rtl", true, true, 1000, 1000, 50, 0.5, 0.6, 4096, ""};
  r.cosim = {"cosim", true, false, 2000, 1500, 50, 2.0, 2.1, 8192, "exit 1, inv 5"};
  r.prm8.push_back({"sustained completions per cycle", 0.512345, "cpl/cycle", ">= 0.45", true});
  return r;
}

TEST(BenchResults, JsonHoldsEveryRunRatioAndFigure) {
  std::ostringstream out;
  writeJson(sample(), out);
  const nlohmann::json j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j.at("machine").at("cpu"), "a \"quoted\" cpu");
  EXPECT_EQ(j.at("runs").at("rtl").at("cycles_per_second"), 2000);
  EXPECT_EQ(j.at("runs").at("cosim").at("ok"), false);
  EXPECT_EQ(j.at("runs").at("cosim").at("note"), "exit 1, inv 5");
  EXPECT_EQ(j.at("runs").at("icarus").at("ran"), false);
  EXPECT_DOUBLE_EQ(j.at("ratios").at("cosim_over_rtl").get<double>(), 0.5);  // 1000/s over 2000/s
  EXPECT_DOUBLE_EQ(j.at("ratios").at("rss_10x_over_default").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j.at("prm8").at(0).at("value").get<double>(), 0.5123);
  EXPECT_EQ(j.at("prm8").at(0).at("met"), true);
}

TEST(BenchResults, ReadsNumbersByJsonPointer) {
  const nlohmann::json report =
      nlohmann::json::parse(R"({"cycles": 12, "latency_cycles": {"send": {"max": 99}},
                               "hardware_counters": {"CNT_CPL_WRITTEN": 7}, "repeat": "x"})");
  EXPECT_EQ(jsonNumber(report, "/cycles"), 12.0);
  EXPECT_EQ(jsonNumber(report, "/hardware_counters/CNT_CPL_WRITTEN"), 7.0);
  EXPECT_FALSE(jsonNumber(report, "/rtl_cycles").has_value());
  EXPECT_FALSE(jsonNumber(report, "/repeat").has_value());  // not a number
  EXPECT_FALSE(jsonNumber(nlohmann::json(), "/cycles").has_value());
}

TEST(BenchResults, FirstFindingIsAViolationElseAMismatch) {
  EXPECT_EQ(firstFinding(nlohmann::json::parse(R"({"violations": ["inv 5: x"],
                                                   "mismatches": ["m"]})")),
            "inv 5: x");
  EXPECT_EQ(firstFinding(nlohmann::json::parse(R"({"violations": [], "mismatches": ["m"]})")), "m");
  EXPECT_EQ(firstFinding(nlohmann::json::parse(
                R"({"violations": [{"invariant": 5, "message": "inv 5: y"}]})")),
            "inv 5: y");
  EXPECT_EQ(firstFinding(nlohmann::json::parse(R"({"violations": []})")), "");
}

TEST(BenchResults, UnreadableReportIsNull) {
  EXPECT_TRUE(readJsonFile("/nonexistent/report.json").is_null());
  const ScratchDir scratch;
  const std::string path = scratch.file("bad.json");
  std::ofstream(path) << "{\"cycles\": ";
  EXPECT_TRUE(readJsonFile(path).is_null());
  std::ofstream(path) << "{\"cycles\": 5}";
  EXPECT_EQ(jsonNumber(readJsonFile(path), "/cycles"), 5.0);
}

}  // namespace
}  // namespace chimney::bench
