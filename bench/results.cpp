#include "results.h"

#include <cstdio>
#include <cstdlib>
#include <ostream>

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

std::string jsonText(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void writeRun(const SimRun& s, std::ostream& out) {
  out << "{\"ran\": " << (s.ran ? "true" : "false") << ", \"ok\": " << (s.ok ? "true" : "false")
      << ", \"cycles\": " << s.cycles << ", \"evaluated_cycles\": " << s.evaluatedCycles
      << ", \"completions\": " << s.completions
      << ", \"sim_seconds\": " << fmt(s.simSeconds, "%.6f")
      << ", \"process_seconds\": " << fmt(s.processSeconds, "%.6f")
      << ", \"cycles_per_second\": " << fmt(s.cyclesPerSecond(), "%.0f")
      << ", \"completions_per_second\": " << fmt(s.completionsPerSecond(), "%.0f")
      << ", \"max_rss_kb\": " << s.maxRssKb << ", \"note\": " << jsonText(s.note) << "}";
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

void writeJson(const BenchResults& r, std::ostream& out) {
  out << "{\n  \"date\": " << jsonText(r.date) << ",\n  \"machine\": {\"cpu\": " << jsonText(r.cpu)
      << ", \"nproc\": " << r.cpus << "},\n  \"commit\": " << jsonText(r.commit)
      << ",\n  \"workload\": {\"scenario\": \"smoke\", \"ops\": " << r.ops << "},\n";
  out << "  \"runs\": {\n    \"rtl\": ";
  writeRun(r.rtl, out);
  out << ",\n    \"cosim\": ";
  writeRun(r.cosim, out);
  out << ",\n    \"cosim_trace\": ";
  writeRun(r.cosimTrace, out);
  out << ",\n    \"cosim_10x_ops\": ";
  writeRun(r.cosimTenfold, out);
  out << ",\n    \"icarus\": ";
  writeRun(r.icarus, out);
  out << "\n  },\n";
  out << "  \"replay_mismatches\": " << r.replayMismatches << ",\n";
  out << "  \"ratios\": {\"cosim_over_rtl\": " << fmt(r.ratioCosimToRtl(), "%.3f")
      << ", \"cosim_over_rtl_target\": 0.5, \"rtl_over_icarus\": "
      << fmt(r.ratioRtlToIcarus(), "%.1f") << ", \"rtl_over_icarus_target\": 50"
      << ", \"rss_10x_over_default\": " << fmt(r.rssTenfoldRatio(), "%.3f")
      << ", \"rss_10x_over_default_target\": 1.2},\n";
  out << "  \"prm8\": [";
  for (size_t i = 0; i < r.prm8.size(); ++i) {
    const CycleFigure& f = r.prm8[i];
    out << (i ? ", " : "") << "{\"name\": " << jsonText(f.name)
        << ", \"value\": " << fmt(f.value, "%.4f") << ", \"unit\": " << jsonText(f.unit)
        << ", \"target\": " << jsonText(f.target) << ", \"met\": " << (f.met ? "true" : "false")
        << "}";
  }
  out << "],\n  \"prm8_note\": " << jsonText(r.prm8Note) << "\n}\n";
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

std::optional<double> jsonNumber(const std::string& text, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const size_t at = text.find(needle);
  if (at == std::string::npos) return std::nullopt;
  const char* start = text.c_str() + at + needle.size();
  char* end = nullptr;
  const double v = std::strtod(start, &end);
  if (end == start) return std::nullopt;
  return v;
}

}  // namespace chimney::bench
