// For each of the 17 invariants of docs/spec/DRIVER-MODEL.md: a misbehaving target,
// IM or host-side report breaks it, and the scoreboard reports it with the
// invariant's number. Plus: a correct run stays clean.
#include <gtest/gtest.h>

#include "stack_fixture.h"

namespace chimney::test {
namespace {

// Posts one 10-byte send on `c` and completes it SUCCESS, all of it, at the target.
void sendOneThrough(StackUnderTest& s, ConnectionId c) {
  s.host->postSend(c, 10);
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
}

TEST(Scoreboard, CorrectRunThroughTwoImsIsClean) {
  StackUnderTest s(2);
  ConnectionId c = s.open();
  s.host->postSends(c, {10, 20});
  s.host->postReceives(c, {100, 0});
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  s.target->completeOldest(c, OffloadOp::kReceive, 2, NdisStatus::kSuccess, 0);
  s.host->postDisconnect(c, false);
  s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess);
  s.expectCleanEnd();
  EXPECT_EQ(s.scoreboard.postsSeen(), 5u);
  EXPECT_EQ(s.scoreboard.completionsSeen(), 5u);
}

TEST(Scoreboard, ViolationNamesConnectionOperationNblAndTime) {
  StackUnderTest s;
  ConnectionId c = s.open();
  s.host->postSend(c, 10);
  NetBufferList* nbl = s.target->pending(c, OffloadOp::kSend).front();
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kInvalidState, 0);
  ASSERT_FALSE(s.scoreboard.violations().empty());
  const Violation& v = s.scoreboard.violations().front();
  EXPECT_EQ(v.invariant, 4);
  EXPECT_EQ(v.connection, c);
  EXPECT_EQ(v.op, OffloadOp::kSend);
  EXPECT_EQ(v.nbl, nbl);
  EXPECT_GT(v.time, 0u);
  EXPECT_NE(v.message().find("[invariant 4 StatusAndBytesValid]"), std::string::npos);
}

// `caught` fails when the scoreboard did not report the invariant asked for.
TEST(Scoreboard, CaughtFailsWhenTheInvariantIsNotReported) {
  const ::testing::AssertionResult clean = caught(1, 0, [](StackUnderTest&, ConnectionId) {});
  EXPECT_FALSE(clean);
  EXPECT_NE(std::string(clean.message()).find("invariant 1 not reported"), std::string::npos);
  EXPECT_FALSE(caught(13, 0, completeASendTwice));  // reports invariant 1, not 13
}

// ---- 1 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant1CatchesASendNeverCompleted) {
  EXPECT_TRUE(caught(1, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 10);
    s.quiesce();
  }));
}

TEST(Scoreboard, Invariant1CatchesASendCompletedTwice) {
  EXPECT_TRUE(caught(1, 0, completeASendTwice));
}

// ---- 2 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant2CatchesASendReturnedInADisconnectCompletion) {
  EXPECT_TRUE(caught(2, 1, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 10);
    std::vector<NetBufferList*> nbls = s.target->takeFront(c, OffloadOp::kSend, 1);
    finishNbl(nbls[0], NdisStatus::kSuccess, 10);
    s.target->complete(OffloadOp::kDisconnect, nbls);
  }));
}

TEST(Scoreboard, Invariant2CatchesAPointerTheHostNeverPosted) {
  EXPECT_TRUE(caught(2, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 10);
    NetBufferListPool foreign;
    NetBufferList* other = foreign.allocate(10);
    other->sourceHandle = s.host->binding();
    s.target->complete(OffloadOp::kSend, {other});
  }));
}

// ---- 3 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant3CatchesASendThatDoesNotPend) {
  EXPECT_TRUE(caught(3, 1, [](StackUnderTest& s, ConnectionId c) {
    s.target->requestReturn = NdisStatus::kSuccess;
    s.host->postSend(c, 10);
  }));
}

TEST(Scoreboard, Invariant3CatchesACompletionInsideTheSendCall) {
  EXPECT_TRUE(caught(3, 1, [](StackUnderTest& s, ConnectionId c) {
    s.target->completeSendsInline = true;
    s.host->postSend(c, 10);
  }));
}

TEST(Scoreboard, Invariant3CatchesAnImFailingSendsInsideTheCall) {
  EXPECT_TRUE(caught(3, 1, [](StackUnderTest& s, ConnectionId c) {
    s.im(0).faults().failSendCallEntries = 1;
    s.im(0).faults().completeFailuresInline = true;
    s.host->postSend(c, 10);
  }));
}

TEST(Scoreboard, Invariant3CatchesAReceiveReturnThatIsNotSuccess) {
  EXPECT_TRUE(caught(3, 0, [](StackUnderTest& s, ConnectionId c) {
    s.target->receiveReturnResult = NdisStatus::kPending;
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);
    s.host->returnIndications();
  }));
}

// ---- 4 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant4CatchesAStatusNotAllowedForTheOperation) {
  EXPECT_TRUE(caught(4, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postForwards(c, {10});
    s.target->completeOldest(c, OffloadOp::kForward, 1, NdisStatus::kInvalidState, 0);
  }));
}

TEST(Scoreboard, Invariant4CatchesBytesThatDoNotMatchTheDataStartAdvance) {
  EXPECT_TRUE(caught(4, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 100);
    std::vector<NetBufferList*> nbls = s.target->takeFront(c, OffloadOp::kSend, 1);
    nbls[0]->status = NdisStatus::kSuccess;
    nbls[0]->tcpOffloadBytesTransferred = 100;  // DataOffset not advanced
    s.target->complete(OffloadOp::kSend, nbls);
  }));
}

TEST(Scoreboard, Invariant4CatchesASuccessfulSendThatTransferredPart) {
  EXPECT_TRUE(caught(4, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 100);
    s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess, 60);
  }));
}

TEST(Scoreboard, Invariant4CatchesAGracefulDisconnectSuccessWithoutItsData) {
  EXPECT_TRUE(caught(4, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postDisconnect(c, false, 40);
    s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess, 0);
  }));
}

// ---- 5 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant5CatchesSendsCompletedOutOfPostingOrder) {
  EXPECT_TRUE(caught(5, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSends(c, {10, 20});
    std::vector<NetBufferList*> nbls = s.target->takeFront(c, OffloadOp::kSend, 2);
    for (NetBufferList* n : nbls) finishNbl(n, NdisStatus::kSuccess, n->firstNetBuffer->dataLength);
    s.target->complete(OffloadOp::kSend, {nbls[1], nbls[0]});
  }));
}

TEST(Scoreboard, Invariant5CatchesTwoPartialSendsInOneList) {
  EXPECT_TRUE(caught(5, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSends(c, {10, 20});
    s.target->completeOldest(c, OffloadOp::kSend, 2, NdisStatus::kRequestAborted, 5);
  }));
}

TEST(Scoreboard, Invariant5CatchesASuccessAfterAFailureInOneList) {
  EXPECT_TRUE(caught(5, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSends(c, {10, 20});
    std::vector<NetBufferList*> nbls = s.target->takeFront(c, OffloadOp::kSend, 2);
    finishNbl(nbls[0], NdisStatus::kRequestAborted, 0);
    finishNbl(nbls[1], NdisStatus::kSuccess, 20);
    s.target->complete(OffloadOp::kSend, nbls);
  }));
}

// ---- 6 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant6CatchesReceivesCompletedOutOfPostingOrder) {
  EXPECT_TRUE(caught(6, 1, [](StackUnderTest& s, ConnectionId c) {
    s.host->postReceives(c, {10, 10});
    std::vector<NetBufferList*> nbls = s.target->takeFront(c, OffloadOp::kReceive, 2);
    for (NetBufferList* n : nbls) finishNbl(n, NdisStatus::kSuccess, 10);
    s.target->complete(OffloadOp::kReceive, {nbls[1]});
    s.target->complete(OffloadOp::kReceive, {nbls[0]});
  }));
}

TEST(Scoreboard, Invariant6CatchesMoreBytesDeliveredThanThePeerSent) {
  EXPECT_TRUE(caught(6, 0, [](StackUnderTest& s, ConnectionId c) {
    s.scoreboard.onHardwareConnectionBound(c, 7, 0);
    s.scoreboard.onPeerData(7, 50);
    s.host->postReceive(c, 100);
    s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 80);
  }));
}

TEST(Scoreboard, Invariant6CatchesBytesLostBeforeTheFin) {
  EXPECT_TRUE(caught(6, 0, [](StackUnderTest& s, ConnectionId c) {
    s.scoreboard.onHardwareConnectionBound(c, 7, 0);
    s.scoreboard.onPeerData(7, 50);
    s.scoreboard.onPeerFin(7);
    s.host->postReceive(c, 100);
    s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 30);
    s.target->event(c, OffloadEvent::kDisconnect);
    s.host->postReceive(c, 100);
    s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kInvalidState, 0);
    s.quiesce();
  }));
}

// ---- 7 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant7CatchesAReceiveNeverCompleted) {
  EXPECT_TRUE(caught(7, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postReceive(c, 0);
    s.quiesce();
  }));
}

TEST(Scoreboard, Invariant7CatchesInvalidStateBeforeThePeersFin) {
  EXPECT_TRUE(caught(7, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postReceive(c, 10);
    s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kInvalidState, 0);
  }));
}

TEST(Scoreboard, Invariant7CatchesAReceiveAfterFinWithNothingBufferedThatSucceeds) {
  EXPECT_TRUE(caught(7, 0, [](StackUnderTest& s, ConnectionId c) {
    s.scoreboard.onHardwareConnectionBound(c, 3, 0);
    s.scoreboard.onPeerFin(3);
    s.target->event(c, OffloadEvent::kDisconnect);
    s.host->postReceive(c, 10);
    s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 0);
  }));
}

// ---- 8 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant8CatchesADisconnectCompletingBeforeAnEarlierSend) {
  EXPECT_TRUE(caught(8, 1, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 10);
    s.host->postDisconnect(c, false);
    s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess);
  }));
}

TEST(Scoreboard, Invariant8CatchesASendNotAbortedByAnAbortiveDisconnect) {
  EXPECT_TRUE(caught(8, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 10);
    s.host->postDisconnect(c, true);
    s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kUploadInProgress, 0);
    s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess, 0);
  }));
}

// ---- 9 --------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant9CatchesASendSucceedingAfterThePeersReset) {
  EXPECT_TRUE(caught(9, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postSend(c, 10);
    s.target->event(c, OffloadEvent::kAbort);
    s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  }));
}

TEST(Scoreboard, Invariant9CatchesASendSucceedingAfterAnAbortiveDisconnect) {
  EXPECT_TRUE(caught(9, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postDisconnect(c, true);
    s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess, 0);
    sendOneThrough(s, c);
  }));
}

// ---- 10 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant10CatchesAnIndicationAfterTerminate) {
  EXPECT_TRUE(caught(10, 1, [](StackUnderTest& s, ConnectionId c) {
    s.host->terminate(c);
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);  // with the handle it was given for the connection
  }));
}

TEST(Scoreboard, Invariant10CatchesATerminateCompletingWithRequestsOutstanding) {
  EXPECT_TRUE(caught(10, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->postReceive(c, 10);
    s.target->deferTerminate = true;
    s.host->terminate(c);
    // A target that forgets to upload what is outstanding:
    OffloadBlock block{s.host->offloadHandle(c), c, NdisStatus::kSuccess, 0};
    s.target->up().NdisMTerminateOffloadComplete(s.target->miniportHandle(), &block);
  }));
}

// ---- 11 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant11CatchesAReceiveCompletionInsideAnIndication) {
  EXPECT_TRUE(caught(11, 1, [](StackUnderTest& s, ConnectionId c) {
    s.host->postReceive(c, 10);
    s.host->setAcceptPolicy([&](ConnectionId conn, uint32_t available) {
      // The target completes a receive while the host is still in the indication.
      s.target->completeOldest(conn, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 0);
      return available;
    });
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);
  }));
}

// Every down call observed beginning is observed ending, and no end comes
// without its beginning.
TEST(Scoreboard, Invariant3CatchesADownCallThatNeverEnds) {
  StackUnderTest s;
  EdgeCall call;
  call.op = OffloadOp::kReceiveReturn;
  call.binding = NdisBindingHandle{1};
  s.scoreboard.onDownCallBegin(call);
  EXPECT_TRUE(s.scoreboard.clean()) << s.scoreboard.report();
  s.quiesce();
  ASSERT_TRUE(reported(s.scoreboard, 3)) << s.scoreboard.report();
  EXPECT_EQ(s.scoreboard.violations().back().check, "DownCallsPaired");
}

TEST(Scoreboard, Invariant3CatchesADownCallEndingThatNeverBegan) {
  StackUnderTest s;
  EdgeCall call;
  call.op = OffloadOp::kReceiveReturn;
  call.binding = NdisBindingHandle{1};
  s.scoreboard.onDownCallEnd(call, NdisStatus::kSuccess);
  ASSERT_TRUE(reported(s.scoreboard, 3)) << s.scoreboard.report();
  EXPECT_EQ(s.scoreboard.violations().back().check, "DownCallsPaired");
}

TEST(Scoreboard, Invariant3DownCallsOfAFullRunArePaired) {
  StackUnderTest s(2);
  ConnectionId c = s.open();
  s.host->postSends(c, {10, 20});
  uint32_t consumed = 0;
  s.target->indicate(c, 10, &consumed);
  s.host->returnIndications();
  s.target->completeOldest(c, OffloadOp::kSend, 2, NdisStatus::kSuccess);
  s.host->terminate(c);
  s.expectCleanEnd();
}

// ---- 12 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant12CatchesAnAcceptedNblIndicatedAgainBeforeItsReturn) {
  EXPECT_TRUE(caught(12, 0, [](StackUnderTest& s, ConnectionId c) {
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);
    s.target->indicate(c, 10, &consumed, s.target->lastIndicated());
  }));
}

TEST(Scoreboard, Invariant12CatchesAnAcceptedNblNeverReturned) {
  EXPECT_TRUE(caught(12, 0, [](StackUnderTest& s, ConnectionId c) {
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);
    s.quiesce();
  }));
}

TEST(Scoreboard, Invariant12CatchesAReturnOfARefusedNbl) {
  EXPECT_TRUE(caught(12, 0, [](StackUnderTest& s, ConnectionId c) {
    s.host->setAcceptPolicy([](ConnectionId, uint32_t) { return 0u; });
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);
    s.scoreboard.onHostReceiveReturn(c, s.target->lastIndicated(), NdisStatus::kSuccess);
  }));
}

TEST(Scoreboard, Invariant12CatchesAnAcceptedNblNotReturnedBeforeTheTerminate) {
  EXPECT_TRUE(caught(12, 1, [](StackUnderTest& s, ConnectionId c) {
    uint32_t consumed = 0;
    s.target->indicate(c, 10, &consumed);
    s.host->faults().keepIndicationsAtTerminate = true;
    s.host->terminate(c);
    ASSERT_EQ(s.host->state(c), HostStack::ConnState::kTerminated);
  }));
}

TEST(Scoreboard, Invariant12AcceptsIndicationsReturnedAtTheTerminate) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  uint32_t consumed = 0;
  s.target->indicate(c, 10, &consumed);
  s.host->terminate(c);
  s.expectCleanEnd();
}

// ---- 13 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant13CatchesAnImPassingDownACopy) {
  EXPECT_TRUE(caught(13, 3, [](StackUnderTest& s, ConnectionId c) {
    s.im(1).faults().substituteSendNbl = true;
    sendOneThrough(s, c);
    EXPECT_EQ(s.host->completions().size(), 1u);  // the IM still brought the original back
  }));
}

// ---- 14 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant14CatchesALeakedCallEntry) {
  EXPECT_TRUE(caught(14, 1, [](StackUnderTest& s, ConnectionId c) {
    s.im(0).faults().leakCallEntries = true;
    sendOneThrough(s, c);
    s.quiesce();
  }));
}

TEST(Scoreboard, Invariant14CatchesACallEntryFreedTwice) {
  EXPECT_TRUE(caught(
      14, 1,
      [](StackUnderTest& s, ConnectionId c) {
        s.im(0).faults().doubleFreeCallEntries = true;
        s.host->postReceive(c, 10);
        s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 10);
      },
      CallEntryLookup::kTableByNbl));
}

TEST(Scoreboard, Invariant14CatchesAContextLeftOnTheNblGoingUp) {
  EXPECT_TRUE(caught(14, 3, [](StackUnderTest& s, ConnectionId c) {
    s.im(2).faults().keepContextPushed = true;
    sendOneThrough(s, c);
  }));
}

// ---- 15 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant15CatchesAnImCompletingToAnotherBinding) {
  StackUnderTest s(1);
  std::unique_ptr<HostStack> second = s.addHost("host2");
  ConnectionId c = s.open();
  s.im(0).faults().misrouteCompletionsTo = second->binding();
  sendOneThrough(s, c);
  EXPECT_TRUE(reported(s.scoreboard, 15)) << s.scoreboard.report();
}

TEST(Scoreboard, Invariant15CatchesAnImThatDoesNotRestoreSourceHandle) {
  EXPECT_TRUE(caught(15, 3, [](StackUnderTest& s, ConnectionId c) {
    s.im(0).faults().skipSourceHandleRestore = true;
    sendOneThrough(s, c);
  }));
}

// ---- 16 -------------------------------------------------------------------------------------
TEST(Scoreboard, Invariant16CatchesRingsWhoseDriverViewDiffersFromHardware) {
  StackUnderTest s;
  RingSnapshot ring;
  ring.qp = 2;
  ring.driverSqTail = ring.hwSqTail = ring.hwSqHead = 9;
  ring.hwCqTail = 12;
  ring.driverCqHead = ring.hwCqHead = 11;  // one descriptor not consumed
  s.scoreboard.checkQuiescent({ring});
  EXPECT_TRUE(reported(s.scoreboard, 16)) << s.scoreboard.report();
}

TEST(Scoreboard, Invariant16CatchesAnNblStillOutstandingAtQuiescence) {
  EXPECT_TRUE(caught(16, 1, [](StackUnderTest& s, ConnectionId c) {
    s.host->postForwards(c, {10});
    s.quiesce();
  }));
}

TEST(Scoreboard, Invariant16AcceptsRingsThatAgree) {
  StackUnderTest s;
  RingSnapshot ring;
  ring.driverSqTail = ring.hwSqTail = ring.hwSqHead = 40000;
  ring.driverCqHead = ring.hwCqHead = ring.hwCqTail = 65535;
  s.scoreboard.checkQuiescent({ring});
  EXPECT_TRUE(s.scoreboard.clean()) << s.scoreboard.report();
}

// ---- 17 -------------------------------------------------------------------------------------
// The co-simulation's host memory reports a release under DMA
// (tb::EngineSide::onReleaseUnderDma); the scoreboard blames the offload
// target by its registered name, at the time of the release, with no
// operation.
TEST(Scoreboard, Invariant17BlamesTheOffloadTargetForMemoryReleasedUnderDma) {
  StackUnderTest s;
  ConnectionId c = s.open();
  sendOneThrough(s, c);
  ASSERT_TRUE(s.scoreboard.clean()) << s.scoreboard.report();

  s.scoreboard.onMemoryReleasedUnderDma("released 0x1000..0x1800 while ...");

  ASSERT_EQ(s.scoreboard.violationCount(17), 1u) << s.scoreboard.report();
  const Violation& v = s.scoreboard.violations().front();
  EXPECT_EQ(v.check, "DmaMemoryLifetime");
  EXPECT_EQ(v.layer, "fake target");
  EXPECT_FALSE(v.hasOp);
  EXPECT_FALSE(v.connection.valid());
  EXPECT_EQ(v.message().find(" op="), std::string::npos) << v.message();
  EXPECT_NE(v.message().find("layer=fake target: released 0x1000..0x1800"), std::string::npos)
      << v.message();
}

}  // namespace
}  // namespace chimney::test
