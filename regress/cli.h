// The chimney-regress command line. Parsing never exits the process; bad
// values give one line naming the value and what is allowed (exit 2).
//
//   chimney-regress [run] [options]     run a plan (or one shard of it)
//   chimney-regress plan [options]      print the plan's points, one a line
//   chimney-regress merge DIR... [--out DIR]   join shards' results
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "plan.h"
#include "results.h"

namespace chimney::regress {

constexpr int kExitPass = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadArgs = 2;

enum class Command { kRun, kPlan, kMerge };

struct Options {
  Command command = Command::kRun;
  PlanSpec plan;
  std::string listFile;
  std::vector<std::string> scenarioNames;  // --scenario, checked against the scenarios
  ShardId shard;
  bool sharded = false;
  unsigned jobs = 1;
  double timeoutSeconds = 300;
  std::string outDir = "regress-out";
  std::string cosim;
  bool keepAll = false;
  bool quiet = false;
  std::vector<std::string> mergeDirs;
};

struct ParseResult {
  bool proceed = false;  // false: exit with exitCode
  int exitCode = kExitPass;
  Options options;
};

// `defaultCosim` is used when --cosim is not given; `defaultTarget` (an
// offload-target library) when --target-driver is not given and it exists.
ParseResult parseCommandLine(const std::vector<std::string>& args, const std::string& defaultCosim,
                             std::ostream& out, std::ostream& err,
                             const std::string& defaultTarget = {});

// Checks the parts of the options that need chimney-cosim's scenario list;
// throws std::invalid_argument with the one-line message.
void checkScenarios(const Options& o, const std::vector<std::string>& known);

}  // namespace chimney::regress
