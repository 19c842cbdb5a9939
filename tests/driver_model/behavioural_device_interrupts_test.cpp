// Interrupt moderation of the behavioural device (PRM section 6,
// "Interrupts"): count, timer, ARM, fire at once on re-arm, error vector.
#include "behavioural_device_fixture.h"

namespace chimney::test {
namespace {

using prm::EventType;
using namespace prm::reg;

class DeviceInterrupts : public DeviceTest {
 protected:
  void SetUp() override {
    bringUp();
    offload(1, 0);
    offload(2, 1);
  }
  // One completion on conn 1 / queue pair 0 (an immediate INVALID_CONN one
  // posted through the SQ would do too; a send + ACK is the common case).
  void oneCompletion(uint64_t tag) {
    send(0, 1, 10, tag);
    dev.step();
    ack(1, 10);
  }
};

TEST_F(DeviceInterrupts, EveryDescriptorFiresWhenCountIsZeroOrOne) {
  oneCompletion(1);
  EXPECT_EQ(irqs, (std::vector<unsigned>{0}));
  EXPECT_EQ(reg(kCntIrq), 1u);
}

TEST_F(DeviceInterrupts, SendingDisarms) {
  oneCompletion(1);
  EXPECT_EQ(qpReg(0, kQpStatus) & prm::qpstatus::kArmed, 0u);
  oneCompletion(2);
  EXPECT_EQ(irqs.size(), 1u);
}

TEST_F(DeviceInterrupts, ReArmWithDescriptorsBeyondHeadFiresAtOnce) {
  oneCompletion(1);
  oneCompletion(2);
  irqs.clear();
  drain(0, false);
  setQpReg(0, kCqHead, 1 | prm::kCqHeadArm);  // the driver saw only one
  EXPECT_TRUE(irqs.empty());                  // never from inside a register access
  dev.step();
  EXPECT_EQ(irqs, (std::vector<unsigned>{0}));
}

TEST_F(DeviceInterrupts, ReArmWithEverythingConsumedWaitsForNewDescriptors) {
  oneCompletion(1);
  drain(0);
  arm(0);
  dev.run(5);
  EXPECT_EQ(irqs.size(), 1u);
  oneCompletion(2);
  EXPECT_EQ(irqs.size(), 2u);
}

TEST_F(DeviceInterrupts, ReArmRestartsCountModerationFromTheWrittenHead) {
  setQpReg(0, kIrqModCount, 2);
  oneCompletion(1);
  oneCompletion(2);  // fires (count 2), disarms
  oneCompletion(3);  // committed while disarmed
  ASSERT_EQ(irqs.size(), 1u);
  drain(0);  // consumes all three
  arm(0);    // head == tail: nothing unsignalled
  dev.step();
  oneCompletion(4);
  EXPECT_EQ(irqs.size(), 1u);  // one unsignalled of two
  oneCompletion(5);
  EXPECT_EQ(irqs.size(), 2u);
}

TEST_F(DeviceInterrupts, CountModerationWaitsForThatManyDescriptors) {
  setQpReg(0, kIrqModCount, 3);
  oneCompletion(1);
  oneCompletion(2);
  EXPECT_TRUE(irqs.empty());
  oneCompletion(3);
  EXPECT_EQ(irqs, (std::vector<unsigned>{0}));
}

TEST_F(DeviceInterrupts, TimerFiresThatManyCyclesAfterFirstUnsignalledDescriptor) {
  setQpReg(0, kIrqModCount, 100);
  setQpReg(0, kIrqModTimer, 10);
  oneCompletion(1);
  const uint64_t committed = dev.cycle();
  while (irqs.empty() && dev.cycle() < committed + 50) dev.step();
  EXPECT_EQ(dev.cycle(), committed + 10);
}

TEST_F(DeviceInterrupts, DisabledIrqSendsNothingUntilEnabled) {
  setQpReg(0, kQpCtrl, prm::qpctrl::kEnable);
  oneCompletion(1);
  EXPECT_TRUE(irqs.empty());
  setQpReg(0, kQpCtrl, prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
  dev.step();
  EXPECT_EQ(irqs, (std::vector<unsigned>{0}));
}

TEST_F(DeviceInterrupts, InterruptVectorIsTheQueuePair) {
  send(1, 2, 10, 1);
  dev.step();
  ack(2, 10);
  EXPECT_EQ(irqs, (std::vector<unsigned>{1}));
}

TEST_F(DeviceInterrupts, InterruptFollowsTheDescriptorsItAnnounces) {
  std::vector<uint16_t> tailAtIrq;
  dev.setInterruptHandler(
      [&](unsigned) { tailAtIrq.push_back(uint16_t(dev.read32(prm::reg::qp(0, kCqTail)).value)); });
  oneCompletion(1);
  ASSERT_EQ(tailAtIrq.size(), 1u);
  EXPECT_EQ(tailAtIrq[0], 1u);
}

TEST_F(DeviceInterrupts, HandlerMayReArmWithoutReentrantDelivery) {
  int depth = 0;
  int maxDepth = 0;
  int calls = 0;
  dev.setInterruptHandler([&](unsigned) {
    ++depth;
    ++calls;
    maxDepth = std::max(maxDepth, depth);
    const auto c = drain(0);
    arm(0);
    dev.step();  // a handler that steps the device does not nest delivery
    --depth;
  });
  oneCompletion(1);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(maxDepth, 1);
}

TEST_F(DeviceInterrupts, ErrorVectorFiresWhenAnErrStatusBitRises) {
  setQpReg(0, kSqTail, 100);
  setQpReg(0, kSqTail, 100);
  dev.step();
  EXPECT_EQ(irqs, (std::vector<unsigned>{2}));
  setReg(kErrStatus, prm::err::kDoorbell);
  setQpReg(0, kSqTail, 100);
  dev.step();
  EXPECT_EQ(irqs, (std::vector<unsigned>{2, 2}));
}

}  // namespace
}  // namespace chimney::test
