// PRM 6 "Interrupts": moderation by count and timer, ARM, immediate fire on
// re-arm, ordering after write responses, and the error vector.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class Interrupts : public RtlTest {
 protected:
  // Queue pair q with IRQ_ENABLE, the given moderation, armed, manual head.
  QueuePair& armed(unsigned q, uint16_t count, uint32_t timer) {
    QueuePair& p = qpair(q);
    p.setAutoHead(false);
    bench_.writeReg(qp(q, kIrqModCount), count);
    bench_.writeReg(qp(q, kIrqModTimer), timer);
    p.setEnabled(true, true);
    p.writeHead(true);
    return p;
  }
  void complete(QueuePair& p, unsigned n, uint64_t tag = 1) {
    for (unsigned i = 0; i < n; ++i) p.post(sendReq(tag + i, closedConn(), 1));
    p.ring();
    p.wait(n);
  }
  // complete(), then `cycles` more cycles for the interrupt logic to act.
  void completeThenRun(QueuePair& p, unsigned n, uint64_t cycles, uint64_t tag = 1) {
    complete(p, n, tag);
    bench_.run(cycles);
  }
  size_t irqs(unsigned v) { return bench_.irq().count(v); }
};

TEST_F(Interrupts, NoInterruptWithoutIrqEnable) {
  QueuePair& p = qpair(0);
  p.writeHead(true);
  completeThenRun(p, 3, 100);
  EXPECT_TRUE(bench_.irq().messages().empty());
}

TEST_F(Interrupts, CountModerationFiresAfterThatManyDescriptors) {
  const unsigned q = lastQp();
  QueuePair& p = armed(q, 4, 0);
  completeThenRun(p, 3, 100);
  EXPECT_EQ(irqs(q), 0u);
  completeThenRun(p, 1, 20, 4);
  EXPECT_EQ(irqs(q), 1u);
  EXPECT_EQ(reg(kCntIrq), 1u);
}

TEST_F(Interrupts, CountZeroAndOneFireOnEveryDescriptor) {
  for (uint16_t count : {0, 1}) {
    QueuePair& p = armed(uint8_t(count), count, 0);
    completeThenRun(p, 1, 20, 10 * count + 1);
    EXPECT_EQ(irqs(count), 1u) << "IRQ_MOD_COUNT " << count;
  }
}

TEST_F(Interrupts, SendingDisarmsUntilReArmed) {
  QueuePair& p = armed(0, 1, 0);
  EXPECT_NE(reg(qp(0, kQpStatus)) & prm::qpstatus::kArmed, 0u);
  EXPECT_NE(reg(qp(0, kCqHead)) & prm::kCqHeadArm, 0u);
  completeThenRun(p, 1, 20);
  EXPECT_EQ(irqs(0), 1u);
  EXPECT_EQ(reg(qp(0, kQpStatus)) & prm::qpstatus::kArmed, 0u);
  p.writeHead(false);
  completeThenRun(p, 2, 50, 2);
  EXPECT_EQ(irqs(0), 1u);
  p.writeHead(true);  // nothing beyond the head: no interrupt
  bench_.run(50);
  EXPECT_EQ(irqs(0), 1u);
  completeThenRun(p, 1, 20, 4);
  EXPECT_EQ(irqs(0), 2u);
}

TEST_F(Interrupts, ReArmWithCommittedDescriptorsBeyondTheHeadFiresAtOnce) {
  const unsigned q = lastQp();
  QueuePair& p = armed(q, 1, 0);
  completeThenRun(p, 1, 20);
  ASSERT_EQ(irqs(q), 1u);
  completeThenRun(p, 2, 50, 2);  // committed while disarmed; head not yet written
  ASSERT_EQ(irqs(q), 1u);
  // Re-arm with a head that leaves one descriptor unconsumed.
  bench_.writeReg(qp(q, kCqHead), uint32_t(p.cqHead() - 1) | prm::kCqHeadArm);
  const uint64_t armCycle = bench_.csr().responseCycle();
  bench_.run(20);
  ASSERT_EQ(irqs(q), 2u);
  EXPECT_LE(bench_.irq().messages().back().cycle, armCycle + 10);
}

TEST_F(Interrupts, TimerFiresThatManyCyclesAfterTheFirstUnsignalledDescriptor) {
  const unsigned q = lastQp();
  QueuePair& p = armed(q, 100, 300);
  complete(p, 1);
  const DmaBurst& b = bench_.axi().writes().back();
  bench_.runUntil([&] { return irqs(q) > 0; }, 1000, "the timer interrupt");
  const uint64_t at = bench_.irq().messages().back().cycle;
  EXPECT_GE(at, b.respCycle + 295);
  EXPECT_LE(at, b.respCycle + 330);
}

TEST_F(Interrupts, TimerOffMeansCountOnly) {
  QueuePair& p = armed(0, 3, 0);
  completeThenRun(p, 2, 2000);
  EXPECT_EQ(irqs(0), 0u);
}

TEST_F(Interrupts, NeverBeforeTheWriteResponsesOfTheDescriptors) {
  bench_.axi().config().writeLatency = 60;
  const unsigned q = lastQp();
  QueuePair& p = armed(q, 1, 0);
  complete(p, 1);
  bench_.runUntil([&] { return irqs(q) > 0; }, 500, "the interrupt");
  const DmaBurst& b = bench_.axi().writes().back();
  ASSERT_TRUE(b.done);
  EXPECT_GT(bench_.irq().messages().back().cycle, b.respCycle);
}

TEST_F(Interrupts, EachQueuePairUsesItsOwnVector) {
  const unsigned qa = lastQp(), qb = 0;
  QueuePair& pa = armed(qa, 1, 0);
  QueuePair& pb = armed(qb, 1, 0);
  completeThenRun(pa, 1, 20);
  EXPECT_EQ(irqs(qa), 1u);
  EXPECT_EQ(irqs(qb), 0u);
  completeThenRun(pb, 1, 20, 2);
  EXPECT_EQ(irqs(qb), 1u);
}

TEST_F(Interrupts, ErrorInterruptUsesVectorNumQpWhenAnErrStatusBitRises) {
  QueuePair& p = armed(0, 1, 0);
  bench_.writeReg(qp(0, kSqTail), 200);  // beyond a 64-entry ring: DOORBELL_ERR
  bench_.run(20);
  EXPECT_EQ(irqs(errorVector()), 1u);
  EXPECT_EQ(irqs(0), 0u);
  ASSERT_EQ(bench_.offload(outOfRangeConn(), 0), prm::CmdResult::kBadConn);  // CMD_ERR rises too
  bench_.run(20);
  EXPECT_EQ(irqs(errorVector()), 2u);
  (void)p;
}

TEST_F(Interrupts, MessageWaitsUnderBackPressure) {
  QueuePair& p = armed(0, 1, 0);
  bench_.irq().setReadyPercent(0);
  completeThenRun(p, 1, 200);
  EXPECT_EQ(irqs(0), 0u);
  bench_.irq().setReadyPercent(100);
  bench_.run(20);
  EXPECT_EQ(irqs(0), 1u);
}

}  // namespace
}  // namespace chimney::rtltest
