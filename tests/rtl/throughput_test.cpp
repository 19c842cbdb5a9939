// PRM 8 performance targets, in RTL cycles with zero-latency memory and no
// back-pressure. Each test prints its figure and records it as a GoogleTest
// property (visible with --gtest_output=xml).
#include <algorithm>
#include <cstdio>

#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class Throughput : public RtlTest {
 protected:
  // Reads `addr` back to back until (value & 0xFFFF) reaches `target`;
  // returns the response cycle of the first read that showed it (an upper
  // bound of the cycle the register got there).
  uint64_t pollUntil(uint16_t addr, uint32_t target, uint64_t timeout) {
    const uint64_t start = bench_.cycle();
    for (;;) {
      const uint32_t v = reg(addr) & 0xFFFF;
      if (v == target) return bench_.csr().responseCycle();
      if (bench_.cycle() - start > timeout)
        throw HarnessError("register " + std::to_string(addr) + " stuck at " + std::to_string(v));
    }
  }
  void report(const char* name, double value, const char* unit) {
    std::printf("[ PRM 8    ] %s: %.3f %s\n", name, value, unit);
    RecordProperty(name, std::to_string(value));
  }
  // Descriptors committed after the first write response from `writesBefore`
  // on, over the cycles from it to the last write response (the slope of
  // commits), for `descriptors` descriptors in all.
  double commitSlope(size_t writesBefore, unsigned descriptors) {
    uint64_t firstResp = 0, lastResp = 0, firstBurst = 0;
    for (size_t i = writesBefore; i < bench_.axi().writes().size(); ++i) {
      const DmaBurst& b = bench_.axi().writes()[i];
      EXPECT_TRUE(b.done);
      if (firstResp == 0 || b.respCycle < firstResp) {
        firstResp = b.respCycle;
        firstBurst = b.beats * 8 / prm::kCqEntryBytes;
      }
      lastResp = std::max(lastResp, b.respCycle);
    }
    if (lastResp <= firstResp) {
      ADD_FAILURE() << "fewer than two write responses";
      return 0.0;
    }
    return double(descriptors - firstBurst) / double(lastResp - firstResp);
  }
  // Indications, an event every cycle: 3000 DATA events round robin on test
  // connections 0..conns-1 (all on queue pair 0, 4096 CQ entries: no head
  // updates needed). Reports the descriptors committed per cycle from the
  // first event on under `name`, requires at least 0.45 and every descriptor.
  static constexpr unsigned kEvents = 3000;
  void indicationsEveryCycle(unsigned conns, const char* name) {
    qpair(0, defaultLayout(0, 6, 12));
    for (unsigned k = 0; k < conns; ++k) offloaded(conn(k), 0);
    for (unsigned i = 0; i < kEvents; ++i) push(evt(EventType::kData, conn(i % conns), 100));
    bench_.run(1);
    const uint64_t last = pollUntil(qp(0, kCqTail), kEvents, 40000);
    const uint64_t first = bench_.events().accepted().front().cycle;
    const double rate = double(kEvents) / double(last - first);
    report(name, rate, "descriptors/cycle");
    EXPECT_GE(rate, 0.45);
    EXPECT_EQ(qpair(0).drain(0).size(), kEvents);
  }
  // Sends outstanding at once in the send tests: at most REQ_SLOTS.
  unsigned sendsAtOnce() { return std::min(240u, reqSlots()); }
  // Posts sendsAtOnce() sends of 1000 bytes round robin on test connections
  // 0..conns-1 (all on queue pair 0), waits for their TX_DATA, then pushes an
  // ACK for each on every cycle. Reports and checks two rates under `name`:
  // from the first ACK to the last commit (which includes the
  // event-to-commit latency once, small against the run only with 240 sends
  // outstanding, so checked only then), and the sustained slope of commits
  // (checked at every size). Returns the completions.
  std::vector<prm::Completion> sendsAckedEveryCycle(unsigned conns, const std::string& name) {
    const unsigned sends = sendsAtOnce();
    QueuePair& p = qpair(0, defaultLayout(0, 8, 12));
    for (unsigned k = 0; k < conns; ++k) offloaded(conn(k), 0);
    for (unsigned i = 0; i < sends; ++i) p.post(sendReq(i + 1, conn(i % conns), 1000));
    p.ring();
    bench_.runUntil([&] { return bench_.work().items().size() == sends; }, 10000, "all TX_DATA");
    const size_t writesBefore = bench_.axi().writes().size();
    for (unsigned i = 0; i < sends; ++i) push(evt(EventType::kAck, conn(i % conns), 1000));
    bench_.run(1);
    const uint64_t last = pollUntil(qp(0, kCqTail), sends, 10000);
    const uint64_t first = bench_.events().accepted().front().cycle;
    const double rate = double(sends) / double(last - first);
    report(name.c_str(), rate, "descriptors/cycle");
    if (sends == 240) {
      EXPECT_GE(rate, 0.45);
    }
    const double sustained = commitSlope(writesBefore, sends);
    report((name + "_sustained").c_str(), sustained, "descriptors/cycle");
    EXPECT_GE(sustained, 0.45);
    return p.drain(0);
  }
};

TEST_F(Throughput, IndicationDescriptorsKeepUpWithAnEventEveryCycle) {
  indicationsEveryCycle(8, "descriptors_per_cycle_indications");
  const auto& accepted = bench_.events().accepted();
  const double eventRate =
      double(kEvents) / double(accepted.back().cycle - accepted.front().cycle + 1);
  report("events_per_cycle_indications", eventRate, "events/cycle");
}

TEST_F(Throughput, SendCompletionsKeepUpWithAnAckEveryCycle) {
  const unsigned kSends = sendsAtOnce();
  const auto c = sendsAckedEveryCycle(8, "descriptors_per_cycle_sends");
  ASSERT_EQ(c.size(), kSends);
  for (unsigned i = 0; i < kSends; ++i) EXPECT_EQ(c[i].status, CplStatus::kSuccess);
}

// Back-to-back events on one connection: each step reads the connection word
// the step before wrote, which must not cost a cycle.
TEST_F(Throughput, IndicationsOnOneConnectionKeepUpWithAnEventEveryCycle) {
  indicationsEveryCycle(1, "descriptors_per_cycle_indications_one_conn");
}

TEST_F(Throughput, SendCompletionsOnOneConnectionKeepUpWithAnAckEveryCycle) {
  const unsigned kSends = sendsAtOnce();
  const auto c = sendsAckedEveryCycle(1, "descriptors_per_cycle_sends_one_conn");
  ASSERT_EQ(c.size(), kSends);
  for (unsigned i = 0; i < kSends; ++i) EXPECT_EQ(c[i].tag, i + 1);  // posting order
}

TEST_F(Throughput, RequestFetchSustainsItsRate) {
  constexpr unsigned kRequests = 2000;
  QueuePair& p = qpair(0, defaultLayout(0, 12, 12));  // 4096 entries each
  for (unsigned k = 0; k < 8; ++k) offloaded(conn(k), 0);
  // The peer acknowledges each send as soon as its TX_DATA leaves.
  bench_.work().onWork([&](const WorkItem& w) {
    if (w.work.type == WorkType::kTxData) push(evt(EventType::kAck, w.work.conn, w.work.bytes));
  });
  for (unsigned i = 0; i < kRequests; ++i) p.post(sendReq(i + 1, conn(i % 8), 512));
  p.ring();
  const uint64_t doorbell = bench_.csr().responseCycle();
  const uint64_t last = pollUntil(qp(0, kSqHead), kRequests, 40000);
  const double rate = double(kRequests) / double(last - doorbell);
  report("requests_fetched_per_cycle", rate, "requests/cycle");
  EXPECT_GE(rate, 0.22);
  EXPECT_EQ(p.wait(kRequests, 40000).size(), kRequests);
}

TEST_F(Throughput, EventToCommittedDescriptorLatencyAtLowLoad) {
  const uint16_t cn = conn(3);
  const unsigned q = lastQp();
  QueuePair& p = offloaded(cn, q);
  uint64_t worst = 0, worstB = 0;
  for (uint64_t i = 1; i <= 10; ++i) {
    p.submit(sendReq(i, cn, 100));
    waitWork(cn, size_t(i));
    bench_.run(50);  // idle engine
    const size_t writesBefore = bench_.axi().writes().size();
    push(evt(EventType::kAck, cn, 100));
    flushEvents();
    const uint64_t accepted = bench_.events().accepted().back().cycle;
    const uint64_t seen = pollUntil(qp(q, kCqTail), uint32_t(i), 1000);
    ASSERT_GT(bench_.axi().writes().size(), writesBefore);
    const DmaBurst& b = bench_.axi().writes()[writesBefore];
    worst = std::max(worst, seen - accepted);
    worstB = std::max(worstB, b.respCycle - accepted);
    p.drain(0);
  }
  report("event_to_write_response_cycles", double(worstB), "cycles (worst of 10)");
  report("event_to_cq_tail_cycles", double(worst), "cycles (worst of 10, upper bound)");
  EXPECT_LE(worst, 16u);
}

}  // namespace
}  // namespace chimney::rtltest
