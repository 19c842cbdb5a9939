#include "runner.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>

namespace chimney::regress {

namespace fs = std::filesystem;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last non-empty line of a log (the one-line error of exit 2).
std::string lastLine(const std::string& text) {
  std::istringstream in(text);
  std::string last;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) last = line;
  }
  return last;
}

Json readJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Json();
  Json j = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json() : j;
}

}  // namespace

CosimOptions cosimOptions(const std::string& helpText) {
  static const std::set<std::string> swept(drawnOptions().begin(), drawnOptions().end());
  static const std::set<std::string> runner = {"--json", "--coverage"};
  // Options that print and exit: nothing to sweep.
  static const std::set<std::string> notRuns = {"--help", "--list-scenarios",
                                                "--scenarios-markdown", "--list-faults"};
  // Not drawn on purpose: a fault makes the run fail by design (the fault
  // tests run each one against the check that must catch it).
  static const std::set<std::string> keptOut = {"--inject"};
  CosimOptions out;
  std::set<std::string> seen;
  const std::regex option("(^|[ ,])(--[a-z][a-z0-9-]*)");
  std::istringstream in(helpText);
  for (std::string line; std::getline(in, line);) {
    // Options start their line in CLI11's help ("  -h,--help", "  --seed N").
    const std::size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos || line[first] != '-') continue;
    const std::string head = line.substr(first, line.find("  ", first) - first);
    for (auto it = std::sregex_iterator(head.begin(), head.end(), option);
         it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[2];
      if (!seen.insert(name).second) continue;
      out.all.push_back(name);
      if (name == "--coverage") out.coverage = true;  // offered; writesCoverage() tells if it works
      if (keptOut.count(name)) {
        out.keptOut.push_back(name);
      } else if (!swept.count(name) && !runner.count(name) && !notRuns.count(name)) {
        out.unswept.push_back(name);
      }
    }
  }
  return out;
}

std::string captureOutput(const std::vector<std::string>& argv) {
  char name[] = "/tmp/chimney-regress-XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0) return "";
  close(fd);
  ChildSpec spec;
  spec.argv = argv;
  spec.logFile = name;
  spec.timeoutSeconds = 60;
  runChildren({spec}, 1, [](std::size_t, const ChildOutcome&) {});
  const std::string text = readFile(name);
  std::remove(name);
  return text;
}

bool writesCoverage(const std::string& cosim, const std::string& scratchDir) {
  const std::string file = (fs::path(scratchDir) / "coverage-probe.dat").string();
  ChildSpec spec;
  spec.argv = {cosim, "--scenario", "smoke", "--ops", "1", "--quiet", "--coverage", file};
  spec.timeoutSeconds = 120;
  bool ok = false;
  runChildren({spec}, 1, [&](std::size_t, const ChildOutcome& o) { ok = o.exitCode == 0; });
  ok = ok && fs::exists(file);
  fs::remove(file);
  return ok;
}

std::vector<std::string> scenarioList(const std::string& listText) {
  std::vector<std::string> names;
  std::istringstream in(listText);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  ", 0) != 0) continue;
    std::istringstream words(line);
    std::string name;
    if (words >> name) names.push_back(name);
  }
  return names;
}

Regression runPoints(const Plan& plan, const std::vector<Point>& points, const ShardId& shard,
                     const RunnerConfig& config, std::ostream& log) {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = fs::absolute(config.outDir) / "points";
  fs::create_directories(dir);
  std::vector<ChildSpec> specs;
  for (const Point& p : points) {
    const std::string stem = (dir / ("point-" + std::to_string(p.index))).string();
    ChildSpec s;
    s.argv.push_back(config.cosim);
    s.argv.insert(s.argv.end(), p.args.begin(), p.args.end());
    s.argv.insert(s.argv.end(), {"--json", stem + ".json"});
    // Code coverage is of the RTL: the model device has none.
    if (config.coverage && p.device() == "rtl") {
      s.argv.insert(s.argv.end(), {"--coverage", stem + ".dat"});
    }
    s.logFile = stem + ".log";
    s.workDir = dir.string();
    s.timeoutSeconds = config.timeoutSeconds;
    fs::remove(stem + ".json");
    specs.push_back(std::move(s));
  }

  Regression r;
  r.planId = plan.id;
  r.planPoints = plan.points.size();
  r.shards.push_back(shard);
  std::size_t finished = 0, failed = 0;
  runChildren(specs, config.jobs, [&](std::size_t i, const ChildOutcome& o) {
    const Point& p = points[i];
    const std::string stem = (dir / ("point-" + std::to_string(p.index))).string();
    const Json report = readJson(stem + ".json");
    PointResult result = judge(p, o, report, lastLine(readFile(stem + ".log")));
    r.aggregate.addReport(result, report);
    ++finished;
    if (!result.passed()) ++failed;
    if (config.progress) {
      log << "[" << finished << "/" << points.size() << "] " << result.status << " "
          << p.repeatLine();
      if (!result.passed()) log << "\n    " << result.message;
      log << std::endl;
    }
    if (result.passed() && !config.keepAll) {
      fs::remove(stem + ".json");
      fs::remove(stem + ".log");
      for (const std::string& out : p.outputs()) {
        fs::remove_all(dir / out);
        // A trace also writes NAME.gtkw and NAME.tags.txt beside NAME.fst.
        const fs::path stem = fs::path(out).stem();
        if (out.size() > 4 && out.compare(out.size() - 4, 4, ".fst") == 0) {
          fs::remove(dir / (stem.string() + ".gtkw"));
          fs::remove(dir / (stem.string() + ".tags.txt"));
        }
      }
    }
    r.points.push_back(std::move(result));
  });
  std::sort(r.points.begin(), r.points.end(), [](const PointResult& a, const PointResult& b) {
    return a.point.index < b.point.index;
  });
  r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  (void)failed;
  return r;
}

}  // namespace chimney::regress
