// Seeded random traffic over many connections and every queue pair, with
// random memory latency and back-pressure (CSR responses included): every
// request completes exactly once, on its queue pair, with the status and
// bytes the reference computes, in posting order per connection and opcode
// (PRM 6 "Ordering").
#include <algorithm>
#include <cstdio>
#include <random>

#include "random_reference.h"
#include "rtl_build_params.h"
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

class RandomTraffic : public RtlTest, public ::testing::WithParamInterface<uint64_t> {
 protected:
  RandomTraffic() : RtlTest(BenchConfig{GetParam(), {}, 4000}) {}
};

TEST_P(RandomTraffic, EveryRequestCompletesExactlyOnceInOrder) {
  const uint64_t seed = GetParam();
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull);
  auto pick = [&](unsigned lo, unsigned hi) { return lo + unsigned(rng() % (hi - lo + 1)); };

  AxiMemoryConfig mem;
  mem.readLatency = pick(0, 12);
  mem.writeLatency = pick(0, 12);
  mem.readyPercent = pick(50, 100);
  mem.validPercent = pick(50, 100);
  bench_.axi().config() = mem;
  bench_.work().setReadyPercent(pick(40, 100));
  bench_.events().setValidPercent(pick(60, 100));
  // Response back-pressure on the CSR bus, from draws of its own (a seed's
  // traffic is what it was without it).
  std::mt19937_64 csrRng(seed ^ 0xC5A0'0000'0000'0000ull);
  bench_.csr().setResponseReadyPercent(unsigned(30 + csrRng() % 71), csrRng());
  const unsigned eventPercent = pick(30, 90);

  const unsigned numQp = bench_.numQp();
  // 48 connections, or all but the last id when the table is smaller; the
  // last id is the one that is never offloaded.
  const unsigned kConns = std::min(48u, bench_.numConn() - 1);
  constexpr unsigned kOpsPerConn = 55;
  std::vector<unsigned> sqEntries;
  for (unsigned q = 0; q < numQp; ++q) {
    const unsigned sqLog2 = pick(3, 6);
    qpair(q, defaultLayout(q, sqLog2, pick(2, 6)));
    sqEntries.push_back(1u << sqLog2);
  }
  RandomReference ref(numQp, kConns, uint16_t(bench_.numConn() - 1), kOpsPerConn, seed);
  for (uint16_t c = 0; c < kConns; ++c)
    ASSERT_EQ(bench_.offload(c, uint8_t(ref.qpOf(c))), prm::CmdResult::kOk);
  bench_.work().onWork([&](const WorkItem& w) { ref.onWork(w.work); });

  // Requests posted and completed per queue pair (EVT_FIN descriptors are
  // not requests). posted - completed bounds what can sit in the SQ.
  std::vector<size_t> posted(numQp, 0), completed(numQp, 0), checked(numQp, 0);
  auto hasSpace = [&] {
    for (unsigned q = 0; q < numQp; ++q)
      if (posted[q] - completed[q] >= sqEntries[q]) return false;
    return true;
  };
  const uint64_t start = bench_.cycle();
  const uint64_t limit = 4'000'000;
  while (!ref.done() && ref.failures().empty() && bench_.cycle() - start < limit) {
    bench_.step();
    if (bench_.events().pending() < 2 && pick(0, 99) < eventPercent) {
      if (auto e = ref.nextEvent()) push(*e);
    }
    if (!ref.allPosted() && pick(0, 99) < 10) {
      const unsigned q = pick(0, numQp - 1);
      std::vector<bool> ring(numQp, false);
      for (unsigned n = pick(1, 8); n > 0 && hasSpace(); --n) {
        unsigned postQp = q;
        auto r = ref.nextRequest(q, postQp);
        if (!r) break;
        qps_[postQp]->post(*r);
        ++posted[postQp];
        ring[postQp] = true;
      }
      for (unsigned p = 0; p < numQp; ++p)
        if (ring[p]) qps_[p]->ring();
    }
    for (unsigned q = 0; q < numQp; ++q) {
      QueuePair& p = *qps_[q];
      p.poll();
      for (; checked[q] < p.received().size(); ++checked[q]) {
        const prm::Completion& c = p.received()[checked[q]].cpl;
        completed[q] += c.tag != 0 ? 1 : 0;
        ref.check(q, c);
      }
    }
  }
  const uint64_t cycles = bench_.cycle() - start;
  std::string failures;
  for (const auto& f : ref.failures()) failures += "  " + f + "\n";
  EXPECT_TRUE(ref.failures().empty()) << failures;
  EXPECT_TRUE(ref.done()) << "after " << cycles << " cycles: " << ref.pendingSummary();
  EXPECT_EQ(ref.completions(), ref.requests() + kConns);
  bench_.run(200);
  for (unsigned q = 0; q < numQp; ++q) {
    qps_[q]->poll();
    EXPECT_EQ(qps_[q]->received().size(), checked[q]) << "descriptors after the end";
  }
  std::printf("seed %llu: %zu requests, %zu descriptors in %llu cycles\n",
              static_cast<unsigned long long>(seed), ref.requests(), ref.completions(),
              static_cast<unsigned long long>(cycles));
  RecordProperty("requests", int(ref.requests()));
  RecordProperty("cycles", int(cycles));
}

// builtWith().seeds seeds (fewer at the largest configuration, see
// tests/rtl/CMakeLists.txt).
INSTANTIATE_TEST_SUITE_P(Seeds, RandomTraffic,
                         ::testing::Range<uint64_t>(1, builtWith().seeds + 1));

}  // namespace
}  // namespace chimney::rtltest
