// Queue pairs of the behavioural device: CQ phase and wrap, full-ring and
// request-table stalls, doorbell errors, DMA errors with loss-free resume,
// and the per-step rate limits.
#include "behavioural_device_fixture.h"

namespace chimney::test {
namespace {

using prm::CplStatus;
using prm::CplType;
using prm::EventType;
using namespace prm::reg;

class DeviceQueues : public DeviceTest {
 protected:
  void SetUp() override {
    enableDevice();
    setUpQp(0, 2, 2);  // 4-entry rings
    setUpQp(1, 4, 4);
    offload(1, 0);
    offload(2, 1);
  }
  // n sends on conn 1, each acknowledged, tags first..first+n-1.
  void sendsAcked(unsigned n, uint64_t first) {
    for (unsigned i = 0; i < n; ++i) {
      send(0, 1, 10, first + i);
      dev.step();
      ack(1, 10);
    }
  }
};

TEST_F(DeviceQueues, CompletionPhaseFlipsAtEachWrap) {
  sendsAcked(4, 1);
  auto c = drain(0);
  ASSERT_EQ(c.size(), 4u);
  for (const auto& x : c) EXPECT_TRUE(x.phase);
  sendsAcked(4, 5);
  c = drain(0);
  ASSERT_EQ(c.size(), 4u);
  for (const auto& x : c) EXPECT_FALSE(x.phase);
  EXPECT_EQ(c[0].tag, 5u);
  EXPECT_EQ(qpReg(0, kCqTail), 8u);
}

TEST_F(DeviceQueues, FullCqStallsOnlyItsOwnQueuePair) {
  sendsAcked(4, 1);
  send(0, 1, 10, 5);
  send(1, 2, 10, 6);
  dev.step();
  event(EventType::kAck, 1, 10);
  event(EventType::kAck, 2, 10);
  dev.run(3);
  EXPECT_EQ(qpReg(0, kCqTail), 4u);  // full: waits
  EXPECT_EQ(dev.queuePair(0).pending.size(), 1u);
  EXPECT_EQ(drain(1).size(), 1u);  // the other queue pair completes
  const auto first = drain(0);     // frees the ring
  EXPECT_EQ(first.size(), 4u);
  dev.step();
  const auto c = drain(0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].tag, 5u);
}

TEST_F(DeviceQueues, FullRequestTableStallsFetchingWithoutDropping) {
  // 16 request slots; each outstanding send holds one.
  for (unsigned i = 0; i < 16; ++i) send(1, 2, 1, i);
  dev.step();
  EXPECT_EQ(dev.requestSlotsInUse(), 16u);
  send(0, 1, 1, 100);
  dev.run(3);
  EXPECT_EQ(qpReg(0, kSqHead), 0u);  // stalled, not dropped
  event(EventType::kAck, 2, 1);
  dev.step();  // the ACK completes one send; its slot frees when the descriptor commits
  dev.step();
  EXPECT_EQ(qpReg(0, kSqHead), 1u);
  EXPECT_EQ(works().size(), 17u);
}

TEST_F(DeviceQueues, SqDoorbellBeyondRingIsIgnoredWithDoorbellError) {
  setQpReg(1, kSqTail, 17);  // ring of 16
  EXPECT_EQ(qpReg(1, kSqTail), 0u);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDoorbell);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, 1u);
  setQpReg(1, kSqTail, 16);  // exactly full is fine
  EXPECT_EQ(qpReg(1, kSqTail), 16u);
}

TEST_F(DeviceQueues, CqHeadBeyondTailIsIgnoredWithDoorbellError) {
  sendsAcked(2, 1);
  setQpReg(0, kCqHead, 3 | prm::kCqHeadArm);
  EXPECT_EQ(qpReg(0, kCqHead) & 0xFFFF, 0u);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDoorbell);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, 0u);
}

TEST_F(DeviceQueues, RejectedCqHeadWithArmDoesNotReArm) {
  sendsAcked(1, 1);  // fires and disarms
  ASSERT_EQ(qpReg(0, kQpStatus) & prm::qpstatus::kArmed, 0u);
  setQpReg(0, kCqHead, 2 | prm::kCqHeadArm);  // beyond CQ_TAIL = 1
  EXPECT_EQ(qpReg(0, kQpStatus) & prm::qpstatus::kArmed, 0u);
}

TEST_F(DeviceQueues, TerminateDoneGoesToTheConnectionsQueuePair) {
  EXPECT_EQ(command(2, 0, prm::ConnOp::kTerminate), prm::CmdResult::kOk);
  dev.step();
  EXPECT_TRUE(drain(0).empty());
  EXPECT_TRUE(cplsAre(drain(1), {{0, CplType::kTerminateDone, CplStatus::kSuccess, 0, 2}}));
}

TEST_F(DeviceQueues, FetchDmaErrorHaltsQueuePairAndReportsIt) {
  dev.failNextFetch(1);
  send(1, 2, 10, 1);
  dev.step();
  EXPECT_EQ(qpReg(1, kQpStatus) & prm::qpstatus::kHalted, prm::qpstatus::kHalted);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDmaRd);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, 1u);
  EXPECT_EQ(reg(kCntDmaErr), 1u);
  EXPECT_EQ(qpReg(1, kSqHead), 0u);
  EXPECT_EQ(irqs, (std::vector<unsigned>{2}));
}

// Two failures asked for fail two fetches, one after the other (the second
// after the queue pair is re-enabled), and are counted as injected.
TEST_F(DeviceQueues, FetchFailuresAskedTwiceFailTwoFetches) {
  dev.failNextFetch(1);
  dev.failNextFetch(1);
  send(1, 2, 10, 1);
  dev.step();
  EXPECT_EQ(dev.injectedFetchErrors(), 1u);
  setQpReg(1, kQpCtrl, 0);
  setQpReg(1, kQpCtrl, prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
  dev.step();
  EXPECT_EQ(dev.injectedFetchErrors(), 2u);
  EXPECT_EQ(reg(kCntDmaErr), 2u);
  EXPECT_EQ(qpReg(1, kSqHead), 0u);
  setQpReg(1, kQpCtrl, 0);
  setQpReg(1, kQpCtrl, prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
  dev.step();
  EXPECT_EQ(qpReg(1, kSqHead), 1u);
  EXPECT_EQ(dev.injectedFetchErrors(), 2u);
  EXPECT_EQ(dev.injectedCplWriteErrors(), 0u);
}

TEST_F(DeviceQueues, HaltedQueuePairIssuesNoDmaAndOthersCarryOn) {
  dev.failNextFetch(1);
  send(1, 2, 10, 1);
  dev.step();
  send(0, 1, 10, 2);
  send(1, 2, 10, 3);
  const uint64_t reads = dev.sparseMemory().dmaReadCount();
  dev.run(3);
  EXPECT_EQ(dev.sparseMemory().dmaReadCount(), reads + 1);  // queue pair 0 only
  EXPECT_EQ(qpReg(1, kSqHead), 0u);
  EXPECT_EQ(qpReg(0, kSqHead), 1u);
}

TEST_F(DeviceQueues, ReenablingAfterFetchErrorResumesFromSqHead) {
  dev.failNextFetch(1);
  send(1, 2, 10, 1);
  send(1, 2, 20, 2);
  dev.step();
  setQpReg(1, kQpCtrl, 0);
  EXPECT_EQ(qpReg(1, kQpStatus) & prm::qpstatus::kHalted, 0u);  // clearing ENABLE clears HALTED
  setQpReg(1, kQpCtrl, prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
  dev.step();
  EXPECT_EQ(works(), (std::vector<prm::Work>{{prm::WorkType::kTxData, 2, 10},
                                             {prm::WorkType::kTxData, 2, 20}}));
}

TEST_F(DeviceQueues, CompletionWriteErrorLosesNoDescriptor) {
  send(1, 2, 10, 1);
  send(1, 2, 10, 2);
  dev.step();
  dev.failNextCompletionWrite(1);
  ack(2, 20);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDmaWr);
  EXPECT_EQ(qpReg(1, kCqTail), 0u);
  EXPECT_TRUE(drain(1).empty());
  setQpReg(1, kQpCtrl, 0);
  setQpReg(1, kQpCtrl, prm::qpctrl::kEnable);
  dev.step();
  const auto c = drain(1);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].tag, 1u);
  EXPECT_EQ(c[1].tag, 2u);
}

TEST_F(DeviceQueues, RingsMovedWhileDisabledAreUsedOnResume) {
  dev.failNextCompletionWrite(1);
  send(1, 2, 10, 1);
  dev.step();
  ack(2, 10);
  setQpReg(1, kQpCtrl, 0);
  const uint64_t cq = dev.memory().allocate(prm::kCqEntryBytes << 4, 4096);
  setQpReg(1, kCqBaseLo, uint32_t(cq));
  setQpReg(1, kCqBaseHi, uint32_t(cq >> 32));
  setQpReg(1, kQpCtrl, prm::qpctrl::kEnable);
  dev.step();
  rings[1].cq = cq;  // CQ_TAIL stayed 0: the descriptor goes to slot 0 of the new ring
  const auto c = drain(1);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].tag, 1u);
}

TEST_F(DeviceQueues, StrayDmaIsRefusedCountedAndTreatedAsDmaError) {
  setQpReg(1, kQpCtrl, 0);
  setQpReg(1, kSqBaseLo, 0x4000'0000);  // not mapped
  setQpReg(1, kSqBaseHi, 0);
  setQpReg(1, kQpCtrl, prm::qpctrl::kEnable);
  setQpReg(1, kSqTail, 1);
  dev.step();
  EXPECT_EQ(dev.sparseMemory().strayDmaCount(), 1u);
  EXPECT_EQ(dev.sparseMemory().lastStrayAddress(), 0x4000'0000u);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDmaRd);
}

TEST_F(DeviceQueues, DmaFailRangeFailsEveryAccessInsideIt) {
  dev.failDmaRange(rings[0].cq, rings[0].cq + 16);
  sendsAcked(1, 1);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDmaWr);
  dev.clearDmaFailRange();
  setQpReg(0, kQpCtrl, 0);
  setQpReg(0, kQpCtrl, prm::qpctrl::kEnable);
  dev.step();
  EXPECT_EQ(drain(0).size(), 1u);
}

TEST_F(DeviceQueues, DisabledQueuePairKeepsItsPointersAndCarriesOn) {
  sends({10});
  setQpReg(0, kQpCtrl, 0);
  event(EventType::kAck, 1, 10);
  send(0, 1, 10, 2);
  dev.run(2);
  EXPECT_EQ(qpReg(0, kSqHead), 1u);
  EXPECT_EQ(qpReg(0, kCqTail), 0u);
  setQpReg(0, kQpCtrl, prm::qpctrl::kEnable);
  dev.step();
  EXPECT_EQ(qpReg(0, kSqHead), 2u);
  EXPECT_EQ(drain(0).size(), 1u);
}

TEST_F(DeviceQueues, RateLimitsSpreadWorkOverSteps) {
  BehaviouralDevice::Config cfg = smallConfig();
  cfg.fetchPerStep = 1;
  cfg.cplPerStep = 1;
  BehaviouralDevice d(cfg);
  d.write32(kCtrl, prm::ctrl::kEnable);
  const uint64_t sq = d.memory().allocate(std::size_t{32} * 16, 4096);
  const uint64_t cq = d.memory().allocate(std::size_t{16} * 16, 4096);
  d.write32(prm::reg::qp(0, kSqBaseLo), uint32_t(sq));
  d.write32(prm::reg::qp(0, kSqBaseHi), uint32_t(sq >> 32));
  d.write32(prm::reg::qp(0, kCqBaseLo), uint32_t(cq));
  d.write32(prm::reg::qp(0, kCqBaseHi), uint32_t(cq >> 32));
  d.write32(prm::reg::qp(0, kSqSize), 4);
  d.write32(prm::reg::qp(0, kCqSize), 4);
  d.write32(prm::reg::qp(0, kQpCtrl), prm::qpctrl::kEnable);
  for (uint16_t i = 0; i < 3; ++i) {
    const auto b = prm::encodeRequest(req(prm::Opcode::kSend, 99, 1, i));  // INVALID_CONN
    d.memory().write(sq + uint64_t{32} * i, b.data(), b.size());
  }
  d.write32(prm::reg::qp(0, kSqTail), 3);
  d.step();
  EXPECT_EQ(d.read32(prm::reg::qp(0, kSqHead)).value, 1u);
  EXPECT_EQ(d.read32(prm::reg::qp(0, kCqTail)).value, 1u);
  d.run(2);
  EXPECT_EQ(d.read32(prm::reg::qp(0, kCqTail)).value, 3u);
}

TEST_F(DeviceQueues, RunUntilIdleWaitsForAPendingModerationTimer) {
  setQpReg(0, kIrqModCount, 10);
  setQpReg(0, kIrqModTimer, 25);
  sends({10});
  event(EventType::kAck, 1, 10);
  dev.runUntilIdle(1000);
  EXPECT_EQ(irqs, (std::vector<unsigned>{0}));
  EXPECT_TRUE(dev.idle());
}

TEST_F(DeviceQueues, RunUntilIdleStopsWhenNothingIsLeftToDo) {
  send(0, 1, 10, 1);
  event(EventType::kAck, 1, 10);  // matched before the fetch: a protocol error
  const uint64_t n = dev.runUntilIdle(100);
  EXPECT_LT(n, 100u);
  EXPECT_TRUE(dev.idle());
  EXPECT_EQ(dev.workPending(), 1u);
}

}  // namespace
}  // namespace chimney::test
