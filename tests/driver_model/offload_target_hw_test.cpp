// Device-side layer of the offload target: bring-up, rings, connection
// commands, error registers, ring moves. Played against FakeDevice.
#include "offload_target_hw.h"

#include <gtest/gtest.h>

#include "offload_target_fake_device.h"

namespace chimney {
namespace {

using testing::FakeDevice;

OffloadHardwareConfig smallRings() {
  OffloadHardwareConfig c;
  c.sqLog2Entries = 2;
  c.cqLog2Entries = 2;
  c.cmdPollLimit = 50;
  return c;
}

TEST(OffloadHardware, InitializeProgramsEveryQueuePairEnabledAndArmed) {
  FakeDevice dev(3);
  OffloadHardware hw(dev, smallRings());

  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);

  EXPECT_EQ(hw.queuePairCount(), 3u);
  EXPECT_EQ(hw.errorVector(), 3u);
  EXPECT_EQ(dev.softResets, 1u);
  EXPECT_EQ(dev.ctrl, prm::ctrl::kEnable);
  for (unsigned q = 0; q < 3; ++q) {
    const auto& p = dev.qp(q);
    EXPECT_TRUE(p.enabled);
    EXPECT_TRUE(p.irqEnabled);
    EXPECT_TRUE(p.armed);
    EXPECT_EQ(p.sqLog2, 2u);
    EXPECT_EQ(p.cqLog2, 2u);
    EXPECT_EQ(p.sqBase, hw.queuePair(q).sq.base());
    EXPECT_EQ(p.cqBase, hw.queuePair(q).cq.base());
    EXPECT_EQ(p.sqBase % 4096, 0u);
    EXPECT_EQ(p.modCount, 1u);
  }
}

TEST(OffloadHardware, QueuePairCountIsLimitedByConfig) {
  FakeDevice dev(4);
  auto cfg = smallRings();
  cfg.queuePairs = 2;
  OffloadHardware hw(dev, cfg);
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  EXPECT_EQ(hw.queuePairCount(), 2u);
  EXPECT_EQ(hw.errorVector(), 4u);  // the error vector is the device's NUM_QP
  EXPECT_FALSE(dev.qp(2).enabled);
}

TEST(OffloadHardware, InitializeRejectsWrongId) {
  FakeDevice dev;
  dev.id = 0x12345678;
  OffloadHardware hw(dev, smallRings());
  EXPECT_EQ(hw.initialize(), HwInitResult::kBadId);
  EXPECT_FALSE(hw.initialized());
}

TEST(OffloadHardware, InitializeRejectsOtherMajorVersionAcceptsNewerMinor) {
  FakeDevice bad;
  bad.version = 0x0002'0000;
  OffloadHardware hwBad(bad, smallRings());
  EXPECT_EQ(hwBad.initialize(), HwInitResult::kBadVersion);

  FakeDevice good;
  good.version = 0x0001'0003;
  OffloadHardware hwGood(good, smallRings());
  EXPECT_EQ(hwGood.initialize(), HwInitResult::kOk);
}

TEST(OffloadHardware, InitializeRejectsOutOfRangeCaps) {
  FakeDevice dev(17);
  OffloadHardware hw(dev, smallRings());
  EXPECT_EQ(hw.initialize(), HwInitResult::kBadCaps);
}

// Each of the four identification reads, failing alone, stops the bring-up
// and is counted once.
TEST(OffloadHardware, InitializeReportsEachFailedIdentificationRead) {
  for (uint32_t off : {prm::reg::kId, prm::reg::kVersion, prm::reg::kCaps0, prm::reg::kCaps1}) {
    FakeDevice dev;
    dev.failReads.insert(off);
    OffloadHardware hw(dev, smallRings());
    EXPECT_EQ(hw.initialize(), HwInitResult::kRegisterError) << "register " << off;
    EXPECT_EQ(hw.counters().regReadErrors, 1u) << "register " << off;
    EXPECT_FALSE(hw.initialized());
  }
}

// Ring sizes outside the PRM's 1..15 (log2), in either ring alone, are
// refused before anything is programmed.
TEST(OffloadHardware, InitializeRefusesEitherRingSizeOutOfRange) {
  for (const auto& [sq, cq] : {std::pair{0u, 2u}, {16u, 2u}, {2u, 0u}, {2u, 16u}}) {
    FakeDevice dev;
    auto cfg = smallRings();
    cfg.sqLog2Entries = sq;
    cfg.cqLog2Entries = cq;
    OffloadHardware hw(dev, cfg);
    EXPECT_EQ(hw.initialize(), HwInitResult::kBadConfig) << "sq " << sq << " cq " << cq;
    EXPECT_FALSE(dev.qp(0).enabled);
  }
}

TEST(OffloadHardware, InitializeReportsRefusedRegisterWrite) {
  FakeDevice dev;
  dev.failWrites.insert(prm::reg::qp(1, prm::reg::kCqSize));
  OffloadHardware hw(dev, smallRings());
  EXPECT_EQ(hw.initialize(), HwInitResult::kRegisterError);
  EXPECT_GE(hw.counters().regWriteErrors, 1u);
}

// The registers the bring-up writes itself (not through the ring layer):
// each one refused fails the bring-up and is counted.
TEST(OffloadHardware, InitializeReportsEachRefusedControlRegisterWrite) {
  using namespace prm::reg;
  for (uint32_t off :
       {kCtrl, kErrStatus, qp(0, kQpCtrl), qp(0, kIrqModCount), qp(0, kIrqModTimer)}) {
    FakeDevice dev(1);
    dev.failWrites.insert(off);
    OffloadHardware hw(dev, smallRings());
    EXPECT_EQ(hw.initialize(), HwInitResult::kRegisterError) << "register " << off;
    EXPECT_GE(hw.counters().regWriteErrors, 1u) << "register " << off;
  }
}

// A refused CONN_CMD_ARG or CONN_CMD write fails the command at once: it is
// not reported as carried out, and the status is not polled for it.
TEST(OffloadHardware, ARefusedConnCmdWriteFailsTheCommand) {
  for (uint32_t off : {prm::reg::kConnCmdArg, prm::reg::kConnCmd}) {
    FakeDevice dev;
    OffloadHardware hw(dev, smallRings());
    ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
    dev.failWrites.insert(off);
    const uint64_t reads = dev.reads;
    const CmdOutcome out = hw.connCommand(7, 0, prm::ConnOp::kOffload, 0);
    EXPECT_FALSE(out.completed) << "register " << off;
    EXPECT_FALSE(out.ok()) << "register " << off;
    EXPECT_EQ(hw.counters().regWriteErrors, 1u) << "register " << off;
    EXPECT_EQ(dev.reads, reads) << "register " << off;
  }
}

// Every refused write of a ring register is counted once, wherever the ring
// layer writes it: at bring-up (base, size, CQ head), when the rings move and
// when the queue pair is enabled again (SQ doorbell, CQ head).
TEST(OffloadHardware, EachRefusedRingRegisterWriteIsCountedOnce) {
  for (uint32_t off : {prm::reg::kSqBaseLo, prm::reg::kCqBaseLo, prm::reg::kCqHead}) {
    FakeDevice dev(1);
    dev.failWrites.insert(prm::reg::qp(0, off));
    OffloadHardware hw(dev, smallRings());
    EXPECT_EQ(hw.initialize(), HwInitResult::kRegisterError) << "register " << off;
    EXPECT_EQ(hw.counters().regWriteErrors, 1u) << "register " << off;
  }
  // The rings moving (their bases), then the queue pair enabled again.
  struct Later {
    uint32_t off;
    bool atEnable;
  };
  for (const Later l : {Later{prm::reg::kSqBaseLo, false}, Later{prm::reg::kCqBaseLo, false},
                        Later{prm::reg::kSqTail, true}, Later{prm::reg::kCqHead, true}}) {
    FakeDevice dev(1);
    OffloadHardware hw(dev, smallRings());
    ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
    ASSERT_TRUE(hw.disableQueuePair(0));
    if (l.atEnable) {
      ASSERT_TRUE(hw.moveRings(0));
    }
    dev.failWrites.insert(prm::reg::qp(0, l.off));
    EXPECT_FALSE(l.atEnable ? hw.enableQueuePair(0) : hw.moveRings(0)) << "register " << l.off;
    EXPECT_EQ(hw.counters().regWriteErrors, 1u) << "register " << l.off;
    if (l.atEnable) {
      EXPECT_EQ(hw.counters().recoveries, 0u) << "register " << l.off;
    }
  }
}

TEST(OffloadHardware, ConnCommandWritesArgumentFirstAndWaitsForBusyToFall) {
  FakeDevice dev;
  dev.busyReadsPerCmd = 5;
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  dev.log.clear();

  const CmdOutcome out = hw.connCommand(7, 2, prm::ConnOp::kRxConsumed, 1234);

  EXPECT_TRUE(out.ok());
  ASSERT_EQ(dev.cmds.size(), 1u);
  EXPECT_EQ(dev.cmds[0].conn, 7);
  EXPECT_EQ(dev.cmds[0].qp, 2);
  EXPECT_EQ(dev.cmds[0].op, prm::ConnOp::kRxConsumed);
  EXPECT_EQ(dev.cmds[0].arg, 1234u);
  ASSERT_EQ(dev.log.size(), 2u);
  EXPECT_EQ(dev.log[0].first, prm::reg::kConnCmdArg);
  EXPECT_EQ(dev.log[1].first, prm::reg::kConnCmd);
  EXPECT_EQ(dev.busyReadsLeft, 0u);
}

// While BUSY stays high, the caller's service runs once per
// kBusyServiceInterval busy polls: not before the interval's last poll, and
// once per full interval.
TEST(OffloadHardware, ConnCommandServicesTheCallerOncePerIntervalOfBusyPolls) {
  constexpr unsigned kInterval = OffloadHardware::kBusyServiceInterval;
  for (unsigned busy :
       {kInterval - 1, kInterval, 2 * kInterval - 1, 2 * kInterval, 2 * kInterval + 1}) {
    FakeDevice dev;
    auto cfg = smallRings();
    cfg.cmdPollLimit = 100;
    OffloadHardware hw(dev, cfg);
    ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
    dev.busyReadsPerCmd = busy;
    unsigned services = 0;
    std::vector<unsigned> busyLeftAtService;
    const CmdOutcome out = hw.connCommand(7, 0, prm::ConnOp::kOffload, 0, [&] {
      ++services;
      busyLeftAtService.push_back(dev.busyReadsLeft);
    });
    EXPECT_TRUE(out.ok()) << busy << " busy polls";
    EXPECT_EQ(services, busy / kInterval) << busy << " busy polls";
    for (size_t k = 0; k < busyLeftAtService.size(); ++k) {
      EXPECT_EQ(busyLeftAtService[k], busy - (k + 1) * kInterval)
          << busy << " busy polls, service " << k;
    }
  }
}

TEST(OffloadHardware, ConnCommandReportsResultCode) {
  FakeDevice dev;
  dev.onCommand = [](const FakeDevice::Cmd&) { return prm::CmdResult::kBadState; };
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);

  const CmdOutcome out = hw.connCommand(1, 0, prm::ConnOp::kOffload);

  EXPECT_TRUE(out.completed);
  EXPECT_EQ(out.result, prm::CmdResult::kBadState);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(hw.counters().cmdErrors, 1u);
}

TEST(OffloadHardware, RefusedCommandsAreCountedByCommand) {
  FakeDevice dev;
  dev.onCommand = [](const FakeDevice::Cmd& c) {
    return c.arg == 0   ? prm::CmdResult::kOk
           : c.arg == 1 ? prm::CmdResult::kBadState
                        : prm::CmdResult::kBadArg;
  };
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);

  hw.connCommand(1, 0, prm::ConnOp::kOffload, 1);
  hw.connCommand(1, 0, prm::ConnOp::kOffload, 0);  // accepted: not counted
  hw.connCommand(1, 0, prm::ConnOp::kTerminate, 2);
  hw.connCommand(1, 0, prm::ConnOp::kTerminate, 2);
  hw.connCommand(1, 0, prm::ConnOp::kRxConsumed, 1);  // BAD_STATE
  hw.connCommand(1, 0, prm::ConnOp::kRxConsumed, 2);  // BAD_ARG
  hw.connCommand(1, 0, prm::ConnOp::kRxConsumed, 2);

  EXPECT_EQ(hw.counters().cmdErrors, 6u);
  EXPECT_EQ(hw.counters().offloadRefused, 1u);
  EXPECT_EQ(hw.counters().terminateRefused, 2u);
  EXPECT_EQ(hw.counters().rxConsumedBadState, 1u);
  EXPECT_EQ(hw.counters().rxConsumedRefused, 2u);
}

TEST(OffloadHardware, ConnCommandThatStaysBusyTimesOutAndIsCounted) {
  FakeDevice dev;
  dev.busyReadsPerCmd = 1000;
  OffloadHardware hw(dev, smallRings());  // poll limit 50
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);

  const CmdOutcome out = hw.connCommand(1, 0, prm::ConnOp::kOffload);

  EXPECT_FALSE(out.completed);
  EXPECT_EQ(hw.counters().cmdTimeouts, 1u);
}

TEST(OffloadHardware, ErrorStatusBitsAreCountedAndClearedByWriteOne) {
  FakeDevice dev;
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  dev.errStatus = prm::err::kDmaRd | prm::err::kProto | prm::err::kDoorbell;

  const auto st = hw.readErrorStatus();
  ASSERT_TRUE(st.has_value());
  ASSERT_TRUE(hw.clearErrorStatus(*st));

  EXPECT_EQ(hw.counters().dmaErrors, 1u);
  EXPECT_EQ(hw.counters().protoErrors, 1u);
  EXPECT_EQ(hw.counters().doorbellErrors, 1u);
  EXPECT_EQ(dev.errStatus, 0u);
}

TEST(OffloadHardware, MovingRingsKeepsPointersAndUnfetchedEntries) {
  FakeDevice dev(1);
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  SqWriter& sq = hw.queuePair(0).sq;
  prm::Request r;
  r.opcode = 1;
  r.length = 10;
  r.tag = 0x55;
  ASSERT_TRUE(sq.push(r));
  ASSERT_TRUE(sq.ringDoorbell());
  const uint64_t oldSq = sq.base(), oldCq = hw.queuePair(0).cq.base();

  ASSERT_TRUE(hw.disableQueuePair(0));
  ASSERT_TRUE(hw.moveRings(0));
  ASSERT_TRUE(hw.enableQueuePair(0));

  EXPECT_NE(sq.base(), oldSq);
  EXPECT_NE(hw.queuePair(0).cq.base(), oldCq);
  EXPECT_FALSE(dev.mem.mapped(oldSq));
  EXPECT_EQ(dev.qp(0).sqBase, sq.base());
  EXPECT_EQ(dev.qp(0).sqTail, 1);
  const auto fetched = dev.fetchAll(0);
  ASSERT_EQ(fetched.size(), 1u);
  EXPECT_EQ(fetched[0], r);
  EXPECT_EQ(hw.counters().recoveries, 1u);
}

TEST(OffloadHardware, RingsAreReleasedWhenTheDriverGoesAway) {
  FakeDevice dev(2);
  {
    OffloadHardware hw(dev, smallRings());
    ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
    EXPECT_EQ(dev.mem.liveRegions(), 4u);
  }
  EXPECT_EQ(dev.mem.liveRegions(), 0u);
  EXPECT_EQ(dev.mem.badReleases, 0u);
  EXPECT_EQ(dev.ctrl, 0u);
}

TEST(SqWriter, FullRingRefusesPushUntilEngineFetches) {
  FakeDevice dev(1);
  OffloadHardware hw(dev, smallRings());  // 4 entries
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  SqWriter& sq = hw.queuePair(0).sq;
  prm::Request r;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(sq.push(r));
  ASSERT_TRUE(sq.ringDoorbell());

  EXPECT_TRUE(sq.full());
  EXPECT_FALSE(sq.push(r));
  dev.fetchAll(0);
  EXPECT_TRUE(sq.full());  // the driver has not looked yet
  ASSERT_TRUE(hw.refreshSqHead(0));
  EXPECT_EQ(sq.freeSlots(), 4u);
  EXPECT_TRUE(sq.push(r));
}

TEST(SqWriter, ImpossibleSqHeadIsRefusedAndCounted) {
  FakeDevice dev(1);
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  SqWriter& sq = hw.queuePair(0).sq;
  ASSERT_TRUE(sq.push(prm::Request{}));
  ASSERT_TRUE(sq.ringDoorbell());
  dev.sqHeadOverride = 3;  // beyond the one entry announced

  EXPECT_FALSE(hw.refreshSqHead(0));

  EXPECT_EQ(sq.head(), 0);
  EXPECT_EQ(hw.counters().sqHeadOutOfRange, 1u);
}

TEST(SqWriter, DoorbellAnnouncesOnlyWrittenEntriesAndWrapsSlots) {
  FakeDevice dev(1);
  OffloadHardware hw(dev, smallRings());
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  SqWriter& sq = hw.queuePair(0).sq;
  for (uint64_t t = 1; t <= 10; ++t) {
    prm::Request r;
    r.tag = t;
    ASSERT_TRUE(sq.push(r));
    ASSERT_TRUE(sq.ringDoorbell());
    const auto got = dev.fetchAll(0);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].tag, t);
    ASSERT_TRUE(hw.refreshSqHead(0));
  }
  EXPECT_EQ(dev.qp(0).sqTail, 10);
}

TEST(CqReader, AcceptsOnlyDescriptorsOfTheExpectedPhaseAcrossWraps) {
  FakeDevice dev(1);
  OffloadHardware hw(dev, smallRings());  // 4 entries
  ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
  CqReader& cq = hw.queuePair(0).cq;
  EXPECT_FALSE(cq.peek().has_value());  // zeroed ring: phase 0, expected 1

  for (uint32_t i = 0; i < 11; ++i) {
    prm::Completion c;
    c.tag = 100 + i;
    c.bytes = i;
    ASSERT_TRUE(dev.complete(0, c));
    const auto got = cq.peek();
    ASSERT_TRUE(got.has_value()) << i;
    EXPECT_EQ(got->tag, 100 + i);
    cq.pop();
    EXPECT_FALSE(cq.peek().has_value()) << "stale slot from the previous pass accepted at " << i;
    ASSERT_TRUE(cq.writeHead(false));
  }
  EXPECT_EQ(dev.qp(0).cqHead, 11);
}

}  // namespace
}  // namespace chimney

namespace chimney {
namespace {

// A count the CQ cannot hold would never be reached (PRM section 10): the
// driver programs at most the CQ's entries, and keeps a smaller count as is.
TEST(OffloadHardware, ModerationCountIsAtMostTheCqEntries) {
  for (const unsigned count : {1u, 3u, 4u, 8u, 1000u}) {
    FakeDevice dev(1);
    auto cfg = smallRings();  // 4-entry CQ
    cfg.irqModCount = uint16_t(count);
    OffloadHardware hw(dev, cfg);
    ASSERT_EQ(hw.initialize(), HwInitResult::kOk);
    EXPECT_EQ(dev.qp(0).modCount, std::min(count, 4u)) << "configured " << count;
  }
}

}  // namespace
}  // namespace chimney
