// AXI4-Lite channel independence on the CSR slave (PRM 2, 3): the write
// address and write data may come in either order and cycles apart, a write
// may wait while the previous write response is held by bready, and a read
// may arrive while a write is half presented. A write takes effect with its
// own data, only once both halves are accepted, and is answered once.
#include <deque>

#include "Vcpl_engine.h"
#include "rtl_fixture.h"
#include "violation_log.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

// Drives the AXI4-Lite pins from a script: each write presents AW from
// cycle awAt and W from cycle wAt (relative to start), held until accepted,
// in order per channel; reads present AR from arAt. bready and rready are
// low before the cycles given (bReadyFrom, rReadyFrom). A read response must
// hold still while rready keeps it waiting.
class LiteScript {
 public:
  struct Write {
    uint16_t addr;
    uint32_t data;
    uint64_t awAt, wAt;
    uint64_t awDone = 0, wDone = 0, bDone = 0;
    uint8_t resp = 0xFF;
  };
  struct Read {
    uint16_t addr;
    uint64_t arAt;
    uint64_t arDone = 0, rDone = 0;
    uint32_t data = 0;
    uint8_t resp = 0xFF;
  };

  explicit LiteScript(uint64_t start) : start_(start) {}
  void write(uint16_t addr, uint32_t data, uint64_t awAt, uint64_t wAt) {
    writes_.push_back({addr, data, awAt, wAt});
  }
  void read(uint16_t addr, uint64_t arAt) { reads_.push_back({addr, arAt}); }
  void bReadyFrom(uint64_t t) { bReadyFrom_ = t; }
  void rReadyFrom(uint64_t t) { rReadyFrom_ = t; }
  bool done() const {
    for (const Write& w : writes_)
      if (w.bDone == 0) return false;
    for (const Read& r : reads_)
      if (r.rDone == 0) return false;
    return true;
  }
  const std::deque<Write>& writes() const { return writes_; }
  const std::deque<Read>& reads() const { return reads_; }
  const ViolationLog& errors() const { return errors_; }

  void drive(Vcpl_engine& io, uint64_t cycle) {
    const uint64_t t = cycle - start_;
    Write* aw = next(writes_, &Write::awDone);
    Write* w = next(writes_, &Write::wDone);
    Read* ar = next(reads_, &Read::arDone);
    io.s_axil_awvalid = aw != nullptr && t >= aw->awAt;
    io.s_axil_awaddr = io.s_axil_awvalid ? aw->addr : 0;
    io.s_axil_wvalid = w != nullptr && t >= w->wAt;
    io.s_axil_wdata = io.s_axil_wvalid ? w->data : 0;
    io.s_axil_wstrb = io.s_axil_wvalid ? 0xF : 0;
    io.s_axil_bready = t >= bReadyFrom_;
    io.s_axil_arvalid = ar != nullptr && t >= ar->arAt;
    io.s_axil_araddr = io.s_axil_arvalid ? ar->addr : 0;
    io.s_axil_rready = t >= rReadyFrom_;
  }
  void sample(const Vcpl_engine& io, uint64_t cycle) {
    const uint64_t t = cycle - start_ + 1;  // 1-based: 0 means not yet
    Write* aw = next(writes_, &Write::awDone);
    Write* w = next(writes_, &Write::wDone);
    Read* ar = next(reads_, &Read::arDone);
    const bool awFire = io.s_axil_awvalid && io.s_axil_awready;
    const bool wFire = io.s_axil_wvalid && io.s_axil_wready;
    if (io.s_axil_bvalid && io.s_axil_bready) {
      Write* b = next(writes_, &Write::bDone);
      if (b == nullptr || b->awDone == 0 || b->wDone == 0) {
        errors_.add(t, "B before its AW and W were accepted");
      } else {
        b->bDone = t;
        b->resp = io.s_axil_bresp;
      }
    }
    rCheck_.observe(t, io.s_axil_rvalid, io.s_axil_rready,
                    uint64_t(io.s_axil_rresp) << 32 | io.s_axil_rdata, errors_);
    if (io.s_axil_rvalid && io.s_axil_rready) {
      Read* r = next(reads_, &Read::rDone);
      if (r == nullptr || r->arDone == 0) {
        errors_.add(t, "R without an accepted AR");
      } else {
        r->rDone = t;
        r->data = io.s_axil_rdata;
        r->resp = io.s_axil_rresp;
      }
    }
    if (awFire) aw->awDone = t;
    if (wFire) w->wDone = t;
    if (io.s_axil_arvalid && io.s_axil_arready) ar->arDone = t;
  }

 private:
  template <typename T>
  static T* next(std::deque<T>& q, uint64_t T::*field) {
    for (T& x : q)
      if (x.*field == 0) return &x;
    return nullptr;
  }

  uint64_t start_;
  uint64_t bReadyFrom_ = 0;
  uint64_t rReadyFrom_ = 0;
  StableChecker<uint64_t> rCheck_{"AXI4-Lite R"};  // response and data held while rready is low
  std::deque<Write> writes_;
  std::deque<Read> reads_;
  ViolationLog errors_;
};

class AxiLiteChannels : public RtlTest {
 protected:
  static constexpr uint32_t kOld = 0x1111'0000;
  uint16_t regA() { return qp(0, kIrqModTimer); }
  uint16_t regB() { return qp(bench_.numQp() > 1 ? 1 : 0, kIrqModCount); }

  // Runs the script to its end with the pins handed over, then gives them
  // back to the CSR master.
  void run(LiteScript& s) {
    bench_.setCsrPins({[&](Vcpl_engine& io, uint64_t c) { s.drive(io, c); },
                       [&](const Vcpl_engine& io, uint64_t c) { s.sample(io, c); }});
    bench_.runUntil([&] { return s.done(); }, 500, "AXI4-Lite script");
    bench_.setCsrPins({});
    EXPECT_TRUE(s.errors().empty()) << s.errors().summary();
  }
};

TEST_F(AxiLiteChannels, WriteAddressSeveralCyclesBeforeWriteData) {
  for (uint64_t gap : {1, 3, 8}) {
    bench_.writeReg(regA(), kOld);
    LiteScript s(bench_.cycle());
    s.write(regA(), 0xABCD'0000 + uint32_t(gap), 0, gap);
    s.read(regA(), 0);  // arrives with the lone write address
    run(s);
    const LiteScript::Write& w = s.writes()[0];
    EXPECT_EQ(w.resp, 0u);
    EXPECT_GT(w.bDone, w.wDone) << "gap " << gap;
    EXPECT_EQ(s.reads()[0].data, kOld) << "gap " << gap << ": the write took effect without data";
    EXPECT_EQ(reg(regA()), 0xABCD'0000 + uint32_t(gap));
  }
}

TEST_F(AxiLiteChannels, WriteDataSeveralCyclesBeforeWriteAddress) {
  for (uint64_t gap : {1, 3, 8}) {
    bench_.writeReg(regA(), kOld);
    LiteScript s(bench_.cycle());
    s.write(regA(), 0x5A5A'0000 + uint32_t(gap), gap, 0);
    run(s);
    const LiteScript::Write& w = s.writes()[0];
    EXPECT_EQ(w.resp, 0u);
    EXPECT_GT(w.bDone, w.awDone) << "gap " << gap;
    EXPECT_EQ(reg(regA()), 0x5A5A'0000 + uint32_t(gap));
  }
}

TEST_F(AxiLiteChannels, SecondWriteWaitsWhileTheFirstResponseIsHeld) {
  bench_.writeReg(regA(), kOld);
  LiteScript s(bench_.cycle());
  s.write(regA(), 0x0000'0A0A, 0, 0);
  s.write(regB(), 0x0000'0B0B, 1, 1);
  s.bReadyFrom(40);
  run(s);
  const auto& w = s.writes();
  EXPECT_GE(w[0].bDone, 41u) << "B taken while bready was low";
  EXPECT_GT(w[1].bDone, w[0].bDone) << "responses out of order or merged";
  EXPECT_EQ(w[0].resp, 0u);
  EXPECT_EQ(w[1].resp, 0u);
  EXPECT_EQ(reg(regA()), 0x0000'0A0Au);
  EXPECT_EQ(reg(regB()), 0x0000'0B0Bu);
}

// A read response waits on rready with its data unchanged, and the slave
// takes no other read meanwhile ("arready is !rvalid",
// docs/rtl-microarchitecture.md): the second read is accepted after the
// first response is taken, not in the same cycle.
TEST_F(AxiLiteChannels, SecondReadWaitsWhileTheFirstResponseIsHeld) {
  bench_.writeReg(regA(), kOld);
  bench_.writeReg(regB(), 7);
  LiteScript s(bench_.cycle());
  s.read(regA(), 0);
  s.read(regB(), 1);
  s.rReadyFrom(30);
  run(s);
  const auto& r = s.reads();
  EXPECT_GE(r[0].rDone, 31u) << "R taken while rready was low";
  EXPECT_GT(r[1].arDone, r[0].rDone) << "second read accepted while the first response waited";
  EXPECT_GT(r[1].rDone, r[1].arDone);
  EXPECT_EQ(r[0].data, kOld);
  EXPECT_EQ(r[1].data, 7u);
  EXPECT_EQ(r[0].resp, 0u);
  EXPECT_EQ(r[1].resp, 0u);
}

TEST_F(AxiLiteChannels, ReadWhileAWriteIsHalfPresented) {
  bench_.writeReg(regA(), kOld);
  bench_.writeReg(regB(), 7);
  // Write data first, address late; a read of each register meanwhile.
  LiteScript s(bench_.cycle());
  s.write(regA(), 0x7777'0000, 12, 0);
  s.read(regA(), 2);
  s.read(regB(), 3);
  run(s);
  EXPECT_EQ(s.reads()[0].data, kOld);
  EXPECT_EQ(s.reads()[1].data, 7u);
  EXPECT_LT(s.reads()[1].rDone, s.writes()[0].awDone) << "reads waited for the half write";
  EXPECT_EQ(reg(regA()), 0x7777'0000u);
}

// A write whose halves arrive while a SOFT_RESET is pending waits for the
// reset and is checked against the state after it: the queue pair it writes
// is enabled before the reset and disabled after, so the base write, which an
// enabled queue pair refuses, is accepted and takes effect.
TEST_F(AxiLiteChannels, AWriteHeldAcrossASoftResetIsCheckedAfterIt) {
  qpair(0);  // enabled, so a base write now would answer SLVERR
  ASSERT_EQ(reg(qp(0, kQpCtrl)) & prm::qpctrl::kEnable, prm::qpctrl::kEnable);
  LiteScript s(bench_.cycle());
  s.write(kCtrl, prm::ctrl::kSoftReset, 0, 0);
  s.write(qp(0, kSqBaseLo), 0x0005'5000, 1, 1);
  run(s);
  const auto& w = s.writes();
  EXPECT_EQ(w[0].resp, 0u);
  EXPECT_GT(w[1].bDone, w[0].bDone);
  EXPECT_EQ(w[1].resp, 0u) << "the held write was checked before the soft reset";
  EXPECT_EQ(reg(qp(0, kQpCtrl)) & prm::qpctrl::kEnable, 0u);
  EXPECT_EQ(reg(qp(0, kSqBaseLo)), 0x0005'5000u);
}

// The other way round: the write held across the reset is one the state
// before it accepts (enabling a queue pair whose rings are sized) and the
// state after it refuses (the reset clears the sizes). It answers SLVERR and
// changes nothing: the check the write gets is the one made after the reset,
// not a result left over from the SOFT_RESET write's own check.
TEST_F(AxiLiteChannels, AWriteHeldAcrossASoftResetIsRefusedByTheStateAfterIt) {
  qpair(0);
  ASSERT_NE(reg(qp(0, kSqSize)), 0u);
  LiteScript s(bench_.cycle());
  s.write(kCtrl, prm::ctrl::kSoftReset, 0, 0);
  s.write(qp(0, kQpCtrl), prm::qpctrl::kEnable, 1, 1);
  run(s);
  const auto& w = s.writes();
  EXPECT_EQ(w[0].resp, 0u);
  EXPECT_GT(w[1].bDone, w[0].bDone);
  EXPECT_EQ(w[1].resp, 2u) << "the held write was answered without a check after the soft reset";
  EXPECT_EQ(reg(qp(0, kSqSize)), 0u);
  EXPECT_EQ(reg(qp(0, kQpCtrl)) & prm::qpctrl::kEnable, 0u);
}

}  // namespace
}  // namespace chimney::rtltest
