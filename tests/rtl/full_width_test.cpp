// Every bit of the wide fields: registers written with all ones and read
// back, rings at the top of the 64-bit address space, tags, lengths, event
// byte counts and connection ids of every bit. The other suites use small
// values (rings below 16 GiB, lengths below 64 KiB); these tests show that
// nothing above them is dropped or truncated on the way through the engine
// (and they are what toggles those bits in scripts/coverage.sh).
#include <algorithm>
#include <string>
#include <vector>

#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;
constexpr uint32_t kOnes = 0xFFFF'FFFFu;
constexpr uint8_t kOkay = 0;

class FullWidth : public RtlTest {
 protected:
  // Rings of queue pair q at the top of the address space: every address
  // bit from 12 up is 1 in some ring base (the SQ of even pairs and the CQ
  // of odd ones sit on an odd page).
  static RingLayout topLayout(unsigned q) {
    const uint64_t hi = 0xFFFF'FFFF'FFFF'F000ull - (uint64_t{q} << 16);
    RingLayout l;
    l.sqBase = hi - (q % 2 ? 0x1000 : 0);
    l.cqBase = hi - (q % 2 ? 0 : 0x1000);
    return l;
  }
  // Writes v, reads it back as `expect`.
  ::testing::AssertionResult holds(uint16_t addr, uint32_t v, uint32_t expect) {
    const uint8_t resp = bench_.write32(addr, v);
    if (resp != kOkay) return ::testing::AssertionFailure() << "write answered " << int(resp);
    const CsrResult r = bench_.read32(addr);
    if (r.resp != kOkay || r.data != expect)
      return ::testing::AssertionFailure() << "read 0x" << std::hex << r.data << " resp "
                                           << int(r.resp) << ", expected 0x" << expect;
    return ::testing::AssertionSuccess();
  }
};

TEST_F(FullWidth, EveryQueuePairRegisterHoldsAllOnesAndAllZeros) {
  for (unsigned q = 0; q < numQp(); ++q) {
    for (const uint32_t v : {kOnes, 0u}) {
      SCOPED_TRACE("queue pair " + std::to_string(q) + " value " + std::to_string(v));
      EXPECT_TRUE(holds(uint16_t(qp(q, kSqBaseLo)), v, v & 0xFFFF'F000u));
      EXPECT_TRUE(holds(uint16_t(qp(q, kSqBaseHi)), v, v));
      EXPECT_TRUE(holds(uint16_t(qp(q, kCqBaseLo)), v, v & 0xFFFF'F000u));
      EXPECT_TRUE(holds(uint16_t(qp(q, kCqBaseHi)), v, v));
      EXPECT_TRUE(holds(uint16_t(qp(q, kIrqModCount)), v, v & 0xFFFFu));
      EXPECT_TRUE(holds(uint16_t(qp(q, kIrqModTimer)), v, v));
    }
    // The sizes' every bit within 1..15, and the enables.
    for (const uint32_t s : {15u, 1u}) {
      EXPECT_TRUE(holds(uint16_t(qp(q, kSqSize)), s, s));
      EXPECT_TRUE(holds(uint16_t(qp(q, kCqSize)), s, s));
    }
    EXPECT_TRUE(holds(uint16_t(qp(q, kQpCtrl)), prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable,
                      prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable));
    EXPECT_TRUE(holds(uint16_t(qp(q, kQpCtrl)), 0, 0));
  }
  EXPECT_TRUE(holds(kConnCmdArg, kOnes, kOnes));
  EXPECT_TRUE(holds(kConnCmdArg, 0, 0));
}

TEST_F(FullWidth, RingsAtTheTopOfTheAddressSpaceCarryFullWidthTagsAndLengths) {
  const unsigned n = numQp();
  std::vector<uint16_t> conns;
  for (unsigned q = 0; q < n; ++q) {
    const uint16_t cn = conn(kTestConns - 1 - q);  // the last is NUM_CONN-1: every id bit
    conns.push_back(cn);
    qpair(q, topLayout(q));
    ASSERT_EQ(bench_.offload(cn, uint8_t(q)), prm::CmdResult::kOk);
  }
  for (unsigned q = 0; q < n; ++q) {
    SCOPED_TRACE("queue pair " + std::to_string(q));
    QueuePair& p = qpair(q);
    const uint16_t cn = conns[q];
    const uint64_t tagOnes = ~uint64_t{0} - q;
    const uint64_t tagA = 0xAAAA'AAAA'AAAA'AAAAull ^ q;
    const uint64_t tagFive = 0x5555'5555'5555'5555ull ^ q;
    p.post(sendReq(tagOnes, cn, kOnes));
    p.post(recvReq(tagA, cn, kOnes));
    p.post(sendReq(tagFive, cn, 0x8000'0001u));
    p.ring();
    waitWork(cn, 3);
    EXPECT_TRUE(
        areWork(workOf(cn), {work(WorkType::kTxData, cn, kOnes), work(WorkType::kRxPost, cn, kOnes),
                             work(WorkType::kTxData, cn, 0x8000'0001u)}));
    push(evt(EventType::kAck, cn, kOnes));
    push(evt(EventType::kData, cn, kOnes, prm::evtflag::kPush));
    push(evt(EventType::kAck, cn, 0x8000'0001u));
    EXPECT_TRUE(
        areCpls(p.wait(3), {{tagOnes, CplType::kSend, CplStatus::kSuccess, kOnes, cn},
                            {tagA, CplType::kRecv, CplStatus::kSuccess, kOnes, cn},
                            {tagFive, CplType::kSend, CplStatus::kSuccess, 0x8000'0001u, cn}}));
    // The rings' last byte is below 2^64 (2 KiB SQ, 1 KiB CQ).
    const RingLayout& l = p.layout();
    EXPECT_GE(bench_.axi().countReads(l.sqBase, l.sqBase + 0x800), 1u);
    EXPECT_GE(bench_.axi().countWrites(l.cqBase, l.cqBase + 0x400), 1u);
    EXPECT_EQ(reg(qp(q, kSqBaseHi)), kOnes);
    EXPECT_EQ(reg(qp(q, kCqTail)), 3u);
  }
  EXPECT_EQ(reg(kErrStatus), 0u);
}

TEST_F(FullWidth, FullWidthBufferedDataIsIndicatedAndConsumed) {
  const uint16_t cn = conn(kTestConns - 1);
  QueuePair& p = offloaded(cn, lastQp());
  push(evt(EventType::kData, cn, kOnes));
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kRxIndicate, CplStatus::kSuccess, kOnes, cn}));
  ASSERT_EQ(bench_.rxConsumed(cn, uint8_t(lastQp()), 0x7FFF'FFFFu), prm::CmdResult::kOk);
  // 0x8000'0000 stay buffered: a receive of all-ones length takes them at once.
  p.submit(recvReq(~uint64_t{0}, cn, kOnes));
  EXPECT_TRUE(
      isCpl(p.wait(1)[0], {~uint64_t{0}, CplType::kRecv, CplStatus::kSuccess, 0x8000'0000u, cn}));
  EXPECT_EQ(bench_.rxConsumed(cn, uint8_t(lastQp()), 1), prm::CmdResult::kBadArg);
}

TEST_F(FullWidth, EventsForConnectionIdsOfEveryBitAreProtocolErrors) {
  offloaded(conn(0), 0);
  // Ids beyond the table, with every one of the 16 id bits set once.
  for (const uint16_t id :
       {uint16_t(0xFFFF), uint16_t(0x5555 | numConn()), uint16_t(0xAAAA | numConn())}) {
    push(evt(EventType::kAck, id, kOnes, 0xF));
  }
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntProtoErr), 3u);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kProto, prm::err::kProto);
  EXPECT_EQ(reg(kErrInfo) >> 16, uint32_t(0xAAAA | numConn()));
}

// Ring pointers are 16-bit and free running (PRM 4): 2^15 + 1 requests on
// a queue pair carry SQ_HEAD/SQ_TAIL/CQ_TAIL/CQ_HEAD through every bit, in
// rings of 2^15 entries, so the slot index runs through every bit too: one
// doorbell for 2^15 - 1 requests (the pointers and the count of posted
// entries reach 0x7FFF), then one for the last two (0x8001). On
// at most four queue pairs (the first three and the last: every pair of
// the default configuration), all at once.
TEST_F(FullWidth, RingPointersRunThroughEveryBit) {
  constexpr unsigned kLog2 = 15;
  constexpr uint32_t kTotal = (1u << kLog2) + 1;
  std::vector<unsigned> qps;
  for (unsigned q = 0; q < std::min(numQp(), 3u); ++q) qps.push_back(q);
  if (numQp() > 3) qps.push_back(lastQp());
  const auto n = unsigned(qps.size());
  std::vector<QueuePair*> pairs;
  for (unsigned q : qps) pairs.push_back(&qpair(q, defaultLayout(q, kLog2, kLog2)));
  const uint16_t closed = conn(kTestConns - 1);
  uint64_t tag = 0;
  for (const uint32_t batch : {kTotal - 2, 2u}) {
    for (QueuePair* p : pairs) {
      for (uint32_t i = 0; i < batch; ++i) p->post(sendReq(++tag, closed, 1));
      p->ring();
    }
    for (QueuePair* p : pairs) {
      // The engine serves every queue pair's batch before the last is done.
      const std::vector<prm::Completion> got = p->wait(batch, 40 * uint64_t{batch} * n);
      ASSERT_EQ(got.size(), batch);
      for (const prm::Completion& c : got)
        ASSERT_EQ(c.status, CplStatus::kInvalidConn) << describe(c);
    }
  }
  // The driver writes CQ_HEAD no further than the CQ_TAIL it read: a poll
  // after the last write response brings it up to the tail.
  for (QueuePair* p : pairs) EXPECT_TRUE(p->drain(50).empty());
  for (unsigned q : qps) {
    SCOPED_TRACE("queue pair " + std::to_string(q));
    EXPECT_EQ(reg(qp(q, kSqHead)), kTotal);
    EXPECT_EQ(reg(qp(q, kSqTail)), kTotal);
    EXPECT_EQ(reg(qp(q, kCqTail)), kTotal);
    EXPECT_EQ(reg(qp(q, kCqHead)) & 0xFFFF, kTotal);
  }
  EXPECT_EQ(reg(kCntReqFetched), kTotal * n);
  EXPECT_EQ(reg(kCntCplWritten), kTotal * n);
}

// One connection with two or three requests of each opcode waiting at once,
// lengths of every bit (kOnes, 0x7FFF'FFFE and 0x8000'0001, the later ones in
// the successor links), partial acknowledgements and fills of full width.
TEST_F(FullWidth, EveryListCarriesFullWidthLengths) {
  constexpr uint32_t kOdd = 0x7FFF'FFFEu;
  constexpr uint32_t kTop = 0x8000'0001u;
  const uint16_t cn = conn(kTestConns - 1);
  QueuePair& p = offloaded(cn, lastQp());
  p.post(sendReq(1, cn, kOnes));
  p.post(sendReq(2, cn, kOdd));
  p.post(recvReq(3, cn, kOnes));
  p.post(recvReq(4, cn, kOdd));
  p.post(forwardReq(5, cn, kOnes));
  p.post(forwardReq(6, cn, kOdd));
  p.post(disconnectReq(7, cn, kOnes, false));
  p.post(forwardReq(8, cn, kTop));
  p.post(disconnectReq(9, cn, kTop, false));  // after a graceful one: INVALID_STATE
  p.ring();
  waitWork(cn, 7);
  push(evt(EventType::kAck, cn, 0xFFFF'0000u));  // partial
  flushEvents();
  EXPECT_TRUE(p.drain(50).empty());
  push(evt(EventType::kAck, cn, 0x0000'FFFFu));
  push(evt(EventType::kAck, cn, kOdd));
  EXPECT_TRUE(areCpls(p.wait(2), {{1, CplType::kSend, CplStatus::kSuccess, kOnes, cn},
                                  {2, CplType::kSend, CplStatus::kSuccess, kOdd, cn}}));
  push(evt(EventType::kData, cn, 0xFFFF'E000u));  // fills part of receive 3
  flushEvents();
  EXPECT_TRUE(p.drain(50).empty());
  push(evt(EventType::kData, cn, 0x1FFFu));
  push(evt(EventType::kData, cn, kOdd));
  push(evt(EventType::kFwdDone, cn));
  push(evt(EventType::kFwdDone, cn));
  push(evt(EventType::kFwdDone, cn));
  EXPECT_TRUE(areCpls(p.wait(5), {{3, CplType::kRecv, CplStatus::kSuccess, kOnes, cn},
                                  {4, CplType::kRecv, CplStatus::kSuccess, kOdd, cn},
                                  {5, CplType::kForward, CplStatus::kSuccess, kOnes, cn},
                                  {6, CplType::kForward, CplStatus::kSuccess, kOdd, cn},
                                  {8, CplType::kForward, CplStatus::kSuccess, kTop, cn}}));
  waitWork(cn, 8);
  push(evt(EventType::kFinAck, cn));
  EXPECT_TRUE(areCpls(p.wait(2), {{7, CplType::kDisconnect, CplStatus::kSuccess, kOnes, cn},
                                  {9, CplType::kDisconnect, CplStatus::kInvalidState, 0, cn}}));
  EXPECT_TRUE(
      areWork(workOf(cn), {work(WorkType::kTxData, cn, kOnes), work(WorkType::kTxData, cn, kOdd),
                           work(WorkType::kRxPost, cn, kOnes), work(WorkType::kRxPost, cn, kOdd),
                           work(WorkType::kFwd, cn, kOnes), work(WorkType::kFwd, cn, kOdd),
                           work(WorkType::kFwd, cn, kTop), work(WorkType::kTxFin, cn, kOnes)}));
  EXPECT_EQ(reg(kErrStatus), 0u);
}

// Request flags of every bit: any flag not of the opcode is INVALID_REQUEST.
TEST_F(FullWidth, RequestFlagsOfEveryBitAreInvalidRequests) {
  const uint16_t cn = conn(3);
  QueuePair& p = offloaded(cn, 0);
  uint64_t tag = 0;
  for (const uint8_t flags : {uint8_t(0xFF), uint8_t(0x78), uint8_t(0x80)}) {
    prm::Request r = sendReq(++tag, cn, 10);
    r.flags = flags;
    p.post(r);
  }
  p.ring();
  EXPECT_TRUE(areCpls(p.wait(3), {{1, CplType::kSend, CplStatus::kInvalidRequest, 0, cn},
                                  {2, CplType::kSend, CplStatus::kInvalidRequest, 0, cn},
                                  {3, CplType::kSend, CplStatus::kInvalidRequest, 0, cn}}));
  EXPECT_TRUE(workOf(cn).empty());
}

// A read error and a write error (DECERR) on every queue pair in turn: each
// halts only its pair and names it in ERR_INFO.
TEST_F(FullWidth, DmaErrorsOfEveryQueuePairHaltOnlyIt) {
  const uint16_t closed = conn(kTestConns - 1);
  uint64_t tag = 0;
  for (unsigned q = 0; q < numQp(); ++q) {
    SCOPED_TRACE("queue pair " + std::to_string(q));
    QueuePair& p = qpair(q);
    const RingLayout& l = p.layout();
    for (const bool write : {false, true}) {
      if (write)
        bench_.axi().failWrites(l.cqBase, l.cqBase + (uint64_t{prm::kCqEntryBytes} << l.cqLog2),
                                AxiResp::kDecErr);
      else
        bench_.axi().failReads(l.sqBase, l.sqBase + (uint64_t{prm::kSqEntryBytes} << l.sqLog2));
      p.submit(sendReq(++tag, closed, 1));
      bench_.runUntil([&] { return (reg(qp(q, kQpStatus)) & prm::qpstatus::kHalted) != 0; }, 3000,
                      "HALTED");
      const uint32_t bit = write ? prm::err::kDmaWr : prm::err::kDmaRd;
      EXPECT_EQ(reg(kErrStatus) & bit, bit);
      EXPECT_EQ(reg(kErrInfo) & 0xFF, q);
      for (unsigned o = 0; o < numQp(); ++o) {
        if (o != q) {
          EXPECT_EQ(reg(qp(o, kQpStatus)) & prm::qpstatus::kHalted, 0u) << o;
        }
      }
      bench_.writeReg(kErrStatus, bit);
      bench_.axi().clearFaults();
      p.setEnabled(false);
      p.setEnabled(true);
      EXPECT_EQ(p.wait(1)[0].tag, tag);
    }
  }
}

// Every connection of the table goes OFFLOADED, ABORTED (an abortive
// DISCONNECT) and CLOSED again (TERMINATE), batches of 32 at a time.
TEST_F(FullWidth, EveryConnectionIsOffloadedAbortedAndClosed) {
  QueuePair& p = qpair(0);
  constexpr unsigned kChunk = 32;
  for (unsigned first = 0; first < numConn(); first += kChunk) {
    const unsigned end = std::min(numConn(), first + kChunk);
    for (unsigned c = first; c < end; ++c) {
      ASSERT_EQ(bench_.offload(uint16_t(c), 0), prm::CmdResult::kOk) << c;
      p.post(disconnectReq(c + 1, uint16_t(c), 0, true));
    }
    p.ring();
    for (const prm::Completion& got : p.wait(end - first)) {
      EXPECT_TRUE(
          isCpl(got, {got.conn + 1u, CplType::kDisconnect, CplStatus::kSuccess, 0, got.conn}));
    }
    for (unsigned c = first; c < end; ++c) {
      ASSERT_EQ(bench_.terminate(uint16_t(c), 0), prm::CmdResult::kOk) << c;
    }
    for (const prm::Completion& got : p.wait(end - first)) {
      EXPECT_EQ(got.type, CplType::kTerminateDone) << describe(got);
    }
  }
  // CLOSED again: a second TERMINATE is refused, OFFLOAD accepted.
  EXPECT_EQ(bench_.terminate(uint16_t(numConn() - 1), 0), prm::CmdResult::kBadState);
  EXPECT_EQ(bench_.offload(uint16_t(numConn() - 1), 0), prm::CmdResult::kOk);
}

}  // namespace
}  // namespace chimney::rtltest
