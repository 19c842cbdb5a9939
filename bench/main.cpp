// chimney-bench: measures the completion engine's simulators on one
// workload (the default co-simulation scenario) and reports speed, ratios,
// peak memory and the PRM 8 cycle figures. See docs/benchmarks.md.
//
//   chimney-bench [options]           every run, JSON + Markdown report
//   chimney-bench rtl [options]       the RTL-only run alone (used as a child)
//   chimney-bench netlist FILE        figures of a Yosys JSON netlist (hardware figures)
//
// Each simulator runs as a child process so that its peak RSS is its own.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "guarded_main.h"
#include "hardware_figures.h"
#include "icarus_replay.h"
#include "netlist_depth.h"
#include "prm8.h"
#include "results.h"
#include "rtl_workload.h"
#include "scenario_table.h"

namespace {

using namespace chimney::bench;

struct Options {
  unsigned ops = 20000;
  uint64_t seed = 1;
  std::string cosim;           // chimney-cosim executable
  std::string throughputTest;  // rtl_throughput_test executable (PRM 8 figures)
  std::string sourceDir;       // repository root (rtl/, bench/replay_tb.sv)
  std::string workDir = "bench-work";
  std::string jsonFile;
  std::string markdownFile;
  bool icarus = true;
  bool trace = true;
  double icarusTimeout = 1800;  // seconds
  unsigned repeat = 5;          // timed runs of each, interleaved; the median counts
  bool scenarioTable = true;    // the per-scenario table (scenario_table.h)
  bool scenariosOnly = false;   // the per-scenario table and nothing else
  ScenarioOptions table;        // its options (cosim, loops, work dir filled in later)
  std::string hardwareFile;     // scripts/hw-figures.sh output to include
};

// ---- the RTL-only run as a child --------------------------------------------

int rtlCommand(unsigned ops, uint64_t seed, const std::string& record, const std::string& json) {
  RtlWorkloadConfig config;
  config.ops = ops;
  config.seed = seed;
  config.recordFile = record;
  const RtlWorkloadResult r = runRtlWorkload(config);
  const nlohmann::ordered_json report = {{"cycles", r.cycles},
                                         {"wall_seconds", r.wallSeconds},
                                         {"requests", r.requests},
                                         {"completions", r.completions},
                                         {"recorded_cycles", r.recordedCycles},
                                         {"errors", r.errors.size()}};
  const std::string text = report.dump(2) + "\n";
  std::cout << text;
  for (const std::string& e : r.errors) std::cerr << "rtl run: " << e << "\n";
  if (!json.empty()) std::ofstream(json) << text;
  return r.ok() ? 0 : 1;
}

// ---- the orchestrated runs -------------------------------------------------

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

uint64_t number(const nlohmann::json& report, const std::string& pointer) {
  return uint64_t(jsonNumber(report, pointer).value_or(0));
}

std::string firstLine(const std::string& text) {
  const size_t nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

std::string utcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

SimRun rtlRun(const Options& o, const std::string& record, const std::string& tag) {
  SimRun s;
  s.name = "rtl";
  const std::string json = o.workDir + "/" + tag + ".json";
  std::vector<std::string> argv = {
      selfPath(), "rtl", "--ops", std::to_string(o.ops), "--seed", std::to_string(o.seed),
      "--json",   json};
  if (!record.empty()) {
    argv.push_back("--record");
    argv.push_back(record);
  }
  const ChildRun c = runChild(argv, o.workDir + "/" + tag + ".log");
  const nlohmann::json report = readJsonFile(json);
  s.ran = true;
  s.ok = c.exitCode == 0;
  s.cycles = number(report, "/cycles");
  s.evaluatedCycles = s.cycles;
  s.completions = number(report, "/completions");
  s.simSeconds = jsonNumber(report, "/wall_seconds").value_or(0);
  s.processSeconds = c.wallSeconds;
  s.maxRssKb = c.maxRssKb;
  if (!s.ok) s.note = firstLine(c.output);
  return s;
}

SimRun cosimRun(const Options& o, unsigned ops, bool trace, const std::string& tag) {
  SimRun s;
  s.name = tag;
  const std::string json = o.workDir + "/" + tag + ".json";
  std::vector<std::string> argv = {
      o.cosim, "--ops",  std::to_string(ops), "--seed", std::to_string(o.seed), "--json",
      json,    "--quiet"};
  if (trace) {
    argv.push_back("--trace");
    argv.push_back(o.workDir + "/" + tag + ".fst");
  }
  std::remove(json.c_str());
  const ChildRun c = runChild(argv, o.workDir + "/" + tag + ".log");
  const nlohmann::json report = readJsonFile(json);
  s.ran = true;
  s.ok = c.exitCode == 0 && report.is_object();
  // A run that finished but failed a check still has valid timings; the
  // status column says why it failed.
  s.cycles = number(report, "/cycles");
  s.evaluatedCycles = number(report, "/rtl_cycles");
  s.completions = number(report, "/hardware_counters/CNT_CPL_WRITTEN");
  s.simSeconds = jsonNumber(report, "/wall_seconds").value_or(0);
  s.processSeconds = c.wallSeconds;
  s.maxRssKb = c.maxRssKb;
  if (!s.ok) {
    s.note = "exit " + std::to_string(c.exitCode);
    const std::string finding = firstFinding(report);
    if (!finding.empty()) s.note += ", " + finding.substr(0, 100);
    s.note += " (" + o.workDir + "/" + tag + ".log)";
  }
  return s;
}

// Compiles replay_tb.sv with the RTL under Icarus and replays `record`.
SimRun icarusRun(const Options& o, const std::string& record, uint64_t& mismatches) {
  SimRun s;
  s.name = "icarus";
  s.ran = true;
  const std::string vvpFile = o.workDir + "/replay.vvp";
  const ReplayOutcome compiled = compileReplay("iverilog", o.sourceDir, vvpFile);
  if (!compiled.ok) {
    s.note = compiled.error;
    return s;
  }
  const ReplayOutcome run =
      runReplay("vvp", vvpFile, record, o.workDir + "/vvp.log", o.icarusTimeout);
  s.simSeconds = run.seconds;
  s.processSeconds = run.seconds;
  s.maxRssKb = run.maxRssKb;
  s.cycles = run.cycles;
  s.evaluatedCycles = run.cycles;
  mismatches = run.mismatches;
  s.ok = run.ok && run.mismatches == 0 && run.cycles > 0;
  s.note = run.ok ? std::to_string(run.mismatches) + " mismatches; compile " +
                        std::to_string(std::lround(compiled.seconds)) + " s"
                  : run.error;
  return s;
}

// The median run by time of repeated runs, with the range in its note. A
// failed repetition is the result instead (it must not be hidden).
SimRun medianOf(std::vector<SimRun> runs) {
  for (const SimRun& r : runs)
    if (!r.ok) return r;
  if (runs.empty()) return SimRun{};
  std::sort(runs.begin(), runs.end(),
            [](const SimRun& x, const SimRun& y) { return x.simSeconds < y.simSeconds; });
  SimRun out = runs[runs.size() / 2];
  char range[96];
  std::snprintf(range, sizeof range, "median of %zu, %.3f-%.3f s", runs.size(),
                runs.front().simSeconds, runs.back().simSeconds);
  out.note = range;
  return out;
}

// The per-scenario table alone (--scenarios-only): no smoke-workload runs,
// no Icarus, no PRM 8 figures, no earlier-RTL comparison. Writes
// {"date", "commit", "cpu", "cpus", "scenarios": {...}} and the table.
int scenariosOnlyCommand(const Options& o) {
  std::filesystem::create_directories(o.workDir);
  auto say = [](const std::string& what) { std::cerr << "chimney-bench: " << what << std::endl; };
  ScenarioOptions table = o.table;
  table.cosim = o.cosim;
  table.workDir = o.workDir;
  table.repeat = o.repeat;
  table.seed = o.seed;
  table.earlierRtlLoop.clear();  // the comparison is not part of the table
  const std::string date = utcNow(), cpu = cpuModel();
  const unsigned cpus = std::thread::hardware_concurrency();
  const std::string commit = firstLine(
      runChild({"git", "-C", o.sourceDir, "rev-parse", "--short", "HEAD"}, o.workDir + "/git.log")
          .output);
  const std::vector<ScenarioRow> rows = measureScenarios(table, say);
  const RtlComparison none;
  std::ostringstream md;
  md << "Measured " << date << " on " << cpu << " (nproc " << cpus << "), commit " << commit
     << "; the per-scenario table alone (chimney-bench --scenarios-only).\n\n";
  writeScenarioMarkdown(rows, none, table, md);
  std::cout << md.str();
  const std::string json = o.jsonFile.empty() ? o.workDir + "/scenarios.json" : o.jsonFile;
  const std::string markdown = o.markdownFile.empty()
                                   ? std::filesystem::path(json).replace_extension(".md").string()
                                   : o.markdownFile;
  const std::filesystem::path jsonDir = std::filesystem::path(json).parent_path();
  if (!jsonDir.empty()) std::filesystem::create_directories(jsonDir);
  {
    std::ofstream out(json);
    nlohmann::json head = {{"date", date}, {"commit", commit}, {"cpu", cpu}, {"cpus", cpus}};
    std::string text = head.dump(2);
    text.erase(text.find_last_of('}'));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    out << text << ",\n  \"scenarios\": ";
    writeScenarioJson(rows, none, table, out);
    out << "\n}\n";
  }
  std::ofstream(markdown) << md.str();
  say("wrote " + json + " and " + markdown);
  bool ok = true;
  for (const ScenarioRow& row : rows) ok = ok && row.ok;
  return ok ? 0 : 1;
}

int benchCommand(const Options& o) {
  if (o.scenariosOnly) return scenariosOnlyCommand(o);
  std::filesystem::create_directories(o.workDir);
  BenchResults r;
  r.date = utcNow();
  r.cpu = cpuModel();
  r.cpus = std::thread::hardware_concurrency();
  r.ops = o.ops;
  r.commit = firstLine(
      runChild({"git", "-C", o.sourceDir, "rev-parse", "--short", "HEAD"}, o.workDir + "/git.log")
          .output);

  auto say = [](const std::string& what) { std::cerr << "chimney-bench: " << what << std::endl; };
  say("RTL only and co-simulation, --ops " + std::to_string(o.ops) + ", interleaved");
  {
    // Alternating, so that a change of the machine's load hits every run.
    std::vector<SimRun> rtl, cosim, traced;
    for (unsigned i = 0; i < o.repeat; ++i) {
      rtl.push_back(rtlRun(o, "", "rtl"));
      cosim.push_back(cosimRun(o, o.ops, false, "cosim"));
      if (o.trace) traced.push_back(cosimRun(o, o.ops, true, "cosim-trace"));
    }
    r.rtl = medianOf(rtl);
    r.cosim = medianOf(cosim);
    if (o.trace) r.cosimTrace = medianOf(traced);
  }
  say("co-simulation, --ops " + std::to_string(10 * o.ops));
  r.cosimTenfold = cosimRun(o, 10 * o.ops, false, "cosim-10x");
  if (o.icarus) {
    say("recording the RTL-only run's ports");
    const std::string record = o.workDir + "/ports.txt";
    const SimRun recorded = rtlRun(o, record, "rtl-record");
    say("Icarus Verilog replay");
    r.icarus = icarusRun(o, record, r.replayMismatches);
    if (r.icarus.ok) r.icarus.completions = recorded.completions;
    if (recorded.cycles != r.rtl.cycles) {
      r.icarus.ok = false;
      r.icarus.note = "the recorded run took " + std::to_string(recorded.cycles) +
                      " cycles, the timed one " + std::to_string(r.rtl.cycles);
    }
  }
  say("PRM 8 figures (RTL throughput suite)");
  r.prm8Note = prm8Figures(o.throughputTest, o.workDir + "/prm8.log", r.prm8);

  std::vector<ScenarioRow> rows;
  RtlComparison cmp;
  ScenarioOptions table = o.table;
  table.cosim = o.cosim;
  table.workDir = o.workDir;
  table.repeat = o.repeat;
  table.seed = o.seed;
  if (o.scenarioTable) {
    rows = measureScenarios(table, say);
    cmp = compareRtl(table, say);
  }
  const std::string hardware = o.hardwareFile.empty() ? "" : readFile(o.hardwareFile);

  std::ostringstream md;
  writeMarkdown(r, md);
  if (o.scenarioTable) writeScenarioMarkdown(rows, cmp, table, md);
  if (!o.hardwareFile.empty()) writeHardwareMarkdown(hardware, md);
  std::cout << md.str();
  const std::string json =
      o.jsonFile.empty() ? o.sourceDir + "/bench/results/latest.json" : o.jsonFile;
  const std::string markdown = o.markdownFile.empty()
                                   ? std::filesystem::path(json).replace_extension(".md").string()
                                   : o.markdownFile;
  std::filesystem::create_directories(std::filesystem::path(json).parent_path());
  std::ofstream(json) << [&] {
    std::ostringstream j;
    writeJson(r, j);
    std::string text = j.str();
    // Extend the top-level object with the scenario table and the hardware.
    text.erase(text.find_last_of('}'));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::ostringstream more;
    if (o.scenarioTable) {
      more << ",\n  \"scenarios\": ";
      writeScenarioJson(rows, cmp, table, more);
    }
    if (!o.hardwareFile.empty())
      more << ",\n  \"hardware\": " << (hardware.empty() ? std::string("null") : hardware);
    return text + more.str() + "\n}\n";
  }();
  std::ofstream(markdown) << md.str();
  say("wrote " + json + " and " + markdown);
  bool tableOk = true;
  for (const ScenarioRow& row : rows) tableOk = tableOk && row.ok;
  const bool ok = tableOk && r.rtl.ok && r.cosim.ok && (!o.trace || r.cosimTrace.ok) &&
                  r.cosimTenfold.ok && (!o.icarus || (r.icarus.ok && r.replayMismatches == 0));
  return ok ? 0 : 1;
}

int run(int argc, char** argv) {
  CLI::App app{"chimney-bench: speed of the completion engine's simulators on one workload"};
  app.require_subcommand(0, 1);
  Options o;
  o.sourceDir = CHIMNEY_SOURCE_DIR;
  o.cosim = CHIMNEY_COSIM_PATH;
  o.throughputTest = CHIMNEY_THROUGHPUT_TEST_PATH;
  app.add_option("--ops", o.ops, "sends of the workload (chimney-cosim --ops), default 20000");
  app.add_option("--seed", o.seed, "seed of the workload, default 1");
  app.add_option("--cosim", o.cosim, "chimney-cosim executable");
  app.add_option("--throughput-test", o.throughputTest, "rtl_throughput_test executable");
  app.add_option("--source-dir", o.sourceDir, "repository root (RTL sources)");
  app.add_option("--work-dir", o.workDir, "scratch files: logs, port recording, traces");
  app.add_option("--json", o.jsonFile, "results (default: <source-dir>/bench/results/latest.json)");
  app.add_option("--markdown", o.markdownFile, "Markdown table (default: the JSON path, .md)");
  app.add_flag("!--no-icarus", o.icarus, "skip the Icarus Verilog replay");
  app.add_flag("!--no-trace", o.trace, "skip the traced co-simulation run");
  app.add_option("--repeat", o.repeat, "timed runs of each, interleaved; the median counts")
      ->check(CLI::Range(1u, 100u));
  app.add_flag("!--no-scenarios", o.scenarioTable, "skip the per-scenario table");
  app.add_flag("--scenarios-only", o.scenariosOnly,
               "run the per-scenario table alone (written to <work-dir>/scenarios.json and .md "
               "unless --json / --markdown say otherwise)");
  o.table.rtlLoop = CHIMNEY_RTL_LOOP_PATH;
  app.add_option("--rtl-loop", o.table.rtlLoop, "chimney-rtl-loop of this build");
  app.add_option("--scenarios", o.table.scenarios, "scenarios of the table (default: all)")
      ->delimiter(',');
  app.add_option("--min-seconds", o.table.minSeconds, "shortest timed run of the table")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--rss-ops", o.table.rssOps, "--ops of each scenario's peak-RSS run (0: none)")
      ->check(CLI::Range(0u, 1000000u));
  app.add_option("--compare-rtl-loop", o.table.compareRtlLoop,
                 "chimney-rtl-loop of the current RTL built as the earlier one (no checkers)");
  app.add_option("--earlier-rtl-loop", o.table.earlierRtlLoop,
                 "chimney-rtl-loop built against an earlier RTL, for the side-by-side run");
  app.add_option("--earlier-name", o.table.earlierName, "what the earlier RTL is (a commit)");
  app.add_option("--hardware", o.hardwareFile,
                 "hardware figures (scripts/hw-figures.sh) to include");
  app.add_option("--icarus-timeout", o.icarusTimeout, "seconds before the replay is stopped");

  CLI::App* rtl = app.add_subcommand("rtl", "the RTL-only run alone");
  unsigned rtlOps = 2000;
  uint64_t rtlSeed = 1;
  std::string record, rtlJson;
  rtl->add_option("--ops", rtlOps, "sends of the workload");
  rtl->add_option("--seed", rtlSeed, "seed of the workload");
  rtl->add_option("--record", record, "write the port recording to FILE");
  rtl->add_option("--json", rtlJson, "write the figures to FILE");

  CLI::App* netlist =
      app.add_subcommand("netlist", "LUT levels and resources of a flattened Xilinx netlist");
  std::string netlistFile, netlistTop = "cpl_engine";
  netlist->add_option("file", netlistFile, "Yosys write_json output")->required();
  netlist->add_option("--top", netlistTop, "module to analyse, default cpl_engine");

  CLI11_PARSE(app, argc, argv);
  if (rtl->parsed()) return rtlCommand(rtlOps, rtlSeed, record, rtlJson);
  if (netlist->parsed()) {
    if (!std::ifstream(netlistFile)) throw std::runtime_error("cannot read " + netlistFile);
    std::cout << toJson(analyseNetlist(readFile(netlistFile), netlistTop)) << "\n";
    return 0;
  }
  return benchCommand(o);
}

}  // namespace

int main(int argc, char** argv) {
  return chimney::bench::guardedMain("chimney-bench", run, argc, argv);
}
