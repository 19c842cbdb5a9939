// The harness's own checkers catch the violations they exist for. These
// tests poke the agents with hand-made signal values on a model that is
// never evaluated, so they do not depend on the engine's behaviour.
#include <gtest/gtest.h>
#include <verilated.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "Vcpl_engine.h"
#include "axi_memory_responder.h"
#include "csr_master.h"
#include "engine_bench.h"
#include "engine_outputs.h"
#include "stream_agents.h"
#include "violation_log.h"

namespace chimney::rtltest {
namespace {

class HarnessCheck : public ::testing::Test {
 protected:
  HarnessCheck() : io_(&context_, "probe") { clearOutputs(); }
  void clearOutputs() {
    io_.m_axi_arvalid = 0;
    io_.m_axi_awvalid = 0;
    io_.m_axi_wvalid = 0;
    io_.m_axi_rready = 1;
    io_.m_axi_bready = 1;
    io_.m_work_valid = 0;
    io_.m_irq_valid = 0;
    io_.s_axil_bvalid = 0;
    io_.s_axil_rvalid = 0;
  }
  void ar(uint64_t addr, unsigned len, unsigned size = 3, unsigned burst = 1) {
    io_.m_axi_arvalid = 1;
    io_.m_axi_araddr = addr;
    io_.m_axi_arlen = len;
    io_.m_axi_arsize = size;
    io_.m_axi_arburst = burst;
    io_.m_axi_arid = 0;
  }
  VerilatedContext context_;
  Vcpl_engine io_;
  ViolationLog log_;
  SparseMemory mem_;
};

TEST_F(HarnessCheck, StableCheckerCatchesDroppedValidAndChangedPayload) {
  StableChecker<int> check("s");
  check.observe(0, true, false, 5, log_);
  check.observe(1, true, false, 5, log_);
  EXPECT_TRUE(log_.empty());
  check.observe(2, true, false, 6, log_);
  EXPECT_EQ(log_.size(), 1u);
  check.observe(3, false, false, 6, log_);
  EXPECT_EQ(log_.size(), 2u);
  check.observe(4, true, true, 1, log_);
  check.observe(5, false, false, 2, log_);
  EXPECT_EQ(log_.size(), 2u);
}

TEST_F(HarnessCheck, AxiResponderAcceptsALegalBurst) {
  AxiMemoryResponder axi(mem_, log_, 1);
  ar(0x1000, 7);
  axi.sample(io_, 0);
  EXPECT_TRUE(log_.empty()) << log_.summary();
  EXPECT_EQ(axi.reads().size(), 1u);
}

TEST_F(HarnessCheck, AxiResponderFlagsEachIllegalBurstAttribute) {
  AxiMemoryResponder axi(mem_, log_, 1);
  ar(0x1000, 0, 3, 2);  // WRAP
  axi.sample(io_, 0);
  EXPECT_EQ(log_.size(), 1u);
  ar(0x1000, 0, 2, 1);  // 4-byte beats
  axi.sample(io_, 1);
  EXPECT_EQ(log_.size(), 2u);
  ar(0x1000, 8);  // 9 beats
  axi.sample(io_, 2);
  EXPECT_EQ(log_.size(), 3u);
  ar(0x1FF8, 1);  // crosses 0x2000
  axi.sample(io_, 3);
  EXPECT_EQ(log_.size(), 4u);
  ar(0x1004, 0);  // unaligned
  axi.sample(io_, 4);
  EXPECT_EQ(log_.size(), 5u);
}

TEST_F(HarnessCheck, AxiResponderFlagsAddressChangeWhileWaitingForReady) {
  AxiMemoryResponder axi(mem_, log_, 1);
  axi.config().readyPercent = 0;
  axi.sample(io_, 0);  // idle cycle: arready low from now on
  ar(0x1000, 0);
  axi.sample(io_, 1);
  ar(0x1040, 0);
  axi.sample(io_, 2);
  EXPECT_EQ(log_.size(), 1u) << log_.summary();
}

TEST_F(HarnessCheck, AxiResponderFlagsPartialStrobesAndWrongWlast) {
  AxiMemoryResponder axi(mem_, log_, 1);
  io_.m_axi_awvalid = 1;
  io_.m_axi_awaddr = 0x2000;
  io_.m_axi_awlen = 1;
  io_.m_axi_awsize = 3;
  io_.m_axi_awburst = 1;
  io_.m_axi_wvalid = 1;
  io_.m_axi_wdata = 1;
  io_.m_axi_wstrb = 0x0F;
  io_.m_axi_wlast = 1;  // first of two beats
  axi.sample(io_, 0);
  EXPECT_EQ(log_.size(), 2u) << log_.summary();
}

TEST_F(HarnessCheck, AxiResponderFlagsBurstsOutsideTheRingWindows) {
  AxiMemoryResponder axi(mem_, log_, 1);
  axi.setWindowCheck(true);
  axi.setReadWindow(0, 0x1000, 0x1800);
  ar(0x1000, 7);
  axi.sample(io_, 0);
  EXPECT_TRUE(log_.empty());
  ar(0x17F8, 1);
  axi.sample(io_, 1);
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(HarnessCheck, AxiResponderReturnsMemoryAndInjectsTheNthError) {
  AxiMemoryResponder axi(mem_, log_, 1);
  mem_.write64(0x3000, 0x1122334455667788ull);
  axi.failNthRead(2, AxiResp::kDecErr);
  ar(0x3000, 0);
  axi.sample(io_, 0);
  ar(0x3000, 0);
  axi.sample(io_, 1);
  io_.m_axi_arvalid = 0;
  axi.drive(io_, 2);
  EXPECT_EQ(io_.m_axi_rvalid, 1);
  EXPECT_EQ(io_.m_axi_rdata, 0x1122334455667788ull);
  EXPECT_EQ(io_.m_axi_rresp, 0);
  EXPECT_EQ(io_.m_axi_rlast, 1);
  axi.sample(io_, 2);
  axi.drive(io_, 3);
  EXPECT_EQ(io_.m_axi_rvalid, 1);
  EXPECT_EQ(io_.m_axi_rresp, 3);
  EXPECT_TRUE(log_.empty()) << log_.summary();
}

TEST_F(HarnessCheck, AxiResponderHonoursReadLatency) {
  AxiMemoryResponder axi(mem_, log_, 1);
  axi.config().readLatency = 5;
  ar(0x3000, 0);
  axi.sample(io_, 10);
  io_.m_axi_arvalid = 0;
  axi.drive(io_, 15);
  EXPECT_EQ(io_.m_axi_rvalid, 0);
  axi.drive(io_, 16);
  EXPECT_EQ(io_.m_axi_rvalid, 1);
}

TEST_F(HarnessCheck, CsrMasterFlagsResponsesNobodyAskedFor) {
  CsrMaster csr(log_);
  csr.drive(io_);
  io_.s_axil_bvalid = 1;
  csr.sample(io_, 0);
  io_.s_axil_bvalid = 0;
  io_.s_axil_rvalid = 1;
  csr.drive(io_);
  csr.sample(io_, 1);
  EXPECT_EQ(log_.size(), 2u) << log_.summary();
}

TEST_F(HarnessCheck, CsrMasterTakesAResponseOnlyWhenReadyAndFlagsOneChangedMeanwhile) {
  CsrMaster csr(log_);
  csr.setResponseReadyPercent(0, 1);
  csr.startRead(0x10);
  csr.drive(io_);
  EXPECT_EQ(io_.s_axil_rready, 0);
  io_.s_axil_arready = 1;
  EXPECT_FALSE(csr.sample(io_, 0));  // AR accepted
  io_.s_axil_arready = 0;
  csr.drive(io_);
  io_.s_axil_rvalid = 1;
  io_.s_axil_rresp = 0;
  io_.s_axil_rdata = 0x1234;
  EXPECT_FALSE(csr.sample(io_, 1));  // rready low: not taken
  EXPECT_TRUE(log_.empty()) << log_.summary();
  io_.s_axil_rdata = 0x5678;
  csr.drive(io_);
  EXPECT_FALSE(csr.sample(io_, 2));
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_.entries()[0].find("AXI-Lite R: payload changed"), std::string::npos)
      << log_.summary();
  csr.setResponseReadyPercent(100, 1);
  csr.drive(io_);
  EXPECT_EQ(io_.s_axil_rready, 1);
  EXPECT_TRUE(csr.sample(io_, 3));
  EXPECT_EQ(csr.result().data, 0x5678u);
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(HarnessCheck, CsrMasterFlagsAWriteResponseDroppedBeforeItWasTaken) {
  CsrMaster csr(log_);
  csr.setResponseReadyPercent(0, 1);
  csr.startWrite(0x10, 5, 0xF);
  csr.drive(io_);
  EXPECT_EQ(io_.s_axil_bready, 0);
  io_.s_axil_awready = 1;
  io_.s_axil_wready = 1;
  EXPECT_FALSE(csr.sample(io_, 0));  // AW and W accepted
  io_.s_axil_awready = 0;
  io_.s_axil_wready = 0;
  io_.s_axil_bvalid = 1;
  csr.drive(io_);
  EXPECT_FALSE(csr.sample(io_, 1));  // bready low: not taken
  io_.s_axil_bvalid = 0;
  csr.drive(io_);
  EXPECT_FALSE(csr.sample(io_, 2));
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_.entries()[0].find("AXI-Lite B: valid dropped"), std::string::npos)
      << log_.summary();
  EXPECT_TRUE(csr.busy());
}

TEST_F(HarnessCheck, CsrMasterResponseReadyFollowsItsPercent) {
  CsrMaster csr(log_);
  csr.setResponseReadyPercent(50, 3);
  unsigned high = 0;
  for (uint64_t c = 0; c < 400; ++c) {
    csr.drive(io_);
    EXPECT_EQ(io_.s_axil_bready, io_.s_axil_rready);
    high += io_.s_axil_rready;
    csr.sample(io_, c);
  }
  EXPECT_GT(high, 120u);
  EXPECT_LT(high, 280u);
  csr.setResponseReadyPercent(100, 3);
  for (uint64_t c = 400; c < 500; ++c) {
    csr.drive(io_);
    EXPECT_EQ(io_.s_axil_rready, 1);
    csr.sample(io_, c);
  }
  EXPECT_TRUE(log_.empty()) << log_.summary();
}

TEST_F(HarnessCheck, WorkSinkFlagsPayloadChangeUnderBackPressure) {
  WorkSink sink(log_, 1);
  sink.setReadyPercent(0);
  sink.sample(io_, 0);  // ready low from now on
  io_.m_work_valid = 1;
  io_.m_work_data = 0x100;
  sink.sample(io_, 1);
  io_.m_work_data = 0x200;
  sink.sample(io_, 2);
  EXPECT_EQ(log_.size(), 1u);
  EXPECT_TRUE(sink.items().empty());
}

TEST_F(HarnessCheck, IrqSinkFlagsDroppedValid) {
  IrqSink sink(log_, 1);
  sink.setReadyPercent(0);
  sink.sample(io_, 0);
  io_.m_irq_valid = 1;
  sink.sample(io_, 1);
  io_.m_irq_valid = 0;
  sink.sample(io_, 2);
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(HarnessCheck, WorkSinkCountsWithoutRecordingAndStillCallsItsHook) {
  WorkSink sink(log_, 1);
  sink.setRecordItems(false);
  std::vector<uint64_t> hooked;
  sink.onWork([&](const WorkItem& w) { hooked.push_back(w.raw); });
  io_.m_work_valid = 1;
  io_.m_work_data = 0x100;
  sink.sample(io_, 0);
  io_.m_work_data = 0x200;
  sink.sample(io_, 1);
  EXPECT_TRUE(sink.items().empty());
  EXPECT_EQ(sink.takenCount(), 2u);
  EXPECT_EQ(hooked, (std::vector<uint64_t>{0x100, 0x200}));
  sink.setRecordItems(true);
  sink.sample(io_, 2);
  ASSERT_EQ(sink.items().size(), 1u);
  EXPECT_EQ(sink.items()[0].cycle, 2u);
  EXPECT_EQ(sink.takenCount(), 3u);
  EXPECT_TRUE(log_.empty()) << log_.summary();
}

TEST_F(HarnessCheck, IrqSinkCountsWithoutRecording) {
  IrqSink sink(log_, 1);
  sink.setRecordItems(false);
  io_.m_irq_valid = 1;
  io_.m_irq_vector = 3;
  sink.sample(io_, 0);
  EXPECT_TRUE(sink.messages().empty());
  EXPECT_EQ(sink.takenCount(), 1u);
}

TEST_F(HarnessCheck, EventSourceCountsAcceptedEventsWithoutRecording) {
  EventSource source(log_, 1);
  source.pushRaw(0x11);
  source.pushRaw(0x22);
  source.pushRaw(0x33);
  io_.s_evt_ready = 1;
  source.drive(io_);
  source.sample(io_, 0);
  source.setRecordAccepted(false);
  source.drive(io_);
  source.sample(io_, 1);
  ASSERT_EQ(source.accepted().size(), 1u);
  EXPECT_EQ(source.accepted()[0].raw, 0x11u);
  EXPECT_EQ(source.acceptedCount(), 2u);
  EXPECT_EQ(source.pending(), 1u);
  EXPECT_EQ(io_.s_evt_data, 0x22u);
}

// The registered-output check reads every output port: the list is the
// top module's, name for name and in order.
TEST(EngineOutputs, ListEveryOutputOfTheTopModule) {
  std::ifstream file(CHIMNEY_RTL_TOP_SV);
  ASSERT_TRUE(file) << CHIMNEY_RTL_TOP_SV;
  std::stringstream text;
  text << file.rdbuf();
  const std::string source = text.str();
  const std::regex output(R"(\boutput\s+logic\s*(\[[^\]]*\])?\s*(\w+))");
  std::vector<std::string> declared;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), output);
       it != std::sregex_iterator(); ++it) {
    declared.push_back((*it)[2]);
  }
  VerilatedContext context;
  const Vcpl_engine io(&context, "probe");
  std::vector<std::string> listed;
  visitEngineOutputs(io, [&](const char* name, uint64_t) { listed.emplace_back(name); });
  EXPECT_EQ(listed, declared);
  EXPECT_EQ(listed.size(), kEngineOutputs);
}

TEST_F(HarnessCheck, EngineOutputsNameEachOutputThatChanged) {
  io_.m_axi_wdata = 5;
  io_.s_evt_ready = 0;
  const EngineOutputs before = engineOutputs(io_);
  EXPECT_EQ(changedEngineOutputs(io_, before), "");
  io_.m_axi_wdata = 7;
  io_.s_evt_ready = 1;
  EXPECT_EQ(changedEngineOutputs(io_, before), "m_axi_wdata 0x5 -> 0x7, s_evt_ready 0x0 -> 0x1");
}

// An output that moves between the last rising edge and the settled cycle
// is reported. Here a CSR-pin script writes the port itself while driving;
// in the RTL the same report comes from an output that follows an input.
TEST(HarnessBench, AnOutputThatMovesWhenTheCycleSettlesIsAViolation) {
  EngineBench bench;
  bench.reset();
  bench.run(3);
  EXPECT_TRUE(bench.violations().empty()) << bench.violations().summary();
  bool poke = true;
  bench.setCsrPins({[&](Vcpl_engine& io, uint64_t) {
                      if (poke) io.m_irq_vector = uint8_t(io.m_irq_vector ^ 0x40);
                      poke = false;
                    },
                    [](const Vcpl_engine&, uint64_t) {}});
  bench.step();
  ASSERT_EQ(bench.violations().size(), 1u);
  EXPECT_NE(
      bench.violations().entries()[0].find("output follows an input combinationally: m_irq_vector"),
      std::string::npos)
      << bench.violations().summary();
  bench.setCsrPins({});
  bench.run(3);
  EXPECT_EQ(bench.violations().size(), 1u);
}

TEST(HarnessBench, RunUntilThrowsAfterItsTimeout) {
  EngineBench bench;
  bench.reset();
  const uint64_t start = bench.cycle();
  EXPECT_THROW(bench.runUntil([] { return false; }, 50, "nothing"), HarnessError);
  EXPECT_EQ(bench.cycle() - start, 50u);
}

}  // namespace
}  // namespace chimney::rtltest
