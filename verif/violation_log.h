// ViolationLog: protocol-check failures found by the harness agents. Agents
// record instead of aborting so a run keeps its context; a test fixture
// asserts the log is empty at the end, so any entry fails the test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chimney::rtltest {

class ViolationLog {
 public:
  void add(uint64_t cycle, const std::string& what) {
    entries_.push_back("cycle " + std::to_string(cycle) + ": " + what);
  }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const std::vector<std::string>& entries() const { return entries_; }
  void clear() { entries_.clear(); }
  // The first `max` entries, one a line.
  std::string summary(size_t max = 20) const {
    std::string s;
    for (size_t i = 0; i < entries_.size() && i < max; ++i) s += entries_[i] + "\n";
    if (entries_.size() > max) s += "... " + std::to_string(entries_.size() - max) + " more\n";
    return s;
  }

 private:
  std::vector<std::string> entries_;
};

// Checks the source side of one valid/ready stream: once valid is high and
// ready low, the next cycle must still have valid high and the same payload.
// observe() is called once per cycle with the settled values before the edge.
template <typename Payload>
class StableChecker {
 public:
  explicit StableChecker(std::string name) : name_(std::move(name)) {}
  void observe(uint64_t cycle, bool valid, bool ready, const Payload& payload, ViolationLog& log) {
    if (waiting_) {
      if (!valid)
        log.add(cycle, name_ + ": valid dropped before ready");
      else if (!(payload == held_))
        log.add(cycle, name_ + ": payload changed while valid and not ready");
    }
    waiting_ = valid && !ready;
    held_ = payload;
  }
  void clear() { waiting_ = false; }

 private:
  std::string name_;
  bool waiting_ = false;
  Payload held_{};
};

}  // namespace chimney::rtltest
