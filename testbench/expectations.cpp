#include "expectations.h"

namespace chimney::tb {

namespace {

// `a` + `mid` + `b`, appended into one string.
std::string joined(const std::string& a, const char* mid, const std::string& b) {
  std::string s = a;
  s += mid;
  s += b;
  return s;
}

std::string expectedGot(const std::string& what, uint64_t expected, uint64_t got) {
  return what + ": expected " + std::to_string(expected) + ", got " + std::to_string(got);
}

std::string atLeast(const std::string& what, uint64_t expected, uint64_t got) {
  return what + ": expected at least " + std::to_string(expected) + ", got " + std::to_string(got);
}

// Each status `kind` completed with (a non-zero count) that `listed` (a map
// or set keyed by status) does not name: "expected 0".
template <typename Listed>
void reportUnlisted(const RunReport& r, const std::string& kind, const Listed& listed,
                    std::vector<std::string>& out) {
  auto k = r.completed.find(kind);
  if (k == r.completed.end()) return;
  for (const auto& [status, got] : k->second) {
    if (listed.count(status) == 0 && got != 0) {
      out.push_back(expectedGot(joined(kind, " completed ", status), 0, got));
    }
  }
}

}  // namespace

std::size_t Expectations::check(const RunReport& r, std::vector<std::string>& out) const {
  const std::size_t before = out.size();
  for (const auto& [kind, n] : posted_) {
    if (r.postedCount(kind) != n)
      out.push_back(expectedGot(kind + " posted", n, r.postedCount(kind)));
  }
  for (const auto& [kind, byStatus] : completed_) {
    for (const auto& [status, n] : byStatus) {
      const uint64_t got = r.completedCount(kind, status);
      if (got != n) out.push_back(expectedGot(joined(kind, " completed ", status), n, got));
    }
    reportUnlisted(r, kind, byStatus, out);
  }
  for (const auto& [kind, spec] : totals_) {
    const auto& [n, allowed] = spec;
    if (r.completedTotal(kind) != n) {
      out.push_back(expectedGot(kind + " completed (any status)", n, r.completedTotal(kind)));
    }
    reportUnlisted(r, kind, allowed, out);
  }
  for (const auto& [kind, byOutcome] : events_) {
    for (const auto& [outcome, n] : byOutcome) {
      const uint64_t got = r.eventCount(kind, outcome);
      if (got != n) out.push_back(expectedGot(joined(kind, " ", outcome), n, got));
    }
  }
  for (const auto& [key, n] : eventMin_) {
    const uint64_t got = r.eventCount(key.first, key.second);
    if (got < n) out.push_back(atLeast(joined(key.first, " ", key.second), n, got));
  }
  for (const auto& [key, n] : completedMin_) {
    const uint64_t got = r.completedCount(key.first, key.second);
    if (got < n) out.push_back(atLeast(joined(key.first, " completed ", key.second), n, got));
  }
  for (const auto& [name, n] : hardware_) {
    auto h = r.hardwareCounters.find(name);
    if (h == r.hardwareCounters.end()) {
      out.push_back(name + ": expected " + std::to_string(n) + ", not read");
    } else if (h->second != n) {
      out.push_back(expectedGot(name, n, h->second));
    }
  }
  if (r.interruptsSeen > irqMax_) {
    out.push_back("interrupts: expected at most " + std::to_string(irqMax_) + ", got " +
                  std::to_string(r.interruptsSeen));
  }
  if (r.interruptsSeen < irqMin_) out.push_back(atLeast("interrupts", irqMin_, r.interruptsSeen));
  return out.size() - before;
}

}  // namespace chimney::tb
