// Offload target: how CQ slots go back to the engine. The error DPC drains a
// halted queue pair whole, whatever the DPC budget; CQ_HEAD never passes
// CQ_TAIL, also without the CQ_TAIL check and when CQ_TAIL cannot be read;
// the dropped-send fault loses exactly one NBL. Played against FakeDevice.
#include <gtest/gtest.h>

#include <vector>

#include "offload_target_fixture.h"

namespace chimney {
namespace {

using testing::OffloadTargetTest;

// Every NBL delivered so far, over all completion calls, in order.
std::vector<NetBufferList*> delivered(const std::vector<testing::UpCall>& calls) {
  std::vector<NetBufferList*> all;
  for (const auto& c : calls) all.insert(all.end(), c.nbls.begin(), c.nbls.end());
  return all;
}

// A halted queue pair's CQ is drained before its rings move: a budget-limited
// run would leave descriptors in the ring that is then given up.
TEST_F(OffloadTargetTest, ErrorDpcDrainsMoreThanOneDpcBudgetBeforeTheRingsMove) {
  auto cfg = defaultConfig();
  cfg.dpcBudget = 2;
  const auto [h, q] = startWithOneConnection(cfg);
  std::vector<NetBufferList*> sent;
  for (uint32_t len : {10u, 20u, 30u, 40u, 50u}) {
    sent.push_back(sendAndComplete(h, len, prm::CplStatus::kSuccess, len));
  }

  dev->dmaError(q, true);

  EXPECT_EQ(delivered(calls), sent);
  EXPECT_EQ(target->outstandingRequests(), 0u);
  EXPECT_EQ(target->counters().dpcBudgetExhausted, 0u);
  EXPECT_EQ(target->counters().spuriousInterrupts, 0u);
  EXPECT_EQ(target->counters().recoveries, 1u);
  EXPECT_EQ(dev->doorbellErrors, 0u);
}

// An empty halted CQ is not a spurious interrupt: the error DPC looked there
// on purpose.
TEST_F(OffloadTargetTest, DrainingAnEmptyHaltedQueuePairIsNoSpuriousInterrupt) {
  const auto [h, q] = startWithOneConnection();
  (void)h;

  dev->dmaError(q, false);

  EXPECT_EQ(target->counters().spuriousInterrupts, 0u);
  EXPECT_EQ(target->counters().recoveries, 1u);
}

// Without the CQ_TAIL check the drain cannot tell what is committed: it hands
// back nothing beyond what it handed back before, and the next DPC, which
// waits for the commit, hands the slot back.
TEST_F(OffloadTargetTest, RecoveryWithoutTheCqTailCheckNeverWritesCqHeadBeyondCqTail) {
  auto cfg = defaultConfig();
  cfg.checkCqTail = false;
  const auto [h, q] = startWithOneConnection(cfg);
  NetBufferList* a = sendAndComplete(h, 10, prm::CplStatus::kSuccess, 10);

  dev->dmaError(q, true);

  EXPECT_EQ(delivered(calls), std::vector<NetBufferList*>{a});
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(dev->qp(q).cqHead, 0);
  irq(q);  // the committed slot not handed back yet
  EXPECT_EQ(dev->qp(q).cqHead, 1);
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(delivered(calls), std::vector<NetBufferList*>{a});
}

// A connection command that stays BUSY makes the target take the CQ's
// descriptors into its backlog. When CQ_TAIL cannot be read it cannot know
// they are committed, so CQ_HEAD stays where it was.
TEST_F(OffloadTargetTest, ReapWithoutCqTailKeepsCqHeadWhereItWas) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList* a = sendAndComplete(h, 10, prm::CplStatus::kSuccess, 10);
  dev->busyReadsPerCmd = 20;  // long enough for the reap to run
  dev->failReads.insert(prm::reg::qp(q, prm::reg::kCqTail));

  terminate(h);

  EXPECT_GE(target->counters().reaps, 1u);
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(dev->qp(q).cqHead, 0);
  dev->failReads.clear();
  irq(q);
  EXPECT_EQ(dev->doorbellErrors, 0u);
  EXPECT_EQ(dev->qp(q).cqHead, dev->qp(q).cqTail);
  EXPECT_EQ(delivered(calls).front(), a);
}

// The dropped-send fault loses the first NBL of one completion call and
// nothing else: the rest of that call still goes up, and a call left with no
// NBL is not made.
TEST_F(OffloadTargetTest, DroppedSendFaultLosesExactlyOneNbl) {
  auto cfg = defaultConfig();
  cfg.faults.dropSendCompletion = true;
  const auto [h, q] = startWithOneConnection(cfg);
  sendAndComplete(h, 10, prm::CplStatus::kSuccess, 10);
  NetBufferList* b = sendAndComplete(h, 20, prm::CplStatus::kSuccess, 20);

  irq(q);  // both in one chain: the first is dropped

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls, std::vector<NetBufferList*>{b});
}

TEST_F(OffloadTargetTest, DroppedSendFaultOnALoneNblMakesNoCall) {
  auto cfg = defaultConfig();
  cfg.faults.dropSendCompletion = true;
  const auto [h, q] = startWithOneConnection(cfg);
  sendAndComplete(h, 10, prm::CplStatus::kSuccess, 10);

  irq(q);

  EXPECT_TRUE(calls.empty());
  NetBufferList* c = sendAndComplete(h, 30, prm::CplStatus::kSuccess, 30);
  irq(q);  // the fault fired once
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls, std::vector<NetBufferList*>{c});
}

}  // namespace
}  // namespace chimney
