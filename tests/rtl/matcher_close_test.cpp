// PRM 6: graceful and abortive DISCONNECT, the peer's RST, and late events
// for CLOSED or ABORTED connections.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class MatcherClose : public OneConnTest {
 protected:
  MatcherClose() : OneConnTest(13) {}
  Cpl c(uint64_t tag, CplType t, CplStatus s, uint32_t bytes) { return {tag, t, s, bytes, conn_}; }
  // Resets conn_ and checks the whole flush: `aborted` in that order, then
  // EVT_RST.
  ::testing::AssertionResult rstFlushes(QueuePair& q, std::vector<Cpl> aborted) {
    push(evt(EventType::kRst, conn_));
    aborted.push_back(c(0, CplType::kEvtRst, CplStatus::kSuccess, 0));
    return areCpls(q.wait(aborted.size()), aborted);
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
  QueuePair& q = postAll(
      {sendReq(1, conn_, 100), sendReq(2, conn_, 50), disconnectReq(3, conn_, 20, false)}, 2);
  bench_.run(200);
  EXPECT_TRUE(areWork(workOf(conn_),
                      {work(WorkType::kTxData, conn_, 100), work(WorkType::kTxData, conn_, 50)}));
  push(evt(EventType::kAck, conn_, 100));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 100)));
  bench_.run(100);
  EXPECT_EQ(workOf(conn_).size(), 2u) << "TX_FIN before the second send completed";
  push(evt(EventType::kAck, conn_, 50));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kSend, CplStatus::kSuccess, 50)));
  waitWork(conn_, 3);
  EXPECT_EQ(workOf(conn_)[2], work(WorkType::kTxFin, conn_, 20));
}

TEST_F(MatcherClose, FinAckCompletesTheGracefulDisconnectWithItsLength) {
  QueuePair& q = postAll({disconnectReq(1, conn_, 20, false)}, 1);
  EXPECT_EQ(workOf(conn_)[0], work(WorkType::kTxFin, conn_, 20));
  bench_.run(50);
  EXPECT_TRUE(q.drain(50).empty());
  push(evt(EventType::kFinAck, conn_));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kDisconnect, CplStatus::kSuccess, 20)));
}

TEST_F(MatcherClose, DisconnectCompletionFollowsTheSendsPostedBeforeIt) {
  QueuePair& q =
      postAll({sendReq(1, conn_, 10), sendReq(2, conn_, 10), disconnectReq(3, conn_, 0, false)}, 2);
  push(evt(EventType::kAck, conn_, 20));
  waitWork(conn_, 3);
  push(evt(EventType::kFinAck, conn_));
  EXPECT_TRUE(areCpls(q.wait(3), {c(1, CplType::kSend, CplStatus::kSuccess, 10),
                                  c(2, CplType::kSend, CplStatus::kSuccess, 10),
                                  c(3, CplType::kDisconnect, CplStatus::kSuccess, 0)}));
}

TEST_F(MatcherClose, SendsAndGracefulDisconnectsAfterAGracefulDisconnectAreInvalidState) {
  // Receive 4 still works.
  QueuePair& q = postAll({disconnectReq(1, conn_, 0, false), sendReq(2, conn_, 10),
                          disconnectReq(3, conn_, 0, false), recvReq(4, conn_, 10)},
                         2);
  EXPECT_TRUE(areWork(workOf(conn_),
                      {work(WorkType::kTxFin, conn_, 0), work(WorkType::kRxPost, conn_, 10)}));
  push(evt(EventType::kData, conn_, 10));
  push(evt(EventType::kFinAck, conn_));
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
  // The disconnect's FIN waits for the send.
  QueuePair& q = postAll({sendReq(1, conn_, 10), disconnectReq(2, conn_, 0, false)}, 1);
  push(evt(EventType::kFinAck, conn_));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntProtoErr), 1u);
  EXPECT_EQ(reg(kErrInfo) >> 16, conn_);
  EXPECT_TRUE(q.drain(50).empty());
}

TEST_F(MatcherClose, AcksCountSendBytesOnly) {
  QueuePair& q = postAll({sendReq(1, conn_, 10), disconnectReq(2, conn_, 30, false)}, 1);
  push(evt(EventType::kAck, conn_, 40));  // 30 beyond the send bytes
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 10)));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntProtoErr), 1u);
  waitWork(conn_, 2);
  push(evt(EventType::kFinAck, conn_));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kDisconnect, CplStatus::kSuccess, 30)));
}

TEST_F(MatcherClose, AbortiveDisconnectAbortsEverythingThenTxRstThenSucceeds) {
  QueuePair& q =
      postAll({sendReq(1, conn_, 100), sendReq(2, conn_, 100), recvReq(3, conn_, 100),
               recvReq(4, conn_, 100), forwardReq(5, conn_, 10), disconnectReq(6, conn_, 5, false)},
              5);
  push(evt(EventType::kAck, conn_, 30));
  push(evt(EventType::kData, conn_, 15));
  flushEvents();
  q.submit(disconnectReq(7, conn_, 99, true));
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
  const auto w = workOf(conn_);
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[5], work(WorkType::kTxRst, conn_, 0));
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
  q.submit(disconnectReq(1, conn_, 0, true));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kDisconnect, CplStatus::kSuccess, 0)));
  q.submit(sendReq(2, conn_, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kSend, CplStatus::kAborted, 0)));
  push(evt(EventType::kAck, conn_, 10));
  push(evt(EventType::kData, conn_, 10));
  flushEvents();
  EXPECT_TRUE(q.drain(50).empty());
  EXPECT_EQ(reg(kCntEvtLate), 2u);
  EXPECT_EQ(reg(kCntProtoErr), 0u);
}

TEST_F(MatcherClose, AbortiveDisconnectDiscardsBufferedData) {
  QueuePair& q = p();
  push(evt(EventType::kData, conn_, 100));
  EXPECT_EQ(q.wait(1)[0].type, CplType::kRxIndicate);
  q.submit(disconnectReq(1, conn_, 0, true));
  q.wait(1);
  ASSERT_EQ(bench_.terminate(conn_, uint8_t(qp_)), prm::CmdResult::kOk);
  EXPECT_EQ(q.wait(1)[0].type, CplType::kTerminateDone);
  ASSERT_EQ(bench_.offload(conn_, uint8_t(qp_)), prm::CmdResult::kOk);
  q.submit(recvReq(2, conn_, 10));
  EXPECT_TRUE(q.drain(200).empty()) << "old buffered data filled a receive";
}

TEST_F(MatcherClose, RstAbortsEverythingOutstandingThenEvtRst) {
  // Send 5, after the disconnect: INVALID_STATE, behind send 1.
  QueuePair& q = postAll({sendReq(1, conn_, 100), recvReq(2, conn_, 100), forwardReq(3, conn_, 10),
                          disconnectReq(4, conn_, 0, false), sendReq(5, conn_, 0x10)},
                         3);
  // All five requests must have reached the matcher before the RST, so that
  // SEND 5 is judged against the graceful DISCONNECT, not the reset.
  bench_.runUntil([&] { return (reg(qp(q.index(), kSqHead)) & 0xFFFF) == 5; }, 5000,
                  "SQ_HEAD == 5");
  bench_.run(20);
  push(evt(EventType::kAck, conn_, 40));
  push(evt(EventType::kData, conn_, 25));
  flushEvents();
  push(evt(EventType::kRst, conn_));
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
  q.submit(recvReq(6, conn_, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(6, CplType::kRecv, CplStatus::kAborted, 0)));
}

// A flush completes the heads oldest first across the four lists, also
// after heads were taken off: the ACK leaves SEND 3 at the SEND head (posted
// after RECV 2), the DATA leaves RECV 5 at the RECV head (posted after SEND 3
// and FORWARD 4).
TEST_F(MatcherClose, RstCompletesTheListsInPostingOrderAfterTheirHeadsMoved) {
  QueuePair& q = postAll({sendReq(1, conn_, 100), recvReq(2, conn_, 100), sendReq(3, conn_, 50),
                          forwardReq(4, conn_, 10), recvReq(5, conn_, 100)},
                         5);
  push(evt(EventType::kAck, conn_, 100));
  push(evt(EventType::kData, conn_, 100));
  EXPECT_TRUE(areCpls(q.wait(2), {c(1, CplType::kSend, CplStatus::kSuccess, 100),
                                  c(2, CplType::kRecv, CplStatus::kSuccess, 100)}));
  EXPECT_TRUE(rstFlushes(q, {c(3, CplType::kSend, CplStatus::kAborted, 0),
                             c(4, CplType::kForward, CplStatus::kAborted, 0),
                             c(5, CplType::kRecv, CplStatus::kAborted, 0)}));
}

// Two RECVs were posted before the SENDs: when the first SEND completes, its
// successor still comes after both; the first RECV's completion leaves the
// second RECV before it.
TEST_F(MatcherClose, RstOrderCountsEveryEarlierRequestOfTheOtherList) {
  QueuePair& q = postAll({recvReq(1, conn_, 100), recvReq(2, conn_, 100), sendReq(3, conn_, 100),
                          sendReq(4, conn_, 50)},
                         4);
  push(evt(EventType::kAck, conn_, 100));
  push(evt(EventType::kData, conn_, 100));
  EXPECT_TRUE(areCpls(q.wait(2), {c(3, CplType::kSend, CplStatus::kSuccess, 100),
                                  c(1, CplType::kRecv, CplStatus::kSuccess, 100)}));
  EXPECT_TRUE(rstFlushes(q, {c(2, CplType::kRecv, CplStatus::kAborted, 0),
                             c(4, CplType::kSend, CplStatus::kAborted, 0)}));
}

// RECVs and SENDs posted in turn, their heads taken off in turn: each new
// head is placed against the other list's head by the requests that list
// has had taken off.
TEST_F(MatcherClose, RstOrderFollowsHeadsTakenOffInTurnOnTwoLists) {
  QueuePair& q = postAll({recvReq(1, conn_, 100), sendReq(2, conn_, 100), recvReq(3, conn_, 100),
                          sendReq(4, conn_, 50), recvReq(5, conn_, 100)},
                         5);
  push(evt(EventType::kData, conn_, 100));
  push(evt(EventType::kAck, conn_, 100));
  push(evt(EventType::kData, conn_, 100));
  EXPECT_TRUE(areCpls(q.wait(3), {c(1, CplType::kRecv, CplStatus::kSuccess, 100),
                                  c(2, CplType::kSend, CplStatus::kSuccess, 100),
                                  c(3, CplType::kRecv, CplStatus::kSuccess, 100)}));
  EXPECT_TRUE(rstFlushes(q, {c(4, CplType::kSend, CplStatus::kAborted, 0),
                             c(5, CplType::kRecv, CplStatus::kAborted, 0)}));
}

// A RECV posted into its empty list after a SEND was acknowledged counts
// only the SEND still live before it: once that one completes, the RECV comes
// before the SEND posted after it.
TEST_F(MatcherClose, RstOrderOfARequestPostedAfterHeadsWereTakenOff) {
  QueuePair& q = postAll({sendReq(1, conn_, 100), sendReq(2, conn_, 50)}, 2);
  push(evt(EventType::kAck, conn_, 100));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 100)));
  postAllOn(q, {recvReq(3, conn_, 100), sendReq(4, conn_, 30)}, 4);
  push(evt(EventType::kAck, conn_, 50));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(2, CplType::kSend, CplStatus::kSuccess, 50)));
  EXPECT_TRUE(rstFlushes(q, {c(3, CplType::kRecv, CplStatus::kAborted, 0),
                             c(4, CplType::kSend, CplStatus::kAborted, 0)}));
}

TEST_F(MatcherClose, EventsForAClosedConnAreLateNotErrors) {
  qpair(0);
  push(evt(EventType::kAck, conn(0), 10));
  push(evt(EventType::kRst, conn(1)));
  push(evt(EventType::kFwdDone, conn(kTestConns - 1)));
  flushEvents();
  bench_.run(20);
  EXPECT_EQ(reg(kCntEvtLate), 3u);
  EXPECT_EQ(reg(kCntProtoErr), 0u);
  EXPECT_EQ(reg(kErrStatus), 0u);
  EXPECT_EQ(reg(kCntEvt), 3u);
}

TEST_F(MatcherClose, FinReportsEvtFinAndKeepsSendsGoing) {
  QueuePair& q = postAll({sendReq(1, conn_, 10)}, 1);
  push(evt(EventType::kFin, conn_));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(0, CplType::kEvtFin, CplStatus::kSuccess, 0)));
  push(evt(EventType::kAck, conn_, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], c(1, CplType::kSend, CplStatus::kSuccess, 10)));
}

}  // namespace
}  // namespace chimney::rtltest
