// The chimney-cosim command line: defaults, overrides, and one-line errors
// (exit 2) that name the bad value and what is allowed.
#include "run_options.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "engine_limits.h"
#include "fault_injection.h"
#include "scratch_dir.h"

namespace chimney::tb {
namespace {

using testing_support::ScratchDir;

struct Parsed {
  ParseOutcome outcome;
  std::string out;
  std::string err;
};

Parsed parse(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Parsed p{parseCommandLine(args, out, err), "", ""};
  p.out = out.str();
  p.err = err.str();
  return p;
}

void expectBadArgument(const std::vector<std::string>& args, const std::string& named) {
  Parsed p = parse(args);
  EXPECT_FALSE(p.outcome.run);
  EXPECT_EQ(p.outcome.exitCode, kExitBadArgs);
  EXPECT_NE(p.err.find(named), std::string::npos) << p.err;
  ASSERT_FALSE(p.err.empty());
  EXPECT_EQ(p.err.find('\n'), p.err.size() - 1) << "not one line: " << p.err;
  EXPECT_TRUE(p.out.empty());
}

TEST(RunOptions, NoArgumentsRunsTheDefaultScenarioWithItsDefaults) {
  Parsed p = parse({});
  ASSERT_TRUE(p.outcome.run);
  const ScenarioInfo* info = findScenario(kDefaultScenario);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(p.outcome.options.scenario, kDefaultScenario);
  EXPECT_EQ(p.outcome.options.ops, info->defaults.ops);
  EXPECT_EQ(p.outcome.options.connections, info->defaults.connections);
  EXPECT_EQ(p.outcome.options.ringSize, info->defaults.ringSize);
  EXPECT_EQ(p.outcome.options.seed, 1u);
}

TEST(RunOptions, GivenOptionsOverrideTheScenarioDefaults) {
  Parsed p = parse({"--scenario", "bulk-send", "--seed", "77", "--ops", "10", "--connections", "3",
                    "--queues", "4", "--im-layers", "0", "--ring-size", "16"});
  ASSERT_TRUE(p.outcome.run) << p.err;
  const RunOptions& o = p.outcome.options;
  EXPECT_EQ(o.scenario, "bulk-send");
  EXPECT_EQ(o.seed, 77u);
  EXPECT_EQ(o.ops, 10u);
  EXPECT_EQ(o.connections, 3u);
  EXPECT_EQ(o.queues, 4u);
  EXPECT_EQ(o.imLayers, 0u);
  EXPECT_EQ(o.ringSize, 16u);
}

TEST(RunOptions, ImDriversKeepTheirOrderAndAreRepeated) {
  Parsed p = parse({"--im-driver", "builtin", "--im-driver", "/dev/null", "--im-driver", "builtin",
                    "--im-layers", "1"});
  ASSERT_TRUE(p.outcome.run) << p.err;
  const std::vector<std::string> want{"builtin", "/dev/null", "builtin"};
  EXPECT_EQ(p.outcome.options.imDrivers, want);
  EXPECT_NE(p.outcome.options.reproduceCommand().find(
                "--im-driver builtin --im-driver /dev/null --im-driver builtin"),
            std::string::npos);
}

TEST(RunOptions, ImDriversCountTowardsTheLayerLimit) {
  Parsed p = parse({"--im-driver", "builtin", "--im-layers", "8"});
  EXPECT_FALSE(p.outcome.run);
  EXPECT_EQ(p.outcome.exitCode, kExitBadArgs);
  EXPECT_NE(p.err.find("at most 8 IM layers in all"), std::string::npos) << p.err;
}

TEST(RunOptions, ReproduceCommandRepeatsEveryResolvedOption) {
  Parsed p = parse({"--scenario", "backpressure", "--seed", "5", "--im-layers", "3"});
  ASSERT_TRUE(p.outcome.run);
  const std::string cmd = p.outcome.options.reproduceCommand();
  EXPECT_NE(cmd.find("--scenario backpressure"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--seed 5"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--im-layers 3"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--ring-size 4"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--ops "), std::string::npos) << cmd;
}

TEST(RunOptions, ReproduceCommandCarriesTraceInjectAndOutputOptions) {
  const ScratchDir scratch;
  const std::string dir = scratch.dir();
  Parsed p = parse({"--scenario",
                    "smoke",
                    "--im-layers",
                    "1",
                    "--inject",
                    "im.leak-call-entries",
                    "--inject",
                    "target.complete-send-twice",
                    "--trace-on-fail",
                    dir + "tof",
                    "--trace-window",
                    "100,20",
                    "--txlog",
                    dir + "t.jsonl",
                    "--timeline",
                    dir + "t.json",
                    "--json",
                    dir + "r.json",
                    "--quiet",
                    "--max-cycles",
                    "99999"});
  ASSERT_TRUE(p.outcome.run) << p.err;
  const RunOptions& o = p.outcome.options;
  const std::vector<std::string> args = o.reproduceArgs();
  // Parsing the repeat arguments gives the same options back.
  Parsed again = parse(args);
  ASSERT_TRUE(again.outcome.run) << again.err;
  EXPECT_EQ(again.outcome.options.reproduceArgs(), args);
  const std::string cmd = o.reproduceCommand();
  for (const std::string& part :
       {std::string("--inject im.leak-call-entries --inject target.complete-send-twice"),
        "--trace-on-fail " + dir + "tof", std::string("--trace-window 100,20"),
        "--txlog " + dir + "t.jsonl", "--timeline " + dir + "t.json", "--json " + dir + "r.json",
        std::string("--quiet"), std::string("--max-cycles 99999")}) {
    EXPECT_NE(cmd.find(part), std::string::npos) << part << " missing in " << cmd;
  }
  Parsed traced = parse({"--trace", dir + "w.fst", "--trace-from", "10", "--trace-to", "20"});
  ASSERT_TRUE(traced.outcome.run) << traced.err;
  const std::string tcmd = traced.outcome.options.reproduceCommand();
  EXPECT_NE(tcmd.find("--trace " + dir + "w.fst --trace-from 10 --trace-to 20"), std::string::npos)
      << tcmd;
}

TEST(RunOptions, ATraceNameNotEndingInFstIsRefused) {
  const ScratchDir scratch;
  expectBadArgument({"--trace", scratch.file("wave.vcd")}, "must end in .fst");
  expectBadArgument({"--trace", scratch.file("wave")}, "must end in .fst");
}

TEST(RunOptions, FaultsAreCheckedByName) {
  expectBadArgument({"--inject", "im.nope"}, "--inject im.nope: unknown fault; valid: ");
  expectBadArgument({"--inject", "im.leak-call-entries", "--im-layers", "0"},
                    "--inject im.leak-call-entries: needs --im-layers 1 or more");
  expectBadArgument({"--inject", "target.move-rings-under-dma", "--device", "model"},
                    "--inject target.move-rings-under-dma: needs --device rtl (the behavioural "
                    "device's DMA is never in flight)");
  EXPECT_TRUE(parse({"--inject", "target.move-rings-under-dma"}).outcome.run);
  Parsed p = parse({"--list-faults"});
  EXPECT_FALSE(p.outcome.run);
  EXPECT_EQ(p.outcome.exitCode, kExitClean);
  // One line per fault, plus the heading.
  std::size_t lines = 0;
  for (char c : p.out) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, faultRegistry().size() + 1) << p.out;
  for (const FaultInfo& f : faultRegistry())
    EXPECT_NE(p.out.find("  " + f.name + " "), std::string::npos);
}

TEST(RunOptions, TraceWindowNeedsTraceOnFailAndTwoNumbers) {
  const ScratchDir scratch;
  const std::string dir = scratch.file("tof");
  expectBadArgument({"--trace-window", "5,5"}, "--trace-window 5,5: needs --trace-on-fail DIR");
  expectBadArgument({"--trace-on-fail", dir, "--trace-window", "5"},
                    "--trace-window 5: must be N,M");
  expectBadArgument({"--trace-on-fail", dir, "--trace-window", "a,5"},
                    "--trace-window a,5: must be N,M");
  expectBadArgument({"--trace-on-fail", dir, "--device", "model"}, "needs --device rtl");
  Parsed p = parse({"--trace-on-fail", dir});
  ASSERT_TRUE(p.outcome.run) << p.err;
  EXPECT_EQ(p.outcome.options.windowBefore, RunOptions::kDefaultWindowBefore);
  EXPECT_EQ(p.outcome.options.windowAfter, RunOptions::kDefaultWindowAfter);
}

TEST(RunOptions, ListScenariosPrintsEveryNameAndExitsZero) {
  Parsed p = parse({"--list-scenarios"});
  EXPECT_FALSE(p.outcome.run);
  EXPECT_EQ(p.outcome.exitCode, kExitClean);
  for (const ScenarioInfo& s : scenarioRegistry()) {
    EXPECT_NE(p.out.find(s.name), std::string::npos) << s.name;
  }
}

TEST(RunOptions, HelpExitsZero) {
  Parsed p = parse({"--help"});
  EXPECT_FALSE(p.outcome.run);
  EXPECT_EQ(p.outcome.exitCode, kExitClean);
  EXPECT_NE(p.out.find("--scenario"), std::string::npos);
}

TEST(RunOptions, UnknownScenarioListsTheValidNames) {
  Parsed p = parse({"--scenario", "nope"});
  EXPECT_EQ(p.outcome.exitCode, kExitBadArgs);
  EXPECT_NE(p.err.find("nope"), std::string::npos);
  EXPECT_NE(p.err.find("smoke"), std::string::npos);
  EXPECT_NE(p.err.find("bad-descriptors"), std::string::npos);
}

TEST(RunOptions, ImLayersOutOfRangeIsRejected) {
  expectBadArgument({"--im-layers", "9"}, "--im-layers 9: must be 0..8");
}

TEST(RunOptions, RingSizeNotAPowerOfTwoIsRejected) {
  expectBadArgument({"--ring-size", "100"}, "--ring-size 100: must be a power of two in 2..32768");
}

TEST(RunOptions, RingSizeOutOfRangeIsRejected) {
  expectBadArgument({"--ring-size", "65536"}, "--ring-size 65536");
  expectBadArgument({"--ring-size", "1"}, "--ring-size 1");
}

TEST(RunOptions, QueuesBeyondNumQpAreRejected) {
  expectBadArgument({"--queues", "5"}, "--queues 5: must be 1..4");
  expectBadArgument({"--queues", "0"}, "--queues 0: must be 1..4");
}

TEST(RunOptions, ConnectionsBeyondNumConnAreRejected) {
  expectBadArgument({"--connections", "65"}, "--connections 65: must be 1..64");
}

TEST(RunOptions, NonNumericAndNegativeValuesAreRejected) {
  expectBadArgument({"--ops", "abc"}, "--ops abc");
  expectBadArgument({"--ops", "-3"}, "--ops -3");
  expectBadArgument({"--seed", "12x"}, "--seed 12x");
  expectBadArgument({"--ops", "0"}, "--ops 0: must be 1..");
}

TEST(RunOptions, TraceWindowBackwardsIsRejected) {
  const ScratchDir scratch;
  const std::string fst = scratch.file("window.fst");
  expectBadArgument({"--trace", fst, "--trace-from", "200", "--trace-to", "100"},
                    "--trace-from 200");
}

TEST(RunOptions, TraceWindowWithoutTraceIsRejected) {
  expectBadArgument({"--trace-from", "10"}, "--trace-from 10: needs --trace");
}

TEST(RunOptions, RecordPortsNeedsAWritableFileAndTheRtl) {
  expectBadArgument({"--record-ports", "/nonexistent-dir/p.log"},
                    "--record-ports /nonexistent-dir/p.log: cannot be written");
  expectBadArgument({"--record-ports", ""}, "--record-ports '': needs a file name");
  const ScratchDir scratch;
  const std::string log = scratch.file("ports.log");
  expectBadArgument({"--record-ports", log, "--device", "model"},
                    "--record-ports " + log + ": needs --device rtl");
}

TEST(RunOptions, PortReadinessIsAPercentOfTheRtlAndRepeatsOnlyWhenGiven) {
  struct Port {
    const char* option;
    unsigned RunOptions::*percent;
  };
  for (const Port& port : {Port{"--csr-ready", &RunOptions::csrReadyPercent},
                           Port{"--work-ready", &RunOptions::workReadyPercent},
                           Port{"--irq-ready", &RunOptions::irqReadyPercent},
                           Port{"--dma-ready", &RunOptions::dmaReadyPercent}}) {
    const std::string option = port.option;
    Parsed plain = parse({});
    ASSERT_TRUE(plain.outcome.run) << plain.err;
    EXPECT_EQ(plain.outcome.options.*port.percent, 100u);
    EXPECT_EQ(plain.outcome.options.reproduceCommand().find(option), std::string::npos);

    for (const char* percent : {"1", "37", "100"}) {
      Parsed p = parse({option, percent});
      ASSERT_TRUE(p.outcome.run) << p.err;
      EXPECT_EQ(p.outcome.options.*port.percent, std::stoul(percent)) << option;
    }
    Parsed p = parse({option, "37"});
    const std::vector<std::string> args = p.outcome.options.reproduceArgs();
    EXPECT_NE(p.outcome.options.reproduceCommand().find(option + " 37"), std::string::npos);
    Parsed again = parse(args);
    ASSERT_TRUE(again.outcome.run) << again.err;
    EXPECT_EQ(again.outcome.options.*port.percent, 37u) << option;

    expectBadArgument({option, "0"}, option + " 0: must be 1..100");
    expectBadArgument({option, "101"}, option + " 101: must be 1..100");
    expectBadArgument({option, "half"}, option + " half: must be 1..100");
    expectBadArgument({option, "50", "--device", "model"}, option + " 50: needs --device rtl");
  }
}

TEST(RunOptions, DmaLatencyIsCyclesOfTheRtlAndRepeatsOnlyWhenGiven) {
  Parsed plain = parse({});
  ASSERT_TRUE(plain.outcome.run) << plain.err;
  EXPECT_EQ(plain.outcome.options.dmaLatencyCycles, 1u);
  EXPECT_EQ(plain.outcome.options.reproduceCommand().find("--dma-latency"), std::string::npos);
  for (const char* cycles : {"1", "250", "1000"}) {
    Parsed p = parse({"--dma-latency", cycles});
    ASSERT_TRUE(p.outcome.run) << p.err;
    EXPECT_EQ(p.outcome.options.dmaLatencyCycles, std::stoul(cycles));
  }
  Parsed p = parse({"--dma-latency", "250"});
  EXPECT_NE(p.outcome.options.reproduceCommand().find("--dma-latency 250"), std::string::npos);
  Parsed again = parse(p.outcome.options.reproduceArgs());
  ASSERT_TRUE(again.outcome.run) << again.err;
  EXPECT_EQ(again.outcome.options.dmaLatencyCycles, 250u);
  // 1 is the default: not repeated
  Parsed one = parse({"--dma-latency", "1"});
  EXPECT_EQ(one.outcome.options.reproduceCommand().find("--dma-latency"), std::string::npos);

  expectBadArgument({"--dma-latency", "0"}, "--dma-latency 0: must be 1..1000");
  expectBadArgument({"--dma-latency", "1001"}, "--dma-latency 1001: must be 1..1000");
  expectBadArgument({"--dma-latency", "soon"}, "--dma-latency soon: must be 1..1000");
  expectBadArgument({"--dma-latency", "5", "--device", "model"},
                    "--dma-latency 5: needs --device rtl");
}

TEST(RunOptions, UnwritableJsonPathIsRejected) {
  expectBadArgument({"--json", "/nonexistent-dir/x.json"},
                    "--json /nonexistent-dir/x.json: cannot be written");
}

TEST(RunOptions, UnknownOptionIsOneLineError) {
  expectBadArgument({"--frobnicate"}, "--frobnicate");
}

TEST(RunOptions, MissingValueIsOneLineError) {
  expectBadArgument({"--ops"}, "--ops");
}

TEST(RunOptions, SeedAcceptsTheFullSixtyFourBitRange) {
  Parsed p = parse({"--seed", "18446744073709551615"});
  ASSERT_TRUE(p.outcome.run) << p.err;
  EXPECT_EQ(p.outcome.options.seed, 18446744073709551615ull);
}

}  // namespace
}  // namespace chimney::tb
