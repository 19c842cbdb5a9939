#include "run_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <set>
#include <sstream>

namespace chimney::tb {

// ---- LatencyStats --------------------------------------------------------

namespace {
constexpr unsigned kExactBits = 12;            // values below 4096: one bucket each
constexpr unsigned kSubBits = kExactBits - 1;  // 2048 buckets per power of two above
constexpr uint64_t kExactLimit = uint64_t{1} << kExactBits;
constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBits;

unsigned msb(uint64_t v) {
  unsigned m = 0;
  while (v >>= 1) ++m;
  return m;
}
}  // namespace

std::size_t LatencyStats::bucketOf(uint64_t cycles) {
  if (cycles < kExactLimit) return std::size_t(cycles);
  const unsigned m = msb(cycles);  // kExactBits..63
  const unsigned shift = m - kSubBits;
  const uint64_t sub = (cycles >> shift) - kSubBuckets;
  return std::size_t(kExactLimit + (m - kExactBits) * kSubBuckets + sub);
}

uint64_t LatencyStats::bucketLast(std::size_t bucket) {
  if (bucket < kExactLimit) return bucket;
  const uint64_t above = bucket - kExactLimit;
  const unsigned shift = unsigned(above / kSubBuckets) + 1;  // octave kExactBits + k: shift k + 1
  const uint64_t sub = above % kSubBuckets;
  const uint64_t first = (kSubBuckets + sub) << shift;
  return first + ((uint64_t{1} << shift) - 1);
}

void LatencyStats::add(uint64_t cycles) {
  const std::size_t b = bucketOf(cycles);
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  ++counts_[b];
  ++count_;
  max_ = std::max(max_, cycles);
  sum_ += double(cycles);
}

uint64_t LatencyStats::percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // Nearest rank: ceil(p/100 * n), at least 1.
  uint64_t rank = uint64_t(std::ceil(p / 100.0 * double(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) return std::min(bucketLast(b), max_);
  }
  return max_;
}

LatencyStats::Bin LatencyStats::binOf(uint64_t cycles) {
  Bin bin;
  if (cycles < 16) {
    bin.low = bin.high = cycles;
    return bin;
  }
  const unsigned width = msb(cycles) - 2;  // four bins per power of two
  bin.low = (cycles >> width) << width;
  bin.high = bin.low + ((uint64_t{1} << width) - 1);
  return bin;
}

std::vector<LatencyStats::Bin> LatencyStats::histogram() const {
  // Every bucket lies inside one bin: buckets are exact below 4096 and,
  // above, 2048 per power of two, finer than the bins.
  std::vector<Bin> bins;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    if (counts_[b] == 0) continue;
    const Bin bin = binOf(bucketLast(b));
    if (bins.empty() || bins.back().low != bin.low) bins.push_back(bin);
    bins.back().count += counts_[b];
  }
  return bins;
}

// ---- SampledSeries, WindowedCounts ---------------------------------------

void SampledSeries::sample(uint64_t cycle, uint64_t value) {
  peak_ = std::max(peak_, value);
  pending_ = hasPending_ ? std::max(pending_, value) : value;
  hasPending_ = true;
  if (!samples_.empty() && cycle < samples_.back().first + spacing_) return;
  samples_.emplace_back(cycle, pending_);
  hasPending_ = false;
  if (samples_.size() <= kMax) return;
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (std::size_t i = 0; i < samples_.size(); i += 2) {
    uint64_t v = samples_[i].second;
    if (i + 1 < samples_.size()) v = std::max(v, samples_[i + 1].second);
    merged.emplace_back(samples_[i].first, v);
  }
  samples_ = std::move(merged);
  spacing_ *= 2;
}

void WindowedCounts::add(uint64_t cycle, uint64_t n) {
  while (cycle / window_ >= kMax) {
    std::vector<uint64_t> merged((counts_.size() + 1) / 2, 0);
    for (std::size_t i = 0; i < counts_.size(); ++i) merged[i / 2] += counts_[i];
    counts_ = std::move(merged);
    window_ *= 2;
  }
  const std::size_t at = std::size_t(cycle / window_);
  if (at >= counts_.size()) counts_.resize(at + 1, 0);
  counts_[at] += n;
}

uint64_t WindowedCounts::total() const {
  uint64_t t = 0;
  for (uint64_t c : counts_) t += c;
  return t;
}

// ---- RunReport -----------------------------------------------------------

namespace {

uint64_t lookup(const OutcomeCounts& counts, const std::string& kind, const std::string& what) {
  auto k = counts.find(kind);
  if (k == counts.end()) return 0;
  auto s = k->second.find(what);
  return s == k->second.end() ? 0 : s->second;
}

}  // namespace

uint64_t RunReport::completedCount(const std::string& kind, const std::string& status) const {
  return lookup(completed, kind, status);
}

uint64_t RunReport::completedTotal(const std::string& kind) const {
  auto k = completed.find(kind);
  if (k == completed.end()) return 0;
  uint64_t total = 0;
  for (const auto& [status, n] : k->second) total += n;
  return total;
}

uint64_t RunReport::postedCount(const std::string& kind) const {
  return lookup(posted, kind, "posted");
}

uint64_t RunReport::eventCount(const std::string& kind, const std::string& outcome) const {
  return lookup(events, kind, outcome);
}

// ---- Summary -------------------------------------------------------------

namespace {

std::string plural(uint64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string nsText(uint64_t cycles, uint32_t periodPs) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(0) << double(cycles) * periodPs / 1000.0;
  return s.str();
}

// `v` with `digits` decimals in the largest of three units a thousand apart
// (units[2] from 1e6 on, units[1] from 1e3 on, else units[0]).
std::string scaled(double v, int digits, const std::array<const char*, 3>& units) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits);
  if (v >= 1e6) {
    s << v / 1e6 << units[2];
  } else if (v >= 1e3) {
    s << v / 1e3 << units[1];
  } else {
    s << v << units[0];
  }
  return s.str();
}

std::string humanRate(double perSecond) {
  return scaled(perSecond, 1, {" ", " k", " M"});
}

std::string humanTime(double ns) {
  return scaled(ns, 2, {" ns", " us", " ms"});
}

std::string humanSeconds(double s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(s < 1 ? 1 : 2);
  if (s < 1) {
    out << s * 1e3 << " ms";
  } else {
    out << s << " s";
  }
  return out.str();
}

std::set<std::string> kindsOf(const RunReport& r) {
  std::set<std::string> kinds;
  for (const auto& [k, v] : r.posted) kinds.insert(k);
  for (const auto& [k, v] : r.completed) kinds.insert(k);
  return kinds;
}

// The --inject faults and how often each took effect. A fault the run never
// reached leaves its checks with nothing to say; one that took effect in a
// clean run escaped every check. Both are said in so many words.
void printFaultsApplied(const RunReport& r, std::ostream& out) {
  if (r.faultsApplied.empty()) return;
  out << "faults injected: " << r.faultsApplied.size() << "\n";
  for (const auto& [name, applied] : r.faultsApplied) {
    out << "  " << name << ": ";
    if (applied == 0) {
      out << "never applied (the run did not reach it, so nothing here checks it)\n";
    } else if (r.clean()) {
      out << "applied " << plural(applied, "time") << ", and no check caught it\n";
    } else {
      out << "applied " << plural(applied, "time") << "\n";
    }
  }
}

}  // namespace

std::vector<std::string> faultsNeverApplied(const RunReport& r) {
  std::vector<std::string> names;
  for (const auto& [name, applied] : r.faultsApplied) {
    if (applied == 0) names.push_back(name);
  }
  return names;
}

void printSummary(const RunReport& r, std::ostream& out) {
  const RunOptions& o = r.options;
  const ScenarioInfo* info = findScenario(o.scenario);
  out << "chimney-cosim: scenario " << o.scenario;
  if (info != nullptr) out << " - " << info->description;
  out << "\n  engine " << (o.modelDevice ? "behavioural model (--device model)" : "RTL")
      << ", seed " << o.seed << ", " << plural(o.ops, "op") << ", "
      << plural(o.connections, "connection") << ", " << plural(o.queues, "queue pair") << ", "
      << plural(o.imLayers + unsigned(o.imDrivers.size()), "IM layer") << ", rings of "
      << o.ringSize << " entries";
  if (o.csrReadyPercent != 100) {
    out << ", register responses taken in " << o.csrReadyPercent << " % of cycles";
  }
  if (o.workReadyPercent != 100) {
    out << ", work words taken in " << o.workReadyPercent << " % of cycles";
  }
  if (o.irqReadyPercent != 100) {
    out << ", interrupt messages taken in " << o.irqReadyPercent << " % of cycles";
  }
  if (o.dmaReadyPercent != 100) {
    out << ", DMA handshakes offered in " << o.dmaReadyPercent << " % of cycles";
  }
  if (o.dmaLatencyCycles != 1) out << ", DMA answered after " << o.dmaLatencyCycles << " cycles";
  out << "\n\n";

  out << "operations (posted by the host, completed back to it)\n";
  out << "  " << std::left << std::setw(12) << "kind" << std::right << std::setw(8) << "posted"
      << std::setw(11) << "completed"
      << "  by status\n";
  for (const std::string& kind : kindsOf(r)) {
    out << "  " << std::left << std::setw(12) << kind << std::right << std::setw(8)
        << r.postedCount(kind) << std::setw(11) << r.completedTotal(kind) << " ";
    auto k = r.completed.find(kind);
    if (k != r.completed.end()) {
      for (const auto& [status, n] : k->second) out << " " << status << " " << n;
    }
    out << "\n";
  }
  if (!r.events.empty()) {
    out << "\nindications and connection events\n";
    for (const auto& [kind, outcomes] : r.events) {
      out << "  " << std::left << std::setw(12) << kind << std::right;
      for (const auto& [what, n] : outcomes) out << "  " << what << " " << n;
      out << "\n";
    }
  }

  out << "\nlatency, post to completion at the host (p50 / p90 / p99 / max)\n";
  bool any = false;
  for (const auto& [kind, stats] : r.latency) {
    if (stats.count() == 0) continue;
    any = true;
    out << "  " << std::left << std::setw(12) << kind << std::right << std::setw(7) << stats.count()
        << " ops  ";
    out << stats.percentile(50) << " / " << stats.percentile(90) << " / " << stats.percentile(99)
        << " / " << stats.max() << " cycles = ";
    out << nsText(stats.percentile(50), r.clockPeriodPs) << " / "
        << nsText(stats.percentile(90), r.clockPeriodPs) << " / "
        << nsText(stats.percentile(99), r.clockPeriodPs) << " / "
        << nsText(stats.max(), r.clockPeriodPs) << " ns\n";
  }
  if (!any) out << "  (no completions)\n";

  out << "\ninterrupts handled by the driver: " << r.interruptsSeen << "\n";
  if (!r.hardwareCounters.empty()) {
    out << "engine counters:";
    for (const auto& [name, value] : r.hardwareCounters) out << " " << name << "=" << value;
    out << "\n";
  }
  if (!r.coverage.empty()) {
    size_t hit = 0;
    std::string unhit;
    for (const auto& [name, value] : r.coverage) {
      if (value != 0) {
        ++hit;
      } else {
        unhit += (unhit.empty() ? "" : " ") + name;
      }
    }
    out << "functional coverage: " << hit << " of " << r.coverage.size() << " bins hit";
    if (!unhit.empty()) out << "; not hit: " << unhit;
    out << "\n";
  }
  const char* engine = r.options.modelDevice ? "model" : "RTL";
  out << "time: " << r.cycles << " cycles = " << humanTime(r.simulatedNs()) << " simulated ("
      << engine << " evaluated " << r.rtlCycles << " of them; idle time is skipped)\n"
      << "      " << humanSeconds(r.wallSeconds) << " wall = " << humanRate(r.cyclesPerSecond())
      << engine << " cycles/s\n";
  out << std::defaultfloat;

  printFaultsApplied(r, out);
  out << "invariant violations: " << r.violations.size() << "\n";
  printViolations(r.violations, out);
  out << "expectation mismatches: " << r.mismatches.size() << "\n";
  printDeduplicated(r.mismatches, out);
  if (r.clean()) {
    out << "result: PASS\n";
  } else {
    out << "result: FAIL\nrepeat with: " << o.reproduceCommand() << "\n";
  }
}

}  // namespace chimney::tb
