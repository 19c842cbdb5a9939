// The regression plan: deterministic, spread over the whole option space,
// split into shards that cover every point once; point lists.
#include "plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine_limits.h"
#include "run_options.h"
#include "scenario_registry.h"
#include "scratch_dir.h"

namespace chimney::regress {
namespace {

using testing_support::ScratchDir;

std::vector<std::string> scenarios() {
  std::vector<std::string> names;
  for (const tb::ScenarioInfo& s : tb::scenarioRegistry()) names.push_back(s.name);
  return names;
}

PlanSpec spec(uint64_t seed, std::size_t points) {
  PlanSpec s;
  s.seed = seed;
  s.points = points;
  return s;
}

TEST(Plan, SameSpecSamePlan) {
  const Plan a = makePlan(spec(7, 300), scenarios());
  const Plan b = makePlan(spec(7, 300), scenarios());
  ASSERT_EQ(a.points.size(), 300u);
  EXPECT_EQ(a.id, b.id);
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].args, b.points[i].args) << i;
    EXPECT_EQ(a.points[i].index, i);
  }
}

TEST(Plan, OtherSeedOtherPlan) {
  const Plan a = makePlan(spec(7, 50), scenarios());
  const Plan b = makePlan(spec(8, 50), scenarios());
  EXPECT_NE(a.id, b.id);
  std::size_t same = 0;
  for (std::size_t i = 0; i < 50; ++i) same += a.points[i].args == b.points[i].args ? 1 : 0;
  EXPECT_EQ(same, 0u);
}

TEST(Plan, PointsDoNotDependOnThePlanSize) {
  // Point i is drawn from (plan seed, i) alone: a longer plan extends a shorter one.
  const Plan a = makePlan(spec(3, 40), scenarios());
  const Plan b = makePlan(spec(3, 90), scenarios());
  for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(a.points[i].args, b.points[i].args) << i;
  EXPECT_NE(a.id, b.id);
}

TEST(Plan, LimitsAreChimneyCosims) {
  const OptionLimits lim;
  EXPECT_EQ(lim.maxConnections, tb::kNumConn);
  EXPECT_EQ(lim.maxQueues, tb::kNumQp);
  EXPECT_EQ(lim.maxImLayers, tb::kMaxImLayers);
  EXPECT_EQ(lim.minRingLog2, tb::kMinRingLog2);
  EXPECT_EQ(lim.maxRingLog2, tb::kMaxRingLog2);
  EXPECT_EQ(lim.maxOps, tb::kMaxOps);
}

TEST(Plan, SpreadsOverTheWholeOptionSpace) {
  PlanSpec s = spec(1, 3000);
  s.maxOps = 500;
  const Plan plan = makePlan(s, scenarios());
  std::map<std::string, std::set<std::string>> values;
  std::set<std::pair<std::string, std::string>> scenarioDevice;
  for (const Point& p : plan.points) {
    for (std::size_t i = 0; i < p.args.size(); ++i) {
      if (p.args[i].rfind("--", 0) != 0) continue;
      const bool flag = i + 1 == p.args.size() || p.args[i + 1].rfind("--", 0) == 0;
      values[p.args[i]].insert(flag ? "" : p.args[i + 1]);
    }
    scenarioDevice.insert({p.scenario(), p.device()});
  }
  EXPECT_EQ(scenarioDevice.size(), 2 * scenarios().size()) << "every scenario on both devices";
  // drawnOptions() (what the runner counts as swept) is exactly what the plan draws.
  for (const std::string& option : drawnOptions()) {
    EXPECT_TRUE(values.count(option)) << option << " never drawn";
  }
  for (const auto& [option, drawn] : values) {
    EXPECT_NE(std::find(drawnOptions().begin(), drawnOptions().end(), option), drawnOptions().end())
        << option << " is drawn but not in drawnOptions()";
  }
  EXPECT_EQ(values["--im-driver"], std::set<std::string>{"builtin"});
  // The ends of every range.
  for (const char* v : {"1", "500"}) EXPECT_TRUE(values["--ops"].count(v)) << "--ops " << v;
  for (const char* v : {"1", "64"}) EXPECT_TRUE(values["--connections"].count(v)) << v;
  for (const char* v : {"1", "2", "3", "4"}) EXPECT_TRUE(values["--queues"].count(v)) << v;
  for (int im = 0; im <= 8; ++im) EXPECT_TRUE(values["--im-layers"].count(std::to_string(im)));
  for (unsigned l = 1; l <= 15; ++l) {
    EXPECT_TRUE(values["--ring-size"].count(std::to_string(1u << l))) << (1u << l);
  }
  EXPECT_TRUE(values["--seed"].count("0"));
  EXPECT_GT(values["--seed"].size(), 2500u);
  for (const std::string& ops : values["--ops"]) {
    EXPECT_LE(std::stoul(ops), 500u);
    EXPECT_GE(std::stoul(ops), 1u);
  }
}

TEST(Plan, ObserverOutputsAreNamedPerPointAndRemovable) {
  const Plan plan = makePlan(spec(3, 3000), scenarios());
  std::size_t withOutputs = 0;
  for (const Point& p : plan.points) {
    const std::vector<std::string> outs = p.outputs();
    withOutputs += !outs.empty();
    for (const std::string& o : outs) {
      EXPECT_NE(o.find(std::to_string(p.index)), std::string::npos) << p.repeatLine();
    }
    if (p.device() == "model") {
      EXPECT_EQ(p.option("--record-ports"), "") << p.repeatLine();
      EXPECT_EQ(p.option("--trace-on-fail"), "") << p.repeatLine();
    }
    if (!p.option("--trace-on-fail").empty()) {
      EXPECT_EQ(p.option("--trace"), "") << p.repeatLine();
    }
  }
  EXPECT_GT(withOutputs, 0u);
}

TEST(Plan, ImDriversStayWithinTheImLimit) {
  const Plan plan = makePlan(spec(5, 2000), scenarios());
  std::set<std::size_t> drivers;
  for (const Point& p : plan.points) {
    std::size_t n = 0;
    for (const std::string& a : p.args) n += a == "--im-driver";
    drivers.insert(n);
    EXPECT_LE(n + std::stoul(p.option("--im-layers")), tb::kMaxImLayers) << p.repeatLine();
  }
  EXPECT_TRUE(drivers.count(0));
  EXPECT_TRUE(drivers.count(1));
  EXPECT_TRUE(drivers.count(tb::kMaxImLayers)) << "--im-layers 0 under eight --im-driver builtin";
}

TEST(Plan, PortReadinessIsDrawnOnRtlPointsOnlyOverItsWholeRange) {
  const Plan plan = makePlan(spec(9, 6000), scenarios());
  for (const char* option : {"--csr-ready", "--work-ready", "--irq-ready", "--dma-ready"}) {
    std::size_t rtl = 0, held = 0;
    std::set<unsigned long> percents;
    for (const Point& p : plan.points) {
      const std::string v = p.option(option);
      rtl += p.device() == "rtl";
      if (v.empty()) continue;
      ++held;
      EXPECT_EQ(p.device(), "rtl") << "the model has no such port: " << p.repeatLine();
      const unsigned long percent = std::stoul(v);
      EXPECT_GE(percent, 1u) << p.repeatLine();
      EXPECT_LE(percent, 99u) << p.repeatLine();
      percents.insert(percent);
    }
    // A tenth of the RTL points, the floor of 1 % among them (5 % of those).
    EXPECT_GT(held, rtl / 20) << option;
    EXPECT_LT(held, rtl / 5) << option;
    EXPECT_TRUE(percents.count(1)) << option;
    EXPECT_TRUE(percents.count(5)) << option;
    EXPECT_TRUE(percents.count(99)) << option;
  }
}

TEST(Plan, DmaLatencyIsDrawnOnRtlPointsOnlyOverItsWholeRange) {
  const Plan plan = makePlan(spec(9, 6000), scenarios());
  std::size_t rtl = 0, slow = 0;
  std::set<unsigned long> cycles;
  for (const Point& p : plan.points) {
    const std::string v = p.option("--dma-latency");
    rtl += p.device() == "rtl";
    if (v.empty()) continue;
    ++slow;
    EXPECT_EQ(p.device(), "rtl") << "the model's DMA takes no cycles: " << p.repeatLine();
    const unsigned long c = std::stoul(v);
    EXPECT_GE(c, 2u) << p.repeatLine();
    EXPECT_LE(c, 1000u) << p.repeatLine();
    EXPECT_TRUE(c <= 400 || c == 1000) << p.repeatLine();
    cycles.insert(c);
  }
  // A tenth of the RTL points, the ceiling among them (5 % of those).
  EXPECT_GT(slow, rtl / 20);
  EXPECT_LT(slow, rtl / 5);
  // the whole range: near both ends of 2..400, and the ceiling
  ASSERT_FALSE(cycles.empty());
  EXPECT_LT(*cycles.begin(), 12u);
  EXPECT_EQ(cycles.erase(1000), 1u);
  ASSERT_FALSE(cycles.empty());
  EXPECT_GT(*cycles.rbegin(), 390u);
}

// A drawn --max-cycles leaves a slow DMA bus the room chimney-cosim's own
// watchdog gives it: 4 x (100000 + perOp x ops) and more.
TEST(Plan, AMaxCyclesDrawnWithASlowDmaBusGrowsWithIt) {
  const Plan plan = makePlan(spec(9, 20000), scenarios());
  std::size_t scaled = 0;
  for (const Point& p : plan.points) {
    const std::string max = p.option("--max-cycles");
    if (max.empty()) continue;
    tb::RunOptions cosim;  // chimney-cosim's own watchdog for the point's DMA options
    cosim.dmaLatencyCycles = unsigned(std::stoul(p.option("--dma-latency", "1")));
    cosim.dmaReadyPercent = unsigned(std::stoul(p.option("--dma-ready", "100")));
    cosim.csrReadyPercent = unsigned(std::stoul(p.option("--csr-ready", "100")));
    const uint64_t perOp = cosim.watchdogCyclesPerOp();
    const uint64_t ops = std::stoull(p.option("--ops"));
    EXPECT_GE(std::stoull(max), 4 * (100000 * perOp / 500 + perOp * ops) - perOp) << p.repeatLine();
    scaled += perOp != 500;
  }
  EXPECT_GT(scaled, 0u) << "no point drew --max-cycles beside a DMA option";
}

TEST(Plan, EveryPointParsesAsAChimneyCosimCommandLine) {
  const Plan plan = makePlan(spec(11, 400), scenarios());
  const ScratchDir scratch;
  for (const Point& p : plan.points) {
    std::ostringstream out, err;
    std::vector<std::string> args = p.args;
    for (const std::string& out : p.outputs()) {  // files the parser checks: a writable place
      for (std::string& a : args) {
        if (a == out) a = scratch.file(a);
      }
    }
    const tb::ParseOutcome o = tb::parseCommandLine(args, out, err);
    EXPECT_TRUE(o.run) << p.repeatLine() << ": " << err.str();
  }
}

TEST(Plan, RestrictsToTheGivenScenariosAndDevices) {
  PlanSpec s = spec(2, 60);
  s.scenarios = {"smoke", "backpressure"};
  s.devices = {"model"};
  for (const Point& p : makePlan(s, scenarios()).points) {
    EXPECT_TRUE(p.scenario() == "smoke" || p.scenario() == "backpressure") << p.repeatLine();
    EXPECT_EQ(p.device(), "model");
    EXPECT_EQ(p.option("--trace"), "") << "no trace on the model";
  }
}

TEST(Shards, CoverEveryPointExactlyOnce) {
  const Plan plan = makePlan(spec(5, 101), scenarios());
  for (std::size_t n : {1u, 2u, 3u, 7u, 101u, 150u}) {
    std::map<std::size_t, int> seen;
    for (std::size_t i = 0; i < n; ++i) {
      for (const Point& p : shardOf(plan, i, n)) {
        ++seen[p.index];
        EXPECT_EQ(p.args, plan.points[p.index].args);
      }
    }
    EXPECT_EQ(seen.size(), plan.points.size()) << n << " shards";
    for (const auto& [index, count] : seen) EXPECT_EQ(count, 1) << index << " in " << n;
  }
}

TEST(Shards, AreBalanced) {
  const Plan plan = makePlan(spec(5, 100), scenarios());
  for (std::size_t i = 0; i < 3; ++i) {
    const std::size_t size = shardOf(plan, i, 3).size();
    EXPECT_TRUE(size == 33 || size == 34) << size;
  }
}

TEST(PointList, ReadsRepeatLinesAndSkipsComments) {
  const auto points = parsePointList(
      "# a comment\n\nchimney-cosim --scenario smoke --seed 3\n"
      "  --scenario backpressure --device model  \n/usr/bin/chimney-cosim --ops 5\n");
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0], (std::vector<std::string>{"--scenario", "smoke", "--seed", "3"}));
  EXPECT_EQ(points[1],
            (std::vector<std::string>{"--scenario", "backpressure", "--device", "model"}));
  EXPECT_EQ(points[2], (std::vector<std::string>{"--ops", "5"}));
  PlanSpec s;
  s.given = points;
  const Plan plan = makePlan(s, {});
  ASSERT_EQ(plan.points.size(), 3u);
  EXPECT_EQ(plan.points[1].repeatLine(), "chimney-cosim --scenario backpressure --device model");
}

TEST(PointList, RefusesTheRunnersOwnOptions) {
  try {
    parsePointList("--scenario smoke\n--scenario smoke --json x.json\n");
    FAIL() << "accepted --json";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2: --json"), std::string::npos) << e.what();
  }
}

TEST(Point, LastValueOfAnOptionCounts) {
  Point p{0, {"--device", "rtl", "--device", "model"}};
  EXPECT_EQ(p.device(), "model");
  EXPECT_EQ(p.scenario(), "smoke");
}

}  // namespace
// With offload-target libraries given, a share of the points loads one of
// them, never for surprise-removal (it needs the built-in target); without,
// none does.
TEST(Plan, DrawsGivenTargetDriversOnAShareOfThePoints) {
  PlanSpec s;
  s.points = 2000;
  s.targetDrivers = {"/a/target.so", "/b/target.so"};
  std::map<std::string, std::size_t> drawn;
  for (const Point& p : makePlan(s, scenarios()).points) {
    const std::string t = p.option("--target-driver");
    if (t.empty()) continue;
    ++drawn[t];
    EXPECT_NE(p.scenario(), "surprise-removal") << p.repeatLine();
  }
  EXPECT_EQ(drawn.size(), 2u);
  const std::size_t n = drawn["/a/target.so"] + drawn["/b/target.so"];
  EXPECT_GT(n, 100u);
  EXPECT_LT(n, 300u);

  s.targetDrivers.clear();
  for (const Point& p : makePlan(s, scenarios()).points) {
    EXPECT_EQ(p.option("--target-driver"), "") << p.repeatLine();
  }
}

}  // namespace chimney::regress
