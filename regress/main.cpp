// chimney-regress: runs chimney-cosim over random points of its option
// space (or a given list) as parallel child processes, or one shard of such
// a plan, and merges shards' results. See docs/regression.md.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "code_coverage.h"
#include "reports.h"
#include "runner.h"

namespace {

using namespace chimney::regress;

Json specJson(const Options& o, const CosimOptions& cosim) {
  Json spec;
  if (!o.plan.given.empty()) {
    spec["list"] = o.listFile;
  } else {
    spec["plan_seed"] = o.plan.seed;
    spec["points"] = o.plan.points;
    spec["max_ops"] = o.plan.maxOps;
    spec["scenarios"] = o.plan.scenarios.empty() ? Json("all") : Json(o.plan.scenarios);
    spec["devices"] = o.plan.devices;
    spec["target_drivers"] = o.plan.targetDrivers;
  }
  spec["cosim_options"] = cosim.all;
  spec["unswept_options"] = cosim.unswept;
  spec["kept_out_options"] = cosim.keptOut;
  return spec;
}

void printOutcome(const Regression& r, const std::string& dir) {
  std::cout << "chimney-regress: " << r.points.size() - r.failed() << " of " << r.points.size()
            << " points passed";
  if (!r.missingShards().empty()) std::cout << " (shards missing: merge is incomplete)";
  std::cout << "; " << dir << "/report.html, summary.json, junit.xml\n";
  for (const PointResult& p : r.points) {
    if (!p.passed()) {
      std::cout << "  " << p.status << ": " << p.message
                << "\n    repeat with: " << p.point.repeatLine() << "\n";
    }
  }
}

int mergeCommand(const Options& o) {
  std::vector<Regression> parts;
  try {
    for (const std::string& dir : o.mergeDirs) {
      std::ifstream in(dir + "/summary.json");
      parts.push_back(Regression::fromJson(Json::parse(in)));
    }
  } catch (const std::exception& e) {
    std::cerr << "chimney-regress: error: merge: a summary.json cannot be read: " << e.what()
              << "\n";
    return kExitBadArgs;
  }
  Regression merged;
  try {
    merged = merge(parts);
  } catch (const std::runtime_error& e) {
    std::cerr << "chimney-regress: error: merge: " << e.what() << "\n";
    return kExitBadArgs;
  }
  std::vector<std::string> coverage;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].codeCoverage.empty())
      coverage.push_back(o.mergeDirs[i] + "/" + parts[i].codeCoverage);
  }
  std::filesystem::create_directories(o.outDir);
  merged.codeCoverage = mergeCodeCoverage(coverage, o.outDir, std::cerr);
  merged.codeCoverageSummary = lineCoverageSummary(o.outDir);
  if (!writeOutputs(merged, o.outDir, std::cerr)) return kExitFailed;
  printOutcome(merged, o.outDir);
  const bool complete = merged.missingShards().empty() && merged.points.size() == merged.planPoints;
  return merged.failed() == 0 && complete ? kExitPass : kExitFailed;
}

int runCommand(const Options& o) {
  if (access(o.cosim.c_str(), X_OK) != 0) {
    std::cerr << "chimney-regress: error: --cosim " << o.cosim << ": not an executable file\n";
    return kExitBadArgs;
  }
  const std::vector<std::string> scenarios =
      scenarioList(captureOutput({o.cosim, "--list-scenarios"}));
  if (scenarios.empty()) {
    std::cerr << "chimney-regress: error: --cosim " << o.cosim
              << ": lists no scenario (is it chimney-cosim?)\n";
    return kExitBadArgs;
  }
  Options opts = o;
  try {
    checkScenarios(opts, scenarios);
  } catch (const std::invalid_argument& e) {
    std::cerr << "chimney-regress: error: " << e.what() << "\n";
    return kExitBadArgs;
  }
  opts.plan.scenarios = opts.scenarioNames;
  CosimOptions cosim = cosimOptions(captureOutput({o.cosim, "--help"}));
  if (!opts.plan.targetDrivers.empty() && opts.plan.given.empty()) {
    auto& u = cosim.unswept;
    u.erase(std::remove(u.begin(), u.end(), std::string("--target-driver")), u.end());
  }
  const Plan plan = makePlan(opts.plan, scenarios);
  const ShardId shard = opts.sharded ? opts.shard : ShardId{0, 1};
  const std::vector<Point> points = shardOf(plan, shard.index, shard.count);
  if (o.command == Command::kPlan) {
    for (const Point& p : points) std::cout << p.repeatLine() << "\n";
    return kExitPass;
  }
  for (const std::string& name : cosim.unswept) {
    std::cerr << "chimney-regress: warning: chimney-cosim option " << name
              << " is not swept by the plan\n";
  }
  RunnerConfig config;
  config.cosim = o.cosim;
  config.outDir = o.outDir;
  config.jobs = o.jobs;
  config.timeoutSeconds = o.timeoutSeconds;
  std::filesystem::create_directories(o.outDir);
  config.coverage = cosim.coverage && writesCoverage(o.cosim, o.outDir);
  config.keepAll = o.keepAll;
  config.progress = !o.quiet;
  Regression r = runPoints(plan, points, shard, config, std::cerr);
  r.planSpec = specJson(opts, cosim);
  if (config.coverage) {
    const std::vector<std::string> files = pointCoverageFiles(o.outDir + "/points");
    r.codeCoverage = mergeCodeCoverage(files, o.outDir, std::cerr);
    r.codeCoverageSummary = lineCoverageSummary(o.outDir);
    if (!r.codeCoverage.empty() && !o.keepAll) {
      for (const std::string& f : files) std::filesystem::remove(f);
    }
  }
  if (!writeOutputs(r, o.outDir, std::cerr)) return kExitFailed;
  printOutcome(r, o.outDir);
  return r.failed() == 0 ? kExitPass : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const ParseResult parsed =
      parseCommandLine(args, CHIMNEY_COSIM_PATH, std::cout, std::cerr, CHIMNEY_SAMPLE_TARGET_PATH);
  if (!parsed.proceed) return parsed.exitCode;
  try {
    return parsed.options.command == Command::kMerge ? mergeCommand(parsed.options)
                                                     : runCommand(parsed.options);
  } catch (const std::exception& e) {
    std::cerr << "chimney-regress: error: " << e.what() << "\n";
    return kExitFailed;
  }
}
