// Offload target: receive indication (accept, partial, refuse, deferral,
// RX_CONSUMED before the next receive doorbell), FIN/RST events, terminate,
// DMA error recovery, and bad hardware input. Played against FakeDevice.
#include <gtest/gtest.h>

#include "offload_target_fixture.h"

namespace chimney {
namespace {

using testing::completedWith;
using testing::OffloadTargetTest;

TEST_F(OffloadTargetTest, AcceptedIndicationIsConsumedAndItsNblComesBackByReceiveReturn) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* got = nullptr;
  onIndicate = [&](NetBufferList* n, uint32_t* consumed) {
    got = n;
    *consumed = n->firstNetBuffer->dataLength;
    return NdisStatus::kSuccess;
  };

  indicate(h, 300);

  ASSERT_EQ(indications.size(), 1u);
  EXPECT_EQ(indications[0].handle, h);
  EXPECT_EQ(indications[0].length, 300u);
  ASSERT_EQ(dev->cmds.size(), 2u);  // OFFLOAD, RX_CONSUMED
  EXPECT_EQ(dev->cmds[1].op, prm::ConnOp::kRxConsumed);
  EXPECT_EQ(dev->cmds[1].arg, 300u);
  EXPECT_EQ(target->outstandingIndications(), 1u);
  EXPECT_EQ(target->MiniportTcpOffloadReceiveReturn(got), NdisStatus::kSuccess);
  EXPECT_EQ(target->outstandingIndications(), 0u);
  EXPECT_EQ(target->bufferedBytes(hwConn(h)), 0u);
}

TEST_F(OffloadTargetTest, RefusedIndicationSendsNoRxConsumedAndIsIndicatedAgainWithNewData) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  answerIndications(0, NdisStatus::kOffloadDataNotAccepted);
  indicate(h, 100);
  onIndicate = nullptr;  // accept everything from now on

  indicate(h, 50);

  ASSERT_EQ(indications.size(), 2u);
  EXPECT_EQ(indications[1].length, 150u);  // oldest first, nothing consumed before
  ASSERT_EQ(dev->cmds.size(), 2u);
  EXPECT_EQ(dev->cmds[1].arg, 150u);
  EXPECT_EQ(target->outstandingIndications(), 1u);
  EXPECT_EQ(target->counters().indicationsRefused, 1u);
}

TEST_F(OffloadTargetTest, PartiallyAcceptedIndicationConsumesThePrefixAndReturnsTheNblAtOnce) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  answerIndications(40, NdisStatus::kOffloadDataPartiallyAccepted);

  indicate(h, 100);

  ASSERT_EQ(dev->cmds.size(), 2u);
  EXPECT_EQ(dev->cmds[1].arg, 40u);
  EXPECT_EQ(target->outstandingIndications(), 0u);
  EXPECT_EQ(target->bufferedBytes(hwConn(h)), 60u);
  EXPECT_EQ(target->counters().indicationsPartial, 1u);
}

TEST_F(OffloadTargetTest, ReceivePostedInsideIndicationIsAnnouncedOnlyAfterRxConsumed) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  const unsigned q = qpOf(h);
  NetBufferList* r = nbl(500);
  onIndicate = [&](NetBufferList*, uint32_t* consumed) {
    *consumed = 10;
    EXPECT_EQ(recv(h, r), NdisStatus::kPending);
    return NdisStatus::kOffloadDataPartiallyAccepted;
  };
  engineEvent(q, hwConn(h), prm::CplType::kRxIndicate, 100);
  dev->log.clear();

  irq(q);

  const std::size_t consumed = logIndexOf(prm::reg::kConnCmd);
  const std::size_t doorbell = logIndexOf(prm::reg::qp(q, prm::reg::kSqTail));
  ASSERT_LT(consumed, dev->log.size());
  ASSERT_LT(doorbell, dev->log.size());
  EXPECT_LT(consumed, doorbell);
  EXPECT_EQ(fetch(q).size(), 1u);
}

TEST_F(OffloadTargetTest, IndicationWaitsForOutstandingReceivesAndOffersWhatTheyLeft) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList* r = nbl(30);
  recv(h, r);
  const auto reqs = fetch(q);

  // Data buffered before the receive was fetched: the receive takes 30 of it.
  indicate(h, 100);
  EXPECT_TRUE(indications.empty());
  EXPECT_EQ(target->counters().indicationsDeferred, 1u);

  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 30);
  irq(q);

  ASSERT_EQ(indications.size(), 1u);
  EXPECT_EQ(indications[0].length, 70u);
  EXPECT_EQ(indicationCallsBefore[0], 1u);  // the receive completion went up first
  EXPECT_EQ(dev->cmds.back().arg, 70u);
}

// A receive still waiting for SQ space when the RX_INDICATE is read (the
// host posted it before; the SQ is full) is one the engine will fill from the
// same buffer: the indication waits for it as for a receive in the SQ.
// Indicating at once left that receive waiting for data that may never come.
TEST_F(OffloadTargetTest, IndicationWaitsForAReceiveStillWaitingForSqSpace) {
  const auto [h, q] = startWithOneConnection(withSqLog2(1));
  send(h, nbl(10));
  send(h, nbl(10));  // the SQ's two entries
  NetBufferList* r = nbl(30);
  recv(h, r);
  ASSERT_EQ(target->waitingForSq(), 1u);

  indicate(h, 100);
  EXPECT_TRUE(indications.empty());
  EXPECT_EQ(target->counters().indicationsDeferred, 1u);

  const auto sends = fetch(q);
  ASSERT_EQ(sends.size(), 2u);
  target->MiniportTimer();  // SQ space: the receive goes in
  const auto reqs = fetch(q);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_TRUE(indications.empty());
  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 30);
  irq(q);

  ASSERT_EQ(indications.size(), 1u);
  EXPECT_EQ(indications[0].length, 70u);  // what the receive left
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls, std::vector<NetBufferList*>{r});  // the receive went up first
  EXPECT_EQ(indicationCallsBefore[0], 1u);
  EXPECT_EQ(dev->cmds.back().arg, 70u);
}

// Terminate takes a receive still waiting for SQ space out of the waiting
// queue: it is uploaded, never posted, so the engine will not fill it. An
// indication read while the terminate waits for the engine's fetches has no
// receive left to wait for and is indicated at once.
TEST_F(OffloadTargetTest, AReceiveTakenByTerminateNoLongerHoldsBackAnIndication) {
  const auto [h, q] = startWithOneConnection(withSqLog2(1));
  send(h, nbl(10));
  send(h, nbl(10));  // the SQ's two entries, not fetched: the terminate waits
  recv(h, nbl(30));
  ASSERT_EQ(target->waitingForSq(), 1u);
  terminate(h);
  ASSERT_EQ(target->waitingForSq(), 0u);
  ASSERT_TRUE(terminated.empty());

  indicate(h, 100);

  EXPECT_EQ(target->counters().indicationsDeferred, 0u);
  ASSERT_EQ(indications.size(), 1u);
  EXPECT_EQ(indications[0].length, 100u);
}

TEST_F(OffloadTargetTest, RxConsumedOnAConnectionResetMeanwhileIsLateNotAnError) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  dev->onCommand = [](const testing::FakeDevice::Cmd& c) {
    return c.op == prm::ConnOp::kRxConsumed ? prm::CmdResult::kBadState : prm::CmdResult::kOk;
  };
  indicate(h, 100);

  EXPECT_EQ(indications.size(), 1u);
  EXPECT_EQ(target->counters().rxConsumedLate, 1u);
  EXPECT_EQ(target->counters().rxConsumedErrors, 0u);
}

// Only BAD_STATE means the connection went away meanwhile; any other refusal
// of RX_CONSUMED is an error.
TEST_F(OffloadTargetTest, RxConsumedRefusedForAnotherReasonIsAnErrorNotLate) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  dev->onCommand = [](const testing::FakeDevice::Cmd& c) {
    return c.op == prm::ConnOp::kRxConsumed ? prm::CmdResult::kBadArg : prm::CmdResult::kOk;
  };
  indicate(h, 100);

  EXPECT_EQ(indications.size(), 1u);
  EXPECT_EQ(target->counters().rxConsumedLate, 0u);
  EXPECT_EQ(target->counters().rxConsumedErrors, 1u);
}

TEST_F(OffloadTargetTest, DataBufferedAfterTerminateIsIssuedIsNotIndicated) {
  const auto [h, q] = startWithOneConnection();
  terminate(h);
  ASSERT_EQ(dev->cmds.back().op, prm::ConnOp::kTerminate);
  engineEvent(q, hwConn(h), prm::CplType::kRxIndicate, 100);
  engineEvent(q, hwConn(h), prm::CplType::kTerminateDone);

  irq(q);

  EXPECT_TRUE(indications.empty());
  EXPECT_EQ(target->counters().indicationsAtTerminate, 1u);
  EXPECT_EQ(terminated.size(), 1u);
}

TEST_F(OffloadTargetTest, ReceiveReturnOfAnNblNotIndicatedIsCountedAndStillSucceeds) {
  start();
  NetBufferList* stranger = nbl(10);
  EXPECT_EQ(target->MiniportTcpOffloadReceiveReturn(stranger), NdisStatus::kSuccess);
  EXPECT_EQ(target->counters().badReceiveReturn, 1u);
}

TEST_F(OffloadTargetTest, PeerFinAndRstBecomeDisconnectAndAbortEventsAfterEarlierCompletions) {
  start();
  const NdisOffloadHandle a = offload(1), b = offload(2);
  NetBufferList* r = nbl(10);
  recv(a, r);
  const auto reqs = fetch(qpOf(a));
  completeReq(qpOf(a), reqs[0], prm::CplStatus::kSuccess, 0);
  engineEvent(qpOf(a), hwConn(a), prm::CplType::kEvtFin);
  engineEvent(qpOf(b), hwConn(b), prm::CplType::kEvtRst);

  irq(qpOf(a));
  irq(qpOf(b));

  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].handle, a);
  EXPECT_EQ(events[0].event, OffloadEvent::kDisconnect);
  EXPECT_EQ(uint32_t(events[0].event), 2u);
  EXPECT_EQ(eventCallsBefore[0], 1u);  // receive completion before the FIN event
  EXPECT_EQ(events[1].handle, b);
  EXPECT_EQ(uint32_t(events[1].event), 4u);
}

TEST_F(OffloadTargetTest, TerminateUploadsEverythingThenCompletesAndForgetsTheConnection) {
  const auto [h, q] = startWithOneConnection();
  const uint16_t conn = hwConn(h);
  NetBufferList *s = nbl(100), *r = nbl(200);
  send(h, s);
  recv(h, r);
  const auto reqs = fetch(q);
  OffloadBlock& tb = terminate(h, ConnectionId{1});
  ASSERT_EQ(dev->cmds.back().op, prm::ConnOp::kTerminate);
  EXPECT_TRUE(terminated.empty());
  NetBufferList* late = nbl(5);
  EXPECT_EQ(send(h, late), NdisStatus::kPending);  // held, never reaches the engine
  completeReq(q, reqs[0], prm::CplStatus::kUpload, 40);
  completeReq(q, reqs[1], prm::CplStatus::kUpload, 0);
  engineEvent(q, conn, prm::CplType::kTerminateDone);
  irq(q);

  EXPECT_TRUE(fetch(q).empty());
  ASSERT_EQ(terminated.size(), 1u);
  EXPECT_EQ(tb.status, NdisStatus::kSuccess);
  EXPECT_EQ(terminatedAfterCalls[0], calls.size());  // every NBL came back first
  EXPECT_TRUE(completedWith(s, NdisStatus::kUploadInProgress, 40u));
  EXPECT_EQ(r->status, NdisStatus::kUploadInProgress);
  EXPECT_EQ(late->status, NdisStatus::kUploadInProgress);
  EXPECT_EQ(target->outstandingRequests(), 0u);
  EXPECT_FALSE(target->hardwareConnection(h).has_value());
  ASSERT_EQ(observer.released.size(), 1u);
  EXPECT_EQ(observer.released[0], conn);
}

TEST_F(OffloadTargetTest, TerminateWaitsUntilTheEngineFetchedTheConnectionsRequests) {
  const auto [h, q] = startWithOneConnection();
  send(h, nbl(100));  // announced, not fetched yet
  terminate(h);
  EXPECT_EQ(dev->cmds.size(), 1u);  // no TERMINATE yet
  EXPECT_TRUE(target->hasDeferredWork());
  target->MiniportTimer();
  EXPECT_EQ(dev->cmds.size(), 1u);

  const auto reqs = fetch(q);
  target->MiniportTimer();

  ASSERT_EQ(dev->cmds.size(), 2u);
  EXPECT_EQ(dev->cmds[1].op, prm::ConnOp::kTerminate);
  EXPECT_FALSE(target->hasDeferredWork());
}

TEST_F(OffloadTargetTest, RequestsWaitingForSqSpaceAreUploadedByTerminateNotPosted) {
  const auto [h, q] = startWithOneConnection(withSqLog2(1));
  NetBufferList *a = nbl(1), *b = nbl(2), *c = nbl(3);
  send(h, nblListFromVector({a, b, c}));  // c waits inside the driver
  const auto reqs = fetch(q);
  ASSERT_EQ(reqs.size(), 2u);
  terminate(h);
  completeReq(q, reqs[0], prm::CplStatus::kUpload, 0);
  completeReq(q, reqs[1], prm::CplStatus::kUpload, 0);
  engineEvent(q, hwConn(h), prm::CplType::kTerminateDone);
  irq(q);

  EXPECT_TRUE(fetch(q).empty());
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls, (std::vector<NetBufferList*>{a, b, c}));
  EXPECT_EQ(c->status, NdisStatus::kUploadInProgress);
  EXPECT_EQ(terminated.size(), 1u);
}

TEST_F(OffloadTargetTest, TerminateOfUnknownHandleCompletesAtOnceWithInvalidParameter) {
  start();
  OffloadBlock& tb = terminate(NdisOffloadHandle{77});
  ASSERT_EQ(terminated.size(), 1u);
  EXPECT_EQ(tb.status, NdisStatus::kInvalidParameter);
}

TEST_F(OffloadTargetTest, DmaErrorRecoveryDrainsMovesRingsAndResumesWithoutLosingAnything) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList *a = nbl(10), *b = nbl(20), *c = nbl(30);
  send(h, nblListFromVector({a, b}));
  const auto first = fetch(q);
  send(h, c);  // announced, not fetched when the engine halts
  completeReq(q, first[0], prm::CplStatus::kSuccess, 10);  // committed before the halt
  const uint64_t oldSq = dev->qp(q).sqBase, oldCq = dev->qp(q).cqBase;

  dev->dmaError(q, true);

  ASSERT_EQ(calls.size(), 1u);  // drained before the queue pair was disabled
  EXPECT_EQ(calls[0].nbls, (std::vector<NetBufferList*>{a}));
  EXPECT_FALSE(dev->qp(q).halted);
  EXPECT_TRUE(dev->qp(q).enabled);
  EXPECT_TRUE(dev->qp(q).armed);
  EXPECT_EQ(dev->errStatus, 0u);
  EXPECT_NE(dev->qp(q).sqBase, oldSq);
  EXPECT_NE(dev->qp(q).cqBase, oldCq);
  EXPECT_EQ(target->counters().recoveries, 1u);
  // The engine carries on from its pointers in the moved rings.
  const auto rest = fetch(q);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].length, 30u);
  completeReq(q, first[1], prm::CplStatus::kSuccess, 20);
  completeReq(q, rest[0], prm::CplStatus::kSuccess, 30);
  irq(q);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].nbls, (std::vector<NetBufferList*>{b, c}));
  EXPECT_EQ(target->outstandingRequests(), 0u);
}

// PRM 13: a burst offered before the halt still reads or writes the old
// rings; they move only once QP_STATUS.BUSY reads 0.
TEST_F(OffloadTargetTest, DmaErrorRecoveryMovesTheRingsOnlyOnceTheirDmaHasFinished) {
  const auto [h, q] = startWithOneConnection();
  const uint64_t oldSq = dev->qp(q).sqBase;
  dev->qp(q).busyReads = 5;

  dev->dmaError(q, false);

  EXPECT_EQ(dev->qp(q).busyReads, 0u) << "BUSY polled until it read 0";
  EXPECT_EQ(dev->ringWritesWhileBusy, 0u);
  EXPECT_NE(dev->qp(q).sqBase, oldSq);
  EXPECT_TRUE(dev->qp(q).enabled);
  EXPECT_EQ(target->counters().recoveries, 1u);
  EXPECT_EQ(target->hwCounters().dmaBusyTimeouts, 0u);
}

// DMA that never finishes: the rings stay (always safe), the queue pair is
// enabled again, and the timeout is counted.
TEST_F(OffloadTargetTest, DmaErrorRecoveryKeepsTheRingsWhenTheirDmaNeverFinishes) {
  auto cfg = defaultConfig();
  cfg.hw.cmdPollLimit = 50;
  const auto [h, q] = startWithOneConnection(cfg);
  const uint64_t oldSq = dev->qp(q).sqBase, oldCq = dev->qp(q).cqBase;
  dev->qp(q).busyForever = true;

  dev->dmaError(q, false);

  EXPECT_EQ(dev->ringWritesWhileBusy, 0u);
  EXPECT_EQ(dev->qp(q).sqBase, oldSq);
  EXPECT_EQ(dev->qp(q).cqBase, oldCq);
  EXPECT_TRUE(dev->qp(q).enabled);
  EXPECT_EQ(target->counters().recoveries, 1u);
  EXPECT_EQ(target->hwCounters().dmaBusyTimeouts, 1u);
}

TEST_F(OffloadTargetTest, DmaErrorRecoveryCanKeepTheRingsWhereTheyAre) {
  auto cfg = defaultConfig();
  cfg.moveRingsOnDmaError = false;
  const auto [h, q] = startWithOneConnection(cfg);
  const uint64_t oldSq = dev->qp(q).sqBase;

  dev->dmaError(q, false);

  EXPECT_EQ(dev->qp(q).sqBase, oldSq);
  EXPECT_TRUE(dev->qp(q).enabled);
  EXPECT_EQ(target->counters().recoveries, 1u);
  EXPECT_EQ(target->hwCounters().dmaErrors, 1u);
}

TEST_F(OffloadTargetTest, RecoveryNeverWritesCqHeadBeyondCqTail) {
  const auto [h, q] = startWithOneConnection();
  sendAndComplete(h, 10, prm::CplStatus::kSuccess, 10);
  dev->qp(q).cqTail = 0;  // in memory, not committed when the queue pair halts

  dev->dmaError(q, true);

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(dev->qp(q).cqHead, 0);
  EXPECT_TRUE(dev->qp(q).armed);
  dev->qp(q).cqTail = 1;  // written again and committed after the resume
  irq(q);
  EXPECT_EQ(dev->qp(q).cqHead, 1);
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(calls.size(), 1u);
}

TEST_F(OffloadTargetTest, UnknownAndStaleTagsAreCountedAndIgnored) {
  const auto [h, q] = startWithOneConnection();
  send(h, nbl(10));
  const auto reqs = fetch(q);
  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 10);
  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 10);  // the same tag again: stale
  prm::Request forged = reqs[0];
  forged.tag = 0xDEAD'0000'0001ull;
  completeReq(q, forged, prm::CplStatus::kSuccess, 10);

  irq(q);

  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(target->counters().unknownTag, 2u);
}

// A tag's slot is used again by the next request; the old tag, completed
// again, names that slot with an older generation and must not complete the
// newer request.
TEST_F(OffloadTargetTest, AStaleTagOfAReusedSlotDoesNotCompleteTheNewerRequest) {
  const auto [h, q] = startWithOneConnection();
  send(h, nbl(10));
  const auto first = fetch(q);
  completeReq(q, first[0], prm::CplStatus::kSuccess, 10);
  irq(q);
  ASSERT_EQ(calls.size(), 1u);

  send(h, nbl(20));
  const auto second = fetch(q);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_EQ(uint32_t(second[0].tag), uint32_t(first[0].tag)) << "the slot is used again";
  ASSERT_NE(second[0].tag, first[0].tag);
  completeReq(q, first[0], prm::CplStatus::kSuccess, 10);  // stale
  irq(q);
  EXPECT_EQ(calls.size(), 1u) << "the stale tag completed the newer request";
  EXPECT_EQ(target->counters().unknownTag, 1u);

  completeReq(q, second[0], prm::CplStatus::kSuccess, 20);
  irq(q);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(target->counters().unknownTag, 1u);
}

TEST_F(OffloadTargetTest, UnknownTypeIsCountedAndMismatchedTypeCompletesAsPosted) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList* s = nbl(10);
  send(h, s);
  const auto reqs = fetch(q);
  prm::Completion junk;
  junk.type = prm::CplType(6);
  ASSERT_TRUE(dev->complete(q, junk));
  prm::Request asRecv = reqs[0];
  asRecv.opcode = uint8_t(prm::Opcode::kRecv);
  completeReq(q, asRecv, prm::CplStatus::kSuccess, 10);

  irq(q);

  EXPECT_EQ(target->counters().unknownType, 1u);
  EXPECT_EQ(target->counters().typeMismatch, 1u);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);  // a send never comes back as a receive
}

TEST_F(OffloadTargetTest, BytesBeyondThePostedLengthAreClampedAndCounted) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList* s = sendAndComplete(h, 10, prm::CplStatus::kSuccess, 99);
  irq(q);
  EXPECT_EQ(s->tcpOffloadBytesTransferred, 10u);
  EXPECT_EQ(s->firstNetBuffer->dataLength, 0u);
  EXPECT_EQ(target->counters().bytesOverrun, 1u);
}

TEST_F(OffloadTargetTest, CommittedDescriptorWithStalePhaseIsCountedAndNotReArmed) {
  const auto [h, q] = startWithOneConnection();
  // The engine claims a descriptor (CQ_TAIL moved) but memory holds none.
  dev->qp(q).cqTail = 1;

  irq(q);

  EXPECT_EQ(target->counters().phaseMismatch, 1u);
  EXPECT_FALSE(dev->qp(q).armed);
  EXPECT_TRUE(target->hasDeferredWork());
}

TEST_F(OffloadTargetTest, DescriptorThatBecomesVisibleLateIsDeliveredByTheTimer) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList* s = nbl(10);
  send(h, s);
  const auto reqs = fetch(q);
  dev->qp(q).cqTail = 1;  // committed, not yet in memory as the driver sees it
  irq(q);
  ASSERT_EQ(target->counters().phaseMismatch, 1u);
  dev->qp(q).cqTail = 0;
  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 10);  // now it is

  target->MiniportTimer();

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls[0], s);
  EXPECT_TRUE(dev->qp(q).armed);
  EXPECT_FALSE(target->hasDeferredWork());
  EXPECT_EQ(target->counters().phaseMismatch, 1u);
}

TEST_F(OffloadTargetTest, CqHeadNeverPassesCqTailWhenADescriptorIsSeenBeforeItsCommit) {
  const auto [h, q] = startWithOneConnection();
  sendAndComplete(h, 10, prm::CplStatus::kSuccess, 10);
  dev->qp(q).cqTail = 0;  // in memory, write response not yet in: not committed

  irq(q);

  ASSERT_EQ(calls.size(), 1u);  // a valid phase is a valid descriptor
  EXPECT_EQ(dev->qp(q).cqHead, 0);
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(target->counters().cqHeadHeldBack, 1u);
  EXPECT_TRUE(dev->qp(q).armed);

  dev->qp(q).cqTail = 1;  // committed: the engine interrupts again at once
  irq(q);

  EXPECT_EQ(dev->qp(q).cqHead, 1);
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(dev->doorbellErrors, 0u);
}

TEST_F(OffloadTargetTest, EventsForUnknownConnectionsAndStrayVectorsAreCounted) {
  start();
  engineEvent(0, 42, prm::CplType::kEvtFin);
  engineEvent(0, 43, prm::CplType::kRxIndicate, 10);
  engineEvent(0, 44, prm::CplType::kTerminateDone);
  irq(0);
  dev->raw(0);  // nothing new
  dev->raw(200);

  EXPECT_EQ(target->counters().unknownConnEvent, 3u);
  EXPECT_EQ(target->counters().spuriousInterrupts, 1u);
  EXPECT_EQ(target->counters().unknownVector, 1u);
  EXPECT_TRUE(events.empty());
  EXPECT_TRUE(indications.empty());
}

TEST_F(OffloadTargetTest, RingSnapshotsShowDriverAndHardwarePointers) {
  const auto [h, q] = startWithOneConnection();
  send(h, nbl(10));
  send(h, nbl(10));
  for (const auto& r : fetch(q)) completeReq(q, r, prm::CplStatus::kSuccess, 10);
  irq(q);

  const auto snaps = target->ringSnapshots();

  ASSERT_EQ(snaps.size(), 2u);
  const RingSnapshot& s = snaps[q];
  EXPECT_EQ(s.qp, q);
  EXPECT_EQ(s.driverSqTail, 2);
  EXPECT_EQ(s.hwSqTail, 2);
  EXPECT_EQ(s.hwSqHead, 2);
  EXPECT_EQ(s.driverCqHead, 2);
  EXPECT_EQ(s.hwCqHead, 2);
  EXPECT_EQ(s.hwCqTail, 2);
}

}  // namespace
}  // namespace chimney
