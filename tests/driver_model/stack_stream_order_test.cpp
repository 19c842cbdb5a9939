// Invariant 6, stream order, end to end: the host stack, NDIS, the offload
// target and the behavioural device, checked by the scoreboard. One DATA
// event fills a posted receive and leaves the rest buffered, so one DPC run
// reads a RECV descriptor and then an RX_INDICATE of the same connection.
// The target delivers the receive completion first; with the knob
// indicateAheadOfReceives it indicates the newer bytes first, and the
// scoreboard reports it.
#include <gtest/gtest.h>

#include <memory>

#include "behavioural_device.h"
#include "host_stack.h"
#include "ndis.h"
#include "offload_target.h"
#include "scoreboard.h"

namespace chimney::test {
namespace {

class HwScoreboard : public Scoreboard {
 public:
  using Scoreboard::Scoreboard;
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override {
    hwConn = hw;
    Scoreboard::onHardwareConnectionBound(c, hw, qp);
  }
  void onDescriptorRead(unsigned qp, uint32_t slot, const prm::Completion& c) override {
    ++descriptors;
    Scoreboard::onDescriptorRead(qp, slot, c);
  }
  uint16_t hwConn = 0;
  unsigned descriptors = 0;
};

struct Stack {
  explicit Stack(bool indicateAhead)
      : scoreboard([this] { return device.cycle(); }), ndis(&scoreboard) {
    const DriverId td = ndis.NdisRegisterDriver(DriverKind::kOffloadTarget, "offload target");
    OffloadTargetConfig cfg;
    cfg.hw.irqModCount = 2;  // the RECV and the RX_INDICATE in one DPC run
    cfg.hw.irqModTimer = 50;
    cfg.faults.indicateAheadOfReceives = indicateAhead;
    target = std::make_unique<OffloadTarget>(device, cfg);
    target->setObserver(&scoreboard);
    const NdisMiniportHandle below = ndis.NdisMRegisterMiniport(td, *target);
    EXPECT_EQ(target->attachNdis(below, ndis.NdisMGetOffloadHandlers(below)), NdisStatus::kSuccess);
    host = std::make_unique<HostStack>(ndis, "host", below, &scoreboard);
    host->setAcceptPolicy([](ConnectionId, uint32_t available) { return available; });
  }
  void run(unsigned cycles) {
    for (unsigned i = 0; i < cycles; ++i) {
      device.step();
      while (device.popWork()) {
      }
      if (target->hasDeferredWork()) target->MiniportTimer();
      ndis.runWorkItems();
    }
  }
  // A receive of 100 bytes, then one 150-byte DATA event with PUSH.
  ConnectionId receiveThenMore() {
    const ConnectionId c = host->openConnection();
    EXPECT_EQ(host->postReceive(c, 100), NdisStatus::kPending);
    run(200);
    scoreboard.onPeerData(scoreboard.hwConn, 150);
    device.pushEvent(
        prm::Event{prm::EventType::kData, prm::evtflag::kPush, scoreboard.hwConn, 150});
    run(500);
    host->returnIndications();
    return c;
  }

  BehaviouralDevice device;
  HwScoreboard scoreboard;
  Ndis ndis;
  std::unique_ptr<OffloadTarget> target;
  std::unique_ptr<HostStack> host;
};

TEST(StackStreamOrder, ReceiveCompletionBeforeTheIndicationOfLaterBytesIsClean) {
  Stack s(false);
  s.receiveThenMore();
  EXPECT_EQ(s.host->outstanding(), 0u);
  EXPECT_EQ(s.target->counters().indications, 1u);
  EXPECT_GE(s.scoreboard.descriptors, 2u);
  EXPECT_EQ(s.scoreboard.streamOrderJudged(), 2u);  // the completion and the indication
  EXPECT_TRUE(s.scoreboard.clean()) << s.scoreboard.report();
}

TEST(StackStreamOrder, IndicationAheadOfTheReceiveCompletionIsCaught) {
  Stack s(true);
  const ConnectionId c = s.receiveThenMore();
  ASSERT_FALSE(s.scoreboard.clean());
  const Violation& v = s.scoreboard.violations().front();
  EXPECT_EQ(v.invariant, 6);
  EXPECT_EQ(v.check, "ReceiveStreamOrder");
  EXPECT_EQ(v.connection, c);
  EXPECT_EQ(v.op, OffloadOp::kReceiveIndicate);
  EXPECT_NE(v.detail.find("starts at stream offset 100 but the host has 0"), std::string::npos)
      << v.detail;
}

}  // namespace
}  // namespace chimney::test
