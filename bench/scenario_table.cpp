#include "scenario_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "child_process.h"
#include "results.h"

namespace chimney::bench {
namespace {

constexpr unsigned kMaxOps = 1000000;  // chimney-cosim's --ops limit
constexpr unsigned kFirstOps = 2000;

std::string fmt(double v, const char* spec) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

std::string rate(double v) {
  if (v >= 1e6) return fmt(v / 1e6, "%.2f M");
  if (v >= 1e3) return fmt(v / 1e3, "%.1f k");
  return fmt(v, "%.0f");
}

std::string jsonText(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out + "\"";
}

void writeSpread(const Spread& s, std::ostream& out) {
  out << "{\"median\": " << fmt(s.median, "%.1f") << ", \"min\": " << fmt(s.min, "%.1f")
      << ", \"max\": " << fmt(s.max, "%.1f") << ", \"n\": " << s.n << "}";
}

// "median (min–max)" of a rate.
std::string spreadText(const Spread& s) {
  return rate(s.median) + " (" + rate(s.min) + "–" + rate(s.max) + ")";
}

// A run of chimney-cosim or chimney-rtl-loop that writes a JSON report, and
// what the report says.
struct ReportedRun {
  bool ok = false;  // exit 0 and a report
  double wall = 0;
  double cpu = 0;       // chimney-rtl-loop rtl: CPU seconds of the loop (0: not reported)
  uint64_t cycles = 0;  // chimney-cosim: RTL cycles evaluated; chimney-rtl-loop: cycles run
  uint64_t mismatches = 0;
  long rssKb = 0;
  std::string note;  // why not ok
};

// Runs `argv` (its output to `log`), which writes its report to `json`; the
// report's `cyclesKey` gives the cycles.
ReportedRun runReported(const std::vector<std::string>& argv, const std::string& json,
                        const std::string& log, const char* cyclesKey, double timeout = 0) {
  std::remove(json.c_str());
  const ChildRun c = runChild(argv, log, timeout);
  const nlohmann::json report = readJsonFile(json);
  ReportedRun r;
  r.ok = c.exitCode == 0 && report.is_object();
  r.wall = jsonNumber(report, "/wall_seconds").value_or(0);
  r.cpu = jsonNumber(report, "/cpu_seconds").value_or(0);
  r.cycles = uint64_t(jsonNumber(report, cyclesKey).value_or(0));
  r.mismatches = uint64_t(jsonNumber(report, "/mismatches").value_or(0));
  r.rssKb = c.maxRssKb;
  if (!r.ok)
    r.note = (c.timedOut ? std::string("timed out") : "exit " + std::to_string(c.exitCode)) + " (" +
             log + ")";
  return r;
}

ReportedRun cosim(const ScenarioOptions& o, const std::string& scenario, unsigned ops,
                  const std::string& record, const std::string& tag, double timeout = 0) {
  const std::string json = o.workDir + "/" + tag + ".json";
  std::vector<std::string> argv = {
      o.cosim,  "--scenario",           scenario, "--ops", std::to_string(ops),
      "--seed", std::to_string(o.seed), "--json", json,    "--quiet"};
  if (!record.empty()) {
    argv.push_back("--record-ports");
    argv.push_back(record);
  }
  return runReported(argv, json, o.workDir + "/" + tag + ".log", "/rtl_cycles", timeout);
}

ReportedRun loop(const std::vector<std::string>& argv, const std::string& json,
                 const std::string& log) {
  return runReported(argv, json, log, "/cycles");
}

// Scales ops so that a run of `seconds` lasts about 1.2 * minSeconds.
unsigned scaledOps(unsigned ops, double seconds, double minSeconds) {
  const double want = double(ops) * 1.2 * minSeconds / std::max(seconds, 1e-3);
  return unsigned(std::min<double>(kMaxOps, std::ceil(want)));
}

std::vector<std::string> listScenarios(const ScenarioOptions& o) {
  const ChildRun c = runChild({o.cosim, "--list-scenarios"}, o.workDir + "/scenarios.log");
  std::vector<std::string> names;
  std::istringstream in(c.output);
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 3 || line[0] != ' ' || line[1] != ' ') continue;
    std::istringstream words(line);
    std::string name;
    words >> name;
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

ScenarioRow measureOne(const ScenarioOptions& o, const std::string& s, Say say) {
  ScenarioRow row;
  row.scenario = s;
  // Calibrate --ops for runs of at least minSeconds.
  unsigned ops = kFirstOps;
  ReportedRun probe = cosim(o, s, ops, "", "sc-" + s + "-probe");
  for (int i = 0; i < 3 && probe.ok && probe.wall < o.minSeconds && ops < kMaxOps; ++i) {
    ops = scaledOps(ops, probe.wall, o.minSeconds);
    probe = cosim(o, s, ops, "", "sc-" + s + "-probe");
  }
  row.ops = ops;
  if (!probe.ok) {
    row.note = "co-simulation failed: " + probe.note;
    return row;
  }
  // The recorded run (untimed) and a verified replay of it.
  say(s + ": --ops " + std::to_string(ops) + ", recording its ports");
  const std::string ports = o.workDir + "/sc-" + s + ".ports";
  const ReportedRun recorded = cosim(o, s, ops, ports, "sc-" + s + "-record");
  row.evaluatedCycles = recorded.cycles;
  const std::string replayJson = o.workDir + "/sc-" + s + "-replay.json";
  const std::string replayLog = o.workDir + "/sc-" + s + "-replay.log";
  const ReportedRun verified =
      loop({o.rtlLoop, "replay", ports, "--verify", "--json", replayJson}, replayJson, replayLog);
  row.replayMismatches = verified.mismatches;
  if (!recorded.ok || verified.cycles != recorded.cycles) {
    row.note = !recorded.ok ? "recording run failed: " + recorded.note
                            : "the replay has " + std::to_string(verified.cycles) +
                                  " cycles, the recorded run " + std::to_string(recorded.cycles);
    std::remove(ports.c_str());
    return row;
  }
  // Interleaved timed runs: co-simulation, bare replay, co-simulation, ...
  std::vector<double> wall, cps, replayCps;
  bool allOk = true;
  for (unsigned i = 0; i < o.repeat && allOk; ++i) {
    const ReportedRun c = cosim(o, s, ops, "", "sc-" + s + "-timed");
    const ReportedRun r = loop({o.rtlLoop, "replay", ports, "--min-seconds",
                                fmt(o.minSeconds, "%.3f"), "--json", replayJson},
                               replayJson, replayLog);
    allOk = c.ok && r.ok && c.cycles == recorded.cycles;
    if (!allOk) {
      row.note = !c.ok   ? "timed co-simulation failed: " + c.note
                 : !r.ok ? "replay failed: " + r.note
                         : "a timed run evaluated " + std::to_string(c.cycles) +
                               " cycles, the recorded one " + std::to_string(recorded.cycles);
      break;
    }
    wall.push_back(c.wall);
    cps.push_back(double(c.cycles) / c.wall);
    replayCps.push_back(double(r.cycles) / r.wall);
  }
  std::remove(ports.c_str());
  row.cosimSeconds = spreadOf(wall);
  row.cosimCps = spreadOf(cps);
  row.replayCps = spreadOf(replayCps);
  row.ok = allOk && row.replayMismatches == 0;
  if (allOk && row.replayMismatches != 0)
    row.note = std::to_string(row.replayMismatches) + " replayed cycles differ from the recording";
  if (row.ok && row.cosimSeconds.min < o.minSeconds)
    row.note = "shortest run " + fmt(row.cosimSeconds.min, "%.2f") + " s (--ops capped at " +
               std::to_string(ops) + ")";
  // Peak memory at a large --ops.
  if (o.rssOps > 0) {
    say(s + ": peak RSS at --ops " + std::to_string(o.rssOps));
    const ReportedRun big = cosim(o, s, o.rssOps, "", "sc-" + s + "-rss", 1800);
    row.rssOps = o.rssOps;
    row.rssKb = big.rssKb;
    if (!big.ok) row.note += (row.note.empty() ? "" : "; ") + std::string("RSS run: ") + big.note;
  }
  return row;
}

}  // namespace

Spread spreadOf(std::vector<double> v) {
  Spread s;
  s.n = unsigned(v.size());
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  const size_t m = v.size() / 2;
  s.median = v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  return s;
}

std::vector<ScenarioRow> measureScenarios(const ScenarioOptions& o, Say say) {
  const std::vector<std::string> names = o.scenarios.empty() ? listScenarios(o) : o.scenarios;
  std::vector<ScenarioRow> rows;
  for (const std::string& s : names) {
    say("scenario " + s);
    rows.push_back(measureOne(o, s, say));
  }
  return rows;
}

RtlComparison compareRtl(const ScenarioOptions& o, Say say) {
  RtlComparison cmp;
  if (o.earlierRtlLoop.empty()) return cmp;
  cmp.ran = true;
  cmp.baseline = o.earlierName;
  const std::string json = o.workDir + "/rtl-cmp.json", log = o.workDir + "/rtl-cmp.log";
  auto run = [&](const std::string& exe, unsigned ops) {
    return loop({exe, "rtl", "--ops", std::to_string(ops), "--seed", std::to_string(o.seed),
                 "--json", json},
                json, log);
  };
  const std::string current = o.compareRtlLoop.empty() ? o.rtlLoop : o.compareRtlLoop;
  unsigned ops = kFirstOps;
  ReportedRun probe = run(current, ops);
  for (int i = 0; i < 3 && probe.ok && probe.wall < o.minSeconds; ++i) {
    ops = unsigned(
        std::min<double>(1e7, double(ops) * 1.2 * o.minSeconds / std::max(probe.wall, 1e-3)));
    probe = run(current, ops);
  }
  cmp.ops = ops;
  say("RTL-only workload, --ops " + std::to_string(ops) + ": current and " + o.earlierName +
      " interleaved");
  std::vector<double> now, before, nowCpu, beforeCpu;
  for (unsigned i = 0; i < o.repeat; ++i) {
    const ReportedRun a = run(current, ops);
    const ReportedRun b = run(o.earlierRtlLoop, ops);
    if (!a.ok || !b.ok) {
      cmp.note = !a.ok ? "current RTL: " + a.note : o.earlierName + ": " + b.note;
      break;
    }
    now.push_back(double(a.cycles) / a.wall);
    before.push_back(double(b.cycles) / b.wall);
    if (a.cpu > 0 && b.cpu > 0) {
      nowCpu.push_back(double(a.cycles) / a.cpu);
      beforeCpu.push_back(double(b.cycles) / b.cpu);
    }
  }
  cmp.current = spreadOf(now);
  cmp.earlier = spreadOf(before);
  // Both loops report their CPU time, or the figure is left out (0).
  if (nowCpu.size() == now.size()) {
    cmp.currentCpu = spreadOf(nowCpu);
    cmp.earlierCpu = spreadOf(beforeCpu);
  }
  return cmp;
}

void writeScenarioJson(const std::vector<ScenarioRow>& rows, const RtlComparison& cmp,
                       const ScenarioOptions& o, std::ostream& out) {
  out << "{\"repeat\": " << o.repeat << ", \"min_seconds\": " << fmt(o.minSeconds, "%.1f")
      << ", \"rss_ops\": " << o.rssOps << ", \"rss_target_mb\": 64"
      << ", \"ratio_target\": 0.5, \"rows\": [";
  for (size_t i = 0; i < rows.size(); ++i) {
    const ScenarioRow& r = rows[i];
    out << (i ? ",\n    " : "\n    ") << "{\"scenario\": " << jsonText(r.scenario)
        << ", \"ops\": " << r.ops << ", \"evaluated_cycles\": " << r.evaluatedCycles
        << ", \"cosim_seconds\": ";
    writeSpread(r.cosimSeconds, out);
    out << ", \"cosim_cycles_per_second\": ";
    writeSpread(r.cosimCps, out);
    out << ", \"bare_replay_cycles_per_second\": ";
    writeSpread(r.replayCps, out);
    out << ", \"cosim_over_bare\": " << fmt(r.ratio(), "%.3f")
        << ", \"replay_mismatches\": " << r.replayMismatches << ", \"rss_ops\": " << r.rssOps
        << ", \"max_rss_kb\": " << r.rssKb << ", \"ok\": " << (r.ok ? "true" : "false")
        << ", \"note\": " << jsonText(r.note) << "}";
  }
  out << "],\n  \"rtl_vs_earlier\": {\"ran\": " << (cmp.ran ? "true" : "false")
      << ", \"baseline\": " << jsonText(cmp.baseline) << ", \"ops\": " << cmp.ops
      << ", \"current_cycles_per_second\": ";
  writeSpread(cmp.current, out);
  out << ", \"earlier_cycles_per_second\": ";
  writeSpread(cmp.earlier, out);
  out << ", \"ratio\": " << fmt(cmp.ratio(), "%.3f") << ", \"ratio_target\": 2"
      << ", \"current_cycles_per_cpu_second\": ";
  writeSpread(cmp.currentCpu, out);
  out << ", \"earlier_cycles_per_cpu_second\": ";
  writeSpread(cmp.earlierCpu, out);
  out << ", \"cpu_ratio\": " << fmt(cmp.cpuRatio(), "%.3f") << ", \"note\": " << jsonText(cmp.note)
      << "}}";
}

void writeScenarioMarkdown(const std::vector<ScenarioRow>& rows, const RtlComparison& cmp,
                           const ScenarioOptions& o, std::ostream& out) {
  out << "\nPer scenario (chimney-cosim --scenario S --ops N): evaluated RTL cycles per second, "
         "median (min–max) of "
      << o.repeat << " interleaved runs of at least " << fmt(o.minSeconds, "%.0f")
      << " s; the bare loop replays the same run's recorded ports (chimney-rtl-loop replay); "
         "peak RSS of one run at --ops "
      << o.rssOps << ".\n\n";
  out << "| scenario | --ops | cycles | co-simulation cycles/s | bare loop cycles/s | ratio "
         "(>= 0.5) | peak RSS MB (< 64) | note |\n";
  out << "|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (const ScenarioRow& r : rows) {
    out << "| " << r.scenario << " | " << r.ops << " | " << r.evaluatedCycles << " | "
        << spreadText(r.cosimCps) << " | " << spreadText(r.replayCps) << " | "
        << fmt(r.ratio(), "%.2f") << (r.ok && r.ratio() < 0.5 ? " MISSED" : "") << " | "
        << fmt(double(r.rssKb) / 1024.0, "%.1f") << (r.rssKb >= 64 * 1024 ? " MISSED" : "") << " | "
        << (r.ok ? "" : "FAILED: ") << r.note << " |\n";
  }
  if (cmp.ran) {
    out << "\nRTL-only workload (--ops " << cmp.ops << "), " << o.repeat
        << " interleaved runs: current RTL " << spreadText(cmp.current) << " cycles/s, "
        << cmp.baseline << " " << spreadText(cmp.earlier)
        << " cycles/s: " << fmt(cmp.ratio(), "%.2f")
        << "x (target >= 2: " << (cmp.ratio() >= 2 ? "met" : "MISSED") << ")"
        << (cmp.note.empty() ? "" : "; ") << cmp.note << ".";
    if (cmp.cpuRatio() > 0) {
      out << " By each loop's own CPU time instead (the time it waited for a core left out): "
          << spreadText(cmp.currentCpu) << " against " << spreadText(cmp.earlierCpu)
          << " cycles per CPU second, " << fmt(cmp.cpuRatio(), "%.2f") << "x (information).";
    }
    out << "\n";
  }
}

}  // namespace chimney::bench
