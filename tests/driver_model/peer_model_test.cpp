// PeerModel: the protocol engine and remote host that turn work into events.
#include "peer_model.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace chimney {
namespace {

using prm::EventType;
using prm::Work;
using prm::WorkType;

PeerModel::Config quiet() {
  PeerModel::Config c;
  c.rttCycles = 100;
  c.segmentBytes = 1000;
  c.segmentCycles = 1;
  c.fwdCycles = 30;
  return c;
}

struct Timed {
  uint64_t cycle;
  prm::Event event;
};

// Collects every event up to `until`, polling cycle by cycle.
std::vector<Timed> collect(PeerModel& p, uint64_t from, uint64_t until) {
  std::vector<Timed> out;
  for (uint64_t t = from; t <= until; ++t) {
    while (auto e = p.nextEvent(t)) out.push_back({t, *e});
  }
  return out;
}

// Hands the work items `ws` to the peer at cycle `at`, in order.
void give(PeerModel& p, uint64_t at, const std::vector<Work>& ws) {
  for (const Work& w : ws) p.onWork(at, w);
}

// Hands `w` to the peer at cycle `at` and collects every event up to `until`.
std::vector<Timed> answer(PeerModel& p, uint64_t at, const Work& w, uint64_t until) {
  p.onWork(at, w);
  return collect(p, at, until);
}

TEST(PeerModel, AckArrivesOneRoundTripAfterTheData) {
  PeerModel p(quiet());
  p.onWork(10, Work{WorkType::kTxData, 3, 500});
  EXPECT_FALSE(p.nextEvent(109).has_value());
  const auto e = p.nextEvent(110);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, (prm::Event{EventType::kAck, 0, 3, 500}));
  EXPECT_EQ(p.stats(3).ackedBytes, 500u);
}

TEST(PeerModel, LargeSendIsAcknowledgedPerSegment) {
  PeerModel p(quiet());
  const auto ev = answer(p, 0, {WorkType::kTxData, 1, 2500}, 200);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].event.bytes, 1000u);
  EXPECT_EQ(ev[1].event.bytes, 1000u);
  EXPECT_EQ(ev[2].event.bytes, 500u);
  EXPECT_EQ(ev[0].cycle, 100u);
  EXPECT_EQ(ev[2].cycle, 102u);
}

TEST(PeerModel, DelayedAckCoversSeveralSegments) {
  auto cfg = quiet();
  cfg.ackEverySegments = 2;
  PeerModel p(cfg);
  const auto ev = answer(p, 0, {WorkType::kTxData, 1, 3500}, 200);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].event.bytes, 2000u);
  EXPECT_EQ(ev[1].event.bytes, 1500u);
}

TEST(PeerModel, TxFinIsAnsweredByOneFinAckCarryingItsData) {
  PeerModel p(quiet());
  const auto ev = answer(p, 0, {WorkType::kTxFin, 2, 1500}, 300);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event, (prm::Event{EventType::kFinAck, 0, 2, 1500}));
  EXPECT_TRUE(p.stats(2).hostFin);
  EXPECT_EQ(p.stats(2).finAckedBytes, 1500u);
}

TEST(PeerModel, ForwardIsAnsweredByFwdDone) {
  PeerModel p(quiet());
  const auto ev = answer(p, 5, {WorkType::kFwd, 2, 64}, 100);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event.type, EventType::kFwdDone);
  EXPECT_EQ(ev[0].cycle, 35u);
  EXPECT_EQ(p.stats(2).forwardsDone, 1u);
}

TEST(PeerModel, PeerMessageArrivesAsSegmentsWithPushOnTheLast) {
  PeerModel p(quiet());
  p.advanceTo(100);
  ASSERT_TRUE(p.peerSend(4, 2100));
  const auto ev = collect(p, 100, 300);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].event, (prm::Event{EventType::kData, 0, 4, 1000}));
  EXPECT_EQ(ev[1].event, (prm::Event{EventType::kData, 0, 4, 1000}));
  EXPECT_EQ(ev[2].event, (prm::Event{EventType::kData, prm::evtflag::kPush, 4, 100}));
  EXPECT_EQ(ev[0].cycle, 150u);  // one way: half a round trip
  EXPECT_EQ(p.stats(4).peerBytesSent, 2100u);
  EXPECT_EQ(p.stats(4).messagesSent, 1u);
}

TEST(PeerModel, SameSeedGivesTheSameStream) {
  auto cfg = quiet();
  cfg.jitterCycles = 7;
  cfg.seed = 42;
  PeerModel a(cfg);
  PeerModel b(cfg);
  a.peerStream(1, 20000, 100, 3000);
  b.peerStream(1, 20000, 100, 3000);
  const auto ea = collect(a, 0, 1000);
  const auto eb = collect(b, 0, 1000);
  ASSERT_EQ(ea.size(), eb.size());
  for (std::size_t i = 0; i < ea.size(); ++i) {
    EXPECT_EQ(ea[i].cycle, eb[i].cycle);
    EXPECT_EQ(ea[i].event, eb[i].event);
  }
  cfg.seed = 43;
  PeerModel c(cfg);
  c.peerStream(1, 20000, 100, 3000);
  const auto ec = collect(c, 0, 1000);
  bool differs = ec.size() != ea.size();
  for (std::size_t i = 0; !differs && i < ea.size(); ++i) {
    differs = ea[i].cycle != ec[i].cycle || !(ea[i].event == ec[i].event);
  }
  EXPECT_TRUE(differs);
}

TEST(PeerModel, StreamDeliversExactlyItsBytesInMessages) {
  PeerModel p(quiet());
  p.peerStream(1, 12345, 10, 2000, 5);
  const auto ev = collect(p, 0, 5000);
  uint64_t bytes = 0;
  uint64_t pushes = 0;
  for (const auto& t : ev) {
    bytes += t.event.bytes;
    if (t.event.flags & prm::evtflag::kPush) ++pushes;
  }
  EXPECT_EQ(bytes, 12345u);
  EXPECT_EQ(pushes, p.stats(1).messagesSent);
  EXPECT_GE(pushes, 7u);  // at least 12345 / 2000 messages
  EXPECT_TRUE(ev.back().event.flags & prm::evtflag::kPush);
}

TEST(PeerModel, PeerFinFollowsTheQueuedData) {
  PeerModel p(quiet());
  p.peerSend(1, 1500);
  ASSERT_TRUE(p.peerFin(1));
  EXPECT_FALSE(p.peerSend(1, 10));  // nothing after the FIN
  const auto ev = collect(p, 0, 300);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[2].event.type, EventType::kFin);
  EXPECT_TRUE(p.stats(1).peerFinSent);
}

TEST(PeerModel, PeerRstDropsUnsentDataAndComesLast) {
  auto cfg = quiet();
  cfg.segmentCycles = 10;
  PeerModel p(cfg);
  p.peerSend(1, 10000);  // ten segments, one every 10 cycles
  p.advanceTo(25);       // three are on the wire
  ASSERT_TRUE(p.peerRst(1));
  const auto ev = collect(p, 25, 500);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[3].event.type, EventType::kRst);
  EXPECT_EQ(p.stats(1).peerBytesSent, 3000u);
  EXPECT_FALSE(p.peerSend(1, 1));
}

TEST(PeerModel, HostRstStopsThePeerButInFlightEventsStillArrive) {
  auto cfg = quiet();
  cfg.segmentCycles = 10;
  PeerModel p(cfg);
  p.peerSend(1, 5000);
  p.onWork(0, Work{WorkType::kTxData, 1, 100});
  const auto ev = answer(p, 15, {WorkType::kTxRst, 1, 0}, 500);
  // Two data segments left before the reset, and the ACK already owed.
  uint64_t data = 0;
  bool ack = false;
  for (const auto& t : ev) {
    if (t.event.type == EventType::kData) data += t.event.bytes;
    if (t.event.type == EventType::kAck) ack = true;
  }
  EXPECT_EQ(data, 2000u);
  EXPECT_TRUE(ack);
  EXPECT_TRUE(p.stats(1).hostRst);
  p.onWork(20, Work{WorkType::kTxData, 1, 100});
  EXPECT_TRUE(collect(p, 20, 500).empty());  // nobody answers a reset connection
}

TEST(PeerModel, JitterNeverReordersOneConnection) {
  auto cfg = quiet();
  cfg.jitterCycles = 80;
  cfg.seed = 7;
  PeerModel p(cfg);
  p.peerStream(1, 50000, 1, 1500);
  p.peerFin(1);
  const auto ev = collect(p, 0, 10000);
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().event.type, EventType::kFin);
  uint64_t bytes = 0;
  for (const auto& t : ev) bytes += t.event.bytes;
  EXPECT_EQ(bytes, 50000u);
  for (std::size_t i = 1; i < ev.size(); ++i) EXPECT_LE(ev[i - 1].cycle, ev[i].cycle);
}

TEST(PeerModel, ReceiveWindowHoldsDataUntilReceivesArePosted) {
  auto cfg = quiet();
  cfg.respectReceiveWindow = true;
  PeerModel p(cfg);
  p.peerSend(1, 3000);
  EXPECT_TRUE(collect(p, 0, 300).empty());
  EXPECT_TRUE(p.idle());
  const auto ev = answer(p, 300, {WorkType::kRxPost, 1, 1200}, 600);
  uint64_t bytes = 0;
  for (const auto& t : ev) bytes += t.event.bytes;
  EXPECT_EQ(bytes, 1200u);
  EXPECT_EQ(p.stats(1).rxPostedBytes, 1200u);
}

TEST(PeerModel, InjectedEventIsDeliveredAsIsAndCountedApart) {
  PeerModel p(quiet());
  p.injectEvent(prm::Event{EventType::kAck, 0, 9, 777}, 5);
  p.injectEvent(prm::Event{EventType(7), 0, 4000, 1});
  const auto ev = collect(p, 0, 10);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].event.type, EventType(7));
  EXPECT_EQ(ev[1].event, (prm::Event{EventType::kAck, 0, 9, 777}));
  EXPECT_EQ(p.totals().injected, 2u);
  EXPECT_EQ(p.stats(9).ackedBytes, 0u);
}

TEST(PeerModel, NextEventCycleReportsTheEarliestScheduledEvent) {
  PeerModel p(quiet());
  EXPECT_FALSE(p.nextEventCycle().has_value());
  EXPECT_TRUE(p.idle());
  p.onWork(40, Work{WorkType::kTxData, 1, 10});
  ASSERT_TRUE(p.nextEventCycle().has_value());
  EXPECT_EQ(*p.nextEventCycle(), 140u);
  EXPECT_FALSE(p.idle());
}

TEST(PeerModel, ForgetResetsTheConnectionForReuse) {
  PeerModel p(quiet());
  p.peerFin(1);
  collect(p, 0, 200);
  p.forget(1);
  EXPECT_FALSE(p.stats(1).peerFinSent);
  EXPECT_TRUE(p.peerSend(1, 10));
}

TEST(PeerModel, HeldAnswersLeaveOnlyAfterTheRelease) {
  PeerModel p(quiet());
  p.holdResponses();
  give(p, 0, {{WorkType::kTxData, 1, 500}, {WorkType::kFwd, 1, 64}, {WorkType::kTxData, 2, 700}});
  EXPECT_TRUE(collect(p, 0, 1000).empty());
  EXPECT_EQ(p.heldResponses(), 3u);
  EXPECT_FALSE(p.idle());

  p.releaseResponses();  // at cycle 1000
  const auto ev = collect(p, 1000, 1200);
  ASSERT_EQ(ev.size(), 3u);
  // In production order per connection: conn 1's FWD_DONE (fwdCycles 30)
  // does not overtake its ACK (round trip 100).
  EXPECT_EQ(ev[0].event, (prm::Event{EventType::kAck, 0, 1, 500}));
  EXPECT_EQ(ev[0].cycle, 1100u);
  EXPECT_EQ(ev[1].event, (prm::Event{EventType::kFwdDone, 0, 1, 64}));
  EXPECT_EQ(ev[1].cycle, 1100u);
  EXPECT_EQ(ev[2].event, (prm::Event{EventType::kAck, 0, 2, 700}));
  EXPECT_EQ(ev[2].cycle, 1100u);
  EXPECT_TRUE(p.idle());

  // Released means no longer holding.
  p.onWork(1200, Work{WorkType::kTxData, 1, 10});
  EXPECT_EQ(collect(p, 1200, 1300).size(), 1u);
}

TEST(PeerModel, HostResetAndForgetDropHeldAnswers) {
  PeerModel p(quiet());
  p.holdResponses();
  give(p, 0,
       {{WorkType::kTxData, 1, 500}, {WorkType::kTxData, 2, 500}, {WorkType::kTxData, 3, 500}});
  p.onWork(1, Work{WorkType::kTxRst, 1, 0});
  p.forget(2);
  EXPECT_EQ(p.heldResponses(), 1u);
  p.releaseResponses();
  const auto ev = collect(p, 1, 500);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event.conn, 3u);
}

}  // namespace
}  // namespace chimney
