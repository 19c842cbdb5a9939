#include "trace_on_fail.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "engine_model.h"
#include "gtkw_writer.h"

extern char** environ;

namespace chimney::tb {

std::string besideTrace(const std::string& traceFile, const std::string& suffix) {
  const std::string stem =
      traceFile.size() > 4 && traceFile.compare(traceFile.size() - 4, 4, ".fst") == 0
          ? traceFile.substr(0, traceFile.size() - 4)
          : traceFile;
  return stem + suffix;
}

uint64_t firstFailureCycle(const RunReport& report) {
  if (report.violations.empty()) return report.cycles;
  return byTime(report.violations).front().cycle;
}

bool writeWaveView(const RunReport& report, const std::map<uint64_t, std::string>& tagNames,
                   std::ostream& err) {
  const RunOptions& o = report.options;
  std::vector<WaveSignal> signals;
  for (const EngineModel::TraceSignal& s : EngineModel::traceSignals(o.traceFile)) {
    std::string name = s.name;
    const std::size_t cut = name.find(" [");  // the bit range, not an array index
    if (cut != std::string::npos) name.resize(cut);
    signals.push_back(WaveSignal{name, s.width});
  }
  if (signals.empty()) {
    err << "chimney-cosim: error: --trace " << o.traceFile << ": the FST could not be read back\n";
    return false;
  }
  GtkwView view;
  view.dumpFile = o.traceFile;
  view.filterFile = besideTrace(o.traceFile, ".tags.txt");
  view.periodPs = report.clockPeriodPs;
  view.fromCycle = o.traceFrom;
  view.toCycle = std::min<uint64_t>(o.traceTo, report.cycles);
  for (const ViolationRecord& v : byTime(report.violations)) {
    if (view.markerCycles.empty() || view.markerCycles.back() != v.cycle) {
      view.markerCycles.push_back(v.cycle);
    }
  }
  if (view.markerCycles.empty() && !report.clean()) view.markerCycles.push_back(report.cycles);
  std::ofstream filter(view.filterFile);
  filter << tagFilterText(tagNames);
  std::ofstream gtkw(besideTrace(o.traceFile, ".gtkw"));
  gtkw << gtkwText(view, signals);
  if (!filter || !gtkw) {
    err << "chimney-cosim: error: --trace " << o.traceFile << ": writing the .gtkw view failed\n";
    return false;
  }
  return true;
}

namespace {

// The repeat arguments without the options the replay sets itself.
std::vector<std::string> replayArgs(const RunOptions& o, uint64_t from, uint64_t to,
                                    const std::string& dir) {
  std::vector<std::string> args;
  const std::vector<std::string> all = o.reproduceArgs();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& a = all[i];
    if (a == "--trace-on-fail" || a == "--trace-window" || a == "--json" || a == "--txlog" ||
        a == "--timeline") {
      ++i;  // and its value
      continue;
    }
    if (a == "--quiet") continue;
    args.push_back(a);
  }
  const std::vector<std::string> traced = {
      "--trace",    dir + "/window.fst", "--trace-from", std::to_string(from),
      "--trace-to", std::to_string(to),  "--txlog",      dir + "/window.txlog.jsonl",
      "--json",     dir + "/window.json"};
  args.insert(args.end(), traced.begin(), traced.end());
  return args;
}

int runChild(const std::string& program, const std::vector<std::string>& args,
             const std::string& stdoutFile) {
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> ptrs;
  for (std::string& a : argv) ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdoutFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, ptrs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

bool replayTraced(const RunReport& report, const std::string& program, std::ostream& out,
                  std::ostream& err) {
  const RunOptions& o = report.options;
  const auto start = std::chrono::steady_clock::now();
  const uint64_t first = firstFailureCycle(report);
  const uint64_t from = first > o.windowBefore ? first - o.windowBefore : 0;
  const uint64_t to = first + o.windowAfter;
  const std::string& dir = o.traceOnFailDir;
  const int rc = runChild(program, replayArgs(o, from, to, dir), dir + "/window.summary.txt");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc < 0) {
    err << "chimney-cosim: error: --trace-on-fail: the replay could not be run\n";
    return false;
  }
  // Same options and seed: the replay must fail the same way.
  bool same = rc == kExitFailed;
  std::ifstream json(dir + "/window.json");
  const nlohmann::json replay = nlohmann::json::parse(json, nullptr, false);
  if (!report.violations.empty()) {
    const ViolationRecord firstSeen = byTime(report.violations).front();
    same = same && !replay.is_discarded() && replay["violations"].is_array() &&
           !replay["violations"].empty() && replay["violations"][0]["message"] == firstSeen.message;
  }
  out << "trace-on-fail: replayed with the same options, traced from cycle " << from << " to " << to
      << " (first " << (report.violations.empty() ? "failure" : "violation") << " at cycle "
      << first << ", time " << first * report.clockPeriodPs + report.clockPeriodPs / 2 << " ps) in "
      << std::fixed << std::setprecision(1) << seconds << std::defaultfloat << " s:\n"
      << "  " << dir << "/window.fst          the waveform (FST)\n"
      << "  " << dir << "/window.gtkw         open with: gtkwave " << dir << "/window.gtkw\n"
      << "  " << dir << "/window.tags.txt     tag -> nbl#id op conn (the view's translate filter)\n"
      << "  " << dir << "/window.txlog.jsonl  the transaction log of the window\n"
      << "  " << dir
      << "/window.json         the replay's report; window.summary.txt its summary\n";
  if (!same) {
    err << "chimney-cosim: error: --trace-on-fail: the replay did not fail the same way (exit "
        << rc << "); see " << dir << "/window.summary.txt\n";
  }
  return same;
}

}  // namespace chimney::tb
