#include "reports.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "svg.h"

namespace chimney::regress {

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

struct Tally {
  std::size_t points = 0, passed = 0;
  double seconds = 0;
};

std::map<std::string, std::map<std::string, Tally>> tallies(const Regression& r) {
  std::map<std::string, std::map<std::string, Tally>> t;
  for (const PointResult& p : r.points) {
    Tally& x = t[p.point.scenario()][p.point.device()];
    ++x.points;
    x.passed += p.passed() ? 1 : 0;
    x.seconds += p.seconds;
  }
  return t;
}

std::string failureText(const PointResult& p) {
  std::string text = "repeat with: " + p.point.repeatLine() + "\n" + p.message + "\n";
  for (const std::string& f : p.findings) text += f + "\n";
  return text;
}

}  // namespace

std::string escapeXml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows no other control character.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

void writeJunit(const Regression& r, std::ostream& out) {
  std::map<std::string, std::vector<const PointResult*>> byScenario;
  for (const PointResult& p : r.points) byScenario[p.point.scenario()].push_back(&p);
  auto counts = [](const std::vector<const PointResult*>& list) {
    std::size_t failures = 0, errors = 0;
    double seconds = 0;
    for (const PointResult* p : list) {
      failures += p->status == "fail" ? 1 : 0;
      errors += !p->passed() && p->status != "fail" ? 1 : 0;
      seconds += p->seconds;
    }
    return std::make_tuple(failures, errors, seconds);
  };
  std::vector<const PointResult*> all;
  for (const PointResult& p : r.points) all.push_back(&p);
  const auto [failures, errors, seconds] = counts(all);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"chimney-regress\" tests=\"" << all.size() << "\" failures=\""
      << failures << "\" errors=\"" << errors << "\" time=\"" << fixed(seconds, 3) << "\">\n";
  for (const auto& [scenario, list] : byScenario) {
    const auto [f, e, s] = counts(list);
    out << "  <testsuite name=\"" << escapeXml(scenario) << "\" tests=\"" << list.size()
        << "\" failures=\"" << f << "\" errors=\"" << e << "\" time=\"" << fixed(s, 3) << "\">\n";
    for (const PointResult* p : list) {
      out << "    <testcase classname=\"" << escapeXml(scenario + "." + p->point.device())
          << "\" name=\"point-" << p->point.index << "\" time=\"" << fixed(p->seconds, 3)
          << "\">\n";
      if (!p->passed()) {
        const char* tag = p->status == "fail" ? "failure" : "error";
        out << "      <" << tag << " type=\"" << p->status << "\" message=\""
            << escapeXml(p->message) << "\">" << escapeXml(failureText(*p)) << "</" << tag << ">\n";
      }
      out << "      <system-out>" << escapeXml(p->point.repeatLine()) << "</system-out>\n";
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

namespace {

void htmlHead(const Regression& r, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      << "<title>chimney-regress: " << r.points.size() - r.failed() << " of " << r.points.size()
      << " passed</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:1.5em;max-width:1100px}\n"
      << "table{border-collapse:collapse;margin:0.5em 0}\n"
      << "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}\n"
      << "td.l,th.l{text-align:left}\n.fail{background:#fdd}\n.pass{background:#dfd}\n"
      << "pre{background:#f4f4f4;padding:6px;white-space:pre-wrap}\n"
      << "</style>\n</head>\n<body>\n";
}

// A paragraph naming the options of the plan's `key` list, if it has any.
void htmlOptionList(std::ostream& out, const Json& spec, const char* key, const char* opening,
                    const char* closing) {
  if (!spec.is_object() || !spec.contains(key) || spec.at(key).empty()) return;
  out << opening;
  for (const Json& o : spec.at(key))
    out << " <code>" << escapeXml(o.get<std::string>()) << "</code>";
  out << closing << "</p>\n";
}

void htmlSummary(const Regression& r, std::ostream& out) {
  const std::size_t failed = r.failed();
  out << "<h1>chimney-regress</h1>\n<p class=\"" << (failed == 0 ? "pass" : "fail") << "\">"
      << r.points.size() - failed << " of " << r.points.size() << " points passed, " << failed
      << " failed.</p>\n";
  out << "<p>Plan " << escapeXml(r.planId) << ": " << r.planPoints << " points";
  if (r.planSpec.is_object()) out << " (" << escapeXml(r.planSpec.dump()) << ")";
  out << ". Shards:";
  for (const ShardId& s : r.shards) out << " " << s.index << "/" << s.count;
  const auto missing = r.missingShards();
  if (!missing.empty() || r.points.size() != r.planPoints) {
    out << ". <b>Incomplete</b>: missing shards";
    for (std::size_t m : missing) out << " " << m;
  }
  out << ". Run time " << fixed(r.wallSeconds, 1) << " s (summed over shards).</p>\n";
  htmlOptionList(out, r.planSpec, "unswept_options",
                 "<p class=\"fail\">chimney-cosim options this plan does not draw:", "");
  htmlOptionList(out, r.planSpec, "kept_out_options", "<p>Not drawn on purpose:",
                 " (a fault makes the run fail by design; the fault tests run each one).");
}

void htmlFailures(const Regression& r, std::ostream& out) {
  out << "<h2>Failures</h2>\n";
  if (r.failed() == 0) {
    out << "<p>None.</p>\n";
    return;
  }
  out << "<table>\n<tr><th>point</th><th class=\"l\">status</th><th class=\"l\">scenario</th>"
      << "<th class=\"l\">device</th><th class=\"l\">what</th></tr>\n";
  for (const PointResult& p : r.points) {
    if (p.passed()) continue;
    out << "<tr class=\"fail\"><td>" << p.point.index << "</td><td class=\"l\">" << p.status
        << "</td><td class=\"l\">" << escapeXml(p.point.scenario()) << "</td><td class=\"l\">"
        << escapeXml(p.point.device()) << "</td><td class=\"l\">" << escapeXml(p.message)
        << "</td></tr>\n<tr><td></td><td colspan=\"4\" class=\"l\"><pre>"
        << escapeXml(failureText(p)) << "</pre></td></tr>\n";
  }
  out << "</table>\n";
}

void htmlTable(const Regression& r, std::ostream& out) {
  out << "<h2>Pass/fail by scenario and device</h2>\n<table>\n<tr><th class=\"l\">scenario</th>"
      << "<th class=\"l\">device</th><th>points</th><th>passed</th><th>failed</th>"
      << "<th>run time s</th></tr>\n";
  for (const auto& [scenario, byDevice] : tallies(r)) {
    for (const auto& [device, t] : byDevice) {
      out << "<tr class=\"" << (t.passed == t.points ? "pass" : "fail") << "\"><td class=\"l\">"
          << escapeXml(scenario) << "</td><td class=\"l\">" << escapeXml(device) << "</td><td>"
          << t.points << "</td><td>" << t.passed << "</td><td>" << t.points - t.passed
          << "</td><td>" << fixed(t.seconds, 1) << "</td></tr>\n";
    }
  }
  out << "</table>\n";
}

void htmlCoverage(const Regression& r, std::ostream& out) {
  out << "<h2>Coverage</h2>\n";
  const Aggregate& a = r.aggregate;
  if (!a.hasCoverage) {
    out << "<p>No functional coverage bins in the runs' reports.</p>\n";
  } else {
    std::size_t hit = 0;
    for (const auto& [name, hits] : a.coverage) hit += hits > 0 ? 1 : 0;
    out << "<p>Functional coverage: " << hit << " of " << a.coverage.size()
        << " bins hit.</p>\n<h3>Unhit bins</h3>\n";
    if (hit == a.coverage.size()) out << "<p>None.</p>\n";
    out << "<ul>\n";
    for (const auto& [name, hits] : a.coverage) {
      if (hits == 0) out << "<li>" << escapeXml(name) << "</li>\n";
    }
    out << "</ul>\n<details><summary>Hit bins with their counts</summary>\n<table>\n";
    for (const auto& [name, hits] : a.coverage) {
      if (hits > 0) {
        out << "<tr><td class=\"l\">" << escapeXml(name) << "</td><td>" << hits << "</td></tr>\n";
      }
    }
    out << "</table>\n</details>\n";
  }
  if (!r.codeCoverage.empty()) {
    out << "<p>Code coverage of the RTL, merged over every run: <code>" << escapeXml(r.codeCoverage)
        << "</code></p>\n";
  }
}

void htmlLatency(const Regression& r, std::ostream& out) {
  out << "<h2>Latency, post to completion (all runs)</h2>\n";
  if (r.aggregate.latency.empty()) out << "<p>No latency data.</p>\n";
  for (const auto& [op, bins] : r.aggregate.latency) {
    std::vector<Bar> bars;
    uint64_t total = 0;
    for (const auto& [low, bin] : bins) {
      total += bin[2];
      bars.push_back({std::to_string(bin[0]), double(bin[2]),
                      std::to_string(bin[0]) + ".." + std::to_string(bin[1]) +
                          " cycles: " + std::to_string(bin[2])});
    }
    out << barChart(op + " (" + std::to_string(total) + " completions)", bars,
                    "cycles (bins of a quarter octave; lower end shown)", "completions");
  }
}

void htmlSeries(const Regression& r, std::ostream& out) {
  const auto& series = r.aggregate.series;
  out << "<h2>CQ occupancy and interrupts over time</h2>\n<p>" << series.size()
      << " runs, one per scenario and device at most: those sampled often enough to show a "
         "shape, whose completion queues held the most descriptors at once. Sampled at each "
         "wake-up of the driver's DPC context.</p>\n";
  std::vector<Line> cq, irq;
  for (const RunSeries& s : series) {
    const std::string name = "point " + std::to_string(s.index) + " (" + s.label + ")";
    Line c{name, {}};
    if (s.cq.is_object() && s.cq.contains("samples")) {
      for (const Json& p : s.cq.at("samples"))
        c.points.push_back({p[0].get<double>(), p[1].get<double>()});
    }
    cq.push_back(std::move(c));
    Line i{name, {}};
    if (s.interrupts.is_object() && s.interrupts.contains("counts")) {
      const double w = s.interrupts.value("window_cycles", 1.0);
      double x = 0;
      for (const Json& n : s.interrupts.at("counts")) {
        i.points.push_back({x, n.get<double>()});
        x += w;
      }
    }
    irq.push_back(std::move(i));
  }
  out << lineChart("CQ occupancy (descriptors waiting for the driver, all queue pairs)", cq,
                   "cycle", "descriptors", true);
  out << lineChart("Interrupts handled per time window", irq, "cycle (window start)", "interrupts",
                   true);
}

void htmlPoints(const Regression& r, std::ostream& out) {
  out << "<h2>Every point</h2>\n<details><summary>" << r.points.size()
      << " points</summary>\n<table>\n<tr><th>point</th><th class=\"l\">status</th>"
      << "<th>s</th><th>peak RSS MB</th><th>cycles</th><th class=\"l\">command</th></tr>\n";
  for (const PointResult& p : r.points) {
    out << "<tr class=\"" << (p.passed() ? "pass" : "fail") << "\"><td>" << p.point.index
        << "</td><td class=\"l\">" << p.status << "</td><td>" << fixed(p.seconds, 2) << "</td><td>"
        << fixed(double(p.maxRssKb) / 1024, 1) << "</td><td>" << p.cycles
        << "</td><td class=\"l\"><code>" << escapeXml(p.point.repeatLine())
        << "</code></td></tr>\n";
  }
  out << "</table>\n</details>\n";
}

}  // namespace

void writeHtml(const Regression& r, std::ostream& out) {
  htmlHead(r, out);
  htmlSummary(r, out);
  htmlFailures(r, out);
  htmlTable(r, out);
  htmlCoverage(r, out);
  htmlLatency(r, out);
  htmlSeries(r, out);
  htmlPoints(r, out);
  out << "</body>\n</html>\n";
}

bool writeOutputs(const Regression& r, const std::string& dir, std::ostream& err) {
  std::filesystem::create_directories(dir);
  bool ok = true;
  auto write = [&](const std::string& name, auto&& body) {
    const std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream out(path);
    body(out);
    if (!out) {
      err << "chimney-regress: error: " << path << ": write failed\n";
      ok = false;
    }
  };
  write("summary.json", [&](std::ostream& o) { o << r.toJson().dump(1) << "\n"; });
  write("junit.xml", [&](std::ostream& o) { writeJunit(r, o); });
  write("report.html", [&](std::ostream& o) { writeHtml(r, o); });
  return ok;
}

}  // namespace chimney::regress
