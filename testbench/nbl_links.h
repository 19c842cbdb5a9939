// NblLinks: ties each request NBL's run-unique id (nbl#N, from the
// scoreboard) to its hardware identity: the tag it was posted with, its
// queue pair, the SQ slot it was written to and the CQ slot its completion
// descriptor was read from. Reports, the transaction log and the waveform's
// tag filter all name an operation by these.
//
// Bounded: links of requests in flight, plus the last kRecent completed
// ones (a violation usually names one of those).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "pooled_allocator.h"

namespace chimney::tb {

struct NblLink {
  uint64_t tag = 0;
  int64_t queuePair = -1;
  int64_t sqIndex = -1;
  int64_t cqIndex = -1;  // -1: no descriptor read yet
};

class NblLinks {
 public:
  static constexpr std::size_t kRecent = 4096;

  void queued(uint64_t nblId, uint64_t tag, unsigned qp, uint32_t sqIndex) {
    if (nblId == 0) return;
    links_[nblId] = NblLink{tag, int64_t(qp), int64_t(sqIndex), -1};
    byTag_[tag] = nblId;
  }
  // A descriptor carrying `tag` was read at `cqIndex`; returns the NBL's id
  // (0: the tag names no request in flight).
  uint64_t descriptorRead(uint64_t tag, uint32_t cqIndex) {
    auto t = byTag_.find(tag);
    if (t == byTag_.end()) return 0;
    const uint64_t id = t->second;
    byTag_.erase(t);
    auto l = links_.find(id);
    if (l != links_.end()) l->second.cqIndex = int64_t(cqIndex);
    retire(id);
    return id;
  }
  const NblLink* find(uint64_t nblId) const {
    auto it = links_.find(nblId);
    return it == links_.end() ? nullptr : &it->second;
  }
  uint64_t idOfTag(uint64_t tag) const {
    auto it = byTag_.find(tag);
    return it == byTag_.end() ? 0 : it->second;
  }
  std::size_t size() const { return links_.size(); }

 private:
  // The kRecent latest retired ids, oldest at `recentNext_` once full: a
  // ring of fixed room (no block allocated and freed as it turns over).
  void retire(uint64_t id) {
    if (recent_.size() < kRecent) {
      recent_.push_back(id);
      return;
    }
    links_.erase(recent_[recentNext_]);
    recent_[recentNext_] = id;
    recentNext_ = recentNext_ + 1 == kRecent ? 0 : recentNext_ + 1;
  }

  PooledUnorderedMap<uint64_t, NblLink> links_;
  PooledUnorderedMap<uint64_t, uint64_t> byTag_;  // tags in flight -> nbl id
  std::vector<uint64_t> recent_;
  std::size_t recentNext_ = 0;
};

}  // namespace chimney::tb
