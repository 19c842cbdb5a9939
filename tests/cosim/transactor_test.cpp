// Transactor: time, quantum, run length and the register path.
#include "transactor.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "cosim_fixture.h"
#include "host_memory.h"
#include "prm.h"
#include "stream_peer.h"

namespace chimney::test {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

Transactor::Config quietConfig() {
  Transactor::Config c;
  c.idleCycles = 200;
  return c;
}

// Free running (no idle window), stopped at `maxCycles`.
Transactor::Config freeRunning(uint64_t maxCycles) {
  Transactor::Config c;
  c.idleCycles = 0;
  c.maxCycles = maxCycles;
  return c;
}

// Transactor + host memory + a raw register initiator, bound together.
struct BoundTop {
  explicit BoundTop(const Transactor::Config& config) : transactor("transactor", config) {
    transactor.dma.bind(memory.socket);
    initiator.socket.bind(transactor.regs);
  }
  HostMemory memory{"memory"};
  Transactor transactor;
  RawInitiator initiator{"initiator"};
};

// The same, with one thread of test code.
struct RawTop : BoundTop {
  RawTop(const Transactor::Config& config, std::function<void(RawTop&)> body)
      : BoundTop(config), runner("runner", [this, body = std::move(body)] { body(*this); }) {}
  tlm::tlm_response_status reg(tlm::tlm_command cmd, uint64_t addr, unsigned char* data,
                               unsigned len, unsigned char* be = nullptr, unsigned beLen = 0) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    return initiator.transport(cmd, addr, data, len, delay, be, beLen);
  }
  ThreadRunner runner;
};

TEST(Transactor, SystemCTimeEqualsCyclesTimesClockPeriod) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  Transactor::Config config = freeRunning(12345);
  config.engine.clockPeriodPs = 5000;
  BoundTop top(config);
  Transactor& transactor = top.transactor;

  sc_core::sc_start();

  EXPECT_EQ(transactor.cycle(), 12345u);
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(5.0 * 12345, SC_NS));
}

TEST(Transactor, QuiescentLoopSleepsAndLetsTheSimulationEnd) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  BoundTop top(quietConfig());
  Transactor& transactor = top.transactor;

  sc_core::sc_start();  // returns only because nothing is left to do

  EXPECT_TRUE(transactor.quiescent());
  EXPECT_EQ(transactor.cycle(), 4u + 200u);  // reset, then one idle window
  EXPECT_EQ(sc_core::sc_time_stamp(), transactor.clockPeriod() * double(transactor.cycle()));
}

TEST(Transactor, FreeRunningLoopSynchronisesOncePerQuantum) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  Transactor::Config config = freeRunning(10004);
  config.quantumCycles = 1000;
  BoundTop top(config);
  Transactor& transactor = top.transactor;

  sc_core::sc_start();

  EXPECT_EQ(transactor.cycle(), 10004u);
  EXPECT_EQ(transactor.stats().syncs, 1u + 10u);  // after reset, then each quantum
}

TEST(Transactor, ThreadWakingFromATimedWaitFindsTheModelAtItsTime) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  Transactor::Config config = freeRunning(1'000'000);
  config.quantumCycles = 100000;
  std::vector<sc_time> skew;
  BoundTop top(config);
  Transactor& transactor = top.transactor;
  ThreadRunner probe("probe", [&] {
    for (int i = 0; i < 50; ++i) {
      wait(sc_time(37, SC_NS));
      skew.push_back(transactor.clockPeriod() * double(transactor.cycle()) -
                     sc_core::sc_time_stamp());
    }
    sc_core::sc_stop();
  });

  sc_core::sc_start();

  ASSERT_EQ(skew.size(), 50u);
  for (const sc_time& s : skew) EXPECT_LT(s, transactor.clockPeriod());
  EXPECT_GT(transactor.stats().syncs, 50u);  // the probe's waits cut the quantum
}

// A peer that notes, at every call the loop makes, the cycle it was given,
// what the transactor says now() and settled() are, and SystemC time.
struct ClockProbePeer final : StreamPeer {
  explicit ClockProbePeer(const Transactor& t) : transactor(t) {}
  void onWork(uint64_t, const prm::Work&) override {}
  std::optional<prm::Event> nextEvent(uint64_t cycle) override {
    const uint64_t sc = sc_core::sc_time_stamp().value() / transactor.clockPeriod().value();
    calls.push_back({cycle, transactor.now(), transactor.settled(), sc});
    return std::nullopt;
  }
  bool busy() const override { return false; }
  struct Call {
    uint64_t cycle, now, settled, sc;
  };
  const Transactor& transactor;
  std::vector<Call> calls;
};

// What the loop does while it runs ahead of SystemC time happens at the
// cycle it evaluates: now() is that cycle (SystemC time lags behind it), and
// settled() never passes it. Other threads see SystemC time.
TEST(Transactor, NowIsTheCycleTheLoopEvaluatesWhileItRunsAhead) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  Transactor::Config config = freeRunning(3000);
  config.quantumCycles = 1000;
  BoundTop top(config);
  Transactor& transactor = top.transactor;
  ClockProbePeer peer(transactor);
  transactor.setPeer(&peer);
  std::vector<std::pair<uint64_t, uint64_t>> outside;  // (now, SystemC cycle)
  ThreadRunner probe("probe", [&] {
    for (int i = 0; i < 5; ++i) {
      wait(sc_time(1000, SC_NS));
      outside.emplace_back(transactor.now(),
                           sc_core::sc_time_stamp().value() / transactor.clockPeriod().value());
    }
  });

  sc_core::sc_start();

  ASSERT_GT(peer.calls.size(), 2000u);
  uint64_t ahead = 0;
  for (const ClockProbePeer::Call& c : peer.calls) {
    EXPECT_EQ(c.now, c.cycle);
    EXPECT_LE(c.settled, c.cycle);
    if (c.cycle > c.sc) ++ahead;
  }
  EXPECT_GT(ahead, 1000u);  // SystemC time would have stamped these early
  ASSERT_EQ(outside.size(), 5u);
  for (const auto& [now, sc] : outside) EXPECT_EQ(now, sc);
}

TEST(Transactor, AccessesAxiLiteCannotCarryAreRefusedWithoutTheEngine) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::vector<tlm::tlm_response_status> results;
  RawTop top(quietConfig(), [&](RawTop& t) {
    std::array<unsigned char, 8> data{};
    std::array<unsigned char, 4> be{0xFF, 0, 0xFF, 0xFF};
    results.push_back(t.reg(tlm::TLM_READ_COMMAND, 0x0000, data.data(), 8));   // 64-bit
    results.push_back(t.reg(tlm::TLM_READ_COMMAND, 0x10000, data.data(), 4));  // beyond 16 bits
    results.push_back(t.reg(tlm::TLM_READ_COMMAND, 0x0000, data.data(), 2));   // narrow read
    results.push_back(t.reg(tlm::TLM_READ_COMMAND, 0x0000, data.data(), 4, be.data(), 4));
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  EXPECT_EQ(results, (std::vector<tlm::tlm_response_status>{
                         tlm::TLM_GENERIC_ERROR_RESPONSE, tlm::TLM_ADDRESS_ERROR_RESPONSE,
                         tlm::TLM_GENERIC_ERROR_RESPONSE, tlm::TLM_GENERIC_ERROR_RESPONSE}));
  EXPECT_EQ(top.transactor.stats().regRejected, 4u);
  EXPECT_EQ(top.transactor.stats().regReads, 0u);
}

// ---- with the engine answering --------------------------------------------

uint32_t readWord(RawTop& t, uint32_t addr, tlm::tlm_response_status* status = nullptr) {
  std::array<unsigned char, 4> d{};
  const tlm::tlm_response_status s = t.reg(tlm::TLM_READ_COMMAND, addr, d.data(), 4);
  if (status != nullptr) *status = s;
  return uint32_t(d[0]) | uint32_t(d[1]) << 8 | uint32_t(d[2]) << 16 | uint32_t(d[3]) << 24;
}

TEST(Transactor, RegisterReadReturnsIdAndVersion) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  uint32_t id = 0, version = 0;
  tlm::tlm_response_status idStatus = tlm::TLM_INCOMPLETE_RESPONSE;
  RawTop top(quietConfig(), [&](RawTop& t) {
    id = readWord(t, prm::reg::kId, &idStatus);
    version = readWord(t, prm::reg::kVersion);
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  EXPECT_EQ(idStatus, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(id, prm::kIdValue);
  EXPECT_EQ(version, prm::kVersionValue);
  EXPECT_EQ(top.transactor.stats().regReads, 2u);
}

TEST(Transactor, CallerResumesAtTheCycleOfTheResponse) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::vector<uint64_t> cycles;
  std::vector<sc_time> times;
  RawTop top(quietConfig(), [&](RawTop& t) {
    for (int i = 0; i < 3; ++i) {
      readWord(t, prm::reg::kId);
      cycles.push_back(t.transactor.cycle());
      times.push_back(sc_core::sc_time_stamp());
    }
  });

  sc_core::sc_start();

  ASSERT_EQ(cycles.size(), 3u);
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    EXPECT_EQ(times[i], top.transactor.clockPeriod() * double(cycles[i]));
    if (i > 0) {
      EXPECT_GT(cycles[i], cycles[i - 1]);
      EXPECT_EQ(cycles[i] - cycles[i - 1], cycles[2] - cycles[1]);  // same cost each time
    }
  }
}

TEST(Transactor, AccessAfterQuiescenceStartsAtTheCallersTime) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::vector<sc_time> cost;
  RawTop top(quietConfig(), [&](RawTop& t) {
    sc_core::wait(sc_time(10, sc_core::SC_US));  // the loop is asleep long before
    ASSERT_TRUE(t.transactor.quiescent());
    for (int i = 0; i < 2; ++i) {
      const sc_time before = sc_core::sc_time_stamp();
      readWord(t, prm::reg::kId);
      cost.push_back(sc_core::sc_time_stamp() - before);
    }
  });

  sc_core::sc_start();

  ASSERT_EQ(cost.size(), 2u);
  EXPECT_EQ(cost[0], cost[1]);  // the idle time was caught up first, not charged to the access
  EXPECT_LT(cost[0], top.transactor.clockPeriod() * 20.0);
}

TEST(Transactor, AnnotatedDelayOfTheCallerPassesBeforeTheAccessStarts) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  sc_time plainCost, delayedCost, returnedDelay;
  RawTop top(quietConfig(), [&](RawTop& t) {
    std::array<unsigned char, 4> d{};
    readWord(t, prm::reg::kId);  // after reset
    sc_time start = sc_core::sc_time_stamp();
    sc_time delay = sc_core::SC_ZERO_TIME;
    t.initiator.transport(tlm::TLM_READ_COMMAND, prm::reg::kId, d.data(), 4, delay);
    plainCost = sc_core::sc_time_stamp() - start;
    start = sc_core::sc_time_stamp();
    delay = sc_time(400, SC_NS);  // an LT initiator 100 cycles ahead
    t.initiator.transport(tlm::TLM_READ_COMMAND, prm::reg::kId, d.data(), 4, delay);
    delayedCost = sc_core::sc_time_stamp() - start;
    returnedDelay = delay;
  });

  sc_core::sc_start();

  EXPECT_EQ(returnedDelay, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(delayedCost, plainCost + sc_time(400, SC_NS));
}

TEST(Transactor, BadAccessesAreAnsweredErrorByTheEngine) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::vector<tlm::tlm_response_status> results;
  uint32_t ctrlAfter = 0xFFFF'FFFF;
  RawTop top(quietConfig(), [&](RawTop& t) {
    std::array<unsigned char, 4> one{1, 0, 0, 0};
    std::array<unsigned char, 4> d{};
    results.push_back(
        t.reg(tlm::TLM_WRITE_COMMAND, prm::reg::kCtrl + 1, one.data(), 4));            // misaligned
    results.push_back(t.reg(tlm::TLM_WRITE_COMMAND, prm::reg::kCtrl, one.data(), 2));  // wstrb 0011
    results.push_back(t.reg(tlm::TLM_READ_COMMAND, prm::reg::kVersion + 2, d.data(), 4));
    results.push_back(t.reg(tlm::TLM_WRITE_COMMAND, prm::reg::kId, one.data(), 4));  // read-only
    results.push_back(t.reg(tlm::TLM_READ_COMMAND, 0x0F00, d.data(), 4));            // unmapped
    ctrlAfter = readWord(t, prm::reg::kCtrl);
  });

  sc_core::sc_start();

  ASSERT_EQ(results.size(), 5u);
  for (const tlm::tlm_response_status s : results) EXPECT_EQ(s, tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(ctrlAfter, 0u);                         // nothing changed
  EXPECT_EQ(top.transactor.stats().regErrors, 5u);  // every one answered by the engine
  EXPECT_EQ(top.transactor.stats().regRejected, 0u);
}

}  // namespace
}  // namespace chimney::test
