// ViolationLog: protocol-check failures found by the bus agents (the AXI DMA
// slave, the AXI4-Lite master, the stream agents). Agents record instead of
// aborting so a run keeps its context; the owner asserts the log is empty at
// the end (a test fixture, the co-simulation's closing checks). Every entry
// is counted; the first `keep` are kept as text, so a long run with a
// broken rule does not grow without bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace chimney {

class ViolationLog {
 public:
  explicit ViolationLog(size_t keep = std::numeric_limits<size_t>::max()) : keep_(keep) {}

  void add(uint64_t cycle, const std::string& what) {
    ++count_;
    if (entries_.size() < keep_) entries_.push_back("cycle " + std::to_string(cycle) + ": " + what);
  }
  bool empty() const { return count_ == 0; }
  // Every entry added, kept or not.
  size_t size() const { return count_; }
  const std::vector<std::string>& entries() const { return entries_; }
  void clear() {
    entries_.clear();
    count_ = 0;
  }
  // The first `max` entries, one a line.
  std::string summary(size_t max = 20) const {
    std::string s;
    for (size_t i = 0; i < entries_.size() && i < max; ++i) s += entries_[i] + "\n";
    if (count_ > max) s += "... " + std::to_string(count_ - max) + " more\n";
    return s;
  }

 private:
  size_t keep_;
  size_t count_ = 0;
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
    if (waiting_) held_ = payload;  // compared only while waiting
  }
  void clear() { waiting_ = false; }

 private:
  std::string name_;
  bool waiting_ = false;
  Payload held_{};
};

}  // namespace chimney
