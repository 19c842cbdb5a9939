// Every configurable limit of the behavioural device and of the driver's
// bring-up, at its boundaries (PRM section 2: NUM_CONN 1..4096, NUM_QP
// 1..16, REQ_SLOTS 16..4096; SQ_SIZE / CQ_SIZE 1..15): the last value inside
// is accepted, the first outside refused.
#include <gtest/gtest.h>

#include <stdexcept>

#include "behavioural_device.h"
#include "offload_target_fake_device.h"
#include "offload_target_hw.h"

namespace chimney {
namespace {

using testing::FakeDevice;

BehaviouralDevice::Config limits(unsigned numConn, unsigned numQp, unsigned reqSlots) {
  BehaviouralDevice::Config c;
  c.numConn = numConn;
  c.numQp = numQp;
  c.reqSlots = reqSlots;
  return c;
}

TEST(CapsLimits, BehaviouralDeviceAcceptsEachLimitAndReportsItInCaps) {
  for (const auto& c : {limits(4096, 16, 4096), limits(1, 1, 16)}) {
    BehaviouralDevice dev(c);
    const RegRead caps0 = dev.read32(prm::reg::kCaps0);
    const RegRead caps1 = dev.read32(prm::reg::kCaps1);
    ASSERT_TRUE(caps0.ok && caps1.ok);
    EXPECT_EQ(caps0.value & 0xFFFF, c.numConn);
    EXPECT_EQ((caps0.value >> 16) & 0xFF, c.numQp);
    EXPECT_EQ(caps1.value & 0xFFFF, c.reqSlots);
  }
}

TEST(CapsLimits, BehaviouralDeviceRefusesTheFirstValueOutside) {
  EXPECT_THROW(BehaviouralDevice(limits(4097, 4, 256)), std::invalid_argument);
  EXPECT_THROW(BehaviouralDevice(limits(0, 4, 256)), std::invalid_argument);
  EXPECT_THROW(BehaviouralDevice(limits(64, 17, 256)), std::invalid_argument);
  EXPECT_THROW(BehaviouralDevice(limits(64, 0, 256)), std::invalid_argument);
  EXPECT_THROW(BehaviouralDevice(limits(64, 4, 4097)), std::invalid_argument);
  EXPECT_THROW(BehaviouralDevice(limits(64, 4, 15)), std::invalid_argument);
}

// The driver brings a device at either end of every range up, on the
// behavioural device itself.
TEST(CapsLimits, DriverBringsUpADeviceAtEveryLimit) {
  for (const auto& c : {limits(4096, 16, 4096), limits(1, 1, 16)}) {
    BehaviouralDevice dev(c);
    OffloadHardwareConfig hc;
    hc.sqLog2Entries = 1;
    hc.cqLog2Entries = 1;
    OffloadHardware hw(dev, hc);
    ASSERT_EQ(hw.initialize(), HwInitResult::kOk) << c.numConn << " conns";
    EXPECT_EQ(hw.caps().numConn, c.numConn);
    EXPECT_EQ(hw.caps().numQp, c.numQp);
    EXPECT_EQ(hw.caps().reqSlots, c.reqSlots);
    EXPECT_EQ(hw.queuePairCount(), c.numQp);
  }
}

HwInitResult bringUp(unsigned numQp, unsigned numConn, uint32_t reqSlots, unsigned log2 = 2) {
  FakeDevice dev(numQp, numConn);
  dev.reqSlots = reqSlots;
  OffloadHardwareConfig c;
  c.sqLog2Entries = log2;
  c.cqLog2Entries = log2;
  c.cmdPollLimit = 50;
  OffloadHardware hw(dev, c);
  return hw.initialize();
}

TEST(CapsLimits, DriverAcceptsCapsAtTheirLimitsAndRefusesOneBeyond) {
  EXPECT_EQ(bringUp(4, 64, 4096), HwInitResult::kOk);
  EXPECT_EQ(bringUp(4, 64, 4097), HwInitResult::kBadCaps);
  EXPECT_EQ(bringUp(4, 64, 16), HwInitResult::kOk);
  EXPECT_EQ(bringUp(4, 64, 15), HwInitResult::kBadCaps);
  EXPECT_EQ(bringUp(4, 4096, 256), HwInitResult::kOk);
  EXPECT_EQ(bringUp(4, 4097, 256), HwInitResult::kBadCaps);
  EXPECT_EQ(bringUp(4, 1, 256), HwInitResult::kOk);
  EXPECT_EQ(bringUp(4, 0, 256), HwInitResult::kBadCaps);
  EXPECT_EQ(bringUp(16, 64, 256), HwInitResult::kOk);
  EXPECT_EQ(bringUp(17, 64, 256), HwInitResult::kBadCaps);
  EXPECT_EQ(bringUp(1, 64, 256), HwInitResult::kOk);
}

TEST(CapsLimits, DriverAcceptsRingSizesOneToFifteenOnly) {
  EXPECT_EQ(bringUp(1, 64, 256, 1), HwInitResult::kOk);
  EXPECT_EQ(bringUp(1, 64, 256, 15), HwInitResult::kOk);
  EXPECT_EQ(bringUp(1, 64, 256, 0), HwInitResult::kBadConfig);
  EXPECT_EQ(bringUp(1, 64, 256, 16), HwInitResult::kBadConfig);
}

}  // namespace
}  // namespace chimney
