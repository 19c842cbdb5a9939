// Offload target: bring-up failure, halt, connection id exhaustion and
// reuse order, refused commands and doorbells. Played against FakeDevice.
#include <gtest/gtest.h>

#include "offload_target_fixture.h"

namespace chimney {
namespace {

using testing::FakeDevice;
using testing::OffloadTargetTest;

TEST(OffloadTargetBringUp, AttachFailsOnAForeignDeviceAndTouchesNothingMore) {
  FakeDevice dev;
  dev.id = 0x0BAD0BAD;
  OffloadTarget target(dev);
  dev.log.clear();

  EXPECT_EQ(target.attachNdis(NdisMiniportHandle{1}, NdisOffloadHandlers{}),
            NdisStatus::kResources);

  EXPECT_EQ(target.hardwareInitResult(), HwInitResult::kBadId);
  EXPECT_TRUE(dev.log.empty());  // no register written
  NetBufferListPool pool;
  EXPECT_EQ(target.MiniportTcpOffloadSend(NdisOffloadHandle{1}, pool.allocate(10)),
            NdisStatus::kResources);
}

TEST_F(OffloadTargetTest, HaltDisablesTheEngineAndStopsTakingInterrupts) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  send(h, nbl(10));
  completeReq(qpOf(h), fetch(qpOf(h))[0], prm::CplStatus::kSuccess, 10);

  target->halt();
  dev->raw(qpOf(h));

  EXPECT_EQ(dev->ctrl, 0u);
  EXPECT_FALSE(dev->qp(0).enabled);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(target->counters().interrupts, 0u);
}

TEST_F(OffloadTargetTest, SurpriseRemovalStopsEveryRegisterAccessIncludingHalt) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  send(h, nbl(10));
  const uint64_t reads = dev->reads, writes = dev->writes;

  target->surpriseRemoval();
  target->halt();
  target.reset();

  EXPECT_EQ(dev->reads, reads);
  EXPECT_EQ(dev->writes, writes);
}

TEST_F(OffloadTargetTest, SurpriseRemovalAbortsEveryHeldRequestInPostingOrder) {
  OffloadTargetConfig config = defaultConfig();
  config.hw.sqLog2Entries = 1;  // 2 SQ entries: the third request waits inside the target
  start(config);
  const NdisOffloadHandle h = offload(1);
  NetBufferList* s1 = nbl(10);
  NetBufferList* s2 = nbl(20);
  NetBufferList* r = nbl(30);
  NetBufferList* d = nbl(0);
  send(h, nblListFromVector({s1, s2}));
  recv(h, r);
  disconnect(h, d, kTcpDisconnectGraceful);
  ASSERT_GT(target->waitingForSq(), 0u);
  const uint64_t reads = dev->reads, writes = dev->writes;

  target->surpriseRemoval();

  EXPECT_EQ(dev->reads, reads);
  EXPECT_EQ(dev->writes, writes);
  ASSERT_EQ(calls.size(), 3u);  // sends, then the receive, then the disconnect
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  EXPECT_EQ(calls[0].nbls, (std::vector<NetBufferList*>{s1, s2}));
  EXPECT_EQ(calls[1].op, OffloadOp::kReceive);
  EXPECT_EQ(calls[2].op, OffloadOp::kDisconnect);
  for (NetBufferList* n : {s1, s2, r, d}) {
    EXPECT_EQ(n->status, NdisStatus::kRequestAborted);
    EXPECT_EQ(n->tcpOffloadBytesTransferred, 0u);
  }
  EXPECT_EQ(target->outstandingRequests(), 0u);
  EXPECT_EQ(target->waitingForSq(), 0u);
  EXPECT_EQ(target->counters().surpriseRemovals, 1u);
  EXPECT_EQ(target->counters().abortedByRemoval, 4u);
  EXPECT_TRUE(target->ringSnapshots().empty());  // no device to read
  EXPECT_EQ(dev->reads, reads);
}

TEST_F(OffloadTargetTest, AfterSurpriseRemovalPostsPendAndTerminatesCompleteFromTheTimer) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  target->surpriseRemoval();
  const uint64_t reads = dev->reads, writes = dev->writes;
  NetBufferList* s = nbl(100);
  NetBufferList* d = nbl(0);

  inInitiatingCall = true;
  EXPECT_EQ(send(h, s), NdisStatus::kPending);
  EXPECT_EQ(disconnect(h, d, kTcpDisconnectGraceful), NdisStatus::kPending);
  inInitiatingCall = false;
  blocks.terminate(*target, h);
  EXPECT_TRUE(calls.empty());
  EXPECT_TRUE(terminated.empty());
  EXPECT_TRUE(target->hasDeferredWork());

  target->MiniportTimer();

  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  EXPECT_EQ(calls[1].op, OffloadOp::kDisconnect);
  EXPECT_EQ(s->status, NdisStatus::kRequestAborted);
  EXPECT_EQ(d->status, NdisStatus::kRequestAborted);
  ASSERT_EQ(terminated.size(), 1u);
  EXPECT_EQ(terminated[0]->status, NdisStatus::kSuccess);
  EXPECT_EQ(terminatedAfterCalls[0], 2u);  // after the connection's completions
  EXPECT_EQ(target->liveConnections(), 0u);
  EXPECT_FALSE(target->hasDeferredWork());
  EXPECT_EQ(target->counters().lostByHardware, 0u);
  EXPECT_EQ(dev->reads, reads);
  EXPECT_EQ(dev->writes, writes);
}

// Each kind of work a removed device leaves for the timer, alone, keeps
// hasDeferredWork() true (the simulation loop runs the timer only then).
TEST_F(OffloadTargetTest, AfterSurpriseRemovalARequestAloneIsDeferredWork) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  target->surpriseRemoval();
  inInitiatingCall = true;
  EXPECT_EQ(send(h, nbl(100)), NdisStatus::kPending);
  inInitiatingCall = false;
  EXPECT_TRUE(target->hasDeferredWork());
  target->MiniportTimer();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_FALSE(target->hasDeferredWork());
}

TEST_F(OffloadTargetTest, AfterSurpriseRemovalATerminateAloneIsDeferredWork) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  target->surpriseRemoval();
  blocks.terminate(*target, h);
  EXPECT_TRUE(terminated.empty());
  EXPECT_TRUE(target->hasDeferredWork());
  target->MiniportTimer();
  EXPECT_EQ(terminated.size(), 1u);
  EXPECT_FALSE(target->hasDeferredWork());
}

TEST_F(OffloadTargetTest, SurpriseRemovalCompletesATerminateWaitingForTheEngine) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  send(h, nbl(10));
  dev->busyReadsPerCmd = 1000000;  // the TERMINATE command never finishes
  blocks.terminate(*target, h);
  ASSERT_TRUE(terminated.empty());

  target->surpriseRemoval();

  ASSERT_EQ(terminated.size(), 1u);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  EXPECT_EQ(calls[0].nbls[0]->status, NdisStatus::kRequestAborted);
  EXPECT_EQ(target->liveConnections(), 0u);
}

TEST_F(OffloadTargetTest, InitiateOffloadFailsWithResourcesWhenEveryIdIsTaken) {
  start(defaultConfig(), 2);  // FakeDevice: 64 connections
  for (uint32_t id = 1; id <= 64; ++id) offload(id);
  OffloadBlock b;
  b.handle = NdisOffloadHandle{100};
  b.connection = ConnectionId{100};

  target->MiniportInitiateOffload(&b);

  EXPECT_EQ(b.status, NdisStatus::kResources);
  EXPECT_EQ(target->liveConnections(), 64u);
}

TEST_F(OffloadTargetTest, ReleasedIdIsReusedOnlyAfterEveryOtherFreeId) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  const uint16_t first = hwConn(h);
  terminate(h);
  engineEvent(qpOf(h), first, prm::CplType::kTerminateDone);
  irq(qpOf(h));
  ASSERT_EQ(terminated.size(), 1u);

  const NdisOffloadHandle next = offload(2);

  EXPECT_NE(hwConn(next), first);
}

// While a TERMINATE waits for the engine to fetch the connection's SQ
// entries, the target polls SQ_HEAD and reaps the CQs once per
// kBusyServiceInterval polls (fetching can wait for CQ space): not before the
// interval's last poll, and not at every poll.
TEST_F(OffloadTargetTest, ATerminateWaitingForFetchesReapsOncePerIntervalOfSqHeadPolls) {
  const auto [h, q] = startWithOneConnection();
  sendAndComplete(h, 100, prm::CplStatus::kSuccess, 100);  // its completion waits in the CQ
  send(h, nbl(200));                                       // an entry the engine never fetches
  const uint32_t sqHead = prm::reg::kQpBase + q * prm::reg::kQpStride + prm::reg::kSqHead;
  std::vector<uint64_t> reapsAtPoll;
  dev->onRead = [&](uint32_t off) {
    if (off == sqHead) reapsAtPoll.push_back(target->counters().reaps);
  };
  terminate(h);
  dev->onRead = nullptr;

  constexpr unsigned kInterval = OffloadHardware::kBusyServiceInterval;
  ASSERT_GE(reapsAtPoll.size(), 2 * kInterval);
  for (unsigned k = 0; k < 2 * kInterval; ++k)
    EXPECT_EQ(reapsAtPoll[k], k < kInterval ? 0u : 1u) << "SQ_HEAD poll " << k;
  EXPECT_EQ(target->counters().reaps, 1u);
  EXPECT_TRUE(terminated.empty()) << "the entry was never fetched";
  EXPECT_TRUE(calls.empty()) << "nothing is completed inside the terminate call";
}

// A DPC's own deferred work can take a descriptor off the CQ: a terminate
// still waiting for fetches polls SQ_HEAD and reaps the CQs. A descriptor
// the engine writes during those polls goes into the backlog, its slot is
// handed back and no interrupt will come for it, so the same DPC delivers
// it before it ends.
TEST_F(OffloadTargetTest, ADescriptorReapedByTheDpcsDeferredWorkIsDeliveredByThatDpc) {
  start(defaultConfig(), 1);
  const NdisOffloadHandle fetchedConn = offload(1);
  const NdisOffloadHandle waitingConn = offload(2);
  NetBufferList* sent = nbl(300);
  send(fetchedConn, sent);
  const std::vector<prm::Request> taken = fetch(0);  // the engine fetches it
  ASSERT_EQ(taken.size(), 1u);
  send(waitingConn, nbl(200));  // an entry the engine never fetches
  terminate(waitingConn);       // waits for that fetch
  ASSERT_TRUE(terminated.empty());
  ASSERT_TRUE(calls.empty());

  // The send's completion is written while the DPC polls SQ_HEAD for the
  // waiting terminate (after the DPC read the CQ for this interrupt).
  const uint32_t sqHead = prm::reg::kQpBase + prm::reg::kSqHead;
  bool written = false;
  dev->onRead = [&](uint32_t off) {
    if (off != sqHead || written) return;
    written = true;
    completeReq(0, taken[0], prm::CplStatus::kSuccess, 300);
  };
  const uint64_t reapsBefore = target->counters().reaps;
  irq(0);
  dev->onRead = nullptr;

  ASSERT_TRUE(written);
  EXPECT_EQ(target->counters().reaps, reapsBefore + 1) << "the terminate's polls reaped it";
  ASSERT_EQ(calls.size(), 1u) << "delivered before the DPC ended";
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  EXPECT_EQ(calls[0].nbls, std::vector<NetBufferList*>{sent});
  EXPECT_TRUE(terminated.empty()) << "the other entry is still not fetched";
}

// A connection that never wrote an SQ entry has nothing for the engine to
// fetch: its TERMINATE goes out at once, even while another connection's
// unfetched entries straddle the 16-bit wrap of the SQ pointers (where a
// pointer of 0 lies inside the unfetched window).
TEST_F(OffloadTargetTest, AConnectionWithoutSqEntriesIsTerminatedAtOnceAcrossTheSqPointerWrap) {
  start(defaultConfig(), 1);
  const NdisOffloadHandle a = offload(1);
  const unsigned q = qpOf(a);
  // SQ_HEAD and SQ_TAIL to 65534, two entries before the wrap.
  constexpr unsigned kBatch = 14;
  for (unsigned b = 0; b < 65534 / kBatch; ++b) {
    for (unsigned i = 0; i < kBatch; ++i) send(a, nbl(8));
    const std::vector<prm::Request> reqs = fetch(q);
    ASSERT_EQ(reqs.size(), kBatch);
    for (const prm::Request& r : reqs) completeReq(q, r, prm::CplStatus::kSuccess, 8);
    irq(q);
    ASSERT_EQ(calls.size(), 1u);
    calls.clear();
  }
  for (unsigned i = 0; i < 4; ++i) send(a, nbl(8));  // SQ_TAIL 2 after the wrap, unfetched

  const NdisOffloadHandle b = offload(2);
  ASSERT_EQ(qpOf(b), q);
  const uint16_t conn = hwConn(b);
  terminate(b);

  ASSERT_FALSE(dev->cmds.empty());
  EXPECT_EQ(dev->cmds.back().op, prm::ConnOp::kTerminate);
  EXPECT_EQ(dev->cmds.back().conn, conn);
}

TEST_F(OffloadTargetTest, RefusedTerminateCommandFinishesTheTerminateAtOnce) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* s = nbl(10);
  send(h, s);
  fetch(qpOf(h));
  dev->onCommand = [](const FakeDevice::Cmd& c) {
    return c.op == prm::ConnOp::kTerminate ? prm::CmdResult::kBadState : prm::CmdResult::kOk;
  };
  terminate(h);

  ASSERT_EQ(terminated.size(), 1u);
  EXPECT_EQ(target->counters().terminateCmdErrors, 1u);
  // What the engine never answered is uploaded by the driver before the
  // terminate completes.
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls[0], s);
  EXPECT_EQ(s->status, NdisStatus::kUploadInProgress);
  EXPECT_EQ(target->counters().lostByHardware, 1u);
  EXPECT_EQ(target->outstandingRequests(), 0u);
}

// Several requests the engine never answered are uploaded as one chain, in
// posting order: each is a failure (UPLOAD_IN_PROGRESS), none is a partial
// send, so nothing cuts the chain.
TEST_F(OffloadTargetTest, RequestsUploadedAtTerminateComeBackAsOneChainInPostingOrder) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  std::vector<NetBufferList*> sends;
  for (uint32_t i = 1; i <= 3; ++i) {
    sends.push_back(nbl(10 * i));
    send(h, sends.back());
  }
  ASSERT_EQ(fetch(qpOf(h)).size(), 3u);
  dev->onCommand = [](const FakeDevice::Cmd& c) {
    return c.op == prm::ConnOp::kTerminate ? prm::CmdResult::kBadState : prm::CmdResult::kOk;
  };
  terminate(h);

  ASSERT_EQ(terminated.size(), 1u);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  EXPECT_EQ(calls[0].nbls, sends);
  for (NetBufferList* s : sends) EXPECT_EQ(s->status, NdisStatus::kUploadInProgress);
  EXPECT_EQ(target->counters().lostByHardware, 3u);
}

TEST_F(OffloadTargetTest, RefusedDoorbellIsCountedAndRetriedWithTheNextPost) {
  const auto [h, q] = startWithOneConnection();
  dev->failWrites.insert(prm::reg::qp(q, prm::reg::kSqTail));
  send(h, nbl(10));
  EXPECT_EQ(target->counters().doorbellErrors, 1u);
  EXPECT_TRUE(fetch(q).empty());

  dev->failWrites.clear();
  send(h, nbl(20));

  const auto reqs = fetch(q);
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].length, 10u);
  EXPECT_EQ(reqs[1].length, 20u);
}

TEST_F(OffloadTargetTest, RxConsumedThatNeverFinishesIsCountedAndTheDpcGoesOn) {
  const auto [h, q] = startWithOneConnection();
  dev->busyReadsPerCmd = 1000;  // beyond the poll limit
  engineEvent(q, hwConn(h), prm::CplType::kRxIndicate, 100);
  send(h, nbl(10));
  completeReq(q, fetch(q)[0], prm::CplStatus::kSuccess, 10);

  irq(q);

  EXPECT_EQ(target->hwCounters().cmdTimeouts, 1u);
  EXPECT_EQ(target->counters().rxConsumedErrors, 1u);
  EXPECT_EQ(calls.size(), 1u);  // the send after it still came back
  EXPECT_TRUE(dev->qp(q).armed);
}

// PARTIALLY_ACCEPTED must take some but not all: taking none or all of it is
// an anomaly; a real part is not.
TEST_F(OffloadTargetTest, PartialAcceptanceOfNoneOrAllIsAnAnomaly) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  answerIndications(40, NdisStatus::kOffloadDataPartiallyAccepted);
  indicate(h, 100);
  EXPECT_EQ(target->counters().indicationAnomalies, 0u);
  EXPECT_EQ(target->counters().indicationsPartial, 1u);

  answerIndications(0, NdisStatus::kOffloadDataPartiallyAccepted);
  indicate(h, 10);
  EXPECT_EQ(target->counters().indicationAnomalies, 1u);

  answerIndications(500, NdisStatus::kOffloadDataPartiallyAccepted);  // 80 offered
  indicate(h, 10);
  EXPECT_EQ(target->counters().indicationAnomalies, 2u);
  EXPECT_EQ(target->counters().indicationsPartial, 3u);
}

// An indicated NBL the host hands back from inside its receive handler is
// not held afterwards; one it keeps is held until returned.
TEST_F(OffloadTargetTest, AnNblReturnedInsideTheIndicationIsNotHeld) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  onIndicate = [this](NetBufferList* n, uint32_t* c) {
    *c = n->firstNetBuffer->dataLength;
    EXPECT_EQ(target->MiniportTcpOffloadReceiveReturn(n), NdisStatus::kSuccess);
    return NdisStatus::kSuccess;
  };
  indicate(h, 30);
  EXPECT_EQ(target->outstandingIndications(), 0u);

  answerIndications(30, NdisStatus::kSuccess);
  indicate(h, 30);
  EXPECT_EQ(target->outstandingIndications(), 1u);
}

// A successful abortive disconnect discards what the NIC buffered for the
// connection: nothing is left to indicate or to fill later receives.
TEST_F(OffloadTargetTest, AnAbortiveDisconnectDiscardsBufferedData) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  answerIndications(0, NdisStatus::kOffloadDataNotAccepted);
  indicate(h, 80);
  ASSERT_EQ(target->bufferedBytes(hwConn(h)), 80u);

  ASSERT_EQ(disconnect(h, nbl(0), kTcpDisconnectAbortive), NdisStatus::kPending);
  const unsigned q = qpOf(h);
  completeFetched(q, {{prm::CplStatus::kSuccess, 0}});
  EXPECT_EQ(target->bufferedBytes(hwConn(h)), 0u);
}

TEST_F(OffloadTargetTest, InconsistentIndicationAnswersAreCounted) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  // SUCCESS means all of it, whatever the count says.
  answerIndications(5, NdisStatus::kSuccess);
  indicate(h, 100);
  // Not an answer the handler may give.
  answerIndications(0, NdisStatus::kRequestAborted);
  indicate(h, 50);

  EXPECT_EQ(target->counters().indicationAnomalies, 2u);
  EXPECT_EQ(dev->cmds.back().arg, 100u);  // SUCCESS consumed everything indicated
  EXPECT_EQ(target->bufferedBytes(hwConn(h)), 50u);
}

TEST_F(OffloadTargetTest, BusyCommandGetsCqSpaceWithoutDeliveringInsideTheCall) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  const unsigned q = qpOf(h);
  NetBufferList* s = sendAndComplete(h, 10, prm::CplStatus::kUpload, 0);
  // An engine that finishes TERMINATE only once it has CQ space again.
  dev->busyWhile = [&] { return dev->qp(q).cqHead != dev->qp(q).cqTail; };
  terminate(h);

  EXPECT_EQ(dev->cmds.back().op, prm::ConnOp::kTerminate);
  EXPECT_EQ(target->hwCounters().cmdTimeouts, 0u);
  EXPECT_EQ(dev->qp(q).cqHead, 1);
  EXPECT_TRUE(calls.empty());  // taken off the ring, not delivered inside the call
  EXPECT_TRUE(target->hasDeferredWork());
  dev->busyWhile = nullptr;
  engineEvent(q, hwConn(h), prm::CplType::kTerminateDone);

  target->MiniportTimer();  // delivers what was taken off, in ring order
  irq(q);

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls[0], s);
  ASSERT_EQ(terminated.size(), 1u);
  EXPECT_EQ(target->counters().descriptors, 2u);
  EXPECT_FALSE(target->hasDeferredWork());
}

}  // namespace
}  // namespace chimney
