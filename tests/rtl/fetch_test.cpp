// PRM 2 DMA rules and PRM 3 pointers applied to request fetch from the SQ.
// Requests on a CLOSED conn complete INVALID_CONN at once, so these tests
// see each fetched entry as exactly one completion.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class SqFetch : public RtlTest {
 protected:
  // Lengths 1, 2, 3, ... so each request is told apart by its length too.
  void postInvalid(QueuePair& p, unsigned n, uint64_t firstTag) {
    RtlTest::postInvalid(p, n, firstTag, 1);
  }
  // Each completion carries the tag it was posted with, in order.
  static ::testing::AssertionResult tagsInOrder(const std::vector<prm::Completion>& c,
                                                uint64_t firstTag) {
    for (size_t i = 0; i < c.size(); ++i)
      if (c[i].tag != firstTag + i || c[i].status != CplStatus::kInvalidConn)
        return ::testing::AssertionFailure() << "[" << i << "] " << describe(c[i]);
    return ::testing::AssertionSuccess();
  }
  // `rounds` doorbells of `perRound` requests each (tags from 1 on); every
  // round's completions carry its tags in order.
  void postRounds(QueuePair& p, unsigned rounds, unsigned perRound) {
    uint64_t tag = 1;
    for (unsigned round = 0; round < rounds; ++round) {
      submitInvalid(p, perRound, tag);
      EXPECT_TRUE(tagsInOrder(p.wait(perRound), tag));
      tag += perRound;
    }
  }
  // Reads of each SQ slot in [from, to) (pointer values).
  std::vector<size_t> readsPerSlot(const QueuePair& p, uint16_t from, uint16_t to) {
    std::vector<size_t> n;
    for (uint16_t s = from; s != to; ++s)
      n.push_back(bench_.axi().countReads(p.sqSlotAddr(s), p.sqSlotAddr(s) + 32));
    return n;
  }
};

TEST_F(SqFetch, FetchesEveryPostedEntryExactlyOnce) {
  QueuePair& p = qpair(0);
  submitInvalid(p, 10, 100);
  EXPECT_TRUE(tagsInOrder(p.wait(10), 100));
  EXPECT_EQ(reg(qp(0, kSqHead)), 10u);
  EXPECT_EQ(reg(kCntReqFetched), 10u);
  for (size_t n : readsPerSlot(p, 0, 10)) EXPECT_EQ(n, 1u);
  EXPECT_TRUE(p.drain(200).empty());
}

TEST_F(SqFetch, BothEntriesOfA64ByteGroupAreReadInOneBurst) {
  // An entry at an even slot and the next one, both posted, are one 8-beat
  // burst; an entry alone in its 64-byte group (the last one posted, or the
  // first at an odd slot) is a 4-beat burst of its own.
  QueuePair& p = qpair(0);
  submitInvalid(p, 7, 1);
  EXPECT_TRUE(tagsInOrder(p.wait(7), 1));
  submitInvalid(p, 3, 8);
  EXPECT_TRUE(tagsInOrder(p.wait(3), 8));
  std::vector<std::pair<uint64_t, unsigned>> bursts;  // first slot, beats
  for (const DmaBurst& b : bench_.axi().reads())
    bursts.emplace_back((b.addr - p.sqSlotAddr(0)) / 32, b.beats);
  const std::vector<std::pair<uint64_t, unsigned>> expected = {{0, 8}, {2, 8}, {4, 8},
                                                               {6, 4}, {7, 4}, {8, 8}};
  EXPECT_EQ(bursts, expected);
}

TEST_F(SqFetch, ASlotHandedBackWhileEveryOtherIsHeldIsTheOneHandedOutNext) {
  // Every request slot is held by a waiting RECV: the first on connection B,
  // the rest on connection A. A's first RECV completes, so its slot is the
  // only one on the slot pool's free list, and a new RECV on A must take
  // exactly that slot (any other is still held). Then every RECV completes
  // once, with its own tag, in posting order on its connection.
  const unsigned n = reqSlots();
  unsigned log2 = 1;
  while ((1u << log2) < n) ++log2;
  QueuePair& p = qpair(0, defaultLayout(0, log2, log2 + 1));
  const uint16_t a = conn(1);
  const uint16_t b = conn(2);
  offloaded(a, 0);
  offloaded(b, 0);
  p.post(recvReq(1, b, 1));
  for (unsigned i = 2; i <= n; ++i) p.post(recvReq(i, a, 1));
  p.ring();
  waitWork(a, n - 1, 100ull * n);
  waitWork(b, 1);
  auto recv = [](uint64_t tag, uint16_t c) {
    return Cpl{tag, CplType::kRecv, CplStatus::kSuccess, 1, c};
  };
  push(evt(EventType::kData, a, 1));
  EXPECT_TRUE(isCpl(p.wait(1)[0], recv(2, a)));
  p.post(recvReq(n + 1, a, 1));
  p.ring();
  waitWork(a, n);
  push(evt(EventType::kData, b, 1));
  EXPECT_TRUE(isCpl(p.wait(1)[0], recv(1, b)));
  push(evt(EventType::kData, a, n - 1));
  const std::vector<prm::Completion> rest = p.wait(n - 1, 100ull * n);
  ASSERT_EQ(rest.size(), n - 1);
  for (unsigned i = 0; i < n - 1; ++i) EXPECT_TRUE(isCpl(rest[i], recv(3 + i, a))) << i;
  EXPECT_TRUE(p.drain(200).empty());
}

TEST_F(SqFetch, ARingResetDropsTheEntriesOfAReadBurstInFlight) {
  // PRM 3: writing SQ_SIZE (the queue pair disabled) sets both pointers to 0.
  // The entries of a read burst issued before it belong to no ring any more:
  // they are dropped, not carried out.
  bench_.axi().config() = AxiMemoryConfig{300, 0, 100, 100};
  QueuePair& p = qpair(0);
  submitInvalid(p, 2, 1);
  bench_.runUntil([&] { return !bench_.axi().reads().empty(); }, 1000, "the SQ read");
  p.setEnabled(false);
  bench_.writeReg(qp(0, kSqSize), 6);
  EXPECT_EQ(bench_.axi().outstandingReads(), 1u);  // the burst is still on its way
  bench_.run(600);
  EXPECT_EQ(bench_.axi().outstandingReads(), 0u);
  EXPECT_TRUE(p.drain(0).empty());
  EXPECT_EQ(reg(qp(0, kSqHead)), 0u);
  EXPECT_EQ(reg(kCntReqFetched), 0u);
}

TEST_F(SqFetch, NothingIsFetchedWhileGlobalEnableIsClear) {
  QueuePair& p = qpair(0);
  bench_.writeReg(kCtrl, 0);
  submitInvalid(p, 3, 1);
  bench_.run(300);
  EXPECT_TRUE(bench_.axi().reads().empty());
  EXPECT_EQ(reg(qp(0, kSqHead)), 0u);
  bench_.writeReg(kCtrl, prm::ctrl::kEnable);
  EXPECT_TRUE(tagsInOrder(p.wait(3), 1));
}

TEST_F(SqFetch, NothingIsFetchedWhileTheQueuePairIsDisabled) {
  QueuePair& p = qpair(0);
  p.setEnabled(false);
  submitInvalid(p, 3, 1);
  bench_.run(300);
  EXPECT_TRUE(bench_.axi().reads().empty());
  p.setEnabled(true);
  EXPECT_TRUE(tagsInOrder(p.wait(3), 1));
}

TEST_F(SqFetch, BurstsStopAtA4KiBBoundary) {
  // 256 entries of 32 bytes: slot 128 starts the second 4 KiB page.
  QueuePair& p = qpair(0, defaultLayout(0, 8, 8));
  submitInvalid(p, 125, 1);
  p.wait(125);
  postInvalid(p, 8, 1000);  // slots 125..132 straddle the page boundary
  p.ring();
  EXPECT_TRUE(tagsInOrder(p.wait(8), 1000));
  for (size_t n : readsPerSlot(p, 125, 133)) EXPECT_EQ(n, 1u);
  // The 4 KiB rule itself is checked on every burst by the AXI responder.
}

TEST_F(SqFetch, FetchWrapsAroundASmallRing) {
  QueuePair& p = qpair(0, defaultLayout(0, 3, 6));  // 8 SQ entries
  postRounds(p, 7, 5);
  EXPECT_EQ(reg(qp(0, kSqHead)), 35u);
}

TEST_F(SqFetch, ARingFilledToCapacityIsFetchedCompletely) {
  QueuePair& p = qpair(0, defaultLayout(0, 4, 6));  // 16 SQ entries
  submitInvalid(p, 16, 1);
  EXPECT_TRUE(tagsInOrder(p.wait(16), 1));
  EXPECT_EQ(reg(kErrStatus) & prm::err::kDoorbell, 0u);
}

TEST_F(SqFetch, PointersWrapAt16Bits) {
  // A 2-entry ring cycled past 0xFFFF would take too long; instead check
  // that SQ_TAIL and SQ_HEAD compare modulo 2^16 across many doorbells.
  QueuePair& p = qpair(0, defaultLayout(0, 1, 2));
  postRounds(p, 20, 2);
  EXPECT_EQ(reg(qp(0, kSqHead)), 40u);
}

TEST_F(SqFetch, QueuePairsAreFetchedIndependently) {
  std::vector<QueuePair*> ps;
  for (unsigned q = 0; q < numQp(); ++q) ps.push_back(&qpair(q));
  for (unsigned q = 0; q < numQp(); ++q) {
    postInvalid(*ps[q], 6, uint64_t{100} * (q + 1));
    ps[q]->ring();
  }
  for (unsigned q = 0; q < numQp(); ++q)
    EXPECT_TRUE(tagsInOrder(ps[q]->wait(6), uint64_t{100} * (q + 1)));
}

TEST_F(SqFetch, SlowMemoryAndBackPressureLoseNothing) {
  bench_.axi().config() = AxiMemoryConfig{17, 9, 40, 60};
  QueuePair& p = qpair(0);
  submitInvalid(p, 40, 1);
  EXPECT_TRUE(tagsInOrder(p.wait(40, 60000), 1));
}

}  // namespace
}  // namespace chimney::rtltest
