// Long runs: what the scoreboard and the host stack keep does not grow with
// the number of operations, and the checks that need state after an NBL
// completed (exactly once, call-entry lifetime) still catch violations late
// in a long run.
#include <gtest/gtest.h>

#include "stack_fixture.h"

namespace chimney::test {
namespace {

// Posts `rounds` x two sends and completes them, one round at a time.
void sendRounds(StackUnderTest& s, ConnectionId c, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    s.host->postSends(c, {10, 20});
    s.target->completeOldest(c, OffloadOp::kSend, 2, NdisStatus::kSuccess);
  }
}

TEST(BoundedState, ScoreboardRecordsDoNotGrowWithOperations) {
  StackUnderTest s(2);
  ConnectionId c = s.open();
  sendRounds(s, c, 10);
  const std::size_t early = s.scoreboard.trackedRecords();

  sendRounds(s, c, 2000);

  EXPECT_EQ(s.scoreboard.trackedRecords(), early);
  EXPECT_EQ(s.scoreboard.completionsSeen(), 2u * 2010u);
  s.expectCleanEnd();
}

TEST(BoundedState, ScoreboardRecordsDoNotGrowWithTableLookupIms) {
  StackUnderTest s(3, CallEntryLookup::kTableByNbl);
  ConnectionId c = s.open();
  sendRounds(s, c, 10);
  const std::size_t early = s.scoreboard.trackedRecords();

  sendRounds(s, c, 1000);

  EXPECT_EQ(s.scoreboard.trackedRecords(), early);
  s.expectCleanEnd();
}

// Terminated connections leave only their ids, kept as ranges (from the
// next open on): terminating 1 and 3 leaves two, terminating 2 then joins
// them into one, and 4 extends it. An id beyond the range stays unknown.
TEST(BoundedState, TerminatedIdsJoinIntoRanges) {
  StackUnderTest s(1);
  const ConnectionId a = s.open(), b = s.open(), c = s.open(), d = s.open();
  s.host->terminate(a);
  s.host->terminate(c);
  s.open();
  EXPECT_EQ(s.host->terminatedIdRanges(), 2u);
  s.host->terminate(b);
  s.open();
  EXPECT_EQ(s.host->terminatedIdRanges(), 1u);
  EXPECT_EQ(s.host->state(d), HostStack::ConnState::kOffloaded);
  s.host->terminate(d);
  s.open();
  EXPECT_EQ(s.host->terminatedIdRanges(), 1u);
  for (ConnectionId x : {a, b, c, d})
    EXPECT_EQ(s.host->state(x), HostStack::ConnState::kTerminated);
  // An id past the range, never offloaded, is not one of them.
  EXPECT_EQ(s.host->state(ConnectionId{d.value + 100}), HostStack::ConnState::kFailed);
}

TEST(BoundedState, Invariant1CatchesASendCompletedTwiceAfterManyOperations) {
  StackUnderTest s;
  ConnectionId c = s.open();
  sendRounds(s, c, 1000);

  completeASendTwice(s, c);

  EXPECT_TRUE(reported(s.scoreboard, 1)) << s.scoreboard.report();
}

TEST(BoundedState, Invariant14NamesACallEntryFreedTwiceAfterManyEntries) {
  StackUnderTest s(1, CallEntryLookup::kTableByNbl);
  ConnectionId c = s.open();
  sendRounds(s, c, 500);
  s.im(0).faults().doubleFreeCallEntries = true;

  s.host->postReceive(c, 10);
  s.target->completeOldest(c, OffloadOp::kReceive, 1, NdisStatus::kSuccess, 10);

  ASSERT_TRUE(reported(s.scoreboard, 14)) << s.scoreboard.report();
  EXPECT_NE(s.scoreboard.report().find(" twice"), std::string::npos) << s.scoreboard.report();
}

TEST(BoundedState, Invariant14NamesAFreeOfAnEntryNeverAllocated) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  sendRounds(s, c, 100);  // ids 1..200 allocated and freed

  s.scoreboard.onCallEntryFreed(s.im(0).driverId(), 100000);

  ASSERT_TRUE(reported(s.scoreboard, 14)) << s.scoreboard.report();
  EXPECT_NE(s.scoreboard.report().find("never allocated"), std::string::npos)
      << s.scoreboard.report();
}

TEST(BoundedState, Invariant14CatchesTwoLiveCallEntriesForOneNblPassedDown) {
  StackUnderTest s(1);
  ConnectionId c = s.open();
  s.host->postSend(c, 10);
  NetBufferList* nbl = s.target->pending(c, OffloadOp::kSend).front();
  s.target->completeOldest(c, OffloadOp::kSend, 1, NdisStatus::kSuccess);
  // The host's pool hands this NBL out again next; give it a stale entry.
  s.scoreboard.onCallEntryAllocated(s.im(0).driverId(), 999, nbl, OffloadOp::kSend);

  s.host->postSend(c, 20);

  ASSERT_EQ(s.target->pending(c, OffloadOp::kSend).front(), nbl);
  ASSERT_TRUE(reported(s.scoreboard, 14)) << s.scoreboard.report();
  EXPECT_NE(s.scoreboard.report().find("with 2 live call entries"), std::string::npos)
      << s.scoreboard.report();
}

TEST(BoundedState, HostWithoutCompletionRecordsStillCountsCompletions) {
  StackUnderTest s(1);
  s.host->keepCompletionRecords(false);
  ConnectionId c = s.open();

  sendRounds(s, c, 50);

  EXPECT_TRUE(s.host->completions().empty());
  EXPECT_EQ(s.host->completionCount(), 100u);
  EXPECT_EQ(s.host->stats(c).sendsCompleted, 100u);
  EXPECT_EQ(s.host->outstanding(), 0u);
}

}  // namespace
}  // namespace chimney::test
