// PRM 6: graceful and abortive DISCONNECT, the peer's RST, and late events
// for CLOSED or ABORTED connections.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class MatcherClose : public RtlTest {
 protected:
  static constexpr uint16_t kConn = 20;
  QueuePair& p() { return offloaded(kConn, 3); }
  static Cpl c(uint64_t tag, CplType t, CplStatus s, uint32_t bytes) {
    return {tag, t, s, bytes, kConn};
  }
  // Splits completions by type, keeping order within each.
  static std::vector<prm::Completion> ofType(const std::vector<prm::Completion>& all, CplType t) {
    std::vector<prm::Completion> out;
    for (const auto& x : all)
      if (x.type == t) out.push_back(x);
    return out;
  }
};

TEST_F(MatcherClose, GracefulDisconnectSendsTxFinOnlyAfterEarlierSendsComplete) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 100));
  q.post(sendReq(2, kConn, 50));
  q.post(disconnectReq(3, kConn, 20, false));
  q.ring();
  waitWork(kConn, 2);
  bench_.run(200);
  EXPECT_TRUE(areWork(workOf(kConn),
                      {work(WorkType::kTxData, kConn, 100), work(WorkType::kTxData, kConn, 50)}));
  push(evt(EventType::kAck, kConn, 100));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 100)));
  bench_.run(100);
  EXPECT_EQ(workOf(kConn).size(), 2u) << "TX_FIN before the second send completed";
  push(evt(EventType::kAck, kConn, 50));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kSend, CplStatus::kSuccess, 50)));
  waitWork(kConn, 3);
  EXPECT_EQ(workOf(kConn)[2], work(WorkType::kTxFin, kConn, 20));
}

TEST_F(MatcherClose, FinAckCompletesTheGracefulDisconnectWithItsLength) {
  QueuePair& q = p();
  q.submit(disconnectReq(1, kConn, 20, false));
  waitWork(kConn, 1);
  EXPECT_EQ(workOf(kConn)[0], work(WorkType::kTxFin, kConn, 20));
  bench_.run(50);
  EXPECT_TRUE(q.drain(50).empty());
  push(evt(EventType::kFinAck, kConn));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kDisconnect, CplStatus::kSuccess, 20)));
}

TEST_F(MatcherClose, DisconnectCompletionFollowsTheSendsPostedBeforeIt) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 10));
  q.post(sendReq(2, kConn, 10));
  q.post(disconnectReq(3, kConn, 0, false));
  q.ring();
  waitWork(kConn, 2);
  push(evt(EventType::kAck, kConn, 20));
  waitWork(kConn, 3);
  push(evt(EventType::kFinAck, kConn));
  EXPECT_TRUE(areCpls(q.wait(3), {c(1, CplType::kSend, CplStatus::kSuccess, 10),
                                  c(2, CplType::kSend, CplStatus::kSuccess, 10),
                                  c(3, CplType::kDisconnect, CplStatus::kSuccess, 0)}));
}

TEST_F(MatcherClose, SendsAndGracefulDisconnectsAfterAGracefulDisconnectAreInvalidState) {
  QueuePair& q = p();
  q.post(disconnectReq(1, kConn, 0, false));
  q.post(sendReq(2, kConn, 10));
  q.post(disconnectReq(3, kConn, 0, false));
  q.post(recvReq(4, kConn, 10));  // receives still work
  q.ring();
  waitWork(kConn, 2);
  EXPECT_TRUE(areWork(workOf(kConn),
                      {work(WorkType::kTxFin, kConn, 0), work(WorkType::kRxPost, kConn, 10)}));
  push(evt(EventType::kData, kConn, 10));
  push(evt(EventType::kFinAck, kConn));
  // Completions of one opcode keep posting order, so the rejected
  // DISCONNECT follows the first one.
  const auto all = q.wait(4);
  EXPECT_TRUE(
      areCpls(ofType(all, CplType::kSend), {c(2, CplType::kSend, CplStatus::kInvalidState, 0)}));
  EXPECT_TRUE(areCpls(ofType(all, CplType::kDisconnect),
                      {c(1, CplType::kDisconnect, CplStatus::kSuccess, 0),
                       c(3, CplType::kDisconnect, CplStatus::kInvalidState, 0)}));
  EXPECT_TRUE(
      areCpls(ofType(all, CplType::kRecv), {c(4, CplType::kRecv, CplStatus::kSuccess, 10)}));
}

TEST_F(MatcherClose, FinAckWithNoFinSentIsAProtocolError) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 10));
  q.post(disconnectReq(2, kConn, 0, false));  // its FIN waits for the send
  q.ring();
  waitWork(kConn, 1);
  push(evt(EventType::kFinAck, kConn));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntProtoErr), 1u);
  EXPECT_EQ(reg(kErrInfo) >> 16, kConn);
  EXPECT_TRUE(q.drain(50).empty());
}

TEST_F(MatcherClose, AcksCountSendBytesOnly) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 10));
  q.post(disconnectReq(2, kConn, 30, false));
  q.ring();
  waitWork(kConn, 1);
  push(evt(EventType::kAck, kConn, 40));  // 30 beyond the send bytes
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 10)));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntProtoErr), 1u);
  waitWork(kConn, 2);
  push(evt(EventType::kFinAck, kConn));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kDisconnect, CplStatus::kSuccess, 30)));
}

TEST_F(MatcherClose, AbortiveDisconnectAbortsEverythingThenTxRstThenSucceeds) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 100));
  q.post(sendReq(2, kConn, 100));
  q.post(recvReq(3, kConn, 100));
  q.post(recvReq(4, kConn, 100));
  q.post(forwardReq(5, kConn, 10));
  q.post(disconnectReq(6, kConn, 5, false));
  q.ring();
  waitWork(kConn, 5);
  push(evt(EventType::kAck, kConn, 30));
  push(evt(EventType::kData, kConn, 15));
  flushEvents();
  q.submit(disconnectReq(7, kConn, 99, true));
  const auto all = q.wait(7);
  EXPECT_TRUE(areCpls(ofType(all, CplType::kSend), {c(1, CplType::kSend, CplStatus::kAborted, 30),
                                                    c(2, CplType::kSend, CplStatus::kAborted, 0)}));
  EXPECT_TRUE(areCpls(ofType(all, CplType::kRecv), {c(3, CplType::kRecv, CplStatus::kAborted, 15),
                                                    c(4, CplType::kRecv, CplStatus::kAborted, 0)}));
  EXPECT_TRUE(
      areCpls(ofType(all, CplType::kForward), {c(5, CplType::kForward, CplStatus::kAborted, 0)}));
  EXPECT_TRUE(areCpls(ofType(all, CplType::kDisconnect),
                      {c(6, CplType::kDisconnect, CplStatus::kAborted, 0),
                       c(7, CplType::kDisconnect, CplStatus::kSuccess, 0)}));
  EXPECT_TRUE(isCpl(all.back(), c(7, CplType::kDisconnect, CplStatus::kSuccess, 0)));
  // TX_RST, and no TX_DATA/TX_FIN for the abortive disconnect's data.
  const auto w = workOf(kConn);
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[5], work(WorkType::kTxRst, kConn, 0));
  // TX_RST left before the abortive disconnect's descriptor was written.
  const uint64_t rstCycle = bench_.work().items().back().cycle;
  const uint64_t slot = q.cqSlotAddr(q.received().back().ptr);
  for (const auto& b : bench_.axi().writes())
    if (b.addr <= slot && slot < b.end()) {
      EXPECT_LT(rstCycle, b.dataCycle);
    }
}

TEST_F(MatcherClose, AbortedConnCompletesNewRequestsAbortedAndCountsLateEvents) {
  QueuePair& q = p();
  q.submit(disconnectReq(1, kConn, 0, true));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kDisconnect, CplStatus::kSuccess, 0)));
  q.submit(sendReq(2, kConn, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kSend, CplStatus::kAborted, 0)));
  push(evt(EventType::kAck, kConn, 10));
  push(evt(EventType::kData, kConn, 10));
  flushEvents();
  EXPECT_TRUE(q.drain(50).empty());
  EXPECT_EQ(reg(kCntEvtLate), 2u);
  EXPECT_EQ(reg(kCntProtoErr), 0u);
}

TEST_F(MatcherClose, AbortiveDisconnectDiscardsBufferedData) {
  QueuePair& q = p();
  push(evt(EventType::kData, kConn, 100));
  EXPECT_EQ(q.wait(1)[0].type, CplType::kRxIndicate);
  q.submit(disconnectReq(1, kConn, 0, true));
  q.wait(1);
  ASSERT_EQ(bench_.terminate(kConn, 3), prm::CmdResult::kOk);
  EXPECT_EQ(q.wait(1)[0].type, CplType::kTerminateDone);
  ASSERT_EQ(bench_.offload(kConn, 3), prm::CmdResult::kOk);
  q.submit(recvReq(2, kConn, 10));
  EXPECT_TRUE(q.drain(200).empty()) << "old buffered data filled a receive";
}

TEST_F(MatcherClose, RstAbortsEverythingOutstandingThenEvtRst) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 100));
  q.post(recvReq(2, kConn, 100));
  q.post(forwardReq(3, kConn, 10));
  q.post(disconnectReq(4, kConn, 0, false));
  q.post(sendReq(5, kConn, 0x10));  // after the disconnect: INVALID_STATE, behind send 1
  q.ring();
  waitWork(kConn, 3);
  // All five requests must have reached the matcher before the RST, so that
  // SEND 5 is judged against the graceful DISCONNECT, not the reset.
  bench_.runUntil([&] { return (reg(qp(q.index(), kSqHead)) & 0xFFFF) == 5; }, 5000,
                  "SQ_HEAD == 5");
  bench_.run(20);
  push(evt(EventType::kAck, kConn, 40));
  push(evt(EventType::kData, kConn, 25));
  flushEvents();
  push(evt(EventType::kRst, kConn));
  const auto all = q.wait(6);
  EXPECT_TRUE(
      areCpls(ofType(all, CplType::kSend), {c(1, CplType::kSend, CplStatus::kAborted, 40),
                                            c(5, CplType::kSend, CplStatus::kInvalidState, 0)}));
  EXPECT_TRUE(
      areCpls(ofType(all, CplType::kRecv), {c(2, CplType::kRecv, CplStatus::kAborted, 25)}));
  EXPECT_TRUE(
      areCpls(ofType(all, CplType::kForward), {c(3, CplType::kForward, CplStatus::kAborted, 0)}));
  EXPECT_TRUE(areCpls(ofType(all, CplType::kDisconnect),
                      {c(4, CplType::kDisconnect, CplStatus::kAborted, 0)}));
  // EVT_RST after every request the RST aborted.
  size_t rstAt = all.size(), lastAborted = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].type == CplType::kEvtRst) rstAt = i;
    if (all[i].status == CplStatus::kAborted) lastAborted = i;
  }
  ASSERT_LT(rstAt, all.size());
  EXPECT_TRUE(isCpl(all[rstAt], c(0, CplType::kEvtRst, CplStatus::kSuccess, 0)));
  EXPECT_GT(rstAt, lastAborted);
  q.submit(recvReq(6, kConn, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(6, CplType::kRecv, CplStatus::kAborted, 0)));
}

TEST_F(MatcherClose, EventsForAClosedConnAreLateNotErrors) {
  qpair(0);
  push(evt(EventType::kAck, 30, 10));
  push(evt(EventType::kRst, 31));
  push(evt(EventType::kFwdDone, 32));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntEvtLate), 3u);
  EXPECT_EQ(reg(kCntProtoErr), 0u);
  EXPECT_EQ(reg(kErrStatus), 0u);
  EXPECT_EQ(reg(kCntEvt), 3u);
}

TEST_F(MatcherClose, FinReportsEvtFinAndKeepsSendsGoing) {
  QueuePair& q = p();
  q.submit(sendReq(1, kConn, 10));
  waitWork(kConn, 1);
  push(evt(EventType::kFin, kConn));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(0, CplType::kEvtFin, CplStatus::kSuccess, 0)));
  push(evt(EventType::kAck, kConn, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 10)));
}

}  // namespace
}  // namespace chimney::rtltest
