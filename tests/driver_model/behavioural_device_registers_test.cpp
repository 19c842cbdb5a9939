// Register file of the behavioural device (PRM section 3).
#include "behavioural_device_fixture.h"

namespace chimney::test {
namespace {

using namespace prm::reg;

class DeviceRegisters : public DeviceTest {};

TEST_F(DeviceRegisters, IdentityRegistersReadTheirFixedValues) {
  EXPECT_EQ(reg(kId), 0x4350'4C45u);
  EXPECT_EQ(reg(kVersion), 0x0001'0000u);
  EXPECT_EQ(reg(kCaps0), 16u | (2u << 16));
  EXPECT_EQ(reg(kCaps1), 16u);
}

TEST_F(DeviceRegisters, MisalignedAccessAnswersSlvErr) {
  EXPECT_FALSE(dev.read32(kId + 2).ok);
  EXPECT_FALSE(dev.write32(kConnCmdArg + 1, 5));
  EXPECT_EQ(reg(kConnCmdArg), 0u);
}

TEST_F(DeviceRegisters, PartialStrobeAnswersSlvErrAndChangesNothing) {
  EXPECT_FALSE(dev.writeStrobed(kConnCmdArg, 0x1234, 0x3));
  EXPECT_EQ(reg(kConnCmdArg), 0u);
  EXPECT_TRUE(dev.writeStrobed(kConnCmdArg, 0x1234, 0xF));
  EXPECT_EQ(reg(kConnCmdArg), 0x1234u);
}

TEST_F(DeviceRegisters, UnmappedAddressesAnswerSlvErr) {
  EXPECT_FALSE(dev.read32(0x001C).ok);
  EXPECT_FALSE(dev.read32(0x005C).ok);
  EXPECT_FALSE(dev.read32(prm::reg::qp(0, 0x38)).ok);
  EXPECT_FALSE(dev.read32(prm::reg::qp(2, kSqSize)).ok);  // NUM_QP is 2
  EXPECT_FALSE(dev.write32(prm::reg::qp(2, kSqSize), 3));
  EXPECT_FALSE(dev.write32(0x0FFC, 0));
}

TEST_F(DeviceRegisters, WriteToReadOnlyRegisterAnswersSlvErrAndChangesNothing) {
  EXPECT_FALSE(dev.write32(kId, 0));
  EXPECT_FALSE(dev.write32(kCntEvt, 7));
  EXPECT_FALSE(dev.write32(kConnCmdStatus, 0));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kSqHead), 3));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kCqTail), 3));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kQpStatus), 3));
  EXPECT_EQ(reg(kId), prm::kIdValue);
  EXPECT_EQ(qpReg(0, kSqHead), 0u);
}

TEST_F(DeviceRegisters, WriteOnlyConnCmdReadsZero) {
  offload(3, 1);
  EXPECT_EQ(reg(kConnCmd), 0u);
}

TEST_F(DeviceRegisters, RingBaseLowTwelveBitsAreIgnored) {
  setQpReg(0, kSqBaseLo, 0x1234'5678);
  setQpReg(0, kCqBaseLo, 0xFFFF'FFFF);
  setQpReg(0, kCqBaseHi, 0xABCD);
  EXPECT_EQ(qpReg(0, kSqBaseLo), 0x1234'5000u);
  EXPECT_EQ(qpReg(0, kCqBaseLo), 0xFFFF'F000u);
  EXPECT_EQ(qpReg(0, kCqBaseHi), 0xABCDu);
}

TEST_F(DeviceRegisters, RingGeometryWritesWhileEnabledAnswerSlvErr) {
  setUpQp(0, 4, 5);
  const uint32_t base = qpReg(0, kSqBaseLo);
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kSqBaseLo), 0x8000'0000));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kSqBaseHi), 7));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kCqBaseLo), 0x8000'0000));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kCqBaseHi), 7));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kSqSize), 3));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kCqSize), 3));
  EXPECT_EQ(qpReg(0, kSqBaseLo), base);
  EXPECT_EQ(qpReg(0, kSqSize), 4u);
  EXPECT_EQ(qpReg(0, kCqSize), 5u);
}

TEST_F(DeviceRegisters, RingSizeOutsideOneToFifteenAnswersSlvErr) {
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kSqSize), 0));
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kCqSize), 16));
  EXPECT_TRUE(dev.write32(prm::reg::qp(0, kSqSize), 15));
  EXPECT_EQ(qpReg(0, kSqSize), 15u);
  EXPECT_EQ(qpReg(0, kCqSize), 0u);
}

TEST_F(DeviceRegisters, EnablingQueuePairWithUnsetRingsAnswersSlvErr) {
  setQpReg(0, kSqSize, 4);
  EXPECT_FALSE(dev.write32(prm::reg::qp(0, kQpCtrl), prm::qpctrl::kEnable));
  EXPECT_EQ(qpReg(0, kQpStatus) & prm::qpstatus::kEnabled, 0u);
}

TEST_F(DeviceRegisters, WritingRingSizeZeroesBothPointersOfThatRing) {
  bringUp();
  offload(1, 0);
  send(0, 1, 10, 1);
  dev.step();
  EXPECT_EQ(qpReg(0, kSqHead), 1u);
  setQpReg(0, kQpCtrl, 0);
  setQpReg(0, kSqSize, 5);
  EXPECT_EQ(qpReg(0, kSqHead), 0u);
  EXPECT_EQ(qpReg(0, kSqTail), 0u);
}

TEST_F(DeviceRegisters, ErrStatusIsWriteOneToClear) {
  EXPECT_EQ(command(0, 0, prm::ConnOp(7)), prm::CmdResult::kBadOp);
  setReg(kQpBase + 0, 0);  // harmless
  setQpReg(0, kSqSize, 1);
  setQpReg(0, kSqTail, 5);  // doorbell beyond the ring
  EXPECT_EQ(reg(kErrStatus), prm::err::kCmd | prm::err::kDoorbell);
  setReg(kErrStatus, prm::err::kCmd);
  EXPECT_EQ(reg(kErrStatus), prm::err::kDoorbell);
}

TEST_F(DeviceRegisters, SoftResetRestoresResetStateAndReadsZero) {
  bringUp();
  offload(1, 0);
  setReg(kConnCmdArg, 99);
  setReg(kCtrl, prm::ctrl::kEnable | prm::ctrl::kSoftReset);
  EXPECT_EQ(reg(kCtrl), 0u);
  EXPECT_EQ(reg(kConnCmdArg), 0u);
  EXPECT_EQ(qpReg(0, kQpCtrl), 0u);
  EXPECT_EQ(qpReg(0, kSqSize), 0u);
  EXPECT_EQ(dev.conn(1).state, BehaviouralDevice::ConnState::kClosed);
  // The connection can be offloaded again: nothing survived.
  offload(1, 1);
}

TEST_F(DeviceRegisters, SoftResetDropsQueuedEventsWorkAndInterrupts) {
  bringUp();
  offload(1, 0);
  send(0, 1, 10, 1);
  dev.step();
  dev.pushEvent(prm::Event{prm::EventType::kAck, 0, 1, 10});
  setReg(kCtrl, prm::ctrl::kSoftReset);
  EXPECT_EQ(dev.workPending(), 0u);
  EXPECT_EQ(dev.eventsPending(), 0u);
  EXPECT_EQ(dev.requestSlotsInUse(), 0u);
  dev.step();
  EXPECT_TRUE(irqs.empty());
  EXPECT_EQ(reg(kCntEvt), 0u);
  EXPECT_TRUE(dev.idle());
}

TEST_F(DeviceRegisters, QueuePairStatusReflectsEnableAndArm) {
  setUpQp(0);
  EXPECT_EQ(qpReg(0, kQpStatus), prm::qpstatus::kEnabled | prm::qpstatus::kArmed);
  EXPECT_EQ(qpReg(0, kCqHead), prm::kCqHeadArm);
  EXPECT_EQ(qpReg(0, kQpCtrl), prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
}

}  // namespace
}  // namespace chimney::test
