// RunObserver: the one StackObserver the co-simulation installs. It passes
// every observation on to the scoreboard unchanged and, on the way, counts
// what the host saw for the run report: operations posted and completed by
// kind and status, post-to-completion latency in cycles, indications by
// outcome, connection events and terminates.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "nbl_links.h"
#include "run_report.h"
#include "scoreboard.h"
#include "stack_observer.h"

namespace chimney::tb {

// "send", "receive", ... as used in the report.
const char* kindName(OffloadOp op);
// NDIS status names without the NDIS_STATUS_ prefix ("SUCCESS", ...).
std::string statusName(NdisStatus status);

class RunObserver final : public StackObserver {
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

  void onDriverRegistered(DriverId d, DriverKind k, const std::string& n) override {
    sb_.onDriverRegistered(d, k, n);
  }
  void onMiniportRegistered(NdisMiniportHandle m, DriverId d) override {
    sb_.onMiniportRegistered(m, d);
  }
  void onBindingOpened(NdisBindingHandle b, ProtocolBindingContext c, DriverId d,
                       NdisMiniportHandle m) override {
    sb_.onBindingOpened(b, c, d, m);
  }
  void onOffloadHandleAllocated(NdisOffloadHandle h, NdisBindingHandle b, ConnectionId c) override {
    sb_.onOffloadHandleAllocated(h, b, c);
  }
  void onDownCallBegin(const EdgeCall& c) override { sb_.onDownCallBegin(c); }
  void onDownCallEnd(const EdgeCall& c, NdisStatus s) override { sb_.onDownCallEnd(c, s); }
  void onUpCallBegin(const EdgeCall& c) override { sb_.onUpCallBegin(c); }
  void onUpCallEnd(const EdgeCall& c, NdisStatus s, uint32_t n) override {
    sb_.onUpCallEnd(c, s, n);
  }
  void onRoutingError(const EdgeCall& c, const std::string& w) override {
    sb_.onRoutingError(c, w);
  }
  void onHostConnectionOpened(ConnectionId c, NdisOffloadHandle h) override {
    sb_.onHostConnectionOpened(c, h);
  }
  void onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) override;
  void onHostPostReturned(ConnectionId c, OffloadOp op, NdisStatus s) override {
    sb_.onHostPostReturned(c, op, s);
  }
  void onHostCompletion(OffloadOp op, NetBufferList* list) override;
  void onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) override;
  void onHostEvent(ConnectionId c, OffloadEvent e) override;
  void onHostReceiveReturn(ConnectionId c, NetBufferList* nbl, NdisStatus s) override {
    sb_.onHostReceiveReturn(c, nbl, s);
  }
  void onHostTerminateRequested(ConnectionId c) override { sb_.onHostTerminateRequested(c); }
  void onHostTerminateComplete(ConnectionId c, NdisStatus s) override;
  void onCallEntryAllocated(DriverId d, uint64_t e, NetBufferList* nbl, OffloadOp op) override {
    sb_.onCallEntryAllocated(d, e, nbl, op);
  }
  void onCallEntryFreed(DriverId d, uint64_t e) override { sb_.onCallEntryFreed(d, e); }
  void onDriverViolation(int i, DriverId d, OffloadOp op, NetBufferList* nbl,
                         const std::string& what) override {
    sb_.onDriverViolation(i, d, op, nbl, what);
  }
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override {
    hwConns_[c.value] = hw;
    sb_.onHardwareConnectionBound(c, hw, qp);
  }
  void onHardwareConnectionReleased(uint16_t hw) override { sb_.onHardwareConnectionReleased(hw); }
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
  void onPeerData(uint16_t hw, uint32_t bytes) override { sb_.onPeerData(hw, bytes); }
  void onPeerFin(uint16_t hw) override { sb_.onPeerFin(hw); }
  void onPeerRst(uint16_t hw) override { sb_.onPeerRst(hw); }

 private:
  Scoreboard& sb_;
  RunReport& report_;
  Clock clock_;
  std::unordered_map<const NetBufferList*, uint64_t> postedAt_;  // NBL -> post cycle
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
