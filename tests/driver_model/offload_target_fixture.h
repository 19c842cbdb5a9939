// Test fixture for the offload target against FakeDevice: records every
// upward NDIS call the target makes, lets a test play the engine (fetch the
// SQ, write completions, interrupt), and builds NBLs.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "nbl_checks.h"
#include "ndis.h"
#include "ndis_offload.h"
#include "ndis_types.h"
#include "offload_blocks.h"
#include "offload_target.h"
#include "offload_target_fake_device.h"

namespace chimney::testing {

struct UpCall {
  OffloadOp op;
  std::vector<NetBufferList*> nbls;  // completions: the list, in order
};

struct IndicationCall {
  NdisOffloadHandle handle;
  uint32_t length;
};

struct EventCall {
  NdisOffloadHandle handle;
  OffloadEvent event;
};

class RecordingObserver : public StackObserver {
 public:
  void onHardwareConnectionBound(ConnectionId id, uint16_t hw, unsigned qp) override {
    bound.push_back({id, hw, qp});
  }
  void onHardwareConnectionReleased(uint16_t hw) override { released.push_back(hw); }
  struct Bound {
    ConnectionId id;
    uint16_t hw;
    unsigned qp;
  };
  std::vector<Bound> bound;
  std::vector<uint16_t> released;
};

class OffloadTargetTest : public ::testing::Test {
 protected:
  static OffloadTargetConfig defaultConfig() {
    OffloadTargetConfig c;
    c.hw.sqLog2Entries = 4;
    c.hw.cqLog2Entries = 4;
    c.hw.cmdPollLimit = 100;
    c.dpcBudget = 64;
    return c;
  }

  // The default configuration with SQs of 2^sqLog2 entries.
  static OffloadTargetConfig withSqLog2(unsigned sqLog2) {
    OffloadTargetConfig c = defaultConfig();
    c.hw.sqLog2Entries = sqLog2;
    return c;
  }

  void start(const OffloadTargetConfig& config = defaultConfig(), unsigned numQp = 2) {
    dev = std::make_unique<FakeDevice>(numQp);
    target = std::make_unique<OffloadTarget>(*dev, config);
    target->setObserver(&observer);
    NdisOffloadHandlers h;
    const auto rec = [this](OffloadOp op) {
      return [this, op](NdisMiniportHandle mh, NetBufferList* list) {
        EXPECT_EQ(mh, kMiniport);
        EXPECT_FALSE(inInitiatingCall) << "completion inside an initiating call";
        calls.push_back({op, nblListToVector(list)});
        if (onCompletion) onCompletion(calls.back());
      };
    };
    h.NdisTcpOffloadSendComplete = rec(OffloadOp::kSend);
    h.NdisTcpOffloadReceiveComplete = rec(OffloadOp::kReceive);
    h.NdisTcpOffloadDisconnectComplete = rec(OffloadOp::kDisconnect);
    h.NdisTcpOffloadForwardComplete = rec(OffloadOp::kForward);
    h.NdisMInitiateOffloadComplete = [this](NdisMiniportHandle, OffloadBlock* b) {
      initiated.push_back(b);
    };
    h.NdisMTerminateOffloadComplete = [this](NdisMiniportHandle, OffloadBlock* b) {
      terminated.push_back(b);
      terminatedAfterCalls.push_back(calls.size());
    };
    h.NdisTcpOffloadReceiveHandler = [this](NdisOffloadHandle hd, NetBufferList* nbl, NdisStatus in,
                                            uint32_t* consumed) {
      EXPECT_EQ(in, NdisStatus::kSuccess);
      indications.push_back({hd, nbl->firstNetBuffer->dataLength});
      indicationCallsBefore.push_back(calls.size());
      if (onIndicate) return onIndicate(nbl, consumed);
      *consumed = nbl->firstNetBuffer->dataLength;
      return NdisStatus::kSuccess;
    };
    h.NdisTcpOffloadEventHandler = [this](NdisOffloadHandle hd, OffloadEvent e, uint32_t) {
      events.push_back({hd, e});
      eventCallsBefore.push_back(calls.size());
    };
    ASSERT_EQ(target->attachNdis(kMiniport, h), NdisStatus::kSuccess);
  }

  // Offloads a connection; returns its offload handle (handle value = id).
  NdisOffloadHandle offload(uint32_t id) { return blocks.offload(*target, id); }
  uint16_t hwConn(NdisOffloadHandle h) { return *target->hardwareConnection(h); }
  unsigned qpOf(NdisOffloadHandle h) { return target->queuePairOf(hwConn(h)); }
  // Starts the target (by default: default configuration; two queue pairs)
  // and offloads connection 1; returns its handle and queue pair.
  struct Offloaded {
    NdisOffloadHandle h;
    unsigned q;
  };
  Offloaded startWithOneConnection(const OffloadTargetConfig& config = defaultConfig()) {
    start(config);
    const NdisOffloadHandle h = offload(1);
    return {h, qpOf(h)};
  }
  // Asks the target to terminate h's offload through a block the fixture
  // keeps until the end of the test (the target completes it later).
  OffloadBlock& terminate(NdisOffloadHandle h, ConnectionId connection = {}) {
    OffloadBlock& b = terminateBlocks.emplace_back();
    b.handle = h;
    b.connection = connection;
    target->MiniportTerminateOffload(&b);
    return b;
  }

  NetBufferList* nbl(uint32_t length, uint64_t address = 0x1000) {
    return pool.allocate(length, address);
  }

  // The request call `op` names, marked as an initiating call (no
  // completion may come up inside it).
  NdisStatus request(OffloadOp op, NdisOffloadHandle h, NetBufferList* n, uint32_t flags = 0) {
    inInitiatingCall = true;
    const NdisStatus s = miniportTcpRequest(*target, op, h, n, flags);
    inInitiatingCall = false;
    return s;
  }
  NdisStatus send(NdisOffloadHandle h, NetBufferList* n) { return request(OffloadOp::kSend, h, n); }
  NdisStatus recv(NdisOffloadHandle h, NetBufferList* n) {
    return request(OffloadOp::kReceive, h, n);
  }
  NdisStatus disconnect(NdisOffloadHandle h, NetBufferList* n, uint32_t flags) {
    return request(OffloadOp::kDisconnect, h, n, flags);
  }
  NdisStatus forward(NdisOffloadHandle h, NetBufferList* n) {
    return request(OffloadOp::kForward, h, n);
  }

  // Engine side.
  std::vector<prm::Request> fetch(unsigned q) { return dev->takeFetched(q); }
  void completeReq(unsigned q, const prm::Request& r, prm::CplStatus st, uint32_t bytes) {
    prm::Completion c;
    c.tag = r.tag;
    c.conn = r.conn;
    c.type = prm::CplType(r.opcode);
    c.status = st;
    c.bytes = bytes;
    ASSERT_TRUE(dev->complete(q, c));
  }
  void engineEvent(unsigned q, uint16_t conn, prm::CplType type, uint32_t bytes = 0) {
    prm::Completion c;
    c.conn = conn;
    c.type = type;
    c.bytes = bytes;
    ASSERT_TRUE(dev->complete(q, c));
  }
  void irq(unsigned q) { ASSERT_TRUE(dev->interrupt(q)); }
  // Completes every request fetched from q's SQ, in fetch order, with one
  // (status, bytes) each, then interrupts q.
  struct Outcome {
    prm::CplStatus status;
    uint32_t bytes;
  };
  void completeFetched(unsigned q, const std::vector<Outcome>& outcomes) {
    const std::vector<prm::Request> reqs = fetch(q);
    ASSERT_EQ(reqs.size(), outcomes.size());
    for (std::size_t i = 0; i < reqs.size(); ++i) {
      completeReq(q, reqs[i], outcomes[i].status, outcomes[i].bytes);
    }
    irq(q);
  }
  // Sends one NBL of `length` bytes on h and writes its completion (`status`,
  // `bytes`) in the CQ, without an interrupt; returns the NBL.
  NetBufferList* sendAndComplete(NdisOffloadHandle h, uint32_t length, prm::CplStatus status,
                                 uint32_t bytes) {
    NetBufferList* n = nbl(length);
    send(h, n);
    const unsigned q = qpOf(h);
    completeReq(q, fetch(q)[0], status, bytes);
    return n;
  }
  // The engine indicates `bytes` of new data on h's connection, then
  // interrupts its queue pair.
  void indicate(NdisOffloadHandle h, uint32_t bytes) {
    const unsigned q = qpOf(h);
    engineEvent(q, hwConn(h), prm::CplType::kRxIndicate, bytes);
    irq(q);
  }
  // The host answers every indication from now on with `consumed` bytes and
  // `status`.
  void answerIndications(uint32_t consumed, NdisStatus status) {
    onIndicate = [consumed, status](NetBufferList*, uint32_t* c) {
      *c = consumed;
      return status;
    };
  }

  // Index in the device's register write log of the first write to `off`
  // at or after `from` (log size when none).
  std::size_t logIndexOf(uint32_t off, std::size_t from = 0) const {
    for (std::size_t i = from; i < dev->log.size(); ++i) {
      if (dev->log[i].first == off) return i;
    }
    return dev->log.size();
  }

  static constexpr NdisMiniportHandle kMiniport{7};
  std::deque<OffloadBlock> terminateBlocks;  // outlive the target
  std::unique_ptr<FakeDevice> dev;
  std::unique_ptr<OffloadTarget> target;
  RecordingObserver observer;
  NetBufferListPool pool;
  OffloadBlocks blocks;
  std::vector<UpCall> calls;
  std::vector<OffloadBlock*> initiated, terminated;
  std::vector<std::size_t> terminatedAfterCalls, indicationCallsBefore, eventCallsBefore;
  std::vector<IndicationCall> indications;
  std::vector<EventCall> events;
  std::function<NdisStatus(NetBufferList*, uint32_t*)> onIndicate;
  std::function<void(const UpCall&)> onCompletion;
  bool inInitiatingCall = false;
};

}  // namespace chimney::testing
