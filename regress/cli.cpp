#include "cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace chimney::regress {

namespace {

constexpr const char* kProgram = "chimney-regress";

struct Bad : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

std::optional<uint64_t> parseUnsigned(const std::string& text) {
  uint64_t value = 0;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), last, value);
  if (text.empty() || ec != std::errc() || ptr != last) return std::nullopt;
  return value;
}

uint64_t inRange(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi) {
  const auto v = parseUnsigned(text);
  if (!v || *v < lo || *v > hi) {
    throw Bad(option + " " + text + ": must be " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return *v;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

ShardId parseShard(const std::string& text) {
  const std::string what = "--shard " + text + ": must be I/N with 0 <= I < N <= 100000";
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) throw Bad(what);
  const auto i = parseUnsigned(text.substr(0, slash));
  const auto n = parseUnsigned(text.substr(slash + 1));
  if (!i || !n || *n == 0 || *n > 100000 || *i >= *n) throw Bad(what);
  return {std::size_t(*i), std::size_t(*n)};
}

std::string oneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

}  // namespace

ParseResult parseCommandLine(const std::vector<std::string>& argsIn,
                             const std::string& defaultCosim, std::ostream& out, std::ostream& err,
                             const std::string& defaultTarget) {
  ParseResult result;
  Options& o = result.options;
  std::vector<std::string> args = argsIn;
  if (!args.empty() && (args[0] == "run" || args[0] == "plan" || args[0] == "merge")) {
    o.command = args[0] == "run"    ? Command::kRun
                : args[0] == "plan" ? Command::kPlan
                                    : Command::kMerge;
    args.erase(args.begin());
  }

  CLI::App app{
      "Runs chimney-cosim over random points of its whole option space (or a given list),\n"
      "in parallel, and writes JUnit XML, a summary JSON and a self-contained HTML report.\n"
      "  chimney-regress [run] [options]          run the plan, or one shard of it\n"
      "  chimney-regress plan [options]           print the plan's points, one a line\n"
      "  chimney-regress merge DIR... [--out DIR]  join the results of shards\n"
      "Exit 0: every point passed; 1: a point failed (or merged shards are incomplete);\n"
      "2: bad arguments.",
      kProgram};
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::string points, seed, maxOps, scenarios, devices, shard, jobs, timeout;
  app.add_option("--points", points, "random points in the plan (default 200)")->type_name("N");
  app.add_option("--plan-seed", seed, "seed of the plan (default 1)")->type_name("N");
  app.add_option("--max-ops", maxOps, "largest --ops drawn, 1..1000000 (default 2000)")
      ->type_name("N");
  app.add_option("--scenario", scenarios, "scenarios to draw from (default: all)")
      ->type_name("A,B,...");
  app.add_option("--device", devices, "devices to draw from: rtl, model (default: both)")
      ->type_name("rtl,model");
  app.add_option("--list", o.listFile, "run the points in FILE (one chimney-cosim command a line)")
      ->type_name("FILE");
  app.add_option("--shard", shard, "run the points whose index is I modulo N")->type_name("I/N");
  app.add_option("--jobs", jobs, "runs at once (default 1)")->type_name("N");
  app.add_option("--timeout", timeout, "seconds a run may take before it is killed (default 300)")
      ->type_name("S");
  app.add_option("--out", o.outDir, "output directory (default regress-out)")->type_name("DIR");
  app.add_option("--cosim", o.cosim, "chimney-cosim executable (default: the one built with this)")
      ->type_name("PATH");
  std::vector<std::string> targets;
  app.add_option("--target-driver", targets,
                 "offload-target library drawn for a tenth of the points, repeatable; 'none' for "
                 "none (default: the sample target built with this)")
      ->type_name("PATH");
  app.add_flag("--keep-all", o.keepAll, "keep every run's JSON and log, not only failures'");
  app.add_flag("--quiet", o.quiet, "no line per finished run");
  app.allow_extras();

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return result;
  } catch (const CLI::ParseError& e) {
    err << kProgram << ": error: " << oneLine(e.what()) << " (see --help)\n";
    result.exitCode = kExitBadArgs;
    return result;
  }

  try {
    std::vector<std::string> extra = app.remaining();
    if (o.command == Command::kMerge) {
      for (const std::string& dir : extra) {
        if (dir.rfind("--", 0) == 0) throw Bad("unknown option " + dir + " (see --help)");
        std::ifstream probe(dir + "/summary.json");
        if (!probe) throw Bad("merge " + dir + ": holds no summary.json (not a result directory)");
        o.mergeDirs.push_back(dir);
      }
      if (o.mergeDirs.empty()) throw Bad("merge: needs at least one result directory");
    } else if (!extra.empty()) {
      throw Bad("unexpected argument '" + extra.front() + "' (see --help)");
    }
    if (!points.empty()) o.plan.points = inRange("--points", points, 1, 10000000);
    if (!seed.empty()) o.plan.seed = inRange("--plan-seed", seed, 0, UINT64_MAX);
    if (!maxOps.empty()) o.plan.maxOps = unsigned(inRange("--max-ops", maxOps, 1, 1000000));
    if (!jobs.empty()) o.jobs = unsigned(inRange("--jobs", jobs, 1, 1024));
    if (!timeout.empty()) {
      o.timeoutSeconds = double(inRange("--timeout", timeout, 1, 86400));
    }
    if (!shard.empty()) {
      o.shard = parseShard(shard);
      o.sharded = true;
    }
    if (!devices.empty()) {
      o.plan.devices = splitList(devices);
      if (o.plan.devices.empty()) throw Bad("--device '" + devices + "': must list rtl, model");
      for (const std::string& d : o.plan.devices) {
        if (d != "rtl" && d != "model") throw Bad("--device " + d + ": must be rtl or model");
      }
    }
    if (app.count("--scenario") > 0) {
      o.scenarioNames = splitList(scenarios);
      if (o.scenarioNames.empty()) throw Bad("--scenario '" + scenarios + "': names no scenario");
    }
    if (!o.listFile.empty()) {
      std::ifstream in(o.listFile);
      if (!in) throw Bad("--list " + o.listFile + ": cannot be read");
      std::ostringstream text;
      text << in.rdbuf();
      try {
        o.plan.given = parsePointList(text.str());
      } catch (const std::runtime_error& e) {
        throw Bad("--list " + o.listFile + ": " + e.what());
      }
      if (o.plan.given.empty()) throw Bad("--list " + o.listFile + ": holds no point");
    }
    if (app.count("--target-driver") > 0) {
      for (const std::string& t : targets) {
        if (t == "none") continue;
        if (!std::ifstream(t)) throw Bad("--target-driver " + t + ": cannot be read");
        o.plan.targetDrivers.push_back(t);
      }
    } else if (!defaultTarget.empty() && std::ifstream(defaultTarget)) {
      o.plan.targetDrivers.push_back(defaultTarget);
    }
    if (o.cosim.empty()) o.cosim = defaultCosim;
    if (o.command != Command::kMerge && o.cosim.empty()) throw Bad("--cosim: needs a path");
    if (o.outDir.empty()) throw Bad("--out '': needs a directory");
  } catch (const Bad& bad) {
    err << kProgram << ": error: " << oneLine(bad.what()) << "\n";
    result.exitCode = kExitBadArgs;
    return result;
  }
  result.proceed = true;
  return result;
}

void checkScenarios(const Options& o, const std::vector<std::string>& known) {
  std::string valid;
  for (const std::string& k : known) valid += (valid.empty() ? "" : ", ") + k;
  for (const std::string& s : o.scenarioNames) {
    if (std::find(known.begin(), known.end(), s) == known.end()) {
      throw std::invalid_argument("--scenario " + s + ": unknown; valid: " + valid);
    }
  }
}

}  // namespace chimney::regress
