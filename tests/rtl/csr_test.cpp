// PRM 3: register map, access rules and identification.
#include <vector>

#include "rtl_build_params.h"
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;
constexpr uint8_t kOkay = 0;
constexpr uint8_t kSlvErr = 2;

class CsrRegisters : public RtlTest {
 protected:
  // Requests on a CLOSED conn complete INVALID_CONN at once: cheap traffic.
  void completeInvalid(QueuePair& p, unsigned n, uint64_t firstTag = 1) {
    for (unsigned i = 0; i < n; ++i) p.post(sendReq(firstTag + i, conn(7), 10));
    p.ring();
    p.wait(n);
  }
};

TEST_F(CsrRegisters, IdentificationRegistersReadPrmValues) {
  EXPECT_EQ(reg(kId), prm::kIdValue);
  EXPECT_EQ(reg(kVersion), prm::kVersionValue);
  // The parameters this executable's RTL library was Verilated with.
  const BuildParams& p = builtWith();
  EXPECT_EQ(reg(kCaps0), p.numConn | p.numQp << 16) << p.config;
  EXPECT_EQ(reg(kCaps1), p.reqSlots) << p.config;
}

TEST_F(CsrRegisters, MisalignedAccessAnswersSlverrAndChangesNothing) {
  EXPECT_EQ(bench_.read32(kId + 2).resp, kSlvErr);
  EXPECT_EQ(bench_.read32(qp(0, kIrqModCount) + 1).resp, kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kIrqModCount) + 1, 0x55), kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kIrqModCount) + 3, 0x55), kSlvErr);
  EXPECT_EQ(reg(qp(0, kIrqModCount)), 0u);
}

TEST_F(CsrRegisters, PartialStrobeWriteAnswersSlverrAndChangesNothing) {
  for (uint8_t strb : {0x0, 0x1, 0x3, 0x7, 0xE, 0x8}) {
    EXPECT_EQ(bench_.write32(qp(lastQp(), kIrqModTimer), 0x1234, strb), kSlvErr) << int(strb);
  }
  EXPECT_EQ(reg(qp(lastQp(), kIrqModTimer)), 0u);
  EXPECT_EQ(bench_.write32(qp(lastQp(), kIrqModTimer), 0x1234, 0xF), kOkay);
  EXPECT_EQ(reg(qp(lastQp(), kIrqModTimer)), 0x1234u);
}

TEST_F(CsrRegisters, UnmappedAddressAnswersSlverr) {
  const std::vector<uint16_t> holes = {
      0x001C,
      0x002C,
      0x0030,
      0x005C,
      0x0100,
      0x0FFC,
      uint16_t(qp(0, 0x38)),
      uint16_t(qp(lastQp(), 0x3C)),
      uint16_t(qp(numQp(), kSqBaseLo)),  // the first missing queue pair
      0x8000,
      0xFFFC};
  for (uint16_t a : holes) {
    EXPECT_EQ(bench_.read32(a).resp, kSlvErr) << std::hex << a;
    EXPECT_EQ(bench_.write32(a, 0xFFFFFFFF), kSlvErr) << std::hex << a;
  }
}

TEST_F(CsrRegisters, WriteToReadOnlyRegisterAnswersSlverrAndChangesNothing) {
  const std::vector<uint16_t> ro = {kId,
                                    kVersion,
                                    kCaps0,
                                    kCaps1,
                                    kErrInfo,
                                    kConnCmdStatus,
                                    kCntReqFetched,
                                    kCntCplWritten,
                                    kCntEvt,
                                    kCntIrq,
                                    kCntProtoErr,
                                    kCntDmaErr,
                                    kCntEvtLate,
                                    uint16_t(qp(0, kSqHead)),
                                    uint16_t(qp(0, kCqTail)),
                                    uint16_t(qp(lastQp(), kQpStatus))};
  for (uint16_t a : ro) {
    const uint32_t before = reg(a);
    EXPECT_EQ(bench_.write32(a, 0xA5A5A5A5), kSlvErr) << std::hex << a;
    EXPECT_EQ(reg(a), before) << std::hex << a;
  }
}

TEST_F(CsrRegisters, WriteOnlyRegisterReadsZero) {
  ASSERT_EQ(bench_.offload(conn(5), uint8_t(lastQp())), prm::CmdResult::kOk);
  const CsrResult r = bench_.read32(kConnCmd);
  EXPECT_EQ(r.resp, kOkay);
  EXPECT_EQ(r.data, 0u);
}

TEST_F(CsrRegisters, SoftResetBitReadsZero) {
  bench_.writeReg(kCtrl, prm::ctrl::kEnable);
  EXPECT_EQ(reg(kCtrl), prm::ctrl::kEnable);
}

TEST_F(CsrRegisters, ReadWriteRegistersReadBack) {
  bench_.writeReg(kConnCmdArg, 0xDEADBEEF);
  EXPECT_EQ(reg(kConnCmdArg), 0xDEADBEEFu);
  bench_.writeReg(qp(lastQp(), kIrqModCount), 0xBEEF);
  EXPECT_EQ(reg(qp(lastQp(), kIrqModCount)) & 0xFFFF, 0xBEEFu);
  bench_.writeReg(qp(lastQp(), kIrqModTimer), 12345);
  EXPECT_EQ(reg(qp(lastQp(), kIrqModTimer)), 12345u);
  bench_.writeReg(qp(numQp() / 2, kSqBaseHi), 0x89AB);
  EXPECT_EQ(reg(qp(numQp() / 2, kSqBaseHi)), 0x89ABu);
  bench_.writeReg(qp(numQp() / 2, kCqSize), 9);
  EXPECT_EQ(reg(qp(numQp() / 2, kCqSize)), 9u);
}

// The master holds bready / rready low at random: every response waits,
// held by the slave (CsrMaster checks it), and carries what it would have
// at once; SLVERR answers too. The slave takes no new request while a
// response waits (a second access starts only after the first was taken).
TEST_F(CsrRegisters, ResponsesHeldByTheMasterArriveIntact) {
  bench_.csr().setResponseReadyPercent(25, 7);
  const uint64_t start = bench_.cycle();
  for (uint32_t i = 0; i < 16; ++i) {
    const uint32_t v = 0x1000'0001u * (i + 1);
    bench_.writeReg(kConnCmdArg, v);
    EXPECT_EQ(reg(kConnCmdArg), v) << i;
    EXPECT_EQ(bench_.write32(kId, 0), kSlvErr) << i;
    EXPECT_EQ(bench_.read32(kConnCmdArg + 2).resp, kSlvErr) << i;
    EXPECT_EQ(reg(kId), prm::kIdValue) << i;
  }
  // 64 accesses, each with its response waiting for a ready that is high
  // one cycle in four: the run is longer than without back-pressure.
  EXPECT_GT(bench_.cycle() - start, 64u * 4);
}

TEST_F(CsrRegisters, BaseLowTwelveBitsAreIgnoredAndReadZero) {
  bench_.writeReg(qp(lastQp(), kSqBaseLo), 0x1234'5FFF);
  bench_.writeReg(qp(lastQp(), kCqBaseLo), 0xABCD'E123);
  EXPECT_EQ(reg(qp(lastQp(), kSqBaseLo)), 0x1234'5000u);
  EXPECT_EQ(reg(qp(lastQp(), kCqBaseLo)), 0xABCD'E000u);
}

// Where the PRM is silent the project's reference model decided: a ring
// size outside 1..15 answers SLVERR, and so does enabling a queue pair whose
// sizes are still 0 (their reset value).
TEST_F(CsrRegisters, RingSizeOutsideOneToFifteenAnswersSlverr) {
  bench_.writeReg(qp(lastQp(), kSqSize), 5);
  bench_.writeReg(qp(lastQp(), kCqSize), 6);
  for (uint32_t bad : {0u, 16u, 31u}) {
    EXPECT_EQ(bench_.write32(qp(lastQp(), kSqSize), bad), kSlvErr) << bad;
    EXPECT_EQ(bench_.write32(qp(lastQp(), kCqSize), bad), kSlvErr) << bad;
  }
  EXPECT_EQ(reg(qp(lastQp(), kSqSize)), 5u);
  EXPECT_EQ(reg(qp(lastQp(), kCqSize)), 6u);
}

TEST_F(CsrRegisters, EnablingWithoutRingSizesAnswersSlverr) {
  EXPECT_EQ(reg(qp(lastQp(), kSqSize)), 0u);
  EXPECT_EQ(bench_.write32(qp(lastQp(), kQpCtrl), prm::qpctrl::kEnable), kSlvErr);
  EXPECT_EQ(reg(qp(lastQp(), kQpStatus)) & prm::qpstatus::kEnabled, 0u);
}

// Either ring size still 0 is enough to refuse the enable.
TEST_F(CsrRegisters, EnablingWithOneRingSizeStillZeroAnswersSlverr) {
  const unsigned q = lastQp();
  for (uint32_t sizeReg : {kSqSize, kCqSize}) {
    SCOPED_TRACE(sizeReg == kSqSize ? "only SQ_SIZE set" : "only CQ_SIZE set");
    bench_.writeReg(kCtrl, prm::ctrl::kSoftReset);  // every size 0 again
    bench_.writeReg(qp(q, sizeReg), 4);
    EXPECT_EQ(bench_.write32(qp(q, kQpCtrl), prm::qpctrl::kEnable), kSlvErr);
    EXPECT_EQ(reg(qp(q, kQpStatus)) & prm::qpstatus::kEnabled, 0u);
  }
  bench_.writeReg(qp(q, kSqSize), 4);  // now both
  EXPECT_EQ(bench_.write32(qp(q, kQpCtrl), prm::qpctrl::kEnable), kOkay);
  EXPECT_EQ(reg(qp(q, kQpStatus)) & prm::qpstatus::kEnabled, prm::qpstatus::kEnabled);
}

TEST_F(CsrRegisters, ArmedIsClearAfterReset) {
  EXPECT_EQ(reg(qp(0, kQpStatus)) & prm::qpstatus::kArmed, 0u);
}

TEST_F(CsrRegisters, BaseAndSizeWritesWhileEnabledAnswerSlverrAndChangeNothing) {
  QueuePair& p = qpair(0);
  const RingLayout& l = p.layout();
  EXPECT_EQ(bench_.write32(qp(0, kSqBaseLo), 0x9000'0000), kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kSqBaseHi), 0x9), kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kSqSize), 3), kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kCqBaseLo), 0x9000'0000), kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kCqBaseHi), 0x9), kSlvErr);
  EXPECT_EQ(bench_.write32(qp(0, kCqSize), 3), kSlvErr);
  EXPECT_EQ(reg(qp(0, kSqBaseLo)), uint32_t(l.sqBase));
  EXPECT_EQ(reg(qp(0, kSqBaseHi)), uint32_t(l.sqBase >> 32));
  EXPECT_EQ(reg(qp(0, kSqSize)), l.sqLog2);
  EXPECT_EQ(reg(qp(0, kCqBaseLo)), uint32_t(l.cqBase));
  EXPECT_EQ(reg(qp(0, kCqBaseHi)), uint32_t(l.cqBase >> 32));
  EXPECT_EQ(reg(qp(0, kCqSize)), l.cqLog2);
  // The ring still works where it was.
  completeInvalid(p, 2);
}

TEST_F(CsrRegisters, SqSizeWriteZeroesOnlySqPointers) {
  QueuePair& p = qpair(0);
  completeInvalid(p, 3);
  EXPECT_EQ(reg(qp(0, kSqHead)), 3u);
  EXPECT_EQ(reg(qp(0, kSqTail)), 3u);
  p.setEnabled(false);
  bench_.writeReg(qp(0, kSqSize), p.layout().sqLog2);
  EXPECT_EQ(reg(qp(0, kSqHead)), 0u);
  EXPECT_EQ(reg(qp(0, kSqTail)), 0u);
  EXPECT_EQ(reg(qp(0, kCqHead)) & 0xFFFF, 3u);
  EXPECT_EQ(reg(qp(0, kCqTail)), 3u);
}

TEST_F(CsrRegisters, CqSizeWriteZeroesOnlyCqPointers) {
  QueuePair& p = qpair(0);
  completeInvalid(p, 3);
  p.setEnabled(false);
  bench_.writeReg(qp(0, kCqSize), p.layout().cqLog2);
  EXPECT_EQ(reg(qp(0, kCqHead)) & 0xFFFF, 0u);
  EXPECT_EQ(reg(qp(0, kCqTail)), 0u);
  EXPECT_EQ(reg(qp(0, kSqHead)), 3u);
  EXPECT_EQ(reg(qp(0, kSqTail)), 3u);
}

TEST_F(CsrRegisters, ReEnablingKeepsPointersAndCarriesOn) {
  QueuePair& p = qpair(0);
  completeInvalid(p, 3, 1);
  p.setEnabled(false);
  EXPECT_EQ(reg(qp(0, kQpStatus)) & prm::qpstatus::kEnabled, 0u);
  p.setEnabled(true);
  EXPECT_EQ(reg(qp(0, kQpStatus)) & prm::qpstatus::kEnabled, prm::qpstatus::kEnabled);
  EXPECT_EQ(reg(qp(0, kSqHead)), 3u);
  EXPECT_EQ(reg(qp(0, kCqTail)), 3u);
  p.submit(sendReq(4, conn(7), 10));
  const auto c = p.wait(1);
  EXPECT_TRUE(isCpl(c[0], {4, CplType::kSend, CplStatus::kInvalidConn, 0, conn(7)}));
  EXPECT_EQ(p.received().back().ptr, 3u);
}

TEST_F(CsrRegisters, ErrStatusIsWriteOneToClear) {
  ASSERT_EQ(bench_.connCmd(conn(0), 0, 9), prm::CmdResult::kBadOp);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kCmd, prm::err::kCmd);
  bench_.writeReg(kErrStatus, ~prm::err::kCmd);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kCmd, prm::err::kCmd);
  bench_.writeReg(kErrStatus, prm::err::kCmd);
  EXPECT_EQ(reg(kErrStatus), 0u);
}

TEST_F(CsrRegisters, CountersCountFetchedRequestsAndWrittenDescriptors) {
  QueuePair& p = qpair(0);
  completeInvalid(p, 5);
  EXPECT_EQ(reg(kCntReqFetched), 5u);
  EXPECT_EQ(reg(kCntCplWritten), 5u);
  EXPECT_EQ(reg(kCntEvt), 0u);
}

}  // namespace
}  // namespace chimney::rtltest
