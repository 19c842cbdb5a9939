// The IM driver's own behaviour: call entries, and the allocation-failure
// path (first NBL REQUEST_UPLOAD, the rest UPLOAD_REQUESTED, completed up
// without passing down, in per-connection order, never inside the call).
#include <gtest/gtest.h>

#include "stack_fixture.h"

namespace chimney::test {
namespace {

TEST(ImDriver, HoldsOneCallEntryPerRequestBelowAndFreesItOnCompletion) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  s.host->postSends(c, {10, 20});
  s.host->postReceives(c, {30});
  EXPECT_EQ(s.im(0).liveCallEntries(), 3u);
  s.target->completeOldest(c, OffloadOp::kSend, 2, NdisStatus::kSuccess);
  EXPECT_EQ(s.im(0).liveCallEntries(), 1u);
  s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 5);
  EXPECT_EQ(s.im(0).liveCallEntries(), 0u);
  s.expectCleanEnd();
}

TEST(ImDriver, PushesItsContextOnTheNblWhileItIsBelow) {
  StackUnderTest s(3, CallEntryLookup::kNblContext);
  ConnectionId c = s.open();
  s.host->postSend(c, 10);
  NetBufferList* atTarget = s.target->pending(c, OffloadOp::kSend).front();
  ASSERT_EQ(atTarget->contextStack.size(), 3u);
  EXPECT_EQ(atTarget->contextStack[0].owner, s.im(2).driverId());  // the top IM pushed first
  EXPECT_EQ(atTarget->contextStack[2].owner, s.im(0).driverId());
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  s.expectCleanEnd();
}

TEST(ImDriver, TableLookupLeavesNoContextOnTheNbl) {
  StackUnderTest s(1, CallEntryLookup::kTableByNbl);
  ConnectionId c = s.open();
  s.host->postSend(c, 10);
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kSend).front()->contextStack.empty());
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  s.expectCleanEnd();
}

TEST(ImDriver, AllocationFailureCompletesFirstRequestUploadRestUploadRequested) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  s.im(0).faults().failSendCallEntries = 1;
  EXPECT_EQ(s.host->postSends(c, {10, 20, 30}), NdisStatus::kPending);
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kSend).empty());  // nothing passed down
  EXPECT_TRUE(s.host->completions().empty());                   // not inside the call
  s.ndis.runWorkItems();
  ASSERT_EQ(s.host->completions().size(), 3u);
  EXPECT_EQ(s.host->completions()[0].status, NdisStatus::kRequestUpload);
  EXPECT_EQ(s.host->completions()[1].status, NdisStatus::kUploadRequested);
  EXPECT_EQ(s.host->completions()[2].status, NdisStatus::kUploadRequested);
  EXPECT_EQ(s.host->completions()[2].bytesTransferred, 0u);
  s.expectCleanEnd();
}

TEST(ImDriver, FailureInTheMiddleOfAListPassesTheHeadDownAndFailsTheTail) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  s.host->postSends(c, {10});
  s.im(0).faults().failSendCallEntries = 1;
  s.host->postSends(c, {20, 30});
  EXPECT_EQ(s.target->pending(c, OffloadOp::kSend).size(), 1u);
  s.ndis.runWorkItems();
  EXPECT_TRUE(s.host->completions().empty());  // held behind the send below
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  ASSERT_EQ(s.host->completions().size(), 3u);
  EXPECT_EQ(s.host->completions()[0].status, NdisStatus::kSuccess);
  EXPECT_EQ(s.host->completions()[1].status, NdisStatus::kRequestUpload);
  EXPECT_EQ(s.host->completions()[2].status, NdisStatus::kUploadRequested);
  s.expectCleanEnd();
}

TEST(ImDriver, SendsAfterAnUploadRequestFailAsUploadRequested) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  s.im(0).faults().failSendCallEntries = 1;
  s.host->postSend(c, 10);
  s.host->postSend(c, 20);  // an entry could be allocated, but order forbids it
  s.ndis.runWorkItems();
  ASSERT_EQ(s.host->completions().size(), 2u);
  EXPECT_EQ(s.host->completions()[1].status, NdisStatus::kUploadRequested);
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kSend).empty());
  s.expectCleanEnd();
}

TEST(ImDriver, FailureInTheMiddleImOfThreeIsSeenOnlyAbove) {
  StackUnderTest s(3);
  ConnectionId c = s.open();
  s.im(1).faults().failSendCallEntries = 1;
  s.host->postSends(c, {10, 20});
  EXPECT_EQ(s.im(2).liveCallEntries(), 2u);  // the top IM passed both down
  EXPECT_EQ(s.im(0).liveCallEntries(), 0u);
  s.ndis.runWorkItems();
  ASSERT_EQ(s.host->completions().size(), 2u);
  EXPECT_EQ(s.host->completions()[0].status, NdisStatus::kRequestUpload);
  EXPECT_EQ(s.liveImEntries(), 0u);
  s.expectCleanEnd();
}

// A connection with one send passed down to the target and, behind it, one
// the IM failed itself (no call entry left) and holds until the one below
// completes.
ConnectionId oneSendBelowAndOneHeld(StackUnderTest& s) {
  const ConnectionId c = s.open();
  s.host->postSend(c, 10);
  s.im(0).faults().failSendCallEntries = 1;
  s.host->postSend(c, 20);
  return c;
}

TEST(ImDriver, HeldFailedSendsCompleteBeforeTheDisconnect) {
  StackUnderTest s(1);
  const ConnectionId c = oneSendBelowAndOneHeld(s);
  s.host->postDisconnect(c, /*abortive=*/false);
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess);
  ASSERT_EQ(s.host->completions().size(), 3u);
  EXPECT_EQ(s.host->completions()[2].kind, OffloadOp::kDisconnect);
  s.expectCleanEnd();
}

TEST(ImDriver, TerminateFlushesHeldSendsBeforeItCompletes) {
  StackUnderTest s(1);
  const ConnectionId c = oneSendBelowAndOneHeld(s);
  s.target->deferTerminate = true;
  s.host->terminate(c);
  s.target->finishTerminate(c);
  ASSERT_EQ(s.host->completions().size(), 2u);
  EXPECT_EQ(s.host->completions()[0].status, NdisStatus::kUploadInProgress);
  EXPECT_EQ(s.host->completions()[1].status, NdisStatus::kRequestUpload);
  EXPECT_EQ(s.host->state(c), HostStack::ConnState::kTerminated);
  s.expectCleanEnd();
}

// A lower driver that completes the terminate while a send is still below
// breaks the NDIS rules; the IM still hands up the sends it failed itself
// before the terminate completion, since nothing may name the connection
// after it.
TEST(ImDriver, TerminateFlushesHeldSendsEvenWithASendStillBelow) {
  StackUnderTest s(1);
  const ConnectionId c = oneSendBelowAndOneHeld(s);
  s.target->terminateKeepsRequests = true;
  s.host->terminate(c);
  ASSERT_EQ(s.host->state(c), HostStack::ConnState::kTerminated);
  ASSERT_EQ(s.host->completions().size(), 1u);
  EXPECT_EQ(s.host->completions()[0].status, NdisStatus::kRequestUpload);
  EXPECT_EQ(s.im(0).tables().heldSends, 0u);
  EXPECT_EQ(s.target->pending(c, OffloadOp::kSend).size(), 1u);  // the target's own fault
}

// An IM's own tables: after a terminate nothing of the connection is left,
// the other connection is still known.
TEST(ImDriver, TablesHoldOnlyTheLiveConnectionsAfterATerminate) {
  StackUnderTest s(2);
  ConnectionId a = s.open();
  ConnectionId b = s.open();
  s.host->postSend(a, 10);
  s.target->completeOldest(a, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  s.host->terminate(a);
  ASSERT_EQ(s.host->state(a), HostStack::ConnState::kTerminated);
  for (std::size_t i = 0; i < 2; ++i) {
    const ImTables t = s.im(i).tables();
    EXPECT_EQ(t.callEntries, 0u);
    EXPECT_EQ(t.entriesByNbl, 0u);
    EXPECT_EQ(t.blocks, 0u);
    EXPECT_EQ(t.heldSends, 0u);
    EXPECT_EQ(t.connections, 1u);
    EXPECT_EQ(t.lowerHandles, 1u);
  }
  EXPECT_EQ(s.host->state(b), HostStack::ConnState::kOffloaded);
}

// The fault the closing checks must catch: a terminate's block entry kept.
TEST(ImDriver, AKeptTerminateBlockShowsInItsTables) {
  StackUnderTest s(2);
  s.im(1).faults().keepTerminateBlocks = true;
  ConnectionId c = s.open();
  s.host->terminate(c);
  EXPECT_EQ(s.im(0).tables().blocks, 0u);
  EXPECT_EQ(s.im(1).tables().blocks, 1u);
}

// The host hands a terminated connection's block to the next connection:
// the IMs key their block entries by address, and the new connection's
// initiate, traffic and terminate still go where they belong.
TEST(ImDriver, AReusedBlockAddressWorksForTheNextConnection) {
  StackUnderTest s(2);
  ConnectionId a = s.open();
  const OffloadBlock* first = s.host->offloadBlock(a);
  ASSERT_NE(first, nullptr);  // an offloaded connection has its block
  s.host->terminate(a);
  ConnectionId b = s.open();
  ASSERT_NE(a, b);
  EXPECT_EQ(s.host->offloadBlock(b), first);  // same address, next connection
  s.host->postSends(b, {10, 20});
  s.target->completeOldest(b, OffloadOp::kSend, 2, NdisStatus::kSuccess);
  s.host->terminate(b);
  EXPECT_EQ(s.host->state(a), HostStack::ConnState::kTerminated);
  EXPECT_EQ(s.host->state(b), HostStack::ConnState::kTerminated);
  EXPECT_EQ(s.host->stats(b).sendsCompleted, 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const ImTables t = s.im(i).tables();
    EXPECT_EQ(t.blocks, 0u);
    EXPECT_EQ(t.connections, 0u);
    EXPECT_EQ(t.lowerHandles, 0u);
  }
  s.expectCleanEnd();
}

}  // namespace
}  // namespace chimney::test
