// HostMemory: DMA through the TLM socket against IOMMU-style windows.
#include "host_memory.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <utility>
#include <vector>

#include "cosim_fixture.h"

namespace chimney::test {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

// Builds memory + initiator, runs `body` in a thread, then the simulation.
struct MemoryBench {
  explicit MemoryBench(std::function<void(MemoryBench&)> body)
      : runner("runner", [this, body = std::move(body)] { body(*this); }) {
    initiator.socket.bind(memory.socket);
  }
  void run() {
    sc_core::sc_start();
    ASSERT_TRUE(runner.finished());
  }
  // One DMA from the initiator (no time offset); `last` keeps its answer.
  tlm::tlm_response_status dma(tlm::tlm_command cmd, uint64_t addr, unsigned char* data,
                               unsigned len) {
    delay = sc_core::SC_ZERO_TIME;
    last = initiator.transport(cmd, addr, data, len, delay);
    return last;
  }
  HostMemory memory{"memory"};
  RawInitiator initiator{"initiator"};
  ThreadRunner runner;
  sc_time delay;
  tlm::tlm_response_status last = tlm::TLM_INCOMPLETE_RESPONSE;
};

TEST(HostMemory, DmaInsideAWindowSeesWhatTheCpuWrote) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 16> got{};
  MemoryBench bench([&](MemoryBench& b) {
    const uint64_t ring = b.memory.allocate(4096, 4096);
    const uint64_t word = 0x1122334455667788ull;
    b.memory.write(ring + 64, &word, sizeof word);
    b.dma(tlm::TLM_READ_COMMAND, ring + 64, got.data(), got.size());
  });

  bench.run();

  EXPECT_EQ(bench.last, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(got[0], 0x88);
  EXPECT_EQ(got[7], 0x11);
  EXPECT_EQ(got[8], 0x00);  // allocations are zero-filled
  EXPECT_EQ(bench.memory.stats().reads, 1u);
  EXPECT_EQ(bench.memory.strayDmaCount(), 0u);
}

TEST(HostMemory, StrayDmaIsCountedAndAnsweredAddressError) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{1, 2, 3, 4, 5, 6, 7, 8};
  tlm::tlm_response_status outside = tlm::TLM_INCOMPLETE_RESPONSE;
  tlm::tlm_response_status straddling = tlm::TLM_INCOMPLETE_RESPONSE;
  uint64_t ring = 0;
  MemoryBench bench([&](MemoryBench& b) {
    ring = b.memory.allocate(256, 4096);
    outside = b.dma(tlm::TLM_WRITE_COMMAND, 0x1000, data.data(), data.size());
    straddling = b.dma(tlm::TLM_WRITE_COMMAND, ring + 252, data.data(), data.size());
  });

  bench.run();

  EXPECT_EQ(outside, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(straddling, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bench.memory.strayDmaCount(), 2u);
  EXPECT_EQ(bench.memory.stats().lastStrayAddress, ring + 252);
  EXPECT_EQ(bench.memory.firstStrayDescription(sc_time(4, SC_NS)),
            "first stray DMA: a write of 8 bytes at 0x1000 in cycle 0, outside every window "
            "mapped now or among the last 64 released");
  uint8_t byte = 0xFF;
  bench.memory.read(ring + 252, &byte, 1);
  EXPECT_EQ(byte, 0);  // refused writes change nothing
}

TEST(HostMemory, ReleasedWindowRefusesDma) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{};
  uint64_t ring = 0;
  MemoryBench bench([&](MemoryBench& b) {
    EXPECT_EQ(b.memory.firstStrayDescription(sc_time(4, SC_NS)), "");
    ring = b.memory.allocate(4096, 4096);
    sc_core::wait(sc_time(40, SC_NS));
    b.memory.release(ring);
    sc_core::wait(sc_time(20, SC_NS));
    b.dma(tlm::TLM_READ_COMMAND, ring + 0x80, data.data(), data.size());
  });

  bench.run();

  EXPECT_EQ(bench.last, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bench.memory.strayDmaCount(), 1u);
  char want[200];
  std::snprintf(want, sizeof want,
                "first stray DMA: a read of 8 bytes at 0x%llx in cycle 15, into 0x%llx..0x%llx "
                "that the driver released in cycle 10",
                static_cast<unsigned long long>(ring + 0x80), static_cast<unsigned long long>(ring),
                static_cast<unsigned long long>(ring + 4096));
  EXPECT_EQ(bench.memory.firstStrayDescription(sc_time(4, SC_NS)), want);
}

TEST(HostMemory, TheReleaseTapSeesEachWindowWhileItIsStillMapped) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{};
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  tlm::tlm_response_status during = tlm::TLM_INCOMPLETE_RESPONSE;
  uint64_t ring = 0;
  MemoryBench bench([&](MemoryBench& b) {
    b.memory.setReleaseTap([&](uint64_t base, uint64_t bytes) {
      seen.emplace_back(base, bytes);
      during = b.dma(tlm::TLM_READ_COMMAND, base, data.data(), data.size());
    });
    ring = b.memory.allocate(2048, 4096);
    b.memory.release(ring);
  });

  bench.run();

  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].first, ring);
  EXPECT_EQ(seen[0].second, 2048u);
  EXPECT_EQ(during, tlm::TLM_OK_RESPONSE);  // not yet unmapped when asked
  EXPECT_EQ(bench.memory.strayDmaCount(), 0u);
}

TEST(HostMemory, AnnotatesTheConfiguredLatency) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{};
  sc_time readDelay, writeDelay;
  MemoryBench bench([&](MemoryBench& b) {
    b.memory.setLatency(sc_time(100, SC_NS), sc_time(30, SC_NS));
    const uint64_t ring = b.memory.allocate(64, 64);
    b.dma(tlm::TLM_READ_COMMAND, ring, data.data(), data.size());
    readDelay = b.delay;
    b.dma(tlm::TLM_WRITE_COMMAND, ring, data.data(), data.size());
    writeDelay = b.delay;
  });

  bench.run();

  EXPECT_EQ(readDelay, sc_time(100, SC_NS));
  EXPECT_EQ(writeDelay, sc_time(30, SC_NS));
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);  // the target never waits
}

TEST(HostMemory, DmaWriteTakesEffectAtItsAnnotatedTime) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{0xAA, 0xBB, 0, 0, 0, 0, 0, 0};
  uint8_t atCall = 0xFF, before = 0xFF, after = 0xFF;
  MemoryBench bench([&](MemoryBench& b) {
    b.memory.setLatency(sc_core::SC_ZERO_TIME, sc_time(100, SC_NS));
    const uint64_t ring = b.memory.allocate(64, 64);
    b.delay = sc_time(20, SC_NS);  // the initiator runs 20 ns ahead
    b.initiator.transport(tlm::TLM_WRITE_COMMAND, ring, data.data(), 8, b.delay);
    b.memory.read(ring, &atCall, 1);
    sc_core::wait(sc_time(119, SC_NS));
    b.memory.read(ring, &before, 1);
    sc_core::wait(sc_time(1, SC_NS));
    b.memory.read(ring, &after, 1);
  });

  bench.run();

  EXPECT_EQ(atCall, 0x00);
  EXPECT_EQ(before, 0x00);
  EXPECT_EQ(after, 0xAA);  // 20 ns offset + 100 ns latency
  EXPECT_EQ(bench.memory.stats().writes, 1u);
}

TEST(HostMemory, InjectedFaultAnswersGenericErrorForTheChosenCount) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{};
  std::vector<tlm::tlm_response_status> results;
  MemoryBench bench([&](MemoryBench& b) {
    const uint64_t ring = b.memory.allocate(4096, 4096);
    b.memory.failDma(ring + 512, 16, 1, /*reads=*/true, /*writes=*/false);
    results.push_back(b.dma(tlm::TLM_WRITE_COMMAND, ring + 512, data.data(), 8));  // writes spared
    results.push_back(b.dma(tlm::TLM_READ_COMMAND, ring, data.data(), 8));  // outside the range
    results.push_back(b.dma(tlm::TLM_READ_COMMAND, ring + 504, data.data(), 16));  // overlaps
    results.push_back(b.dma(tlm::TLM_READ_COMMAND, ring + 512, data.data(), 8));   // count used up
  });

  bench.run();

  EXPECT_EQ(results, (std::vector<tlm::tlm_response_status>{
                         tlm::TLM_OK_RESPONSE, tlm::TLM_OK_RESPONSE,
                         tlm::TLM_GENERIC_ERROR_RESPONSE, tlm::TLM_OK_RESPONSE}));
  EXPECT_EQ(bench.memory.stats().injectedErrors, 1u);
  EXPECT_EQ(bench.memory.strayDmaCount(), 0u);
}

// A read fault and a write fault armed one after the other are both armed
// (the second does not replace the first); two of one direction add up.
TEST(HostMemory, FaultsArmedOneAfterAnotherAllFire) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  std::array<unsigned char, 8> data{};
  std::vector<tlm::tlm_response_status> results;
  MemoryBench bench([&](MemoryBench& b) {
    const uint64_t sq = b.memory.allocate(4096, 4096);
    const uint64_t cq = b.memory.allocate(4096, 4096);
    b.memory.failDma(sq, 4096, 1, /*reads=*/true, /*writes=*/false);
    b.memory.failDma(cq, 4096, 1, /*reads=*/false, /*writes=*/true);
    b.memory.failDma(sq, 4096, 1, /*reads=*/true, /*writes=*/false);
    results.push_back(b.dma(tlm::TLM_WRITE_COMMAND, cq, data.data(), 8));
    results.push_back(b.dma(tlm::TLM_WRITE_COMMAND, cq, data.data(), 8));  // used up
    results.push_back(b.dma(tlm::TLM_READ_COMMAND, sq, data.data(), 8));
    results.push_back(b.dma(tlm::TLM_READ_COMMAND, sq + 8, data.data(), 8));
    results.push_back(b.dma(tlm::TLM_READ_COMMAND, sq, data.data(), 8));  // both used up
  });

  bench.run();

  EXPECT_EQ(results, (std::vector<tlm::tlm_response_status>{
                         tlm::TLM_GENERIC_ERROR_RESPONSE, tlm::TLM_OK_RESPONSE,
                         tlm::TLM_GENERIC_ERROR_RESPONSE, tlm::TLM_GENERIC_ERROR_RESPONSE,
                         tlm::TLM_OK_RESPONSE}));
  EXPECT_EQ(bench.memory.stats().injectedErrors, 3u);
  EXPECT_EQ(bench.memory.stats().injectedReadErrors, 2u);
  EXPECT_EQ(bench.memory.stats().injectedWriteErrors, 1u);
}

}  // namespace
}  // namespace chimney::test
