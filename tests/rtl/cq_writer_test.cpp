// PRM 5 and 6 "Ordering": the CQ writer's phase bit, bursts, commit after
// the write response, and a full CQ stalling only its own queue pair.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class CqWriter : public RtlTest {};

TEST_F(CqWriter, PhaseBitFlipsOnEveryPassThroughTheRing) {
  QueuePair& p = qpair(0, defaultLayout(0, 6, 2));  // 4 CQ entries
  for (uint64_t round = 0; round < 5; ++round) {
    submitInvalid(p, 3, 1 + 3 * round);
    p.wait(3);
  }
  ASSERT_EQ(p.received().size(), 15u);
  for (const auto& r : p.received()) {
    EXPECT_EQ(r.cpl.phase, ((r.ptr >> 2) & 1) == 0) << "ptr " << r.ptr;
    EXPECT_EQ(r.cpl.tag, uint64_t{r.ptr} + 1);
  }
  EXPECT_EQ(reg(qp(0, kCqTail)), 15u);
}

TEST_F(CqWriter, SeveralDescriptorsShareABurst) {
  const uint16_t cn = conn(1);
  QueuePair& p = sendsInFlight(cn, 8, 10);
  const size_t before = bench_.axi().writes().size();
  push(evt(EventType::kAck, cn, 80));
  p.wait(8);
  unsigned maxBeats = 0;
  for (size_t i = before; i < bench_.axi().writes().size(); ++i)
    maxBeats = std::max(maxBeats, bench_.axi().writes()[i].beats);
  EXPECT_GE(maxBeats, 4u) << "no burst carried two or more descriptors";
}

TEST_F(CqWriter, TailAdvancesOnlyAfterTheWriteResponse) {
  bench_.axi().config().writeLatency = 80;
  QueuePair& p = qpair(0);
  p.setAutoHead(false);
  submitInvalid(p, 1, 1);
  struct Sample {
    uint64_t request, response;
    uint32_t tail;
  };
  std::vector<Sample> samples;
  bench_.runUntil(
      [&] {
        const uint32_t tail = reg(qp(0, kCqTail));
        samples.push_back({bench_.csr().requestCycle(), bench_.csr().responseCycle(), tail});
        return tail == 1;
      },
      2000, "CQ_TAIL to advance");
  ASSERT_EQ(bench_.axi().writes().size(), 1u);
  const DmaBurst& b = bench_.axi().writes()[0];
  ASSERT_TRUE(b.done);
  bool sawWrittenButUnacknowledged = false;
  for (const Sample& s : samples) {
    if (s.tail == 1) {
      EXPECT_GT(s.response, b.respCycle) << "CQ_TAIL advanced before B";
    }
    if (s.tail == 0 && s.request > b.dataCycle) sawWrittenButUnacknowledged = true;
  }
  EXPECT_TRUE(sawWrittenButUnacknowledged);
  EXPECT_EQ(p.drain(10).size(), 1u);
}

TEST_F(CqWriter, FullCqStallsOnlyItsOwnQueuePair) {
  QueuePair& p0 = qpair(0, defaultLayout(0, 6, 2));  // 4 CQ entries
  QueuePair& p1 = qpair(lastQp());
  p0.setAutoHead(false);
  submitInvalid(p0, 7, 1);
  p0.wait(4);
  EXPECT_TRUE(p0.drain(200).empty()) << "wrote a slot the driver had not consumed";
  EXPECT_EQ(reg(qp(0, kCqTail)), 4u);
  submitInvalid(p1, 5, 100);
  EXPECT_EQ(p1.wait(5).size(), 5u);
  p0.writeHead();  // consumes the four
  const auto rest = p0.wait(3);
  EXPECT_EQ(rest[0].tag, 5u);
  EXPECT_EQ(rest[2].tag, 7u);
}

TEST_F(CqWriter, FullCqDoesNotBlockEventsOfOtherQueuePairs) {
  const uint16_t c2 = conn(2);
  const uint16_t c3 = conn(3);
  QueuePair& p0 = qpair(0, defaultLayout(0, 6, 2));  // 4 CQ entries
  QueuePair& p1 = offloaded(c2, lastQp());
  offloaded(c3, 0);
  p0.setAutoHead(false);
  p0.post(sendReq(1, c3, 10));
  p0.ring();
  waitWork(c3, 1);
  submitInvalid(p0, 4, 10);
  p0.wait(4);                          // CQ full
  push(evt(EventType::kAck, c3, 10));  // its descriptor must wait
  p1.submit(sendReq(2, c2, 10));
  waitWork(c2, 1);
  push(evt(EventType::kAck, c2, 10));
  EXPECT_TRUE(isCpl(p1.wait(1, 3000)[0], {2, CplType::kSend, CplStatus::kSuccess, 10, c2}));
  p0.writeHead();
  EXPECT_TRUE(isCpl(p0.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, c3}));
}

// A polling driver may see a descriptor (its phase) in host memory before
// the engine has the write response; reporting it consumed right away must
// not count as a CQ_HEAD beyond the ring (PRM 5 vs PRM 7). The engine
// compares CQ_HEAD with the descriptors it has written, not only committed.
// PRM 7: CQ_HEAD is checked against CQ_TAIL, which only counts descriptors
// whose write was acknowledged. A descriptor already visible in host memory
// but not yet acknowledged cannot be consumed: the head is ignored.
TEST_F(CqWriter, HeadOverAnUnacknowledgedDescriptorIsADoorbellError) {
  bench_.axi().config().writeLatency = 40;
  QueuePair& p = qpair(0);
  p.setClampHeadToTail(false);
  submitInvalid(p, 1, 1);
  p.wait(1);  // writes CQ_HEAD = 1 as soon as the descriptor is visible
  EXPECT_EQ(reg(kErrStatus) & prm::err::kDoorbell, prm::err::kDoorbell);
  EXPECT_EQ(reg(qp(0, kCqHead)) & 0xFFFF, 0u);
  bench_.run(60);  // the write response arrives: CQ_TAIL = 1
  EXPECT_EQ(reg(qp(0, kCqTail)) & 0xFFFF, 1u);
  bench_.writeReg(qp(0, kCqHead), 1);
  EXPECT_EQ(reg(qp(0, kCqHead)) & 0xFFFF, 1u);
}

TEST_F(CqWriter, SlowWritesAndBackPressureKeepRingOrder) {
  bench_.axi().config() = AxiMemoryConfig{3, 25, 50, 50};
  QueuePair& p = qpair(0, defaultLayout(0, 6, 3));
  uint64_t tag = 1;
  for (int round = 0; round < 6; ++round) {
    submitInvalid(p, 7, tag);
    const auto c = p.wait(7, 40000);
    for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i].tag, tag + i);
    tag += 7;
  }
  bench_.run(200);  // the last write responses
  EXPECT_EQ(reg(kCntCplWritten), 42u);
}

}  // namespace
}  // namespace chimney::rtltest
