// The exact outcome a scenario predicts from its parameters, checked against
// what the run produced. A kind given per-status counts is strict: a status
// the scenario did not name is a mismatch too.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "run_report.h"

namespace chimney::tb {

class Expectations {
 public:
  // Exactly n operations of `kind` posted by the host.
  void posted(const std::string& kind, uint64_t n) { posted_[kind] = n; }
  // Exactly n completions of `kind` with `status` (adds to an earlier call).
  void completed(const std::string& kind, const std::string& status, uint64_t n) {
    completed_[kind][status] += n;
  }
  // Exactly n completions of `kind`, statuses limited to `allowed`, used where
  // the split between statuses depends on timing (a reset racing a send).
  void completedAnyOf(const std::string& kind, uint64_t n, std::set<std::string> allowed) {
    totals_[kind] = {n, std::move(allowed)};
  }
  // At least n completions of `kind` with `status`.
  void completedAtLeast(const std::string& kind, const std::string& status, uint64_t n) {
    completedMin_[{kind, status}] = n;
  }
  // Exactly n indications / connection events with `outcome`.
  void event(const std::string& kind, const std::string& outcome, uint64_t n) {
    events_[kind][outcome] += n;
  }
  // At least / at most bounds on an event count (e.g. interrupts).
  void eventAtLeast(const std::string& kind, const std::string& outcome, uint64_t n) {
    eventMin_[{kind, outcome}] = n;
  }
  // A hardware counter (CNT_*) read at the end must equal n.
  void hardware(const std::string& counter, uint64_t n) { hardware_[counter] = n; }
  void interruptsAtMost(uint64_t n) { irqMax_ = n; }
  void interruptsAtLeast(uint64_t n) { irqMin_ = n; }

  // Appends one line per mismatch to `out`; returns how many.
  std::size_t check(const RunReport& report, std::vector<std::string>& out) const;

 private:
  std::map<std::string, uint64_t> posted_;
  std::map<std::string, std::map<std::string, uint64_t>> completed_;
  std::map<std::string, std::pair<uint64_t, std::set<std::string>>> totals_;
  std::map<std::string, std::map<std::string, uint64_t>> events_;
  std::map<std::pair<std::string, std::string>, uint64_t> eventMin_;
  std::map<std::pair<std::string, std::string>, uint64_t> completedMin_;
  std::map<std::string, uint64_t> hardware_;
  uint64_t irqMax_ = UINT64_MAX;
  uint64_t irqMin_ = 0;
};

}  // namespace chimney::tb
