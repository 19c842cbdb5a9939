// The peer model driving the behavioural device: work out, events back, in
// the loop a co-simulation runs (step, hand work to the peer, feed its due
// events back).
#include <numeric>

#include "behavioural_device_fixture.h"
#include "peer_model.h"

namespace chimney::test {
namespace {

using prm::CplStatus;
using prm::CplType;

class PeerWithDevice : public DeviceTest {
 protected:
  void SetUp() override {
    bringUp();
    offload(1, 0);
  }
  // Runs the device and the peer together for `cycles`, collecting CQ 0.
  void runFor(uint64_t cycles) {
    for (uint64_t i = 0; i < cycles; ++i) {
      dev.step();
      while (auto w = dev.popWork()) peer.onWork(dev.cycle(), *w);
      while (auto e = peer.nextEvent(dev.cycle())) dev.pushEvent(*e);
      for (const auto& c : drain(0)) cpls.push_back(c);
    }
  }
  std::vector<prm::Completion> of(CplType type) const {
    std::vector<prm::Completion> out;
    for (const auto& c : cpls) {
      if (c.type == type) out.push_back(c);
    }
    return out;
  }

  PeerModel peer{[] {
    PeerModel::Config c;
    c.rttCycles = 40;
    c.segmentBytes = 536;
    c.jitterCycles = 5;
    c.seed = 2024;
    return c;
  }()};
  std::vector<prm::Completion> cpls;
};

TEST_F(PeerWithDevice, SendsAreAcknowledgedCompletelyInOrder) {
  for (uint64_t t = 1; t <= 5; ++t) send(0, 1, 3000, t);
  runFor(400);
  const auto sends = of(CplType::kSend);
  ASSERT_EQ(sends.size(), 5u);
  for (uint64_t i = 0; i < 5; ++i) {
    expectCpl(sends[i], i + 1, CplType::kSend, CplStatus::kSuccess, 3000, 1);
  }
  EXPECT_EQ(peer.stats(1).ackedBytes, 15000u);
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 0u);
}

TEST_F(PeerWithDevice, PeerBytesAddUpAcrossReceivesAndIndications) {
  recv(0, 1, 1000, 1);
  recv(0, 1, 1000, 2);
  recv(0, 1, 0, 3);
  runFor(2);
  peer.peerStream(1, 7000, 200, 1500);
  peer.peerFin(1);
  runFor(600);
  uint64_t delivered = 0;
  for (const auto& c : of(CplType::kRecv)) delivered += c.bytes;
  for (const auto& c : of(CplType::kRxIndicate)) delivered += c.bytes;
  EXPECT_EQ(delivered, 7000u);
  EXPECT_EQ(peer.stats(1).peerBytesSent, 7000u);
  EXPECT_EQ(of(CplType::kEvtFin).size(), 1u);
  EXPECT_EQ(of(CplType::kRecv).size(), 3u);
}

TEST_F(PeerWithDevice, GracefulDisconnectCompletesAfterItsSends) {
  send(0, 1, 5000, 1);
  post(0, req(prm::Opcode::kDisconnect, 1, 100, 2));
  runFor(400);
  ASSERT_EQ(cpls.size(), 2u);
  expectCpl(cpls[0], 1, CplType::kSend, CplStatus::kSuccess, 5000, 1);
  expectCpl(cpls[1], 2, CplType::kDisconnect, CplStatus::kSuccess, 100, 1);
  EXPECT_TRUE(peer.stats(1).hostFin);
}

TEST_F(PeerWithDevice, PeerResetAbortsOutstandingAndLateTrafficIsCounted) {
  send(0, 1, 100000, 1);
  recv(0, 1, 1000, 2);
  runFor(50);  // some ACKs are back, many are in flight
  peer.peerRst(1);
  runFor(400);
  ASSERT_GE(cpls.size(), 3u);
  EXPECT_EQ(cpls[0].status, CplStatus::kAborted);
  EXPECT_EQ(cpls[1].status, CplStatus::kAborted);
  EXPECT_EQ(of(CplType::kEvtRst).size(), 1u);
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 0u);
}

TEST_F(PeerWithDevice, ForwardCompletesWhenThePeerReportsIt) {
  post(0, req(prm::Opcode::kForward, 1, 64, 9));
  runFor(200);
  ASSERT_EQ(cpls.size(), 1u);
  expectCpl(cpls[0], 9, CplType::kForward, CplStatus::kSuccess, 64, 1);
}

TEST_F(PeerWithDevice, MalformedInjectedEventsRaiseProtocolErrorsWithoutLoss) {
  send(0, 1, 1000, 1);
  runFor(2);
  peer.injectEvent(prm::Event{prm::EventType::kFinAck, 0, 1, 0});
  peer.injectEvent(prm::Event{prm::EventType::kAck, 0, 200, 10});
  runFor(200);
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 2u);
  ASSERT_EQ(of(CplType::kSend).size(), 1u);
  EXPECT_EQ(of(CplType::kSend)[0].status, CplStatus::kSuccess);
}

}  // namespace
}  // namespace chimney::test
