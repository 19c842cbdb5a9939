// PRM 6 "Connections": CONN_CMD operations, result codes, CMD_ERR, and the
// TERMINATE flush.
#include <algorithm>

#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;
using prm::CmdResult;

class ConnCmd : public RtlTest {};

TEST_F(ConnCmd, OffloadBindsAClosedConnToItsQueuePair) {
  const uint16_t c = conn(11);
  QueuePair& p = qpair(lastQp());
  ASSERT_EQ(bench_.offload(c, uint8_t(lastQp())), CmdResult::kOk);
  p.submit(sendReq(1, c, 100));
  waitWork(c, 1);
  EXPECT_TRUE(areWork(workOf(c), {work(WorkType::kTxData, c, 100)}));
  EXPECT_EQ(reg(kErrStatus), 0u);
}

TEST_F(ConnCmd, OffloadOfAnOffloadedConnIsBadStateAndKeepsTheBinding) {
  QueuePair& p0 = qpair(0);
  const uint16_t c = conn(3);
  QueuePair& p1 = offloaded(c, 1);
  EXPECT_EQ(bench_.offload(c, 0), CmdResult::kBadState);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kCmd, prm::err::kCmd);
  p0.submit(sendReq(1, c, 10));
  EXPECT_EQ(p0.wait(1)[0].status, CplStatus::kWrongQp);
  p1.submit(sendReq(2, c, 10));
  waitWork(c, 1);
}

// PRM 6: commands take effect in the order written. A second CONN_CMD
// written while the first is still BUSY (no poll in between; after a reset
// the first waits for the connection table's clearing) is held, not lost:
// both connections end up offloaded.
TEST_F(ConnCmd, ACommandWrittenWhileTheLastIsBusyTakesEffectAfterIt) {
  const uint16_t a = conn(4);
  const uint16_t b = conn(5);
  bench_.reset();
  bench_.writeReg(kConnCmd, prm::encodeConnCmd(a, 0, prm::ConnOp::kOffload));
  // Up to 32 cycles before the clearing ends (a CSR write is answered within
  // the harness's CSR timeout only then, at NUM_CONN = 4096).
  bench_.run(numConn() - std::min(numConn(), 32u));
  ASSERT_TRUE(prm::cmdBusy(reg(kConnCmdStatus)));  // the table is still clearing
  bench_.writeReg(kConnCmd, prm::encodeConnCmd(b, 0, prm::ConnOp::kOffload));
  EXPECT_EQ(bench_.offload(a, 0), CmdResult::kBadState);
  EXPECT_EQ(bench_.offload(b, 0), CmdResult::kBadState);
}

TEST_F(ConnCmd, OutOfRangeConnIsBadConn) {
  const uint16_t bad = outOfRangeConn();
  EXPECT_EQ(bench_.offload(bad, 0), CmdResult::kBadConn);
  EXPECT_EQ(bench_.offload(0xFFFF, 0), CmdResult::kBadConn);
  EXPECT_EQ(bench_.terminate(bad, 0), CmdResult::kBadConn);
  EXPECT_EQ(bench_.rxConsumed(bad, 0, 0), CmdResult::kBadConn);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kCmd, prm::err::kCmd);
}

TEST_F(ConnCmd, OffloadToAMissingQueuePairIsBadQpAndLeavesTheConnClosed) {
  QueuePair& p = qpair(0);
  const uint16_t c = conn(5);
  EXPECT_EQ(bench_.offload(c, uint8_t(numQp())), CmdResult::kBadQp);
  EXPECT_EQ(bench_.offload(c, 0xFF), CmdResult::kBadQp);
  p.submit(sendReq(1, c, 10));
  EXPECT_EQ(p.wait(1)[0].status, CplStatus::kInvalidConn);
}

TEST_F(ConnCmd, UnknownOpIsBadOp) {
  for (uint8_t op : {0, 4, 9, 15})
    EXPECT_EQ(bench_.connCmd(conn(1), 0, op), CmdResult::kBadOp) << int(op);
}

TEST_F(ConnCmd, TerminateOfAClosedConnIsBadState) {
  EXPECT_EQ(bench_.terminate(conn(6), 0), CmdResult::kBadState);
}

TEST_F(ConnCmd, RxConsumedBeyondTheBufferedBytesIsBadArg) {
  const uint16_t c = conn(6);
  offloaded(c, 0);
  EXPECT_EQ(bench_.rxConsumed(c, 0, 1), CmdResult::kBadArg);
  EXPECT_EQ(bench_.rxConsumed(c, 0, 0), CmdResult::kOk);
}

TEST_F(ConnCmd, AFailedCommandSetsCmdErrAndRaisesTheErrorInterruptOnce) {
  const uint16_t bad = outOfRangeConn();
  const unsigned v = errorVector();
  EXPECT_EQ(bench_.offload(bad, 0), CmdResult::kBadConn);
  bench_.run(20);
  EXPECT_EQ(bench_.irq().count(v), 1u);
  EXPECT_EQ(bench_.offload(uint16_t(bad + 1), 0), CmdResult::kBadConn);
  bench_.run(20);
  EXPECT_EQ(bench_.irq().count(v), 1u) << "CMD_ERR did not rise again";
  bench_.writeReg(kErrStatus, prm::err::kCmd);
  EXPECT_EQ(bench_.offload(uint16_t(bad + 2), 0), CmdResult::kBadConn);
  bench_.run(20);
  EXPECT_EQ(bench_.irq().count(v), 2u);
}

TEST_F(ConnCmd, ResultReportsTheLastCommandAndSuccessLeavesCmdErrClear) {
  EXPECT_EQ(bench_.offload(conn(1), 0), CmdResult::kOk);
  EXPECT_EQ(reg(kErrStatus), 0u);
  EXPECT_EQ(bench_.offload(conn(1), 0), CmdResult::kBadState);
  EXPECT_EQ(bench_.offload(conn(2), 0), CmdResult::kOk);
  EXPECT_EQ(prm::cmdResult(reg(kConnCmdStatus)), CmdResult::kOk);
}

TEST_F(ConnCmd, TerminateFlushesEverythingWithUploadThenTerminateDone) {
  const uint16_t cn = conn(7);
  QueuePair& p = offloaded(cn, 1);
  p.post(sendReq(1, cn, 100));
  p.post(sendReq(2, cn, 50));
  p.post(recvReq(3, cn, 100));
  p.post(recvReq(4, cn, 10));
  p.post(forwardReq(5, cn, 20));
  p.post(disconnectReq(6, cn, 5, false));  // waits for the sends
  p.ring();
  waitWork(cn, 5);
  push(evt(EventType::kAck, cn, 30));
  push(evt(EventType::kData, cn, 40));
  flushEvents();
  EXPECT_TRUE(p.drain(100).empty());
  ASSERT_EQ(bench_.terminate(cn, 1), CmdResult::kOk);
  const auto c = p.wait(7);
  // Per opcode in posting order; TERMINATE_DONE last.
  std::vector<prm::Completion> sends, recvs, others;
  for (size_t i = 0; i + 1 < c.size(); ++i)
    (c[i].type == CplType::kSend   ? sends
     : c[i].type == CplType::kRecv ? recvs
                                   : others)
        .push_back(c[i]);
  EXPECT_TRUE(areCpls(sends, {{1, CplType::kSend, CplStatus::kUpload, 30, cn},
                              {2, CplType::kSend, CplStatus::kUpload, 0, cn}}));
  EXPECT_TRUE(areCpls(recvs, {{3, CplType::kRecv, CplStatus::kUpload, 40, cn},
                              {4, CplType::kRecv, CplStatus::kUpload, 0, cn}}));
  ASSERT_EQ(others.size(), 2u);
  for (const auto& o : others) {
    EXPECT_EQ(o.status, CplStatus::kUpload) << describe(o);
    EXPECT_TRUE(o.tag == 5 || o.tag == 6) << describe(o);
  }
  EXPECT_TRUE(isCpl(c.back(), {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, cn}));
}

// PRM 6: TERMINATE completes every outstanding request of the connection, and
// a request is outstanding once SQ_HEAD shows its entry fetched, also while
// it still waits inside the engine behind steps stalled for work room. A
// driver that saw its entries fetched relies on the TERMINATE covering them.
TEST_F(ConnCmd, TerminateCoversRequestsFetchedBeforeItThatStillWaitInTheEngine) {
  const uint16_t cn = conn(6);
  QueuePair& p = offloaded(cn, 0);
  bench_.work().setReadyPercent(0);  // the protocol engine takes no work
  // More SENDs than the work path holds: the last ones wait, fetched, in the
  // request FIFO and its holding register (fewer than the slots of the small
  // configuration).
  constexpr unsigned kSends = 10;
  for (uint64_t i = 1; i <= kSends; ++i) p.post(sendReq(i, cn, 100));
  p.ring();
  bench_.runUntil([&] { return reg(prm::reg::qp(0, kSqHead)) == kSends; }, 5000,
                  "every SEND fetched");
  bench_.run(20);
  EXPECT_LT(workOf(cn).size(), size_t{kSends}) << "some SENDs must still wait in the engine";
  bench_.writeReg(kConnCmd, prm::encodeConnCmd(cn, 0, prm::ConnOp::kTerminate));
  bench_.run(50);
  bench_.work().setReadyPercent(100);
  const auto c = p.wait(kSends + 1);
  for (unsigned i = 0; i < kSends; ++i) {
    EXPECT_TRUE(isCpl(c[i], {i + 1, CplType::kSend, CplStatus::kUpload, 0, cn}));
  }
  EXPECT_TRUE(isCpl(c.back(), {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, cn}));
  EXPECT_TRUE(p.drain(200).empty());
}

// The same order for OFFLOAD: a request for a CLOSED connection fetched before
// the OFFLOAD of that connection was written completes INVALID_CONN.
TEST_F(ConnCmd, ARequestFetchedBeforeAnOffloadSeesTheConnectionClosed) {
  const uint16_t busy = conn(6);
  const uint16_t later = conn(11);
  QueuePair& p = offloaded(busy, 0);
  bench_.work().setReadyPercent(0);
  constexpr unsigned kSends = 8;  // enough to stall the matcher on work room
  for (uint64_t i = 1; i <= kSends; ++i) p.post(sendReq(i, busy, 100));
  p.post(sendReq(100, later, 10));
  p.ring();
  bench_.runUntil([&] { return reg(prm::reg::qp(0, kSqHead)) == kSends + 1; }, 5000,
                  "every request fetched");
  bench_.writeReg(kConnCmd, prm::encodeConnCmd(later, 0, prm::ConnOp::kOffload));
  bench_.run(50);
  bench_.work().setReadyPercent(100);
  const auto c = p.wait(1);
  EXPECT_TRUE(isCpl(c[0], {100, CplType::kSend, CplStatus::kInvalidConn, 0, later}));
  EXPECT_TRUE(workOf(later).empty());
  EXPECT_EQ(prm::cmdResult(reg(kConnCmdStatus)), CmdResult::kOk);
}

// And the other way: while a command waits for the requests ahead of it,
// nothing more is fetched, so a request whose doorbell was rung after the
// command was written sees the command's effect.
TEST_F(ConnCmd, ARequestFetchedAfterACommandWasWrittenSeesItsEffect) {
  const uint16_t busy = conn(6);
  const uint16_t later = conn(11);
  QueuePair& p = offloaded(busy, 0);
  bench_.work().setReadyPercent(0);
  constexpr unsigned kSends = 8;  // the matcher stalls on work room, some wait fetched
  for (uint64_t i = 1; i <= kSends; ++i) p.post(sendReq(i, busy, 100));
  p.ring();
  bench_.runUntil([&] { return reg(prm::reg::qp(0, kSqHead)) == kSends; }, 5000,
                  "every SEND fetched");
  bench_.writeReg(kConnCmd, prm::encodeConnCmd(later, 0, prm::ConnOp::kOffload));
  p.post(sendReq(100, later, 10));
  p.ring();
  bench_.run(50);
  EXPECT_EQ(reg(prm::reg::qp(0, kSqHead)), kSends) << "fetched past a waiting command";
  bench_.work().setReadyPercent(100);
  waitWork(later, 1);
  EXPECT_TRUE(p.drain(200).empty()) << "the SEND on the offloaded connection must stay open";
  EXPECT_EQ(prm::cmdResult(reg(kConnCmdStatus)), CmdResult::kOk);
}

TEST_F(ConnCmd, TerminatedConnIsClosed) {
  const uint16_t cn = conn(8);
  QueuePair& p = offloaded(cn, 0);
  ASSERT_EQ(bench_.terminate(cn, 0), CmdResult::kOk);
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, cn}));
  p.submit(sendReq(1, cn, 10));
  EXPECT_EQ(p.wait(1)[0].status, CplStatus::kInvalidConn);
  push(evt(EventType::kAck, cn, 10));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntEvtLate), 1u);
  EXPECT_EQ(reg(kCntProtoErr), 0u);
  EXPECT_EQ(bench_.offload(cn, uint8_t(lastQp())), CmdResult::kOk);  // may be offloaded again
}

TEST_F(ConnCmd, TerminateOfAnAbortedConnClosesIt) {
  const uint16_t cn = conn(9);
  QueuePair& p = offloaded(cn, 0);
  push(evt(EventType::kRst, cn));
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kEvtRst, CplStatus::kSuccess, 0, cn}));
  EXPECT_EQ(bench_.offload(cn, 0), CmdResult::kBadState);
  ASSERT_EQ(bench_.terminate(cn, 0), CmdResult::kOk);
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, cn}));
  EXPECT_EQ(bench_.offload(cn, 0), CmdResult::kOk);
}

TEST_F(ConnCmd, NothingNamesATerminatedConnAfterTerminateDone) {
  const uint16_t cn = conn(10);
  QueuePair& p = offloaded(cn, 0);
  p.submit(sendReq(1, cn, 100));
  waitWork(cn, 1);
  ASSERT_EQ(bench_.terminate(cn, 0), CmdResult::kOk);
  const auto c = p.wait(2);
  EXPECT_EQ(c[1].type, CplType::kTerminateDone);
  push(evt(EventType::kAck, cn, 100));
  push(evt(EventType::kData, cn, 100));
  push(evt(EventType::kFin, cn));
  flushEvents();
  EXPECT_TRUE(p.drain(200).empty());
  EXPECT_EQ(reg(kCntEvtLate), 3u);
}

// PRM 11: after a reset the engine clears every connection to CLOSED, one a
// cycle; a command written meanwhile waits for that and then takes effect.
TEST_F(ConnCmd, ACommandWrittenWhileTheTableClearsWaitsAndEveryConnIsClosedAfterIt) {
  const uint16_t first = 0;
  const uint16_t last = uint16_t(numConn() - 1);
  ASSERT_EQ(bench_.offload(first, 0), CmdResult::kOk);
  ASSERT_EQ(bench_.offload(last, 0), CmdResult::kOk);
  bench_.reset();
  const uint64_t reset = bench_.cycle();
  EXPECT_EQ(bench_.terminate(last, 0), CmdResult::kBadState);
  EXPECT_GE(bench_.cycle() - reset, numConn());
  EXPECT_EQ(bench_.terminate(first, 0), CmdResult::kBadState);
  EXPECT_EQ(bench_.offload(last, 0), CmdResult::kOk);
}

// PRM 11: an event that arrives while the table clears waits; it is not lost.
TEST_F(ConnCmd, AnEventArrivingWhileTheTableClearsIsMatchedAfterIt) {
  bench_.reset();
  const uint64_t reset = bench_.cycle();
  const uint16_t bad = outOfRangeConn();
  bench_.writeReg(kCtrl, prm::ctrl::kEnable);
  push(evt(EventType::kAck, bad, 10));
  while (reg(kCntProtoErr) == 0) ASSERT_LT(bench_.cycle() - reset, 4u * numConn() + 1000);
  EXPECT_GE(bench_.cycle() - reset, numConn());
  EXPECT_EQ(reg(kErrInfo) >> 16, bad);
}

}  // namespace
}  // namespace chimney::rtltest
