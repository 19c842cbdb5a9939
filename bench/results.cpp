#include "results.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "rounded.h"

namespace chimney::bench {

namespace {

double ratio(double a, double b) {
  return b > 0 ? a / b : 0;
}

std::string fmt(double v, const char* spec) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

using Json = nlohmann::ordered_json;

using tb::rounded;

Json runJson(const SimRun& s) {
  return Json{{"ran", s.ran},
              {"ok", s.ok},
              {"cycles", s.cycles},
              {"evaluated_cycles", s.evaluatedCycles},
              {"completions", s.completions},
              {"sim_seconds", rounded(s.simSeconds, 6)},
              {"process_seconds", rounded(s.processSeconds, 6)},
              {"cycles_per_second", std::llround(s.cyclesPerSecond())},
              {"completions_per_second", std::llround(s.completionsPerSecond())},
              {"max_rss_kb", s.maxRssKb},
              {"note", s.note}};
}

std::string mb(long kb) {
  return fmt(double(kb) / 1024.0, "%.1f");
}

std::string rate(double v) {
  if (v >= 1e6) return fmt(v / 1e6, "%.2f M");
  if (v >= 1e3) return fmt(v / 1e3, "%.1f k");
  return fmt(v, "%.0f");
}

void row(const SimRun& s, const std::string& label, std::ostream& out) {
  if (!s.ran) {
    out << "| " << label << " | | | | | | not run |\n";
    return;
  }
  out << "| " << label << " | " << s.cycles << " (" << s.evaluatedCycles << ") | "
      << rate(s.cyclesPerSecond()) << " | " << rate(s.completionsPerSecond()) << " | "
      << fmt(s.simSeconds, "%.2f") << " | " << mb(s.maxRssKb) << " | "
      << (s.ok ? "ok" : "FAILED: " + s.note) << " |\n";
}

// A run that went to its end (its status may still report a failed check).
bool measured(const SimRun& s) {
  return s.ran && s.cycles > 0 && s.simSeconds > 0;
}

const char* verdict(bool valid, bool met) {
  if (!valid) return "no valid measurement";
  return met ? "met" : "MISSED";
}

}  // namespace

double BenchResults::ratioCosimToRtl() const {
  return ratio(cosim.cyclesPerSecond(), rtl.cyclesPerSecond());
}
double BenchResults::ratioRtlToIcarus() const {
  return ratio(rtl.cyclesPerSecond(), icarus.cyclesPerSecond());
}
double BenchResults::rssTenfoldRatio() const {
  return ratio(double(cosimTenfold.maxRssKb), double(cosim.maxRssKb));
}

Json toJson(const BenchResults& r) {
  Json j;
  j["date"] = r.date;
  j["machine"] = Json{{"cpu", r.cpu}, {"nproc", r.cpus}};
  j["commit"] = r.commit;
  j["workload"] = Json{{"scenario", "smoke"}, {"ops", r.ops}};
  j["runs"] = Json{{"rtl", runJson(r.rtl)},
                   {"cosim", runJson(r.cosim)},
                   {"cosim_trace", runJson(r.cosimTrace)},
                   {"cosim_10x_ops", runJson(r.cosimTenfold)},
                   {"icarus", runJson(r.icarus)}};
  j["replay_mismatches"] = r.replayMismatches;
  j["ratios"] = Json{{"cosim_over_rtl", rounded(r.ratioCosimToRtl(), 3)},
                     {"cosim_over_rtl_target", 0.5},
                     {"rtl_over_icarus", rounded(r.ratioRtlToIcarus(), 1)},
                     {"rtl_over_icarus_target", 50},
                     {"rss_10x_over_default", rounded(r.rssTenfoldRatio(), 3)},
                     {"rss_10x_over_default_target", 1.2}};
  Json prm8 = Json::array();
  for (const CycleFigure& f : r.prm8) {
    prm8.push_back(Json{{"name", f.name},
                        {"value", rounded(f.value, 4)},
                        {"unit", f.unit},
                        {"target", f.target},
                        {"met", f.met}});
  }
  j["prm8"] = std::move(prm8);
  j["prm8_note"] = r.prm8Note;
  return j;
}

void writeJson(const BenchResults& r, std::ostream& out) {
  out << toJson(r).dump(2) << "\n";
}

void writeMarkdown(const BenchResults& r, std::ostream& out) {
  out << "Measured " << r.date << " on " << r.cpu << " (nproc " << r.cpus << ")"
      << (r.commit.empty() ? "" : ", commit " + r.commit)
      << "; workload: the default scenario (smoke) with --ops " << r.ops << ".\n\n";
  out << "| run | cycles (evaluated) | cycles/s | completions/s | sim s | peak RSS MB | status |\n";
  out << "|---|---:|---:|---:|---:|---:|---|\n";
  row(r.rtl, "RTL only (Verilator, C++ loop)", out);
  row(r.cosim, "co-simulation (chimney-cosim)", out);
  row(r.cosimTrace, "co-simulation, FST trace on", out);
  row(r.cosimTenfold, "co-simulation, 10x --ops", out);
  row(r.icarus, "Icarus Verilog replay", out);
  out << "\n| figure | measured | target | |\n|---|---:|---:|---|\n";
  const double c = r.ratioCosimToRtl(), i = r.ratioRtlToIcarus(), m = r.rssTenfoldRatio();
  out << "| co-simulation / RTL only (cycles/s) | " << fmt(c, "%.2f") << " | >= 0.5 | "
      << verdict(measured(r.rtl) && measured(r.cosim), c >= 0.5) << " |\n";
  out << "| RTL only / Icarus (cycles/s) | " << fmt(i, "%.0f") << " | >= 50 | "
      << verdict(measured(r.rtl) && measured(r.icarus), i >= 50) << " |\n";
  out << "| peak RSS, 10x --ops / default | " << fmt(m, "%.2f") << " | <= 1.2 | "
      << verdict(measured(r.cosim) && measured(r.cosimTenfold), m <= 1.2) << " |\n";
  out << "| Icarus replay mismatches | " << r.replayMismatches << " | 0 | "
      << verdict(r.icarus.ran && r.icarus.cycles > 0, r.replayMismatches == 0) << " |\n";
  for (const CycleFigure& f : r.prm8) {
    out << "| " << f.name << " | " << fmt(f.value, "%.3f") << " " << f.unit << " | " << f.target
        << " | " << verdict(true, f.met) << " |\n";
  }
  if (!r.prm8Note.empty()) out << "\nPRM 8 figures: " << r.prm8Note << "\n";
}

nlohmann::json readJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::json();
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::optional<double> jsonNumber(const nlohmann::json& report, const std::string& pointer) {
  const nlohmann::json::json_pointer at(pointer);
  if (!report.contains(at)) return std::nullopt;
  const nlohmann::json& v = report.at(at);
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

std::string firstFinding(const nlohmann::json& report) {
  for (const char* key : {"violations", "mismatches"}) {
    if (!report.is_object() || !report.contains(key)) continue;
    const nlohmann::json& list = report.at(key);
    if (!list.is_array() || list.empty()) continue;
    const nlohmann::json& first = list.front();
    if (first.is_string()) return first.get<std::string>();
    if (first.is_object() && first.contains("message") && first.at("message").is_string()) {
      return first.at("message").get<std::string>();
    }
    return first.dump();
  }
  return "";
}

}  // namespace chimney::bench
