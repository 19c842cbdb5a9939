// The plan of a regression: which chimney-cosim runs ("points") it makes.
// A plan is either random points of the whole option space, drawn from a
// plan seed, or a given list. It is a pure function of its spec: every
// machine computes the same plan, and a shard (--shard I/N) runs the points
// whose index is I modulo N.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chimney::regress {

// One chimney-cosim run: its options (without --json and --coverage, which
// the runner adds) and its position in the plan.
struct Point {
  std::size_t index = 0;
  std::vector<std::string> args;  // e.g. {"--scenario", "smoke", "--seed", "7", ...}

  // The value after `option` in args, or `fallback` when it is absent.
  std::string option(const std::string& option, const std::string& fallback = "") const;
  std::string scenario() const { return option("--scenario", "smoke"); }
  std::string device() const { return option("--device", "rtl"); }
  // The command that repeats this run: "chimney-cosim --scenario ...".
  std::string repeatLine() const;
  // Files and directories the run writes besides its report, relative to
  // the directory it runs in (--trace, --txlog, --timeline, --record-ports,
  // --trace-on-fail), to be removed when the point passes.
  std::vector<std::string> outputs() const;
};

// Ranges of chimney-cosim's options (chimney-cosim --help and docs/testbench.md).
struct OptionLimits {
  unsigned maxConnections = 64;
  unsigned maxQueues = 4;
  unsigned maxImLayers = 8;
  unsigned minRingLog2 = 1;   // 2 entries
  unsigned maxRingLog2 = 15;  // 32768 entries
  unsigned maxOps = 1000000;
};

struct PlanSpec {
  uint64_t seed = 1;                   // --plan-seed
  std::size_t points = 200;            // --points
  std::vector<std::string> scenarios;  // every scenario when empty
  std::vector<std::string> devices = {"rtl", "model"};
  unsigned maxOps = 2000;    // --max-ops: largest --ops drawn
  double traceShare = 0.02;  // share of RTL points run with --trace
  // Offload-target libraries (--target-driver) drawn for a share of the
  // points whose scenario runs with a loaded target.
  std::vector<std::string> targetDrivers;
  std::vector<std::vector<std::string>> given;  // a given list (--list): used instead
};

struct Plan {
  PlanSpec spec;
  std::vector<Point> points;
  std::string id;  // identifies the plan: equal ids, equal points
};

// Every chimney-cosim option a random plan draws on some points, except
// --target-driver (drawn only when spec.targetDrivers names a library).
const std::vector<std::string>& drawnOptions();

// Builds the plan. `allScenarios` is the scenario list of chimney-cosim,
// used when spec.scenarios is empty. --trace files are named relative to
// the directory the runner starts the runs in.
Plan makePlan(const PlanSpec& spec, const std::vector<std::string>& allScenarios,
              const OptionLimits& limits = {});

// The points of shard `shard` (0-based) of `shards`: index % shards == shard.
std::vector<Point> shardOf(const Plan& plan, std::size_t shard, std::size_t shards);

// A list file: one point per line, chimney-cosim options (a leading
// "chimney-cosim" is allowed, so repeat lines can be pasted); blank lines and
// lines starting with '#' are skipped. Throws std::runtime_error naming the
// line when it cannot be used (--json and --coverage are the runner's).
std::vector<std::vector<std::string>> parsePointList(const std::string& text);

// 64-bit FNV-1a of a text (plan ids).
uint64_t fnv1a(const std::string& text, uint64_t hash = 0xcbf29ce484222325ull);

}  // namespace chimney::regress
