// TlmDevice against the RTL: a small driver-like sequence through the adapter.
#include "tlm_device.h"

#include <gtest/gtest.h>

#include <utility>

#include "cosim_fixture.h"
#include "host_memory.h"
#include "prm.h"

namespace chimney::test {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

constexpr unsigned kQp = 0;
constexpr unsigned kLog2 = 4;  // 16-entry rings
constexpr uint16_t kConn = 3;

struct Top {
  Top(std::function<void(Top&)> body, const HostMemory::Config& memConfig = {})
      : memory("memory", memConfig),
        transactor("transactor", config()),
        device("device", transactor, memory),
        runner("runner", [this, body = std::move(body)] { body(*this); }) {
    transactor.dma.bind(memory.socket);
    device.regs.bind(transactor.regs);
    transactor.setPeer(&peer);
  }
  static Transactor::Config config() {
    Transactor::Config c;
    c.idleCycles = 500;
    return c;
  }
  uint32_t reg(uint32_t offset) {
    const RegRead r = device.read32(offset);
    EXPECT_TRUE(r.ok) << "read of 0x" << std::hex << offset;
    return r.value;
  }
  void set(uint32_t offset, uint32_t value) {
    EXPECT_TRUE(device.write32(offset, value)) << "write of 0x" << std::hex << offset;
  }
  // Rings in host memory, queue pair enabled and armed, engine enabled,
  // `kConn` offloaded to it.
  void bringUp(uint64_t sqBase) {
    cqBase = memory.allocate(prm::kCqEntryBytes << kLog2, 4096);
    set(prm::reg::qp(kQp, prm::reg::kSqBaseLo), uint32_t(sqBase));
    set(prm::reg::qp(kQp, prm::reg::kSqBaseHi), uint32_t(sqBase >> 32));
    set(prm::reg::qp(kQp, prm::reg::kSqSize), kLog2);
    set(prm::reg::qp(kQp, prm::reg::kCqBaseLo), uint32_t(cqBase));
    set(prm::reg::qp(kQp, prm::reg::kCqBaseHi), uint32_t(cqBase >> 32));
    set(prm::reg::qp(kQp, prm::reg::kCqSize), kLog2);
    set(prm::reg::qp(kQp, prm::reg::kIrqModCount), 1);
    set(prm::reg::qp(kQp, prm::reg::kQpCtrl), prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
    set(prm::reg::qp(kQp, prm::reg::kCqHead), prm::kCqHeadArm);
    set(prm::reg::kCtrl, prm::ctrl::kEnable);
    set(prm::reg::kConnCmd, prm::encodeConnCmd(kConn, kQp, prm::ConnOp::kOffload));
    uint32_t status = 0;
    do status = reg(prm::reg::kConnCmdStatus);
    while (prm::cmdBusy(status));
    EXPECT_EQ(prm::cmdResult(status), prm::CmdResult::kOk);
  }
  // An SQ of 2^kLog2 entries in host memory, then bringUp around it.
  uint64_t bringUpNewSq() {
    const uint64_t sq = memory.allocate(prm::kSqEntryBytes << kLog2, 4096);
    bringUp(sq);
    return sq;
  }
  // A SEND on kConn.
  static prm::Request sendReq(uint64_t tag, uint32_t length) {
    prm::Request send;
    send.tag = tag;
    send.opcode = uint8_t(prm::Opcode::kSend);
    send.conn = kConn;
    send.length = length;
    return send;
  }
  void post(uint64_t sqBase, uint16_t slot, const prm::Request& request) {
    const auto bytes = prm::encodeRequest(request);
    memory.write(sqBase + uint64_t{prm::kSqEntryBytes} * slot, bytes.data(), bytes.size());
    set(prm::reg::qp(kQp, prm::reg::kSqTail), slot + 1u);
  }
  // Waits for the handler to have seen an interrupt (or `timeout`).
  bool waitInterrupt(const sc_time& timeout) {
    if (vectors.empty()) sc_core::wait(timeout, interrupted);
    return !vectors.empty();
  }

  HostMemory memory;
  Transactor transactor;
  TlmDevice device;
  EchoPeer peer{50};
  ThreadRunner runner;
  uint64_t cqBase = 0;
  std::vector<unsigned> vectors;
  std::vector<sc_time> interruptTimes;
  sc_core::sc_event interrupted;
};

TEST(TlmDevice, SendPostedThroughTheAdapterCompletesWithADescriptorAndAnInterrupt) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  bool gotInterrupt = false;
  uint32_t cqTail = 0;
  Top top([&](Top& t) {
    t.device.setInterruptHandler([&t](unsigned v) {
      t.vectors.push_back(v);
      t.interruptTimes.push_back(sc_core::sc_time_stamp());
      t.interrupted.notify();
    });
    const uint64_t sq = t.bringUpNewSq();
    t.post(sq, 0, Top::sendReq(0xABCD'0001, 1000));
    gotInterrupt = t.waitInterrupt(sc_time(100, sc_core::SC_US));
    cqTail = t.reg(prm::reg::qp(kQp, prm::reg::kCqTail));
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  ASSERT_TRUE(gotInterrupt);
  EXPECT_EQ(top.vectors.front(), kQp);
  EXPECT_EQ(cqTail, 1u);
  std::array<uint8_t, prm::kCqEntryBytes> raw{};
  top.memory.read(top.cqBase, raw.data(), raw.size());
  const prm::Completion c = prm::decodeCompletion(raw.data());
  EXPECT_EQ(c.tag, 0xABCD'0001u);
  EXPECT_EQ(c.type, prm::CplType::kSend);
  EXPECT_EQ(c.status, prm::CplStatus::kSuccess);
  EXPECT_EQ(c.bytes, 1000u);
  EXPECT_EQ(c.conn, kConn);
  EXPECT_TRUE(c.phase);
  ASSERT_EQ(top.peer.work().size(), 1u);
  EXPECT_EQ(top.peer.work()[0].type, prm::WorkType::kTxData);
  // Every AXI burst was one memory transaction, none of them stray.
  EXPECT_EQ(top.transactor.dmaStats().reads, top.memory.stats().reads);
  EXPECT_EQ(top.transactor.dmaStats().writes, top.memory.stats().writes);
  EXPECT_GE(top.memory.stats().reads, 1u);
  EXPECT_GE(top.memory.stats().writes, 1u);
  EXPECT_EQ(top.memory.strayDmaCount(), 0u);
  EXPECT_EQ(top.transactor.dmaStats().protocolViolations, 0u);
  // The interrupt reached the handler at the SystemC time of its cycle.
  EXPECT_EQ(top.interruptTimes.front().value() % top.transactor.clockPeriod().value(), 0u);
}

TEST(TlmDevice, ManySendsThroughSmallRingsAllCompleteInPostingOrder) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  constexpr unsigned kSends = 100;
  constexpr uint16_t kEntries = 1u << kLog2;
  std::vector<prm::Completion> done;
  uint32_t cplWritten = 0;
  Top top([&](Top& t) {
    t.device.setInterruptHandler([&t](unsigned v) {
      t.vectors.push_back(v);
      t.interrupted.notify();
    });
    const uint64_t sq = t.bringUpNewSq();
    uint16_t sqTail = 0, cqHead = 0;
    unsigned posted = 0;
    bool phase = true;
    while (done.size() < kSends) {
      const uint16_t sqHead = uint16_t(t.reg(prm::reg::qp(kQp, prm::reg::kSqHead)));
      for (; posted < kSends && uint16_t(sqTail - sqHead) < kEntries; ++posted, ++sqTail) {
        const auto bytes = prm::encodeRequest(Top::sendReq(posted, 100 + posted));
        t.memory.write(sq + uint64_t{prm::kSqEntryBytes} * (sqTail % kEntries), bytes.data(),
                       bytes.size());
      }
      t.set(prm::reg::qp(kQp, prm::reg::kSqTail), sqTail);
      t.vectors.clear();
      t.waitInterrupt(sc_time(50, sc_core::SC_US));
      // Consume only what CQ_TAIL covers: a descriptor can be in memory a
      // few cycles before the engine counts it as committed, and a CQ_HEAD
      // beyond CQ_TAIL is a doorbell error (PRM 7).
      const uint16_t cqTail = uint16_t(t.reg(prm::reg::qp(kQp, prm::reg::kCqTail)));
      while (cqHead != cqTail) {
        std::array<uint8_t, prm::kCqEntryBytes> raw{};
        t.memory.read(t.cqBase + uint64_t{prm::kCqEntryBytes} * (cqHead % kEntries), raw.data(),
                      raw.size());
        const prm::Completion c = prm::decodeCompletion(raw.data());
        if (c.phase != phase) break;
        done.push_back(c);
        if (uint16_t(++cqHead % kEntries) == 0) phase = !phase;
      }
      t.set(prm::reg::qp(kQp, prm::reg::kCqHead), cqHead | prm::kCqHeadArm);
      if (t.vectors.empty() && done.size() < kSends && posted == kSends) {
        ADD_FAILURE() << "no interrupt with " << done.size() << " of " << kSends
                      << " completions: SQ_HEAD " << t.reg(prm::reg::qp(kQp, prm::reg::kSqHead))
                      << " SQ_TAIL " << sqTail << " CQ_TAIL "
                      << t.reg(prm::reg::qp(kQp, prm::reg::kCqTail)) << " CQ_HEAD " << cqHead
                      << " QP_STATUS " << t.reg(prm::reg::qp(kQp, prm::reg::kQpStatus))
                      << " ERR_STATUS " << t.reg(prm::reg::kErrStatus) << " CNT_IRQ "
                      << t.reg(prm::reg::kCntIrq) << " work " << t.transactor.stats().work
                      << " events " << t.transactor.stats().events;
        break;
      }
    }
    cplWritten = t.reg(prm::reg::kCntCplWritten);
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  ASSERT_EQ(done.size(), kSends);
  for (unsigned i = 0; i < kSends; ++i) {
    EXPECT_EQ(done[i].tag, i);
    EXPECT_EQ(done[i].status, prm::CplStatus::kSuccess);
    EXPECT_EQ(done[i].bytes, 100 + i);
  }
  EXPECT_EQ(cplWritten, kSends);
  EXPECT_EQ(top.memory.strayDmaCount(), 0u);
  EXPECT_EQ(top.transactor.dmaStats().protocolViolations, 0u);
  EXPECT_EQ(top.transactor.dmaStats().errorResponses, 0u);
  EXPECT_EQ(top.transactor.stats().interrupts, top.device.interruptsDelivered());
  EXPECT_EQ(top.transactor.stats().work, kSends);
  EXPECT_EQ(top.transactor.stats().events, kSends);
}

TEST(TlmDevice, InterruptHandlerWaitsWhileTheDriverIsInsideARegisterAccess) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  bool inAccess = false;
  int overlaps = 0;
  std::size_t vectorsWhilePolling = 0;
  uint32_t tail = 0;
  Top top([&](Top& t) {
    t.device.setInterruptHandler([&](unsigned v) {
      if (inAccess) ++overlaps;
      t.vectors.push_back(v);
      t.reg(prm::reg::qp(kQp, prm::reg::kCqTail));  // the handler's own access goes through
    });
    const uint64_t sq = t.bringUpNewSq();
    for (uint16_t i = 0; i < 4; ++i) {
      t.post(sq, i, Top::sendReq(i, 100));
    }
    // Back-to-back accesses until every completion is in: the interrupt
    // that announces them must wait for the driver to step out.
    for (int i = 0; i < 2000 && tail < 4; ++i) {
      inAccess = true;
      tail = t.device.read32(prm::reg::qp(kQp, prm::reg::kCqTail)).value;
      inAccess = false;
    }
    vectorsWhilePolling = t.vectors.size();
    sc_core::wait(sc_time(1, sc_core::SC_US));  // the driver thread leaves the device alone
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  EXPECT_EQ(tail, 4u);
  EXPECT_TRUE(top.device.interruptsDelivered() > 0);
  EXPECT_EQ(vectorsWhilePolling, 0u);
  EXPECT_FALSE(top.vectors.empty());
  EXPECT_EQ(overlaps, 0);
}

TEST(TlmDevice, DriverThreadDeliversInterruptsWhenAutomaticDispatchIsOff) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  bool pendingBefore = false;
  std::size_t vectorsBefore = 99;
  unsigned delivered = 0;
  Top top([&](Top& t) {
    t.device.setAutoDispatch(false);
    t.device.setInterruptHandler([&t](unsigned v) { t.vectors.push_back(v); });
    const uint64_t sq = t.bringUpNewSq();
    t.post(sq, 0, Top::sendReq(0, 10));
    sc_core::wait(sc_time(5, sc_core::SC_US));
    pendingBefore = t.device.interruptPending();
    vectorsBefore = t.vectors.size();
    delivered = t.device.deliverInterrupts();
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  EXPECT_TRUE(pendingBefore);
  EXPECT_EQ(vectorsBefore, 0u);
  EXPECT_EQ(delivered, 1u);
  ASSERT_EQ(top.vectors.size(), 1u);
  EXPECT_EQ(top.vectors[0], kQp);
}

TEST(TlmDevice, MemoryLatencyHoldsTheFetchThatManyCycles) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  uint64_t doorbellCycle = 0;
  HostMemory::Config slow;
  slow.readLatency = sc_time(200, SC_NS);  // 50 cycles of 4 ns
  Top top(
      [&](Top& t) {
        const uint64_t sq = t.bringUpNewSq();
        t.post(sq, 0, Top::sendReq(0, 10));
        doorbellCycle = t.transactor.cycle();
      },
      slow);

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  ASSERT_EQ(top.peer.workCycles().size(), 1u);
  // The descriptor reaches the engine no earlier than 50 cycles after the
  // fetch was issued, which is after the doorbell.
  EXPECT_GE(top.peer.workCycles()[0], doorbellCycle + 50);
  EXPECT_EQ(top.memory.stats().reads, top.transactor.dmaStats().reads);
}

TEST(TlmDevice, StrayDmaIsCountedAnsweredWithAnErrorAndHaltsTheQueuePair) {
  CHIMNEY_REQUIRE_FRESH_KERNEL();
  uint32_t qpStatus = 0, errStatus = 0;
  Top top([&](Top& t) {
    t.device.setInterruptHandler([&t](unsigned v) {
      t.vectors.push_back(v);
      t.interrupted.notify();
    });
    const uint64_t unmapped = 0x7000'0000;  // never allocated
    t.bringUp(unmapped);
    t.set(prm::reg::qp(kQp, prm::reg::kSqTail), 1);  // the engine fetches from the unmapped ring
    t.waitInterrupt(sc_time(100, sc_core::SC_US));
    qpStatus = t.reg(prm::reg::qp(kQp, prm::reg::kQpStatus));
    errStatus = t.reg(prm::reg::kErrStatus);
  });

  sc_core::sc_start();

  ASSERT_TRUE(top.runner.finished());
  EXPECT_GE(top.memory.strayDmaCount(), 1u);
  EXPECT_EQ(top.memory.stats().lastStrayAddress & ~uint64_t{0xFFF}, 0x7000'0000u);
  EXPECT_GE(top.transactor.dmaStats().errorResponses, 1u);
  EXPECT_NE(qpStatus & prm::qpstatus::kHalted, 0u);
  EXPECT_NE(errStatus & prm::err::kDmaRd, 0u);
  ASSERT_FALSE(top.vectors.empty());
  EXPECT_EQ(top.vectors.front(), 4u);  // the error vector, NUM_QP
}

}  // namespace
}  // namespace chimney::test
