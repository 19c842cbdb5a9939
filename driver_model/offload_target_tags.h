// TagTable: the 64-bit tags the offload target puts into request
// descriptors and gets back in completions. A tag is (generation << 32) |
// slot; the slot indexes a table entry holding the driver's record of the
// request, and the generation (never 0, bumped on every reuse of the slot)
// makes a stale or forged tag detectable instead of aliasing a newer request.
// Tag 0 never names a request (the engine's own events carry tag 0).
//
// No pointer is ever put on the wire: a tag from the device is only an index
// that is checked before use.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace chimney {

template <class Record>
class TagTable {
 public:
  // Stores `record` and returns its tag.
  uint64_t insert(Record record) {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = uint32_t(entries_.size());
      entries_.emplace_back();
    }
    Entry& e = entries_[slot];
    e.record = std::move(record);
    e.used = true;
    ++live_;
    return (uint64_t{e.generation} << 32) | slot;
  }

  // The record of a live tag, or nullptr for an unknown or stale tag.
  Record* find(uint64_t tag) {
    const uint32_t slot = uint32_t(tag);
    const uint32_t gen = uint32_t(tag >> 32);
    if (slot >= entries_.size()) return nullptr;
    Entry& e = entries_[slot];
    if (!e.used || e.generation != gen) return nullptr;
    return &e.record;
  }

  // Removes a live tag and returns its record (nullopt if unknown or stale).
  std::optional<Record> take(uint64_t tag) {
    Record* r = find(tag);
    if (r == nullptr) return std::nullopt;
    const uint32_t slot = uint32_t(tag);
    Entry& e = entries_[slot];
    std::optional<Record> out(std::move(e.record));
    e.record = Record{};
    e.used = false;
    e.generation = e.generation == UINT32_MAX ? 1 : e.generation + 1;
    free_.push_back(slot);
    --live_;
    return out;
  }

  std::size_t live() const { return live_; }

  // Calls f(tag, record) for every live tag, in slot order.
  template <class F>
  void forEach(F&& f) const {
    for (uint32_t slot = 0; slot < entries_.size(); ++slot) {
      const Entry& e = entries_[slot];
      if (e.used) f((uint64_t{e.generation} << 32) | slot, e.record);
    }
  }

 private:
  struct Entry {
    Record record{};
    uint32_t generation = 1;
    bool used = false;
  };
  std::vector<Entry> entries_;
  std::vector<uint32_t> free_;
  std::size_t live_ = 0;
};

}  // namespace chimney
