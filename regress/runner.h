// Runs the points of a plan (or of one shard of it) as chimney-cosim child
// processes and collects a Regression.
#pragma once

#include <iosfwd>
#include <string>

#include "plan.h"
#include "results.h"

namespace chimney::regress {

struct RunnerConfig {
  std::string cosim;   // chimney-cosim executable
  std::string outDir;  // results; points' files under outDir/points
  unsigned jobs = 1;
  double timeoutSeconds = 300;  // per point
  bool coverage = false;        // pass --coverage FILE to every RTL run
  bool keepAll = false;         // keep every point's JSON and log, not only failures'
  bool progress = true;         // a line per finished point on `log`
};

// What `chimney-cosim --help` offers, so the runner knows whether the build
// writes coverage and which options it does not sweep.
struct CosimOptions {
  std::vector<std::string> all;      // every --option it lists
  std::vector<std::string> unswept;  // listed, neither swept nor set by the runner
  std::vector<std::string> keptOut;  // listed and not drawn on purpose (--inject)
  bool coverage = false;             // it has --coverage FILE
};
CosimOptions cosimOptions(const std::string& helpText);
// Runs `cosim --help` (and `--list-scenarios`) once.
std::string captureOutput(const std::vector<std::string>& argv);
std::vector<std::string> scenarioList(const std::string& listText);
// True when a one-op run with --coverage FILE succeeds and writes FILE (a
// build configured with -DCHIMNEY_COVERAGE=ON).
bool writesCoverage(const std::string& cosim, const std::string& scratchDir);

Regression runPoints(const Plan& plan, const std::vector<Point>& points, const ShardId& shard,
                     const RunnerConfig& config, std::ostream& log);

}  // namespace chimney::regress
