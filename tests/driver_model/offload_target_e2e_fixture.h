// End-to-end fixture: the offload target on the behavioural device, with the
// peer model on the work/event streams, and a recording host in place of
// NDIS. Checks what the target alone is responsible for: every posted NBL
// back exactly once through its own kind, per-connection order of sends and
// receives, bytes transferred equal to the data-start advance, receive bytes
// adding up to what the peer sent, rings consumed at the end.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "behavioural_device.h"
#include "nbl_checks.h"
#include "ndis.h"
#include "ndis_offload.h"
#include "ndis_types.h"
#include "offload_blocks.h"
#include "offload_target.h"
#include "peer_model.h"

namespace chimney::testing {

class OffloadTargetEndToEnd : public ::testing::Test {
 protected:
  enum class IndicatePolicy { kAccept, kHalf, kRefuse };

  struct Posted {
    OffloadOp op;
    NdisOffloadHandle handle;
    uint32_t length;
    uint64_t seq;
    bool done = false;
  };

  struct Done {
    NetBufferList* nbl;
    OffloadOp kind;
    NdisStatus status;
    uint32_t bytes;
  };

  static OffloadTargetConfig defaultConfig() {
    OffloadTargetConfig c;
    c.hw.sqLog2Entries = 5;
    c.hw.cqLog2Entries = 6;
    c.hw.queuePairs = 2;
    c.dpcBudget = 16;
    return c;
  }
  // The default configuration with interrupt moderation IRQ_MOD_COUNT
  // `count`, IRQ_MOD_TIMER `timer`.
  static OffloadTargetConfig withModeration(uint16_t count, uint32_t timer) {
    OffloadTargetConfig c = defaultConfig();
    c.hw.irqModCount = count;
    c.hw.irqModTimer = timer;
    return c;
  }
  static BehaviouralDevice::Config defaultDevice() {
    BehaviouralDevice::Config d;
    d.numConn = 64;
    d.numQp = 2;
    d.cmdBusyReads = 2;
    return d;
  }
  static PeerModel::Config defaultPeer() {
    PeerModel::Config p;
    p.seed = 7;
    p.segmentBytes = 1000;
    p.rttCycles = 40;
    return p;
  }

  void start(const OffloadTargetConfig& config = defaultConfig(),
             const BehaviouralDevice::Config& device = defaultDevice(),
             const PeerModel::Config& peerConfig = defaultPeer()) {
    dev = std::make_unique<BehaviouralDevice>(device);
    peer = std::make_unique<PeerModel>(peerConfig);
    target = std::make_unique<OffloadTarget>(*dev, config);
    NdisOffloadHandlers h;
    const auto rec = [this](OffloadOp kind) {
      return [this, kind](NdisMiniportHandle, NetBufferList* list) {
        EXPECT_FALSE(inCall) << "completion inside an initiating call";
        ++completionCalls;
        for (NetBufferList* n : nblListToVector(list)) onDone(n, kind);
      };
    };
    h.NdisTcpOffloadSendComplete = rec(OffloadOp::kSend);
    h.NdisTcpOffloadReceiveComplete = rec(OffloadOp::kReceive);
    h.NdisTcpOffloadDisconnectComplete = rec(OffloadOp::kDisconnect);
    h.NdisTcpOffloadForwardComplete = rec(OffloadOp::kForward);
    h.NdisMInitiateOffloadComplete = [](NdisMiniportHandle, OffloadBlock*) {};
    h.NdisMTerminateOffloadComplete = [this](NdisMiniportHandle, OffloadBlock* b) {
      terminatedHandles.insert(b->handle);
    };
    h.NdisTcpOffloadReceiveHandler = [this](NdisOffloadHandle hd, NetBufferList* nbl, NdisStatus,
                                            uint32_t* consumed) {
      EXPECT_FALSE(terminatedHandles.count(hd)) << "indication after terminate";
      const uint32_t len = nbl->firstNetBuffer->dataLength;
      NdisStatus st = NdisStatus::kSuccess;
      switch (policy) {
        case IndicatePolicy::kAccept:
          *consumed = len;
          toReturn.push_back(nbl);
          break;
        case IndicatePolicy::kHalf:
          *consumed = len / 2;
          st = *consumed == 0 ? NdisStatus::kOffloadDataNotAccepted
                              : NdisStatus::kOffloadDataPartiallyAccepted;
          break;
        case IndicatePolicy::kRefuse:
          *consumed = 0;
          st = NdisStatus::kOffloadDataNotAccepted;
          break;
      }
      indicatedBytes[hd.value] += *consumed;
      ++indications;
      return st;
    };
    h.NdisTcpOffloadEventHandler = [this](NdisOffloadHandle hd, OffloadEvent e, uint32_t) {
      EXPECT_FALSE(terminatedHandles.count(hd)) << "event after terminate";
      events.push_back({hd, e});
    };
    ASSERT_EQ(target->attachNdis(NdisMiniportHandle{1}, h), NdisStatus::kSuccess);
  }

  void onDone(NetBufferList* n, OffloadOp kind) {
    auto it = posted.find(n);
    ASSERT_NE(it, posted.end()) << "completion of an NBL never posted";
    Posted& p = it->second;
    EXPECT_FALSE(p.done) << "NBL completed twice";
    EXPECT_EQ(kind, p.op) << "NBL completed through another kind";
    EXPECT_FALSE(terminatedHandles.count(p.handle)) << "completion after terminate";
    p.done = true;
    const uint32_t bytes = n->tcpOffloadBytesTransferred;
    EXPECT_LE(bytes, p.length);
    EXPECT_EQ(n->firstNetBuffer->dataOffset, bytes);
    EXPECT_EQ(n->firstNetBuffer->dataLength, p.length - bytes);
    // Per connection and kind, completions in posting order.
    uint64_t& last = lastSeq[{p.handle.value, int(p.op)}];
    EXPECT_GT(p.seq + 1, last) << "out of posting order";
    last = p.seq + 1;
    if (p.op == OffloadOp::kReceive) receivedBytes[p.handle.value] += bytes;
    done.push_back({n, kind, n->status, bytes});
  }

  NdisOffloadHandle offload(uint32_t id) { return blocks.offload(*target, id); }
  // Starts (by default with the default configuration) and offloads
  // connection 1; returns its handle.
  NdisOffloadHandle startWithOneConnection(const OffloadTargetConfig& config = defaultConfig()) {
    start(config);
    return offload(1);
  }
  // The peer sends `bytes` on h's connection; the system settles.
  void peerSendsAndSettle(NdisOffloadHandle h, uint32_t bytes) {
    peer->peerSend(hw(h), bytes);
    settle();
  }
  uint16_t hw(NdisOffloadHandle h) { return *target->hardwareConnection(h); }

  NetBufferList* post(OffloadOp op, NdisOffloadHandle h, uint32_t length, uint32_t flags = 0,
                      bool noPush = false) {
    NetBufferList* n = pool.allocate(length, 0x4000'0000);
    n->tcpReceiveNoPush = noPush;
    posted[n] = Posted{op, h, length, seq++};
    inCall = true;
    const NdisStatus st = miniportTcpRequest(*target, op, h, n, flags);
    inCall = false;
    EXPECT_EQ(st, NdisStatus::kPending);
    return n;
  }

  void terminate(NdisOffloadHandle h) { blocks.terminate(*target, h); }

  // One cycle of the world: device, streams both ways, the driver's timer,
  // the host returning indicated NBLs.
  void cycle() {
    dev->step();
    while (auto w = dev->popWork()) peer->onWork(dev->cycle(), *w);
    while (auto e = peer->nextEvent(dev->cycle())) dev->pushEvent(*e);
    target->MiniportTimer();
    for (NetBufferList* n : toReturn) {
      EXPECT_EQ(target->MiniportTcpOffloadReceiveReturn(n), NdisStatus::kSuccess);
    }
    toReturn.clear();
  }
  void run(uint64_t cycles) {
    for (uint64_t i = 0; i < cycles; ++i) cycle();
  }
  // Runs until nothing moves anywhere for a while (or maxCycles).
  void settle(uint64_t maxCycles = 200000) {
    unsigned quiet = 0;
    for (uint64_t i = 0; i < maxCycles && quiet < 300; ++i) {
      const std::size_t before = done.size() + indications + events.size();
      cycle();
      const bool still = dev->idle() && peer->idle() && !target->hasDeferredWork() &&
                         done.size() + indications + events.size() == before;
      quiet = still ? quiet + 1 : 0;
    }
  }

  std::size_t outstanding() const {
    std::size_t n = 0;
    for (const auto& [nbl, p] : posted) n += !p.done;
    return n;
  }
  // Passes when nothing posted is outstanding and every completion came back
  // SUCCESS; a failure names the first that did not.
  ::testing::AssertionResult allSucceeded() const {
    if (outstanding() != 0) {
      return ::testing::AssertionFailure() << outstanding() << " requests outstanding";
    }
    for (std::size_t i = 0; i < done.size(); ++i) {
      if (done[i].status != NdisStatus::kSuccess) {
        return ::testing::AssertionFailure()
               << "completion " << i << " came back " << toString(done[i].status);
      }
    }
    return ::testing::AssertionSuccess();
  }

  std::vector<Done> doneOf(OffloadOp kind, NdisOffloadHandle h) const {
    std::vector<Done> out;
    for (const auto& d : done) {
      if (d.kind == kind && posted.at(d.nbl).handle == h) out.push_back(d);
    }
    return out;
  }
  // Invariant 16, the driver's half: every descriptor consumed, every
  // doorbell value the hardware holds is the driver's.
  void expectRingsConsistent() {
    for (const RingSnapshot& s : target->ringSnapshots()) {
      EXPECT_EQ(s.driverSqTail, s.hwSqTail) << "qp " << s.qp;
      EXPECT_EQ(s.hwSqHead, s.hwSqTail) << "qp " << s.qp;
      EXPECT_EQ(s.driverCqHead, s.hwCqTail) << "qp " << s.qp;
      EXPECT_EQ(s.hwCqHead, s.hwCqTail) << "qp " << s.qp;
    }
  }
  void expectNoBadInput() {
    const TargetCounters& c = target->counters();
    EXPECT_EQ(c.unknownTag, 0u);
    EXPECT_EQ(c.unknownType, 0u);
    EXPECT_EQ(c.unknownStatus, 0u);
    EXPECT_EQ(c.typeMismatch, 0u);
    EXPECT_EQ(c.connMismatch, 0u);
    EXPECT_EQ(c.wrongQueue, 0u);
    EXPECT_EQ(c.bytesOverrun, 0u);
    EXPECT_EQ(c.phaseMismatch, 0u);
    EXPECT_EQ(c.rxConsumedErrors, 0u);
    EXPECT_EQ(c.lostByHardware, 0u);
    EXPECT_EQ(c.unexpectedTerminateDone, 0u);
    EXPECT_EQ(target->hwCounters().cmdTimeouts, 0u);
    EXPECT_EQ(target->hwCounters().sqHeadOutOfRange, 0u);
    EXPECT_EQ(dev->errStatus() & (prm::err::kDoorbell | prm::err::kCmd), 0u);
  }

  std::unique_ptr<BehaviouralDevice> dev;
  std::unique_ptr<PeerModel> peer;
  std::unique_ptr<OffloadTarget> target;
  NetBufferListPool pool;
  OffloadBlocks blocks;
  std::map<NetBufferList*, Posted> posted;
  std::map<std::pair<uint32_t, int>, uint64_t> lastSeq;
  std::map<uint32_t, uint64_t> receivedBytes, indicatedBytes;
  std::vector<Done> done;
  std::vector<std::pair<NdisOffloadHandle, OffloadEvent>> events;
  std::set<NdisOffloadHandle> terminatedHandles;
  std::vector<NetBufferList*> toReturn;
  IndicatePolicy policy = IndicatePolicy::kAccept;
  std::size_t indications = 0, completionCalls = 0;
  uint64_t seq = 0;
  bool inCall = false;
};

}  // namespace chimney::testing
