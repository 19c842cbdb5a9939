#include "results.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <set>
#include <stdexcept>

namespace chimney::regress {

namespace {

std::string oneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

// A finding of the report: a string, or an object with a "message".
std::string findingText(const Json& f) {
  if (f.is_string()) return f.get<std::string>();
  if (f.is_object() && f.contains("message") && f.at("message").is_string()) {
    return f.at("message").get<std::string>();
  }
  return f.dump();
}

uint64_t number(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_number()) return 0;
  return j.at(key).get<uint64_t>();
}

void flattenBins(const Json& j, const std::string& prefix, std::map<std::string, uint64_t>& out) {
  if (j.is_number()) {
    out[prefix] += j.get<uint64_t>();
  } else if (j.is_object()) {
    // An object with "hits" is one bin (other keys describe it).
    if (j.contains("hits") && j.at("hits").is_number()) {
      out[prefix] += j.at("hits").get<uint64_t>();
      return;
    }
    for (const auto& [k, v] : j.items()) flattenBins(v, prefix.empty() ? k : prefix + "." + k, out);
  }
}

uint64_t peakOf(const Json& samples) {
  uint64_t peak = 0;
  if (!samples.is_object() || !samples.contains("samples")) return 0;
  for (const Json& s : samples.at("samples")) {
    if (s.is_array() && s.size() >= 2 && s[1].is_number()) {
      peak = std::max(peak, s[1].get<uint64_t>());
    }
  }
  return peak;
}

}  // namespace

std::map<std::string, uint64_t> coverageBins(const Json& report) {
  std::map<std::string, uint64_t> bins;
  for (const char* key : {"coverage", "functional_coverage"}) {
    if (report.is_object() && report.contains(key)) flattenBins(report.at(key), "", bins);
  }
  return bins;
}

PointResult judge(const Point& point, const ChildOutcome& o, const Json& report,
                  const std::string& logTail) {
  PointResult r;
  r.point = point;
  r.exitCode = o.exitCode;
  r.signal = o.signal;
  r.seconds = o.seconds;
  r.maxRssKb = o.maxRssKb;
  const bool hasReport = report.is_object();
  if (hasReport) {
    r.cycles = number(report, "cycles");
    r.interrupts = number(report, "interrupts");
    if (report.contains("cq_occupancy")) r.peakCq = peakOf(report.at("cq_occupancy"));
    for (const char* key : {"violations", "mismatches"}) {
      if (!report.contains(key) || !report.at(key).is_array()) continue;
      for (const Json& f : report.at(key)) {
        if (r.findings.size() >= 5) break;
        r.findings.push_back(oneLine(findingText(f)));
      }
    }
  }
  if (!o.started) {
    r.status = "error";
    r.message = "could not start: " + o.startError;
  } else if (o.timedOut) {
    r.status = "timeout";
    r.message = "no result after " + std::to_string(int(o.seconds)) + " s: killed";
  } else if (o.signal != 0) {
    r.status = "crash";
    r.message = std::string("killed by signal ") + std::to_string(o.signal) + " (" +
                strsignal(o.signal) + ")";
  } else if (o.exitCode == 2) {
    r.status = "error";
    r.message = "options refused: " + oneLine(logTail);
  } else if (o.exitCode != 0 && o.exitCode != 1) {
    r.status = "crash";
    r.message = "exit " + std::to_string(o.exitCode) + ": " + oneLine(logTail);
  } else if (!hasReport) {
    r.status = "crash";
    r.message = "exit " + std::to_string(o.exitCode) + " without a JSON report";
  } else if (o.exitCode == 1 || report.value("result", "") != "pass") {
    r.status = "fail";
    r.message = r.findings.empty() ? "exit " + std::to_string(o.exitCode) : r.findings.front();
  } else if (!r.findings.empty()) {
    r.status = "fail";
    r.message = "exit 0 but the report lists: " + r.findings.front();
  }
  return r;
}

// ---- Aggregate -------------------------------------------------------------

namespace {

std::size_t sampleCount(const Json& cq) {
  return cq.is_object() && cq.contains("samples") && cq.at("samples").is_array()
             ? cq.at("samples").size()
             : 0;
}

// Series worth plotting first: enough samples to show a shape, then the
// fullest queue; the index breaks ties, so the choice is the same in any order.
bool betterSeries(const RunSeries& a, const RunSeries& b) {
  constexpr std::size_t kShape = 8;
  const bool ra = sampleCount(a.cq) >= kShape, rb = sampleCount(b.cq) >= kShape;
  if (ra != rb) return ra;
  if (a.peak != b.peak) return a.peak > b.peak;
  return a.index < b.index;
}

}  // namespace

void Aggregate::keepSeries(RunSeries s) {
  // One series per scenario and device: the best of them.
  for (RunSeries& kept : series) {
    if (kept.label != s.label) continue;
    if (betterSeries(s, kept)) kept = std::move(s);
    std::stable_sort(series.begin(), series.end(), betterSeries);
    return;
  }
  series.push_back(std::move(s));
  std::stable_sort(series.begin(), series.end(), betterSeries);
  if (series.size() > kSeries) series.resize(kSeries);
}

void Aggregate::addReport(const PointResult& r, const Json& report) {
  if (!report.is_object()) return;
  if (report.contains("latency_cycles") && report.at("latency_cycles").is_object()) {
    for (const auto& [op, stats] : report.at("latency_cycles").items()) {
      if (!stats.is_object() || !stats.contains("histogram")) continue;
      for (const Json& bin : stats.at("histogram")) {
        if (!bin.is_array() || bin.size() != 3) continue;
        auto& slot = latency[op][bin[0].get<uint64_t>()];
        slot[0] = bin[0].get<uint64_t>();
        slot[1] = bin[1].get<uint64_t>();
        slot[2] += bin[2].get<uint64_t>();
      }
    }
  }
  const auto bins = coverageBins(report);
  if (!bins.empty()) hasCoverage = true;
  for (const auto& [name, hits] : bins) coverage[name] += hits;
  if (report.contains("cq_occupancy") || report.contains("interrupt_windows")) {
    RunSeries s;
    s.index = r.point.index;
    s.label = r.point.scenario() + ", " + r.point.device();
    s.cq = report.value("cq_occupancy", Json());
    s.interrupts = report.value("interrupt_windows", Json());
    s.peak = r.peakCq;
    keepSeries(std::move(s));
  }
}

void Aggregate::merge(const Aggregate& other) {
  for (const auto& [op, bins] : other.latency) {
    for (const auto& [low, bin] : bins) {
      auto& slot = latency[op][low];
      slot[0] = bin[0];
      slot[1] = bin[1];
      slot[2] += bin[2];
    }
  }
  hasCoverage = hasCoverage || other.hasCoverage;
  for (const auto& [name, hits] : other.coverage) coverage[name] += hits;
  for (const RunSeries& s : other.series) keepSeries(s);
}

Json Aggregate::toJson() const {
  Json lat = Json::object();
  for (const auto& [op, bins] : latency) {
    Json list = Json::array();
    for (const auto& [low, bin] : bins) list.push_back(Json::array({bin[0], bin[1], bin[2]}));
    lat[op] = std::move(list);
  }
  Json series_ = Json::array();
  for (const RunSeries& s : series) {
    series_.push_back(Json{{"index", s.index},
                           {"label", s.label},
                           {"peak", s.peak},
                           {"cq_occupancy", s.cq},
                           {"interrupt_windows", s.interrupts}});
  }
  Json j{{"latency_histograms", lat}, {"series", series_}};
  if (hasCoverage) j["functional_coverage"] = coverage;
  return j;
}

Aggregate Aggregate::fromJson(const Json& j) {
  Aggregate a;
  for (const auto& [op, bins] : j.at("latency_histograms").items()) {
    for (const Json& b : bins) {
      a.latency[op][b[0].get<uint64_t>()] = {b[0].get<uint64_t>(), b[1].get<uint64_t>(),
                                             b[2].get<uint64_t>()};
    }
  }
  if (j.contains("functional_coverage")) {
    a.hasCoverage = true;
    a.coverage = j.at("functional_coverage").get<std::map<std::string, uint64_t>>();
  }
  for (const Json& s : j.at("series")) {
    a.series.push_back({s.at("index").get<std::size_t>(), s.at("label").get<std::string>(),
                        s.at("cq_occupancy"), s.at("interrupt_windows"),
                        s.at("peak").get<uint64_t>()});
  }
  return a;
}

// ---- Regression --------------------------------------------------------------

Json pointJson(const PointResult& p) {
  return Json{
      {"index", p.point.index},     {"args", p.point.args},       {"scenario", p.point.scenario()},
      {"device", p.point.device()}, {"status", p.status},         {"exit_code", p.exitCode},
      {"signal", p.signal},         {"seconds", p.seconds},       {"max_rss_kb", p.maxRssKb},
      {"cycles", p.cycles},         {"interrupts", p.interrupts}, {"peak_cq", p.peakCq},
      {"message", p.message},       {"findings", p.findings},     {"repeat", p.point.repeatLine()}};
}

PointResult pointFromJson(const Json& j) {
  PointResult p;
  p.point.index = j.at("index").get<std::size_t>();
  p.point.args = j.at("args").get<std::vector<std::string>>();
  p.status = j.at("status").get<std::string>();
  p.exitCode = j.at("exit_code").get<int>();
  p.signal = j.at("signal").get<int>();
  p.seconds = j.at("seconds").get<double>();
  p.maxRssKb = j.at("max_rss_kb").get<long>();
  p.cycles = j.at("cycles").get<uint64_t>();
  p.interrupts = j.at("interrupts").get<uint64_t>();
  p.peakCq = j.at("peak_cq").get<uint64_t>();
  p.message = j.at("message").get<std::string>();
  p.findings = j.at("findings").get<std::vector<std::string>>();
  return p;
}

std::size_t Regression::failed() const {
  return std::size_t(std::count_if(points.begin(), points.end(),
                                   [](const PointResult& p) { return !p.passed(); }));
}

std::vector<std::size_t> Regression::missingShards() const {
  std::vector<std::size_t> missing;
  if (shards.empty()) return missing;
  std::set<std::size_t> have;
  for (const ShardId& s : shards) have.insert(s.index);
  for (std::size_t i = 0; i < shards.front().count; ++i) {
    if (have.count(i) == 0) missing.push_back(i);
  }
  return missing;
}

Json Regression::toJson() const {
  std::map<std::string, uint64_t> byStatus{
      {"pass", 0}, {"fail", 0}, {"error", 0}, {"crash", 0}, {"timeout", 0}};
  Json failures = Json::array();
  Json points_ = Json::array();
  for (const PointResult& p : points) {
    ++byStatus[p.status];
    points_.push_back(pointJson(p));
    if (!p.passed()) {
      failures.push_back(Json{{"index", p.point.index},
                              {"status", p.status},
                              {"message", p.message},
                              {"repeat", p.point.repeatLine()}});
    }
  }
  Json shards_ = Json::array();
  for (const ShardId& s : shards) shards_.push_back(Json{{"index", s.index}, {"count", s.count}});
  Json missing = missingShards();
  Json j;
  j["plan"] = Json{{"id", planId}, {"points", planPoints}, {"spec", planSpec}};
  j["shards"] = shards_;
  j["missing_shards"] = missing;
  j["complete"] = missingShards().empty() && points.size() == planPoints;
  j["totals"] = Json{{"points", points.size()},
                     {"passed", byStatus["pass"]},
                     {"failed", points.size() - byStatus["pass"]},
                     {"by_status", byStatus}};
  j["wall_seconds"] = wallSeconds;
  j["failures"] = failures;
  j["aggregate"] = aggregate.toJson();
  if (!codeCoverage.empty()) {
    j["code_coverage"] = Json{{"file", codeCoverage}, {"summary", codeCoverageSummary}};
  }
  j["points"] = points_;
  return j;
}

Regression Regression::fromJson(const Json& j) {
  Regression r;
  r.planId = j.at("plan").at("id").get<std::string>();
  r.planPoints = j.at("plan").at("points").get<std::size_t>();
  r.planSpec = j.at("plan").at("spec");
  for (const Json& s : j.at("shards")) {
    r.shards.push_back({s.at("index").get<std::size_t>(), s.at("count").get<std::size_t>()});
  }
  r.wallSeconds = j.at("wall_seconds").get<double>();
  r.aggregate = Aggregate::fromJson(j.at("aggregate"));
  if (j.contains("code_coverage")) {
    r.codeCoverage = j.at("code_coverage").value("file", "");
    r.codeCoverageSummary = j.at("code_coverage").value("summary", "");
  }
  for (const Json& p : j.at("points")) r.points.push_back(pointFromJson(p));
  return r;
}

Regression merge(const std::vector<Regression>& parts) {
  if (parts.empty()) throw std::runtime_error("nothing to merge");
  Regression out;
  out.planId = parts.front().planId;
  out.planSpec = parts.front().planSpec;
  out.planPoints = parts.front().planPoints;
  std::set<std::size_t> seen;
  std::set<std::pair<std::size_t, std::size_t>> shards;
  for (const Regression& part : parts) {
    if (part.planId != out.planId) {
      throw std::runtime_error("results of different plans: " + out.planId + " and " + part.planId +
                               " (same --plan-seed, --points and options needed)");
    }
    for (const ShardId& s : part.shards) {
      if (!out.shards.empty() && s.count != out.shards.front().count) {
        throw std::runtime_error("shards of different splits: /" +
                                 std::to_string(out.shards.front().count) + " and /" +
                                 std::to_string(s.count));
      }
      if (!shards.insert({s.index, s.count}).second) {
        throw std::runtime_error("shard " + std::to_string(s.index) + "/" +
                                 std::to_string(s.count) + " given twice");
      }
      out.shards.push_back(s);
    }
    for (const PointResult& p : part.points) {
      if (!seen.insert(p.point.index).second) {
        throw std::runtime_error("point " + std::to_string(p.point.index) + " given twice");
      }
      out.points.push_back(p);
    }
    out.aggregate.merge(part.aggregate);
    out.wallSeconds += part.wallSeconds;
  }
  std::sort(out.shards.begin(), out.shards.end(),
            [](const ShardId& a, const ShardId& b) { return a.index < b.index; });
  std::sort(out.points.begin(), out.points.end(), [](const PointResult& a, const PointResult& b) {
    return a.point.index < b.point.index;
  });
  return out;
}

}  // namespace chimney::regress
