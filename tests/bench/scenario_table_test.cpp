// The side-by-side RTL comparison as the benchmark writes it: the wall-clock
// ratio that the target is judged on, and the CPU-time ratio beside it when
// both loops reported their CPU time.
#include "scenario_table.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace chimney::bench {
namespace {

Spread spread(double median) {
  return Spread{median, median * 0.9, median * 1.1, 5};
}

RtlComparison comparison(bool withCpu) {
  RtlComparison cmp;
  cmp.ran = true;
  cmp.baseline = "abc1234";
  cmp.ops = 1000;
  cmp.current = spread(900e3);
  cmp.earlier = spread(600e3);
  if (withCpu) {
    cmp.currentCpu = spread(1200e3);
    cmp.earlierCpu = spread(800e3);
  }
  return cmp;
}

TEST(ScenarioTable, TheComparisonReportsTheWallAndTheCpuRatio) {
  const RtlComparison cmp = comparison(true);
  EXPECT_DOUBLE_EQ(cmp.ratio(), 1.5);
  EXPECT_DOUBLE_EQ(cmp.cpuRatio(), 1.5);
  ScenarioOptions o;
  std::ostringstream json, md;
  writeScenarioJson({}, cmp, o, json);
  writeScenarioMarkdown({}, cmp, o, md);
  const nlohmann::json j = nlohmann::json::parse(json.str());
  const nlohmann::json& r = j.at("rtl_vs_earlier");
  EXPECT_EQ(r.at("ratio").get<double>(), 1.5);
  EXPECT_EQ(r.at("cpu_ratio").get<double>(), 1.5);
  EXPECT_EQ(r.at("current_cycles_per_cpu_second").at("median").get<double>(), 1200e3);
  EXPECT_EQ(r.at("earlier_cycles_per_cpu_second").at("n").get<unsigned>(), 5u);
  EXPECT_NE(md.str().find("1.50x (target >= 2: MISSED)"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("cycles per CPU second, 1.50x (information)"), std::string::npos)
      << md.str();
}

TEST(ScenarioTable, WithoutCpuTimesTheCpuRatioIsLeftOut) {
  const RtlComparison cmp = comparison(false);
  EXPECT_EQ(cmp.cpuRatio(), 0.0);
  ScenarioOptions o;
  std::ostringstream json, md;
  writeScenarioJson({}, cmp, o, json);
  writeScenarioMarkdown({}, cmp, o, md);
  EXPECT_EQ(nlohmann::json::parse(json.str()).at("rtl_vs_earlier").at("cpu_ratio").get<double>(),
            0.0);
  EXPECT_EQ(md.str().find("CPU second"), std::string::npos) << md.str();
}

}  // namespace
}  // namespace chimney::bench
