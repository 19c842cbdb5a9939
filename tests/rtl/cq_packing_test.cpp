// PRM 5 CQ-writer burst packing. n descriptors finish while the write
// channel is stalled, at every alignment of CQ_TAIL within a 64-byte group
// (four 16-byte descriptors) and n = 1..9. The first descriptor left at once
// (low load) and its burst is held by the stall; the n - 1 behind it are
// packed up to their 64-byte group (never across a group or the ring end).
// Once the channel is released the W channel never idles: each burst's last
// beat comes exactly its beat count after the previous one's.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

class CqPacking : public RtlTest {
 protected:
  // The connection under test (closedConn() is one never offloaded).
  uint16_t testConn() { return conn(1); }
  static constexpr unsigned kPerGroup = 64 / prm::kCqEntryBytes;
  static constexpr unsigned kBeatsPerDescriptor = prm::kCqEntryBytes / 8;

  struct Burst {
    unsigned descriptors;
    unsigned position;  // ring index of the first descriptor
    bool operator==(const Burst& o) const {
      return descriptors == o.descriptors && position == o.position;
    }
  };

  // The bursts the packing rule gives for n descriptors from ring index tail.
  static std::vector<Burst> expected(unsigned tail, unsigned n, unsigned ringSize) {
    std::vector<Burst> out{{1, tail % ringSize}};
    unsigned pos = (tail + 1) % ringSize;
    for (unsigned left = n - 1; left > 0;) {
      const unsigned groupEnd = (pos / kPerGroup + 1) * kPerGroup;
      const unsigned take = std::min(left, std::min(groupEnd, ringSize) - pos);
      out.push_back({take, pos});
      left -= take;
      pos = (pos + take) % ringSize;
    }
    return out;
  }
  static std::string show(const std::vector<Burst>& bursts) {
    std::string s;
    for (const Burst& b : bursts)
      s += " [" + std::to_string(b.descriptors) + " at " + std::to_string(b.position) + "]";
    return s;
  }
};

TEST_F(CqPacking, EveryAlignmentAndWaitingCountGivesTheExactBurstsBackToBack) {
  constexpr unsigned kCqLog2 = 6;
  constexpr unsigned kRing = 1u << kCqLog2;
  QueuePair& p = offloaded(testConn(), 0);
  uint64_t tag = 1;
  for (unsigned align = 0; align < kPerGroup; ++align) {
    for (unsigned n = 1; n <= 2 * kPerGroup + 1; ++n) {
      SCOPED_TRACE("alignment " + std::to_string(align) + ", " + std::to_string(n) + " waiting");
      // Requests for a closed connection complete at once: they move CQ_TAIL
      // to the alignment wanted.
      unsigned tail = bench_.readReg(prm::reg::qp(0, prm::reg::kCqTail));
      const unsigned pad = (align + kPerGroup - tail % kPerGroup) % kPerGroup;
      for (unsigned i = 0; i < pad; ++i) p.post(sendReq(tag++, closedConn(), 1));
      if (pad != 0) {
        p.ring();
        p.wait(pad);
      }
      tail = bench_.readReg(prm::reg::qp(0, prm::reg::kCqTail));
      ASSERT_EQ(tail % kPerGroup, align);
      const size_t workBefore = workOf(testConn()).size();
      for (unsigned i = 0; i < n; ++i) p.post(sendReq(tag++, testConn(), 10));
      p.ring();
      waitWork(testConn(), workBefore + n);
      bench_.run(20);

      const size_t before = bench_.axi().writes().size();
      bench_.axi().config().readyPercent = 0;
      push(evt(EventType::kAck, testConn(), 10 * n));  // finishes all n
      bench_.run(40 + 2 * n);
      const uint64_t release = bench_.cycle();
      bench_.axi().config().readyPercent = 100;
      p.wait(n);

      std::vector<Burst> got;
      const auto& writes = bench_.axi().writes();
      for (size_t i = before; i < writes.size(); ++i) {
        const uint64_t offset = writes[i].addr - p.layout().cqBase;
        got.push_back(
            {writes[i].beats / kBeatsPerDescriptor, unsigned(offset / prm::kCqEntryBytes)});
      }
      const std::vector<Burst> want = expected(tail, n, kRing);
      ASSERT_EQ(got, want) << "got" << show(got) << "\nwant" << show(want);
      // The held burst goes out right after the release; then no W bubble.
      EXPECT_LE(writes[before].dataCycle, release + 1 + writes[before].beats);
      for (size_t i = before + 1; i < writes.size(); ++i) {
        EXPECT_LE(writes[i].addrCycle, writes[i - 1].dataCycle) << "AW late for burst " << i;
        EXPECT_EQ(writes[i].dataCycle - writes[i - 1].dataCycle, writes[i].beats)
            << "W channel idle before burst " << i - before;
      }
    }
  }
}

}  // namespace
}  // namespace chimney::rtltest
