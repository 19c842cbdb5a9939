// Every call of docs/spec/DRIVER-MODEL.md's table, down and up, through 0, 1 and 3 IM
// drivers (call entries found by NBL context and by table): the same
// pointers arrive at each end, statuses and bytes arrive unchanged, and the
// scoreboard stays clean.
#include <gtest/gtest.h>

#include <tuple>
#include <utility>

#include "stack_fixture.h"

namespace chimney::test {
namespace {

class StackRouting : public ::testing::TestWithParam<std::tuple<int, CallEntryLookup>> {
 protected:
  StackRouting() : s(std::get<0>(GetParam()), std::get<1>(GetParam())) {}
  void expectCleanEnd() {
    s.expectCleanEnd();
    EXPECT_EQ(s.liveImEntries(), 0u);
    EXPECT_EQ(s.host->outstanding(), 0u);
  }
  // Indicates 800 bytes on a new connection whose host takes what `accept` says: the host
  // holds nothing, the indication answers `status` and `consumed` (set to `consumedBefore`
  // before the call) becomes `consumedAfter`.
  void expectReturnedAtOnce(HostStack::AcceptPolicy accept, uint32_t consumedBefore,
                            NdisStatus status, uint32_t consumedAfter) {
    ConnectionId c = s.open();
    s.host->setAcceptPolicy(std::move(accept));
    uint32_t consumed = consumedBefore;
    EXPECT_EQ(s.target->indicate(c, 800, &consumed), status);
    EXPECT_EQ(consumed, consumedAfter);
    EXPECT_EQ(s.host->heldIndications(), 0u);
    expectCleanEnd();
  }
  StackUnderTest s;
};

TEST_P(StackRouting, SendListReachesTargetAsSamePointersAndCompletesToHost) {
  ConnectionId c = s.open();
  ASSERT_EQ(s.host->postSends(c, {100, 200, 300}), NdisStatus::kPending);
  auto& atTarget = s.target->pending(c, OffloadOp::kSend);
  ASSERT_EQ(atTarget.size(), 3u);
  EXPECT_EQ(atTarget[0]->firstNetBuffer->dataLength, 100u);
  EXPECT_EQ(atTarget[2]->firstNetBuffer->dataLength, 300u);
  s.target->completeOldest(c, OffloadOp::kSend, 3, NdisStatus::kSuccess);
  ASSERT_EQ(s.host->completions().size(), 3u);
  EXPECT_EQ(s.host->completions()[1].bytesTransferred, 200u);
  EXPECT_EQ(s.host->completions()[1].kind, OffloadOp::kSend);
  EXPECT_EQ(s.host->stats(c).sendBytesTransferred, 600u);
  expectCleanEnd();
}

TEST_P(StackRouting, TargetGetsItsOwnOffloadHandlePerLayer) {
  ConnectionId c = s.open();
  const NdisOffloadHandle hostHandle = s.host->offloadHandle(c);
  const NdisOffloadHandle targetHandle = s.target->handleOf(c);
  EXPECT_EQ(hostHandle == targetHandle, std::get<0>(GetParam()) == 0);
  EXPECT_EQ(s.ndis.connectionOf(targetHandle), c);
  expectCleanEnd();
}

TEST_P(StackRouting, ReceiveCompletesWithBytesPlacedAndNoPushPassedDown) {
  ConnectionId c = s.open();
  s.host->postReceive(c, 1000, /*noPush=*/true);
  ASSERT_EQ(s.target->pending(c, OffloadOp::kReceive).size(), 1u);
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kReceive).front()->tcpReceiveNoPush);
  s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 400);
  EXPECT_EQ(s.host->stats(c).receiveBytes, 400u);
  expectCleanEnd();
}

TEST_P(StackRouting, DisconnectFlagsPassDownAndCompletionComesBack) {
  ConnectionId c = s.open();
  s.host->postDisconnect(c, /*abortive=*/false, 50);
  FakeTarget::Conn* conn = s.target->find(s.target->handleOf(c));
  ASSERT_NE(conn, nullptr);
  ASSERT_EQ(conn->disconnectFlags.size(), 1u);
  EXPECT_EQ(conn->disconnectFlags[0], kTcpDisconnectGraceful);
  s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kSuccess);
  EXPECT_EQ(s.host->stats(c).disconnectsCompleted, 1u);
  expectCleanEnd();
}

TEST_P(StackRouting, MalformedRequestsPassDownAsPostedAndFailInvalidParameter) {
  ConnectionId c = s.open();
  ASSERT_EQ(s.host->postDisconnectFlags(c, 0), NdisStatus::kPending);
  ASSERT_EQ(s.host->postShortBuffer(c, OffloadOp::kReceive, 100), NdisStatus::kPending);
  EXPECT_EQ(s.host->postShortBuffer(c, OffloadOp::kReceive, 0), NdisStatus::kInvalidParameter);
  FakeTarget::Conn* conn = s.target->find(s.target->handleOf(c));
  ASSERT_NE(conn, nullptr);
  ASSERT_EQ(conn->disconnectFlags.size(), 1u);
  EXPECT_EQ(conn->disconnectFlags[0], 0u);
  auto& receives = s.target->pending(c, OffloadOp::kReceive);
  ASSERT_EQ(receives.size(), 1u);
  const NetBuffer& nb = *receives[0]->firstNetBuffer;
  EXPECT_EQ(nb.dataLength, 100u);
  EXPECT_FALSE(receives[0]->tcpReceiveNoPush);  // only its buffer is malformed
  ASSERT_EQ(nb.mdlChain.size(), 1u);
  EXPECT_EQ(nb.mdlChain[0].byteCount, 99u);  // one byte short of its data
  s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kInvalidParameter);
  s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kInvalidParameter);
  ASSERT_EQ(s.host->completions().size(), 2u);
  EXPECT_EQ(s.host->completions()[1].status, NdisStatus::kInvalidParameter);
  expectCleanEnd();
}

// Only its buffer is malformed: a short-buffer DISCONNECT is a graceful one,
// a short-buffer SEND has no flags.
TEST_P(StackRouting, AShortBufferRequestKeepsTheFlagsOfItsOperation) {
  ConnectionId c = s.open();
  ASSERT_EQ(s.host->postShortBuffer(c, OffloadOp::kDisconnect, 10), NdisStatus::kPending);
  ASSERT_EQ(s.host->postShortBuffer(c, OffloadOp::kSend, 10), NdisStatus::kPending);
  FakeTarget::Conn* conn = s.target->find(s.target->handleOf(c));
  ASSERT_NE(conn, nullptr);
  ASSERT_EQ(conn->disconnectFlags.size(), 1u);
  EXPECT_EQ(conn->disconnectFlags[0], kTcpDisconnectGraceful);
  auto& sends = s.target->pending(c, OffloadOp::kSend);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0]->firstNetBuffer->mdlChain[0].byteCount, 9u);
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kInvalidParameter);
  s.target->completeOldest(c, OffloadOp::kDisconnect, 1, NdisStatus::kInvalidParameter);
  ASSERT_EQ(s.host->completions().size(), 2u);
  expectCleanEnd();
}

TEST_P(StackRouting, ForwardCompletes) {
  ConnectionId c = s.open();
  s.host->postForwards(c, {64, 64});
  s.target->completeOldest(c, OffloadOp::kForward, 2, NdisStatus::kSuccess);
  EXPECT_EQ(s.host->stats(c).forwardsCompleted, 2u);
  expectCleanEnd();
}

TEST_P(StackRouting, AcceptedIndicationComesBackThroughReceiveReturn) {
  ConnectionId c = s.open();
  uint32_t consumed = 0;
  EXPECT_EQ(s.target->indicate(c, 700, &consumed), NdisStatus::kSuccess);
  EXPECT_EQ(consumed, 700u);
  EXPECT_EQ(s.host->heldIndications(), 1u);
  s.host->returnIndications();
  ASSERT_EQ(s.target->returned().size(), 1u);
  EXPECT_EQ(s.target->returned()[0], s.target->lastIndicated());
  EXPECT_EQ(s.target->indicatedOutstanding(), 0u);
  expectCleanEnd();
}

TEST_P(StackRouting, PartlyAcceptedIndicationReturnsToTargetAtOnce) {
  expectReturnedAtOnce([](ConnectionId, uint32_t available) { return available / 4; }, 0,
                       NdisStatus::kOffloadDataPartiallyAccepted, 200);
}

TEST_P(StackRouting, RefusedIndicationReturnsToTargetAtOnce) {
  expectReturnedAtOnce([](ConnectionId, uint32_t) { return 0u; }, 99,
                       NdisStatus::kOffloadDataNotAccepted, 0);
}

TEST_P(StackRouting, FinAndRstEventsReachTheHost) {
  ConnectionId a = s.open();
  ConnectionId b = s.open();
  s.target->event(a, OffloadEvent::kDisconnect);
  s.target->event(b, OffloadEvent::kAbort);
  EXPECT_TRUE(s.host->stats(a).peerFin);
  EXPECT_FALSE(s.host->stats(a).peerAbort);
  EXPECT_TRUE(s.host->stats(b).peerAbort);
  expectCleanEnd();
}

// Receives posted without asking for NoPush, as a list and alone, go down
// with the flag clear.
TEST_P(StackRouting, ReceivesPostedWithoutNoPushGoDownWithItClear) {
  ConnectionId c = s.open();
  s.host->postReceives(c, {100, 200});
  s.host->postReceive(c, 50);
  const auto& pending = s.target->pending(c, OffloadOp::kReceive);
  ASSERT_EQ(pending.size(), 3u);
  for (const NetBufferList* nbl : pending) EXPECT_FALSE(nbl->tcpReceiveNoPush);
  s.target->completeOldest(c, OffloadOp::kReceive, 3, NdisStatus::kSuccess, 0);
  expectCleanEnd();
}

TEST_P(StackRouting, TerminateUploadsOutstandingRequestsBeforeItCompletes) {
  ConnectionId c = s.open();
  s.target->deferTerminate = true;
  s.host->postSends(c, {10, 20});
  s.host->postReceives(c, {100});
  s.host->terminate(c);
  EXPECT_EQ(s.host->state(c), HostStack::ConnState::kTerminating);
  s.target->finishTerminate(c);
  EXPECT_EQ(s.host->state(c), HostStack::ConnState::kTerminated);
  ASSERT_EQ(s.host->completions().size(), 3u);
  for (const HostCompletion& hc : s.host->completions()) {
    EXPECT_EQ(hc.status, NdisStatus::kUploadInProgress);
  }
  for (std::size_t i = 0; i < s.ims.size(); ++i) EXPECT_EQ(s.im(i).connections(), 0u);
  expectCleanEnd();
}

TEST_P(StackRouting, FailedOffloadLeavesConnectionFailed) {
  s.target->failInitiate = true;
  ConnectionId c = s.host->openConnection();
  EXPECT_EQ(s.host->state(c), HostStack::ConnState::kFailed);
  EXPECT_EQ(s.host->postSend(c, 10), NdisStatus::kInvalidParameter);
  for (std::size_t i = 0; i < s.ims.size(); ++i) EXPECT_EQ(s.im(i).connections(), 0u);
}

TEST_P(StackRouting, CompletionsOfTwoHostsGoToTheirIssuers) {
  std::unique_ptr<HostStack> second = s.addHost("host2");
  ConnectionId a = s.open();
  ConnectionId b = second->openConnection();
  s.host->postSend(a, 10);
  second->postSend(b, 20);
  // One completion list mixing both hosts' NBLs: NDIS splits it by SourceHandle.
  std::vector<NetBufferList*> both = s.target->takeFront(a, OffloadOp::kSend, 1);
  std::vector<NetBufferList*> other = s.target->takeFront(b, OffloadOp::kSend, 1);
  both.insert(both.end(), other.begin(), other.end());
  for (NetBufferList* nbl : both)
    finishNbl(nbl, NdisStatus::kSuccess, nbl->firstNetBuffer->dataLength);
  s.target->complete(OffloadOp::kSend, both);
  EXPECT_EQ(s.host->completions().size(), 1u);
  EXPECT_EQ(second->completions().size(), 1u);
  EXPECT_EQ(s.host->strayCompletions() + second->strayCompletions(), 0u);
  expectCleanEnd();
}

TEST_P(StackRouting, EveryNdisStatusReachesTheHostUnchanged) {
  ConnectionId c = s.open();
  const NdisStatus statuses[] = {NdisStatus::kSuccess, NdisStatus::kRequestAborted,
                                 NdisStatus::kUploadInProgress, NdisStatus::kInvalidParameter,
                                 NdisStatus::kInvalidState};
  for (NdisStatus st : statuses) {
    s.host->postReceive(c, 10);
    s.target->completeOldest(c, OffloadOp::kReceive, 1, st, st == NdisStatus::kSuccess ? 10 : 0);
    EXPECT_EQ(s.host->completions().back().status, st);
  }
}

INSTANTIATE_TEST_SUITE_P(
    ImDepths, StackRouting,
    ::testing::Combine(::testing::Values(0, 1, 3), ::testing::Values(CallEntryLookup::kNblContext,
                                                                     CallEntryLookup::kTableByNbl)),
    [](const ::testing::TestParamInfo<StackRouting::ParamType>& info) {
      return "Ims" + std::to_string(std::get<0>(info.param)) +
             (std::get<1>(info.param) == CallEntryLookup::kNblContext ? "Context" : "Table");
    });

// HostStack::stats() is the host's public account of a connection: each
// operation counts on its own counter, and a post the host refuses (no such
// connection, no buffers) changes none of them.
TEST(StackPosting, EachOperationCountsOnItsOwnCounterAndRefusedPostsCountNothing) {
  StackUnderTest s;
  const ConnectionId c = s.open();
  s.host->postSends(c, {10, 20});
  s.host->postReceives(c, {30, 40, 50}, false);
  const HostStack::ConnStats& st = s.host->stats(c);
  EXPECT_EQ(st.sendsPosted, 2u);
  EXPECT_EQ(st.receivesPosted, 3u);
  EXPECT_FALSE(st.disconnectPosted);

  ConnectionId unknown;
  unknown.value = c.value + 1000;
  EXPECT_EQ(s.host->postSends(unknown, {10}), NdisStatus::kInvalidParameter);
  EXPECT_EQ(s.host->postReceives(unknown, {10}, false), NdisStatus::kInvalidParameter);
  EXPECT_EQ(s.host->postSends(c, {}), NdisStatus::kInvalidParameter);
  EXPECT_EQ(st.sendsPosted, 2u);
  EXPECT_EQ(st.receivesPosted, 3u);
}

// A connection the host knows but has not offloaded (its initiate failed) or
// is uploading or has uploaded takes no post: each is refused, counts nothing
// and reaches no layer below.
TEST(StackPosting, ConnectionsNotOffloadedRefuseEveryPost) {
  StackUnderTest s;
  s.target->deferTerminate = true;
  const ConnectionId c = s.open();
  ASSERT_EQ(s.host->postSends(c, {10}), NdisStatus::kPending);
  s.host->terminate(c);
  ASSERT_EQ(s.host->state(c), HostStack::ConnState::kTerminating);
  const auto refusedEverything = [&](ConnectionId id) {
    EXPECT_EQ(s.host->postSends(id, {10}), NdisStatus::kInvalidParameter);
    EXPECT_EQ(s.host->postReceives(id, {20}, false), NdisStatus::kInvalidParameter);
    EXPECT_EQ(s.host->postForwards(id, {30}), NdisStatus::kInvalidParameter);
    EXPECT_EQ(s.host->postDisconnect(id, false, 0), NdisStatus::kInvalidParameter);
  };
  refusedEverything(c);
  EXPECT_EQ(s.host->stats(c).sendsPosted, 1u);
  EXPECT_EQ(s.host->stats(c).receivesPosted, 0u);
  EXPECT_FALSE(s.host->stats(c).disconnectPosted);
  EXPECT_EQ(s.target->pending(c, OffloadOp::kSend).size(), 1u);
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kReceive).empty());
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kForward).empty());
  EXPECT_TRUE(s.target->pending(c, OffloadOp::kDisconnect).empty());

  s.target->finishTerminate(c);
  ASSERT_EQ(s.host->state(c), HostStack::ConnState::kTerminated);
  refusedEverything(c);

  s.target->failInitiate = true;
  const ConnectionId failed = s.host->openConnection();
  ASSERT_EQ(s.host->state(failed), HostStack::ConnState::kFailed);
  refusedEverything(failed);
  EXPECT_EQ(s.host->outstanding(), 0u);
}

}  // namespace
}  // namespace chimney::test
