// PassOnObserver: a StackObserver that passes every observation on to the
// next observer unchanged. An observer that adds to some observations
// (counting them, recording them) derives from it and overrides those only,
// so no observation is lost on the way to the scoreboard.
#pragma once

#include <string>

#include "stack_observer.h"

namespace chimney::tb {

class PassOnObserver : public StackObserver {
 public:
  explicit PassOnObserver(StackObserver& next) : next_(next) {}

  void onDriverRegistered(DriverId d, DriverKind k, const std::string& n) override {
    next_.onDriverRegistered(d, k, n);
  }
  void onMiniportRegistered(NdisMiniportHandle m, DriverId d) override {
    next_.onMiniportRegistered(m, d);
  }
  void onBindingOpened(NdisBindingHandle b, ProtocolBindingContext c, DriverId d,
                       NdisMiniportHandle m) override {
    next_.onBindingOpened(b, c, d, m);
  }
  void onOffloadHandleAllocated(NdisOffloadHandle h, NdisBindingHandle b, ConnectionId c) override {
    next_.onOffloadHandleAllocated(h, b, c);
  }
  void onDownCallBegin(const EdgeCall& c) override { next_.onDownCallBegin(c); }
  void onDownCallEnd(const EdgeCall& c, NdisStatus s) override { next_.onDownCallEnd(c, s); }
  void onUpCallBegin(const EdgeCall& c) override { next_.onUpCallBegin(c); }
  void onUpCallEnd(const EdgeCall& c, NdisStatus s, uint32_t n) override {
    next_.onUpCallEnd(c, s, n);
  }
  void onRoutingError(const EdgeCall& c, const std::string& w) override {
    next_.onRoutingError(c, w);
  }
  void onHostConnectionOpened(ConnectionId c, NdisOffloadHandle h) override {
    next_.onHostConnectionOpened(c, h);
  }
  void onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) override {
    next_.onHostPost(c, op, list, flags);
  }
  void onHostPostReturned(ConnectionId c, OffloadOp op, NdisStatus s) override {
    next_.onHostPostReturned(c, op, s);
  }
  void onHostCompletion(OffloadOp op, NetBufferList* list) override {
    next_.onHostCompletion(op, list);
  }
  void onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) override {
    next_.onHostIndication(c, nbl, s, n);
  }
  void onHostEvent(ConnectionId c, OffloadEvent e) override { next_.onHostEvent(c, e); }
  void onHostReceiveReturn(ConnectionId c, NetBufferList* nbl, NdisStatus s) override {
    next_.onHostReceiveReturn(c, nbl, s);
  }
  void onHostTerminateRequested(ConnectionId c) override { next_.onHostTerminateRequested(c); }
  void onHostTerminateComplete(ConnectionId c, NdisStatus s) override {
    next_.onHostTerminateComplete(c, s);
  }
  void onCallEntryAllocated(DriverId d, uint64_t e, NetBufferList* nbl, OffloadOp op) override {
    next_.onCallEntryAllocated(d, e, nbl, op);
  }
  void onCallEntryFreed(DriverId d, uint64_t e) override { next_.onCallEntryFreed(d, e); }
  void onDriverViolation(int i, DriverId d, OffloadOp op, NetBufferList* nbl,
                         const std::string& what) override {
    next_.onDriverViolation(i, d, op, nbl, what);
  }
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override {
    next_.onHardwareConnectionBound(c, hw, qp);
  }
  void onHardwareConnectionReleased(uint16_t hw) override {
    next_.onHardwareConnectionReleased(hw);
  }
  void onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned qp,
                       uint32_t sqIndex) override {
    next_.onRequestQueued(nbl, op, tag, qp, sqIndex);
  }
  void onDescriptorRead(unsigned qp, uint32_t cqIndex, const prm::Completion& c) override {
    next_.onDescriptorRead(qp, cqIndex, c);
  }
  void onPeerData(uint16_t hw, uint32_t bytes) override { next_.onPeerData(hw, bytes); }
  void onPeerFin(uint16_t hw) override { next_.onPeerFin(hw); }
  void onPeerRst(uint16_t hw) override { next_.onPeerRst(hw); }

 private:
  StackObserver& next_;
};

}  // namespace chimney::tb
