// RunObserver: the one StackObserver the co-simulation installs. It passes
// every observation on to the scoreboard unchanged and, on the way, counts
// what the host saw for the run report: operations posted and completed by
// kind and status, post-to-completion latency in cycles, indications by
// outcome, connection events and terminates.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "nbl_links.h"
#include "pass_on_observer.h"
#include "pooled_allocator.h"
#include "run_report.h"
#include "scoreboard.h"

namespace chimney::tb {

// "send", "receive", ... as used in the report: the op's name where it is one
// word, a short one otherwise ("indication", "offload", ...).
const char* kindName(OffloadOp op);
// NDIS status names without the NDIS_STATUS_ and OFFLOAD_DATA_ prefixes
// ("SUCCESS", "NOT_ACCEPTED", ...).
std::string statusName(NdisStatus status);

class RunObserver final : public PassOnObserver {
 public:
  using Clock = std::function<uint64_t()>;
  RunObserver(Scoreboard& scoreboard, RunReport& report, Clock clock);

  // Operations posted and not yet back at the host.
  uint64_t outstanding() const { return uint64_t(postedAt_.size()); }
  uint64_t completions() const { return completions_; }
  uint64_t indications() const { return indications_; }
  uint64_t events() const { return events_; }
  uint64_t terminatesCompleted() const { return terminates_; }
  // Hardware connection the target bound a connection to (0xFFFF: none yet).
  uint16_t hardwareConnection(ConnectionId c) const {
    auto it = hwConns_.find(c.value);
    return it == hwConns_.end() ? uint16_t(0xFFFF) : it->second;
  }

  void onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) override;
  void onHostCompletion(OffloadOp op, NetBufferList* list) override;
  void onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) override;
  void onHostEvent(ConnectionId c, OffloadEvent e) override;
  void onHostTerminateComplete(ConnectionId c, NdisStatus s) override;
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override {
    hwConns_[c.value] = hw;
    sb_.onHardwareConnectionBound(c, hw, qp);
  }
  void onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned qp,
                       uint32_t sqIndex) override;
  void onDescriptorRead(unsigned qp, uint32_t cqIndex, const prm::Completion& c) override;
  const NblLinks& links() const { return links_; }
  // Names tags queued from cycle `from` to `to` ("nbl#12 send conn 3"), for
  // the waveform's tag filter.
  void nameTags(uint64_t from, uint64_t to) {
    tagsFrom_ = from;
    tagsTo_ = to;
    namingTags_ = true;
  }
  const std::map<uint64_t, std::string>& tagNames() const { return tagNames_; }

 private:
  Scoreboard& sb_;
  RunReport& report_;
  Clock clock_;
  PooledUnorderedMap<const NetBufferList*, uint64_t> postedAt_;  // NBL -> post cycle
  // The report's counters and latency entries of each operation kind (and
  // status), found once: per-operation work without string-keyed lookups.
  static constexpr std::size_t kOps = std::size_t(OffloadOp::kTerminateOffload) + 1;
  uint64_t& postedCount(OffloadOp op);
  uint64_t& completedCount(OffloadOp op, NdisStatus status);
  LatencyStats& latencyOf(OffloadOp op);
  struct CompletedCount {
    OffloadOp op;
    NdisStatus status;
    uint64_t* count;
  };
  std::array<uint64_t*, kOps> posted_{};
  std::array<LatencyStats*, kOps> latency_{};
  std::vector<CompletedCount> completed_;
  uint64_t completions_ = 0;
  uint64_t indications_ = 0;
  uint64_t events_ = 0;
  uint64_t terminates_ = 0;
  std::unordered_map<uint32_t, uint16_t> hwConns_;
  NblLinks links_;
  bool namingTags_ = false;
  uint64_t tagsFrom_ = 0, tagsTo_ = 0;
  std::map<uint64_t, std::string> tagNames_;
};

}  // namespace chimney::tb
