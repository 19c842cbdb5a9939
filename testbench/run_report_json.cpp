// The JSON report of a run (--json), built with nlohmann::json. One function
// per section, so a section can grow (or change shape) without touching the
// others; key names are documented in docs/testbench.md.
#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "rounded.h"
#include "run_report.h"

namespace chimney::tb {

namespace {

using Json = nlohmann::ordered_json;

Json optionsJson(const RunOptions& o) {
  return Json{{"seed", o.seed},
              {"ops", o.ops},
              {"connections", o.connections},
              {"queues", o.queues},
              {"im_layers", o.imLayers},
              {"ring_size", o.ringSize},
              {"csr_ready_percent", o.csrReadyPercent},
              {"work_ready_percent", o.workReadyPercent},
              {"irq_ready_percent", o.irqReadyPercent},
              {"dma_ready_percent", o.dmaReadyPercent},
              {"dma_latency_cycles", o.dmaLatencyCycles}};
}

Json postedJson(const RunReport& r) {
  std::set<std::string> kinds;
  for (const auto& [k, v] : r.posted) kinds.insert(k);
  for (const auto& [k, v] : r.completed) kinds.insert(k);
  Json posted = Json::object();
  for (const std::string& kind : kinds) posted[kind] = r.postedCount(kind);
  return posted;
}

Json countsJson(const OutcomeCounts& counts) {
  Json out = Json::object();
  for (const auto& [kind, byStatus] : counts) {
    Json k = Json::object();
    for (const auto& [status, n] : byStatus) k[status] = n;
    out[kind] = std::move(k);
  }
  return out;
}

Json histogramJson(const LatencyStats& s) {
  Json bins = Json::array();
  for (const LatencyStats::Bin& b : s.histogram())
    bins.push_back(Json::array({b.low, b.high, b.count}));
  return bins;
}

Json latencyJson(const RunReport& r) {
  Json out = Json::object();
  for (const auto& [kind, s] : r.latency) {
    out[kind] =
        Json{{"count", s.count()},      {"p50", s.percentile(50)}, {"p90", s.percentile(90)},
             {"p99", s.percentile(99)}, {"max", s.max()},          {"histogram", histogramJson(s)}};
  }
  return out;
}

Json countersJson(const std::map<std::string, uint64_t>& counters) {
  Json out = Json::object();
  for (const auto& [name, value] : counters) out[name] = value;
  return out;
}

Json seriesJson(const SampledSeries& s) {
  Json samples = Json::array();
  for (const auto& [cycle, value] : s.samples()) samples.push_back(Json::array({cycle, value}));
  return Json{{"spacing_cycles", s.spacing()}, {"peak", s.peak()}, {"samples", samples}};
}

Json windowsJson(const WindowedCounts& w) {
  return Json{{"window_cycles", w.window()}, {"counts", w.counts()}};
}

// The violations as objects, in time order (violation_report.h).
Json violationsSection(const RunReport& r) {
  return Json::parse(violationsJson(r.violations));
}

Json mismatchesJson(const RunReport& r) {
  return Json(r.mismatches);
}

}  // namespace

Json toJson(const RunReport& r) {
  const RunOptions& o = r.options;
  Json j;
  j["scenario"] = o.scenario;
  j["device"] = o.modelDevice ? "model" : "rtl";
  j["options"] = optionsJson(o);
  j["result"] = r.clean() ? "pass" : "fail";
  j["posted"] = postedJson(r);
  j["completed"] = countsJson(r.completed);
  j["events"] = countsJson(r.events);
  j["latency_cycles"] = latencyJson(r);
  j["interrupts"] = r.interruptsSeen;
  j["cq_occupancy"] = seriesJson(r.cqOccupancy);
  j["interrupt_windows"] = windowsJson(r.interruptWindows);
  j["hardware_counters"] = countersJson(r.hardwareCounters);
  j["coverage"] = countersJson(r.coverage);
  j["cycles"] = r.cycles;
  j["rtl_cycles"] = r.rtlCycles;
  j["clock_period_ps"] = r.clockPeriodPs;
  j["simulated_ns"] = std::llround(r.simulatedNs());
  j["wall_seconds"] = rounded(r.wallSeconds, 6);
  j["cycles_per_second"] = std::llround(r.cyclesPerSecond());
  j["violations"] = violationsSection(r);
  j["mismatches"] = mismatchesJson(r);
  j["faults"] = Json::array();
  for (const auto& [name, applied] : r.faultsApplied) {
    j["faults"].push_back(Json{{"name", name}, {"applied", applied}});
  }
  j["repeat"] = o.reproduceCommand();
  return j;
}

void writeJson(const RunReport& report, std::ostream& out) {
  out << toJson(report).dump(2) << "\n";
}

}  // namespace chimney::tb
