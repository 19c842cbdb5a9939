// PRM 6 "Connections": CONN_CMD operations, result codes, CMD_ERR, and the
// TERMINATE flush.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;
using prm::CmdResult;

class ConnCmd : public RtlTest {};

TEST_F(ConnCmd, OffloadBindsAClosedConnToItsQueuePair) {
  QueuePair& p = qpair(2);
  ASSERT_EQ(bench_.offload(11, 2), CmdResult::kOk);
  p.submit(sendReq(1, 11, 100));
  waitWork(11, 1);
  EXPECT_TRUE(areWork(workOf(11), {work(WorkType::kTxData, 11, 100)}));
  EXPECT_EQ(reg(kErrStatus), 0u);
}

TEST_F(ConnCmd, OffloadOfAnOffloadedConnIsBadStateAndKeepsTheBinding) {
  QueuePair& p0 = qpair(0);
  QueuePair& p1 = offloaded(3, 1);
  EXPECT_EQ(bench_.offload(3, 0), CmdResult::kBadState);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kCmd, prm::err::kCmd);
  p0.submit(sendReq(1, 3, 10));
  EXPECT_EQ(p0.wait(1)[0].status, CplStatus::kWrongQp);
  p1.submit(sendReq(2, 3, 10));
  waitWork(3, 1);
}

TEST_F(ConnCmd, OutOfRangeConnIsBadConn) {
  EXPECT_EQ(bench_.offload(64, 0), CmdResult::kBadConn);
  EXPECT_EQ(bench_.offload(0xFFFF, 0), CmdResult::kBadConn);
  EXPECT_EQ(bench_.terminate(64, 0), CmdResult::kBadConn);
  EXPECT_EQ(bench_.rxConsumed(64, 0, 0), CmdResult::kBadConn);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kCmd, prm::err::kCmd);
}

TEST_F(ConnCmd, OffloadToAMissingQueuePairIsBadQpAndLeavesTheConnClosed) {
  QueuePair& p = qpair(0);
  EXPECT_EQ(bench_.offload(5, 4), CmdResult::kBadQp);  // NUM_QP = 4
  EXPECT_EQ(bench_.offload(5, 0xFF), CmdResult::kBadQp);
  p.submit(sendReq(1, 5, 10));
  EXPECT_EQ(p.wait(1)[0].status, CplStatus::kInvalidConn);
}

TEST_F(ConnCmd, UnknownOpIsBadOp) {
  for (uint8_t op : {0, 4, 9, 15})
    EXPECT_EQ(bench_.connCmd(1, 0, op), CmdResult::kBadOp) << int(op);
}

TEST_F(ConnCmd, TerminateOfAClosedConnIsBadState) {
  EXPECT_EQ(bench_.terminate(6, 0), CmdResult::kBadState);
}

TEST_F(ConnCmd, RxConsumedBeyondTheBufferedBytesIsBadArg) {
  offloaded(6, 0);
  EXPECT_EQ(bench_.rxConsumed(6, 0, 1), CmdResult::kBadArg);
  EXPECT_EQ(bench_.rxConsumed(6, 0, 0), CmdResult::kOk);
}

TEST_F(ConnCmd, AFailedCommandSetsCmdErrAndRaisesTheErrorInterruptOnce) {
  EXPECT_EQ(bench_.offload(64, 0), CmdResult::kBadConn);
  bench_.run(20);
  EXPECT_EQ(bench_.irq().count(4), 1u);  // vector NUM_QP
  EXPECT_EQ(bench_.offload(65, 0), CmdResult::kBadConn);
  bench_.run(20);
  EXPECT_EQ(bench_.irq().count(4), 1u) << "CMD_ERR did not rise again";
  bench_.writeReg(kErrStatus, prm::err::kCmd);
  EXPECT_EQ(bench_.offload(66, 0), CmdResult::kBadConn);
  bench_.run(20);
  EXPECT_EQ(bench_.irq().count(4), 2u);
}

TEST_F(ConnCmd, ResultReportsTheLastCommandAndSuccessLeavesCmdErrClear) {
  EXPECT_EQ(bench_.offload(1, 0), CmdResult::kOk);
  EXPECT_EQ(reg(kErrStatus), 0u);
  EXPECT_EQ(bench_.offload(1, 0), CmdResult::kBadState);
  EXPECT_EQ(bench_.offload(2, 0), CmdResult::kOk);
  EXPECT_EQ(prm::cmdResult(reg(kConnCmdStatus)), CmdResult::kOk);
}

TEST_F(ConnCmd, TerminateFlushesEverythingWithUploadThenTerminateDone) {
  QueuePair& p = offloaded(7, 1);
  p.post(sendReq(1, 7, 100));
  p.post(sendReq(2, 7, 50));
  p.post(recvReq(3, 7, 100));
  p.post(recvReq(4, 7, 10));
  p.post(forwardReq(5, 7, 20));
  p.post(disconnectReq(6, 7, 5, false));  // waits for the sends
  p.ring();
  waitWork(7, 5);
  push(evt(EventType::kAck, 7, 30));
  push(evt(EventType::kData, 7, 40));
  flushEvents();
  EXPECT_TRUE(p.drain(100).empty());
  ASSERT_EQ(bench_.terminate(7, 1), CmdResult::kOk);
  const auto c = p.wait(7);
  // Per opcode in posting order; TERMINATE_DONE last.
  std::vector<prm::Completion> sends, recvs, others;
  for (size_t i = 0; i + 1 < c.size(); ++i)
    (c[i].type == CplType::kSend   ? sends
     : c[i].type == CplType::kRecv ? recvs
                                   : others)
        .push_back(c[i]);
  EXPECT_TRUE(areCpls(sends, {{1, CplType::kSend, CplStatus::kUpload, 30, 7},
                              {2, CplType::kSend, CplStatus::kUpload, 0, 7}}));
  EXPECT_TRUE(areCpls(recvs, {{3, CplType::kRecv, CplStatus::kUpload, 40, 7},
                              {4, CplType::kRecv, CplStatus::kUpload, 0, 7}}));
  ASSERT_EQ(others.size(), 2u);
  for (const auto& o : others) {
    EXPECT_EQ(o.status, CplStatus::kUpload) << describe(o);
    EXPECT_TRUE(o.tag == 5 || o.tag == 6) << describe(o);
  }
  EXPECT_TRUE(isCpl(c.back(), {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, 7}));
}

TEST_F(ConnCmd, TerminatedConnIsClosed) {
  QueuePair& p = offloaded(8, 0);
  ASSERT_EQ(bench_.terminate(8, 0), CmdResult::kOk);
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, 8}));
  p.submit(sendReq(1, 8, 10));
  EXPECT_EQ(p.wait(1)[0].status, CplStatus::kInvalidConn);
  push(evt(EventType::kAck, 8, 10));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntEvtLate), 1u);
  EXPECT_EQ(reg(kCntProtoErr), 0u);
  EXPECT_EQ(bench_.offload(8, 2), CmdResult::kOk);  // may be offloaded again
}

TEST_F(ConnCmd, TerminateOfAnAbortedConnClosesIt) {
  QueuePair& p = offloaded(9, 0);
  push(evt(EventType::kRst, 9));
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kEvtRst, CplStatus::kSuccess, 0, 9}));
  EXPECT_EQ(bench_.offload(9, 0), CmdResult::kBadState);
  ASSERT_EQ(bench_.terminate(9, 0), CmdResult::kOk);
  EXPECT_TRUE(isCpl(p.wait(1)[0], {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, 9}));
  EXPECT_EQ(bench_.offload(9, 0), CmdResult::kOk);
}

TEST_F(ConnCmd, NothingNamesATerminatedConnAfterTerminateDone) {
  QueuePair& p = offloaded(10, 0);
  p.submit(sendReq(1, 10, 100));
  waitWork(10, 1);
  ASSERT_EQ(bench_.terminate(10, 0), CmdResult::kOk);
  const auto c = p.wait(2);
  EXPECT_EQ(c[1].type, CplType::kTerminateDone);
  push(evt(EventType::kAck, 10, 100));
  push(evt(EventType::kData, 10, 100));
  push(evt(EventType::kFin, 10));
  flushEvents();
  EXPECT_TRUE(p.drain(200).empty());
  EXPECT_EQ(reg(kCntEvtLate), 3u);
}

}  // namespace
}  // namespace chimney::rtltest
