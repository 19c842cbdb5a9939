// PRM 6 "Requests" (SEND, FORWARD), "Work" order and protocol errors of the
// transmit side.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class MatcherSend : public OneConnTest {
 protected:
  MatcherSend() : OneConnTest(5) {}
  void expectProtoError(uint16_t conn, uint32_t count) {
    EXPECT_EQ(reg(kCntProtoErr), count);
    EXPECT_EQ(reg(kErrStatus) & prm::err::kProto, prm::err::kProto);
    EXPECT_EQ(reg(kErrInfo) >> 16, conn);
  }
};

TEST_F(MatcherSend, SendEmitsTxDataWithItsLength) {
  QueuePair& q = postAll({sendReq(1, conn_, 1460)}, 1);
  EXPECT_TRUE(areWork(workOf(conn_), {work(WorkType::kTxData, conn_, 1460)}));
  EXPECT_TRUE(q.drain(100).empty());
}

TEST_F(MatcherSend, AckOfEveryByteCompletesTheSend) {
  QueuePair& q = postAll({sendReq(1, conn_, 1000)}, 1);
  push(evt(EventType::kAck, conn_, 1000));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 1000, conn_}));
  EXPECT_EQ(reg(kCntEvt), 1u);
}

TEST_F(MatcherSend, PartialAcksAccumulate) {
  QueuePair& q = postAll({sendReq(1, conn_, 100)}, 1);
  push(evt(EventType::kAck, conn_, 30));
  push(evt(EventType::kAck, conn_, 69));
  flushEvents();
  EXPECT_TRUE(q.drain(100).empty());
  push(evt(EventType::kAck, conn_, 1));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 100, conn_}));
}

TEST_F(MatcherSend, OneAckFinishesSeveralSendsInPostingOrder) {
  QueuePair& q = postAll({sendReq(1, conn_, 10), sendReq(2, conn_, 20), sendReq(3, conn_, 30)}, 3);
  push(evt(EventType::kAck, conn_, 60));
  EXPECT_TRUE(areCpls(q.wait(3), {{1, CplType::kSend, CplStatus::kSuccess, 10, conn_},
                                  {2, CplType::kSend, CplStatus::kSuccess, 20, conn_},
                                  {3, CplType::kSend, CplStatus::kSuccess, 30, conn_}}));
}

TEST_F(MatcherSend, AckSpanningSendsCarriesTheRestToTheNext) {
  QueuePair& q = postAll({sendReq(1, conn_, 10), sendReq(2, conn_, 20)}, 2);
  push(evt(EventType::kAck, conn_, 15));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, conn_}));
  EXPECT_TRUE(q.drain(100).empty());
  push(evt(EventType::kAck, conn_, 15));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {2, CplType::kSend, CplStatus::kSuccess, 20, conn_}));
}

TEST_F(MatcherSend, SendsOfDifferentConnsAreMatchedSeparately) {
  const uint16_t other = conn(6);
  QueuePair& q = p();
  offloaded(other, qp_);
  q.post(sendReq(1, conn_, 10));
  q.post(sendReq(2, other, 10));
  q.ring();
  waitWork(other, 1);
  waitWork(conn_, 1);
  push(evt(EventType::kAck, other, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {2, CplType::kSend, CplStatus::kSuccess, 10, other}));
  EXPECT_TRUE(q.drain(100).empty());
}

TEST_F(MatcherSend, AckWithNothingOutstandingIsAProtocolErrorAndLosesNothing) {
  QueuePair& q = p();
  push(evt(EventType::kAck, conn_, 10));
  flushEvents();
  bench_.run(20);
  expectProtoError(conn_, 1);
  EXPECT_EQ(bench_.irq().count(errorVector()), 1u);  // error interrupt, vector NUM_QP
  q.submit(sendReq(1, conn_, 10));
  waitWork(conn_, 1);
  push(evt(EventType::kAck, conn_, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, conn_}));
}

TEST_F(MatcherSend, AckBeyondTheOutstandingBytesIsAProtocolError) {
  QueuePair& q = postAll({sendReq(1, conn_, 10)}, 1);
  push(evt(EventType::kAck, conn_, 25));
  // The excess is dropped; the send it covers still completes.
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, conn_}));
  expectProtoError(conn_, 1);
}

TEST_F(MatcherSend, EventForAnOutOfRangeConnIsAProtocolError) {
  qpair(0);
  const uint16_t bad = outOfRangeConn();
  push(evt(EventType::kAck, bad, 10));
  flushEvents();
  bench_.run(20);
  expectProtoError(bad, 1);
  EXPECT_EQ(reg(kCntEvtLate), 0u);
}

TEST_F(MatcherSend, ForwardEmitsFwdAndFwdDoneCompletesTheOldest) {
  QueuePair& q = postAll({forwardReq(1, conn_, 64), forwardReq(2, conn_, 128)}, 2);
  EXPECT_TRUE(
      areWork(workOf(conn_), {work(WorkType::kFwd, conn_, 64), work(WorkType::kFwd, conn_, 128)}));
  push(evt(EventType::kFwdDone, conn_));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kForward, CplStatus::kSuccess, 64, conn_}));
  push(evt(EventType::kFwdDone, conn_));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {2, CplType::kForward, CplStatus::kSuccess, 128, conn_}));
}

TEST_F(MatcherSend, FwdDoneWithNoForwardOutstandingIsAProtocolError) {
  QueuePair& q = postAll({sendReq(1, conn_, 10)}, 1);
  push(evt(EventType::kFwdDone, conn_));
  flushEvents();
  bench_.run(20);
  expectProtoError(conn_, 1);
  push(evt(EventType::kAck, conn_, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, conn_}));
}

TEST_F(MatcherSend, WorkOfOneConnLeavesInPostingOrder) {
  postAll({sendReq(1, conn_, 11), recvReq(2, conn_, 22), forwardReq(3, conn_, 33),
           sendReq(4, conn_, 44), recvReq(5, conn_, 55)},
          5);
  EXPECT_TRUE(areWork(workOf(conn_),
                      {work(WorkType::kTxData, conn_, 11), work(WorkType::kRxPost, conn_, 22),
                       work(WorkType::kFwd, conn_, 33), work(WorkType::kTxData, conn_, 44),
                       work(WorkType::kRxPost, conn_, 55)}));
}

TEST_F(MatcherSend, WorkBackPressureDelaysButLosesNothing) {
  QueuePair& q = p();
  bench_.work().setReadyPercent(0);
  for (uint64_t i = 1; i <= 6; ++i) q.post(sendReq(i, conn_, uint32_t(i)));
  q.ring();
  bench_.run(300);
  EXPECT_TRUE(workOf(conn_).empty());
  bench_.work().setReadyPercent(30);
  waitWork(conn_, 6);
  std::vector<prm::Work> expected;
  for (uint32_t i = 1; i <= 6; ++i) expected.push_back(work(WorkType::kTxData, conn_, i));
  EXPECT_TRUE(areWork(workOf(conn_), expected));
}

}  // namespace
}  // namespace chimney::rtltest
