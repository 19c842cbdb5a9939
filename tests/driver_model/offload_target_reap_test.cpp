// The offload target's reap path, at a fixed point: a connection command
// (TERMINATE) stays BUSY while a CQ is full, so the target takes the full
// CQ's descriptors into its backlog and hands the slots back (the engine may
// need CQ space to finish the command), and delivers them later in ring
// order. Random traffic reaches this path only at some points; here it is
// taken deterministically and its outcome checked.
#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "offload_target_e2e_fixture.h"

namespace chimney {
namespace {

using testing::completedWith;
using testing::OffloadTargetEndToEnd;
using Op = OffloadOp;

class OffloadTargetReap : public OffloadTargetEndToEnd {
 protected:
  // Device and streams only: no driver timer, so nothing drains the CQ
  // unless the device interrupts.
  void stepDevice() {
    dev->step();
    while (auto w = dev->popWork()) peer->onWork(dev->cycle(), *w);
    while (auto e = peer->nextEvent(dev->cycle())) dev->pushEvent(*e);
  }
  // DPCs run when the test says (a DPC queued, not yet running, as on a
  // busy processor).
  void queueDpcs() {
    target->setDpcScheduler([this](std::function<void()> dpc) { dpcs.push_back(std::move(dpc)); });
  }
  void runDpcs() {
    while (!dpcs.empty()) {
      std::function<void()> dpc = std::move(dpcs.front());
      dpcs.pop_front();
      dpc();
    }
  }
  // Descriptors committed and not consumed by the driver on queue pair 0.
  unsigned cqWaiting() {
    const RingSnapshot s = target->ringSnapshots().at(0);
    return uint16_t(s.hwCqTail - s.driverCqHead);
  }
  std::deque<std::function<void()>> dpcs;
};

TEST_F(OffloadTargetReap, TerminateBusyWithAFullCqReapsItAndDeliversEverythingInOrder) {
  auto cfg = defaultConfig();
  cfg.hw.queuePairs = 1;
  cfg.hw.sqLog2Entries = 1;  // 2 entries
  cfg.hw.cqLog2Entries = 1;  // 2 entries
  auto device = defaultDevice();
  device.numQp = 1;
  // BUSY for two service intervals: the target reaps while it polls.
  device.cmdBusyReads = 2 * OffloadHardware::kBusyServiceInterval;
  start(cfg, device);
  queueDpcs();
  const NdisOffloadHandle busy = offload(1);
  const NdisOffloadHandle ended = offload(2);
  NetBufferList* s1 = post(Op::kSend, busy, 700);
  NetBufferList* s2 = post(Op::kSend, busy, 900);

  // Both sends are acknowledged and their completions fill the CQ.
  for (int i = 0; i < 5000 && cqWaiting() < 2; ++i) stepDevice();
  ASSERT_EQ(cqWaiting(), 2u) << "the CQ is full before the command";
  ASSERT_EQ(target->counters().reaps, 0u);
  ASSERT_FALSE(posted[s1].done);
  ASSERT_FALSE(dpcs.empty()) << "the interrupt came; its DPC has not run yet";

  terminate(ended);  // TERMINATE: BUSY, and its TERMINATE_DONE needs a CQ slot

  // The reap path ran: the full CQ went into the backlog and its slots were
  // handed back, nothing delivered yet (no NDIS call while the command runs).
  EXPECT_EQ(target->counters().reaps, 1u);
  EXPECT_EQ(cqWaiting(), 0u);
  EXPECT_FALSE(posted[s1].done);
  EXPECT_FALSE(posted[s2].done);

  for (int i = 0; i < 20000 && (outstanding() > 0 || !terminatedHandles.count(ended)); ++i) {
    runDpcs();
    cycle();
  }
  runDpcs();

  // Delivered afterwards, in ring order, and the terminate completed.
  ASSERT_EQ(doneOf(Op::kSend, busy).size(), 2u);
  EXPECT_EQ(done[0].nbl, s1);
  EXPECT_EQ(done[1].nbl, s2);
  EXPECT_TRUE(completedWith(s1, NdisStatus::kSuccess, 700u));
  EXPECT_TRUE(completedWith(s2, NdisStatus::kSuccess, 900u));
  EXPECT_TRUE(terminatedHandles.count(ended));
  EXPECT_EQ(target->liveConnections(), 1u);
  EXPECT_EQ(target->hwCounters().cmdTimeouts, 0u);
  EXPECT_EQ(outstanding(), 0u);
  expectRingsConsistent();
  expectNoBadInput();
}

}  // namespace
}  // namespace chimney
