// AxiDmaPort on a plain signal struct: AXI4 bursts in, b_transport calls out.
#include "axi_dma_port.h"

#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace chimney {
namespace {

// The m_axi_* members of the Verilated engine, as a plain struct.
struct Io {
  uint8_t m_axi_awid = 0;
  uint64_t m_axi_awaddr = 0;
  uint8_t m_axi_awlen = 0, m_axi_awsize = 3, m_axi_awburst = 1;
  bool m_axi_awvalid = false, m_axi_awready = false;
  uint64_t m_axi_wdata = 0;
  uint8_t m_axi_wstrb = 0xFF;
  bool m_axi_wlast = false, m_axi_wvalid = false, m_axi_wready = false;
  uint8_t m_axi_bid = 0, m_axi_bresp = 0;
  bool m_axi_bvalid = false, m_axi_bready = true;
  uint8_t m_axi_arid = 0;
  uint64_t m_axi_araddr = 0;
  uint8_t m_axi_arlen = 0, m_axi_arsize = 3, m_axi_arburst = 1;
  bool m_axi_arvalid = false, m_axi_arready = false;
  uint8_t m_axi_rid = 0;
  uint64_t m_axi_rdata = 0;
  uint8_t m_axi_rresp = 0;
  bool m_axi_rlast = false, m_axi_rvalid = false, m_axi_rready = true;
};

struct Call {
  tlm::tlm_command cmd;
  uint64_t addr;
  unsigned len;
};

// Byte-addressed memory that records every b_transport and annotates a
// fixed latency; addresses at or above `badFrom` answer an address error.
class FakeMemory : public tlm::tlm_blocking_transport_if<> {
 public:
  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) override {
    calls.push_back({t.get_command(), t.get_address(), t.get_data_length()});
    delay += latency;
    if (t.get_address() >= badFrom) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (failAll) {
      t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
    for (unsigned i = 0; i < t.get_data_length(); ++i) {
      if (t.is_write()) {
        bytes[t.get_address() + i] = t.get_data_ptr()[i];
      } else {
        t.get_data_ptr()[i] = bytes[t.get_address() + i];
      }
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  std::vector<Call> calls;
  std::map<uint64_t, uint8_t> bytes;
  sc_core::sc_time latency = sc_core::SC_ZERO_TIME;
  uint64_t badFrom = ~uint64_t{0};
  bool failAll = false;
};

struct Beat {
  uint64_t cycle;
  uint64_t data;
  uint8_t id, resp;
  bool last;
};

// A scripted AXI master: queued AR/AW requests and W beats are offered in
// order; R beats and B responses are recorded with their cycle.
class DmaPort : public ::testing::Test {
 protected:
  struct Addr {
    uint8_t id;
    uint64_t addr;
    uint8_t len, size = 3, burst = 1;
  };
  struct WBeat {
    uint64_t data;
    uint8_t strb;
    bool last;
  };

  void SetUp() override { port.setTarget(&memory); }

  void read(uint8_t id, uint64_t addr, unsigned beats) {
    ar.push_back({id, addr, uint8_t(beats - 1)});
  }
  void write(uint8_t id, uint64_t addr, const std::vector<uint64_t>& data) {
    aw.push_back({id, addr, uint8_t(data.size() - 1)});
    for (std::size_t i = 0; i < data.size(); ++i)
      w.push_back({data[i], 0xFF, i + 1 == data.size()});
  }

  void step() {
    port.drive(io, cycle);
    io.m_axi_arvalid = !ar.empty();
    if (!ar.empty()) {
      io.m_axi_arid = ar.front().id;
      io.m_axi_araddr = ar.front().addr;
      io.m_axi_arlen = ar.front().len;
      io.m_axi_arsize = ar.front().size;
      io.m_axi_arburst = ar.front().burst;
    }
    io.m_axi_awvalid = !aw.empty() && !holdAw;
    if (!aw.empty()) {
      io.m_axi_awid = aw.front().id;
      io.m_axi_awaddr = aw.front().addr;
      io.m_axi_awlen = aw.front().len;
      io.m_axi_awsize = aw.front().size;
      io.m_axi_awburst = aw.front().burst;
    }
    io.m_axi_wvalid = !w.empty();
    if (!w.empty()) {
      io.m_axi_wdata = w.front().data;
      io.m_axi_wstrb = w.front().strb;
      io.m_axi_wlast = w.front().last;
    }
    if (io.m_axi_rvalid)
      r.push_back({cycle, io.m_axi_rdata, io.m_axi_rid, io.m_axi_rresp, io.m_axi_rlast});
    if (io.m_axi_bvalid) b.push_back({cycle, 0, io.m_axi_bid, io.m_axi_bresp, true});
    if (io.m_axi_arvalid && io.m_axi_arready) {
      arCycles.push_back(cycle);
      ar.pop_front();
    }
    port.sample(io, cycle);
    if (io.m_axi_awvalid && io.m_axi_awready) aw.pop_front();
    if (io.m_axi_wvalid && io.m_axi_wready) w.pop_front();
    ++cycle;
  }
  void run(unsigned cycles) {
    for (unsigned i = 0; i < cycles; ++i) step();
  }

  FakeMemory memory;
  AxiDmaPort port{sc_core::sc_time(4, sc_core::SC_NS)};
  Io io;
  uint64_t cycle = 0;
  bool holdAw = false;
  std::deque<Addr> ar, aw;
  std::deque<WBeat> w;
  std::vector<uint64_t> arCycles;
  std::vector<Beat> r, b;
};

TEST_F(DmaPort, ReadBurstBecomesOneTransportWithItsBeatsInOrder) {
  for (uint64_t i = 0; i < 32; ++i) memory.bytes[0x2000 + i] = uint8_t(i);
  read(5, 0x2000, 4);

  run(10);

  ASSERT_EQ(memory.calls.size(), 1u);
  EXPECT_EQ(memory.calls[0].cmd, tlm::TLM_READ_COMMAND);
  EXPECT_EQ(memory.calls[0].addr, 0x2000u);
  EXPECT_EQ(memory.calls[0].len, 32u);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].data, 0x0706050403020100ull);
  EXPECT_EQ(r[3].data, 0x1F1E1D1C1B1A1918ull);
  EXPECT_TRUE(r[3].last);
  EXPECT_FALSE(r[2].last);
  EXPECT_EQ(r[0].id, 5);
  EXPECT_EQ(r[0].cycle, arCycles[0] + 1);  // zero latency: the next cycle
  EXPECT_FALSE(port.busy());
}

TEST_F(DmaPort, WriteBurstBecomesOneTransportWithAllItsBytes) {
  write(3, 0x3040, {0x1111111111111111ull, 0x2222222222222222ull, 0x0807060504030201ull});

  run(10);

  ASSERT_EQ(memory.calls.size(), 1u);
  EXPECT_EQ(memory.calls[0].cmd, tlm::TLM_WRITE_COMMAND);
  EXPECT_EQ(memory.calls[0].addr, 0x3040u);
  EXPECT_EQ(memory.calls[0].len, 24u);
  EXPECT_EQ(memory.bytes[0x3040], 0x11);
  EXPECT_EQ(memory.bytes[0x3050], 0x01);
  EXPECT_EQ(memory.bytes[0x3057], 0x08);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id, 3);
  EXPECT_EQ(b[0].resp, AxiDmaPort::kOkay);
  EXPECT_EQ(port.stats().bytesWritten, 24u);
}

TEST_F(DmaPort, WriteDataAheadOfItsAddressWaitsForIt) {
  write(1, 0x1000, {1, 2});
  holdAw = true;
  run(5);
  EXPECT_TRUE(memory.calls.empty());

  holdAw = false;
  run(5);

  ASSERT_EQ(memory.calls.size(), 1u);
  EXPECT_EQ(memory.bytes[0x1008], 2);
  EXPECT_EQ(b.size(), 1u);
}

TEST_F(DmaPort, AnnotatedLatencyHoldsReadDataThatManyCycles) {
  memory.latency = sc_core::sc_time(40, sc_core::SC_NS);  // 10 cycles of 4 ns
  read(0, 0x1000, 1);

  run(20);

  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].cycle, arCycles[0] + 10);
}

TEST_F(DmaPort, LatencyIsRoundedUpToWholeCycles) {
  memory.latency = sc_core::sc_time(9, sc_core::SC_NS);  // 2.25 cycles
  write(0, 0x1000, {7});

  run(12);

  ASSERT_EQ(b.size(), 1u);
  // AW and W are accepted at cycle 0; B from cycle 0 + 3.
  EXPECT_EQ(b[0].cycle, 3u);
}

TEST_F(DmaPort, OverlappingReadsArePipelined) {
  memory.latency = sc_core::sc_time(40, sc_core::SC_NS);
  for (unsigned i = 0; i < 4; ++i) read(uint8_t(i), 0x1000 + 64 * i, 2);

  run(30);

  ASSERT_EQ(memory.calls.size(), 4u);
  ASSERT_EQ(r.size(), 8u);
  // Addresses are accepted back to back, so the four latencies overlap: the
  // last beat leaves 10 cycles after the last address plus the beats queued.
  EXPECT_EQ(arCycles[3], arCycles[0] + 3);
  EXPECT_LE(r.back().cycle, arCycles[3] + 10 + 4);
  EXPECT_EQ(r[2].id, 1);
}

TEST_F(DmaPort, AddressErrorBecomesDecerrOtherErrorsSlverr) {
  memory.badFrom = 0x8000;
  read(1, 0x8000, 1);
  write(2, 0x8000, {1});
  run(10);
  memory.badFrom = ~uint64_t{0};
  memory.failAll = true;
  read(3, 0x1000, 1);
  run(10);

  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].resp, AxiDmaPort::kDecErr);
  EXPECT_EQ(r[1].resp, AxiDmaPort::kSlvErr);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].resp, AxiDmaPort::kDecErr);
  EXPECT_EQ(port.stats().errorResponses, 3u);
}

TEST_F(DmaPort, BurstCrossing4KiBIsAViolationAnsweredSlverrWithoutMemoryAccess) {
  read(1, 0x1FF0, 4);  // 32 bytes from 0x1FF0 cross 0x2000

  run(10);

  EXPECT_TRUE(memory.calls.empty());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].resp, AxiDmaPort::kSlvErr);
  EXPECT_TRUE(r[3].last);
  EXPECT_EQ(port.stats().protocolViolations, 1u);
  ASSERT_EQ(port.violations().size(), 1u);
  EXPECT_NE(port.violations()[0].find("4 KiB"), std::string::npos);
}

TEST_F(DmaPort, WrongSizeOrTooLongBurstIsAViolation) {
  ar.push_back({1, 0x1000, 0, 2, 1});  // size 2
  ar.push_back({1, 0x1000, 8, 3, 1});  // 9 beats

  run(20);

  EXPECT_TRUE(memory.calls.empty());
  EXPECT_EQ(port.stats().protocolViolations, 2u);
  EXPECT_EQ(r.size(), 1u + 9u);  // every beat AWLEN/ARLEN asks for is answered
}

TEST_F(DmaPort, WlastOnTheWrongBeatIsAViolation) {
  aw.push_back({1, 0x1000, 3});  // says 4 beats
  w.push_back({1, 0xFF, false});
  w.push_back({2, 0xFF, true});  // ends after 2

  run(10);

  EXPECT_TRUE(memory.calls.empty());
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].resp, AxiDmaPort::kSlvErr);
  EXPECT_EQ(port.stats().protocolViolations, 1u);
}

TEST_F(DmaPort, PartialWriteStrobesAreAViolation) {
  aw.push_back({1, 0x1000, 0});
  w.push_back({1, 0x0F, true});

  run(10);

  EXPECT_TRUE(memory.calls.empty());
  EXPECT_EQ(port.stats().protocolViolations, 1u);
  EXPECT_NE(port.violations()[0].find("strobes"), std::string::npos);
}

// What PRM 13's QP_STATUS.BUSY covers, seen from the bus: a burst is in
// flight from the cycle its address is first offered until its last R beat
// or its B response.
TEST_F(DmaPort, AReadIsInFlightFromItsAddressUntilItsLastBeat) {
  memory.latency = sc_core::sc_time(40, sc_core::SC_NS);  // 10 cycles
  read(4, 0x1040, 2);
  EXPECT_FALSE(port.inFlight(0x1000, 0x2000));

  run(1);
  std::optional<InFlightBurst> f = port.inFlight(0x1000, 0x2000);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->write);
  EXPECT_EQ(f->addr, 0x1040u);
  EXPECT_EQ(f->bytes, 16u);
  EXPECT_EQ(f->offered, 0u);
  EXPECT_TRUE(f->taken);
  // Only what overlaps the range asked about.
  EXPECT_FALSE(port.inFlight(0x1000, 0x1040));
  EXPECT_FALSE(port.inFlight(0x1050, 0x2000));
  EXPECT_TRUE(port.inFlight(0x104F, 0x1050));

  run(10);  // the first beat is out, the last is not
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(port.inFlight(0x1000, 0x2000));
  run(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(port.inFlight(0x1000, 0x2000));
}

TEST_F(DmaPort, AnAddressWaitingForReadyIsInFlightSinceItsFirstOffer) {
  // 32 reads fill the slave's slots for 100 cycles; the 33rd waits.
  memory.latency = sc_core::sc_time(400, sc_core::SC_NS);
  for (unsigned i = 0; i < AxiDmaPort::kSlots; ++i) read(0, 0x10000 + 64 * i, 1);
  read(1, 0x9000, 8);
  run(AxiDmaPort::kSlots + 5);
  ASSERT_EQ(arCycles.size(), AxiDmaPort::kSlots);

  const std::optional<InFlightBurst> f = port.inFlight(0x9000, 0x9040);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->taken);
  EXPECT_EQ(f->offered, uint64_t{AxiDmaPort::kSlots});
  EXPECT_EQ(f->bytes, 64u);

  run(200);
  EXPECT_FALSE(port.inFlight(0, ~uint64_t{0}));
}

TEST_F(DmaPort, AWriteIsInFlightUntilItsResponse) {
  memory.latency = sc_core::sc_time(40, sc_core::SC_NS);
  write(2, 0x3000, {1, 2, 3});
  run(4);  // address and data taken, carried out; B due 10 cycles on
  ASSERT_TRUE(b.empty());
  std::optional<InFlightBurst> f = port.inFlight(0x3010, 0x3018);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->write);
  EXPECT_TRUE(f->taken);
  EXPECT_EQ(f->addr, 0x3000u);
  EXPECT_EQ(f->bytes, 24u);

  run(20);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_FALSE(port.inFlight(0x3000, 0x3018));
}

TEST_F(DmaPort, TheOldestBurstIntoARangeIsTheOneNamed) {
  memory.latency = sc_core::sc_time(40, sc_core::SC_NS);
  read(0, 0x5000, 1);
  run(2);
  write(1, 0x5008, {9});
  run(2);
  const std::optional<InFlightBurst> f = port.inFlight(0x5000, 0x5100);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->write);
  EXPECT_EQ(f->addr, 0x5000u);
  const std::optional<InFlightBurst> w = port.inFlight(0x5008, 0x5010);
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->write);
}

TEST(ReleaseUnderDma, TheLineNamesTheWindowTheBurstAndWhatIsLeftOfIt) {
  InFlightBurst b{false, 0x100008680, 64, 30393, false};
  EXPECT_EQ(releaseUnderDmaText(0x100008000, 0x800, b),
            "released 0x100008000..0x100008800 while the engine's DMA read of 64 bytes at "
            "0x100008680 (offered in cycle 30393) was in flight, its address not yet taken; "
            "PRM 13: a driver releases a ring only once QP_STATUS.BUSY of its queue pair reads 0");
  b.taken = true;
  EXPECT_NE(releaseUnderDmaText(0x100008000, 0x800, b)
                .find("was in flight, taken, its last data beat not yet returned;"),
            std::string::npos);
  b.write = true;
  EXPECT_NE(releaseUnderDmaText(0x100008000, 0x800, b)
                .find("DMA write of 64 bytes at 0x100008680 (offered in cycle 30393) was in "
                      "flight, taken, its write response not yet given;"),
            std::string::npos);
}

}  // namespace
}  // namespace chimney
