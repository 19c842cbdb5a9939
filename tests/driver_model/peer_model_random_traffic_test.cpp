// Seeded random traffic through the behavioural device and the peer model:
// a driver-like loop posts requests on several connections and queue pairs,
// consumes completions and part of the indicated data, then closes every
// connection. The PRM's guarantees must hold throughout.
#include <map>
#include <random>
#include <set>

#include "behavioural_device_fixture.h"
#include "peer_model.h"

namespace chimney::test {
namespace {

using prm::CplStatus;
using prm::CplType;
using prm::Opcode;

class RandomTraffic : public DeviceTest {
 protected:
  static constexpr uint16_t kConns = 8;

  struct Posted {
    uint16_t conn;
    Opcode op;
    uint32_t length;
    bool done = false;
  };

  static BehaviouralDevice::Config config() {
    BehaviouralDevice::Config c = smallConfig();
    c.reqSlots = 64;
    return c;
  }
  RandomTraffic() : DeviceTest(config()) {}

  // Runs cycles until the queue pair's SQ has room (bounded: a stuck ring
  // fails the test instead of hanging it).
  void waitForRoom(unsigned q) {
    for (int i = 0; i < 10000 && !sqHasRoom(q); ++i) cycle();
    ASSERT_TRUE(sqHasRoom(q)) << "SQ " << q << " never drained";
  }

  void SetUp() override {
    enableDevice();
    setUpQp(0, 3, 3);  // small rings: full SQ and full CQ both happen
    setUpQp(1, 5, 4);
    setQpReg(1, prm::reg::kIrqModCount, 4);
    setQpReg(1, prm::reg::kIrqModTimer, 20);
    for (uint16_t c = 0; c < kConns; ++c) offload(c, uint8_t(c % 2));
  }

  bool sqHasRoom(unsigned q) {
    return uint16_t(rings[q].sqTail - qpReg(q, prm::reg::kSqHead)) < (1u << rings[q].sqLog2);
  }

  void postOne(uint16_t c, Opcode op, uint32_t len, uint8_t flags = 0) {
    const unsigned q = c % 2;
    const uint64_t tag = nextTag++;
    posted[tag] = Posted{c, op, len};
    post(q, req(op, c, len, tag, flags));
  }

  void cycle() {
    dev.step();
    while (auto w = dev.popWork()) peer.onWork(dev.cycle(), *w);
    while (auto e = peer.nextEvent(dev.cycle())) dev.pushEvent(*e);
    for (unsigned q = 0; q < 2; ++q) {
      for (const auto& c : drain(q, false)) onCompletion(q, c);
      arm(q);
    }
  }

  void onCompletion(unsigned q, const prm::Completion& c) {
    EXPECT_EQ(c.conn % 2, q) << "completion on the wrong queue pair";
    if (c.type == CplType::kRxIndicate) {
      indicated[c.conn] += c.bytes;
      if (rng() % 2 == 0) {  // the host takes part of it
        const uint32_t take = uint32_t(std::min<uint64_t>(dev.conn(c.conn).buffered, c.bytes / 2));
        ASSERT_EQ(command(c.conn, 0, prm::ConnOp::kRxConsumed, take), prm::CmdResult::kOk);
        consumed[c.conn] += take;
      }
      return;
    }
    if (c.type == CplType::kEvtFin) {
      ++fins[c.conn];
      return;
    }
    auto it = posted.find(c.tag);
    ASSERT_NE(it, posted.end()) << "unknown tag " << c.tag;
    Posted& p = it->second;
    EXPECT_FALSE(p.done) << "tag " << c.tag << " completed twice";
    p.done = true;
    EXPECT_EQ(c.conn, p.conn);
    EXPECT_EQ(c.type, CplType(p.op));
    // Completions of one opcode on one connection in posting order.
    auto& last = lastTag[{p.conn, uint8_t(p.op)}];
    EXPECT_LT(last, c.tag) << "out of order on conn " << p.conn;
    last = c.tag;
    switch (p.op) {
      case Opcode::kSend:
      case Opcode::kForward:
      case Opcode::kDisconnect:
        EXPECT_EQ(c.status, CplStatus::kSuccess) << "tag " << c.tag;
        EXPECT_EQ(c.bytes, p.length);
        break;
      case Opcode::kRecv:
        EXPECT_TRUE(c.status == CplStatus::kSuccess || c.status == CplStatus::kInvalidState);
        EXPECT_LE(c.bytes, p.length);
        received[p.conn] += c.bytes;
        break;
    }
  }

  PeerModel peer{[] {
    PeerModel::Config c;
    c.seed = 99;
    c.rttCycles = 30;
    c.jitterCycles = 9;
    c.segmentBytes = 700;
    c.ackEverySegments = 2;
    return c;
  }()};
  std::mt19937_64 rng{12345};
  uint64_t nextTag = 1;
  std::map<uint64_t, Posted> posted;
  std::map<std::pair<uint16_t, uint8_t>, uint64_t> lastTag;
  std::map<uint16_t, uint64_t> received, indicated, consumed, fins;
};

TEST_F(RandomTraffic, EveryPrmGuaranteeHoldsUnderSeededRandomTraffic) {
  for (int t = 0; t < 3000; ++t) {
    const uint16_t c = uint16_t(rng() % kConns);
    const unsigned roll = unsigned(rng() % 100);
    if (roll < 30 && dev.requestSlotsInUse() < 48 && sqHasRoom(c % 2)) {
      if (roll < 12) {
        postOne(c, Opcode::kSend, 1 + uint32_t(rng() % 5000));
      } else if (roll < 24) {
        const uint8_t flags = rng() % 4 == 0 ? prm::reqflag::kNoPush : 0;
        postOne(c, Opcode::kRecv, uint32_t(rng() % 3000), flags);
      } else if (roll < 27) {
        postOne(c, Opcode::kForward, 1 + uint32_t(rng() % 1500));
      } else {
        peer.peerStream(c, 1 + rng() % 6000, 1, 2500);
      }
    }
    cycle();
  }
  // Close everything: the peer's FIN (which completes the receives still
  // waiting), graceful disconnects, receives to drain buffered data.
  for (uint16_t c = 0; c < kConns; ++c) peer.peerFin(c);
  for (uint16_t c = 0; c < kConns; ++c) {
    waitForRoom(c % 2);
    postOne(c, Opcode::kDisconnect, 0);
  }
  for (int t = 0; t < 2000; ++t) cycle();
  for (uint16_t c = 0; c < kConns; ++c) {
    for (int i = 0; i < 1000 && dev.conn(c).buffered > 0; ++i) {
      waitForRoom(c % 2);
      postOne(c, Opcode::kRecv, 4000);
      for (int t = 0; t < 5; ++t) cycle();
    }
    EXPECT_EQ(dev.conn(c).buffered, 0u);
  }
  for (int t = 0; t < 200; ++t) cycle();

  for (const auto& [tag, p] : posted) EXPECT_TRUE(p.done) << "tag " << tag << " never completed";
  for (uint16_t c = 0; c < kConns; ++c) {
    EXPECT_EQ(received[c] + consumed[c], peer.stats(c).peerBytesSent) << "conn " << c;
    EXPECT_EQ(fins[c], 1u) << "conn " << c;
    EXPECT_EQ(peer.stats(c).ackedBytes + peer.stats(c).finAckedBytes, peer.stats(c).hostBytes);
  }
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 0u);
  EXPECT_EQ(reg(prm::reg::kErrStatus), 0u);
  EXPECT_EQ(dev.requestSlotsInUse(), 0u);
  EXPECT_EQ(reg(prm::reg::kCntReqFetched), uint32_t(posted.size()));
  EXPECT_TRUE(dev.idle());
  EXPECT_GT(indicated.size(), 0u);
  EXPECT_GT(posted.size(), 300u);  // the traffic was substantial
}

}  // namespace
}  // namespace chimney::test
