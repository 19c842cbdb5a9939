// What a regression found: one record per point, the data merged over all
// points (latency histograms, functional coverage, the runs with the fullest
// completion queues), and the summary JSON that holds both. A shard writes
// the same summary as a whole run; merge() joins shards.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_pool.h"
#include "plan.h"

namespace chimney::regress {

using Json = nlohmann::json;

struct PointResult {
  Point point;
  // "pass"; "fail" (a check failed: exit 1); "error" (chimney-cosim refused
  // the options: exit 2); "crash" (killed by a signal, or no report);
  // "timeout" (killed after the per-point limit).
  std::string status = "pass";
  int exitCode = -1;
  int signal = 0;
  double seconds = 0;
  long maxRssKb = 0;
  std::string message;                // one line: why it failed
  std::vector<std::string> findings;  // the report's first violations and mismatches
  uint64_t cycles = 0;
  uint64_t interrupts = 0;
  uint64_t peakCq = 0;  // largest CQ occupancy sampled
  bool passed() const { return status == "pass"; }
};

// One run's time series, kept for the plots of the runs that filled their
// completion queues the most.
struct RunSeries {
  std::size_t index = 0;
  std::string label;  // scenario, device
  Json cq;            // the report's "cq_occupancy"
  Json interrupts;    // the report's "interrupt_windows"
  uint64_t peak = 0;
};

// Data merged over points; adding points in any order, or merging partial
// aggregates, gives the same result.
struct Aggregate {
  // op -> bin low -> {low, high, count}
  std::map<std::string, std::map<uint64_t, std::array<uint64_t, 3>>> latency;
  std::map<std::string, uint64_t> coverage;  // functional coverage bin -> hits
  bool hasCoverage = false;
  std::vector<RunSeries> series;  // the kSeries fullest CQs, fullest first
  static constexpr std::size_t kSeries = 6;

  void addReport(const PointResult& r, const Json& report);
  void merge(const Aggregate& other);
  Json toJson() const;
  static Aggregate fromJson(const Json& j);
  void keepSeries(RunSeries s);
};

// Judges one finished run from its exit and its JSON report (null when it
// wrote none).
PointResult judge(const Point& point, const ChildOutcome& outcome, const Json& report,
                  const std::string& logTail);

struct ShardId {
  std::size_t index = 0;
  std::size_t count = 1;
};

struct Regression {
  std::string planId;
  Json planSpec;  // the spec, as given
  std::size_t planPoints = 0;
  std::vector<ShardId> shards;      // the shards this result holds
  std::vector<PointResult> points;  // by index
  Aggregate aggregate;
  double wallSeconds = 0;           // sum over shards
  std::string codeCoverage;         // merged code coverage file ("" none)
  std::string codeCoverageSummary;  // "N of M lines hit (P %)"

  std::size_t failed() const;
  // Shards of the plan not in this result (empty when complete).
  std::vector<std::size_t> missingShards() const;
  Json toJson() const;
  static Regression fromJson(const Json& j);
};

Json pointJson(const PointResult& p);
PointResult pointFromJson(const Json& j);

// Joins results of the same plan. Throws std::runtime_error when they are of
// different plans or hold the same point twice.
Regression merge(const std::vector<Regression>& parts);

// Functional coverage bins of a report: every number under its "coverage"
// (or "functional_coverage") object, named by path ("engine.ring_wrap.qp0").
std::map<std::string, uint64_t> coverageBins(const Json& report);

}  // namespace chimney::regress
