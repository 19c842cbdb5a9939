// PRM 6 "Requests" (SEND, FORWARD), "Work" order and protocol errors of the
// transmit side.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class MatcherSend : public RtlTest {
 protected:
  static constexpr uint16_t kConn = 5;
  QueuePair& p() { return offloaded(kConn, 1); }
  void expectProtoError(uint16_t conn, uint32_t count) {
    EXPECT_EQ(reg(kCntProtoErr), count);
    EXPECT_EQ(reg(kErrStatus) & prm::err::kProto, prm::err::kProto);
    EXPECT_EQ(reg(kErrInfo) >> 16, conn);
  }
};

TEST_F(MatcherSend, SendEmitsTxDataWithItsLength) {
  QueuePair& q = p();
  q.submit(sendReq(1, kConn, 1460));
  waitWork(kConn, 1);
  EXPECT_TRUE(areWork(workOf(kConn), {work(WorkType::kTxData, kConn, 1460)}));
  EXPECT_TRUE(q.drain(100).empty());
}

TEST_F(MatcherSend, AckOfEveryByteCompletesTheSend) {
  QueuePair& q = p();
  q.submit(sendReq(1, kConn, 1000));
  waitWork(kConn, 1);
  push(evt(EventType::kAck, kConn, 1000));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 1000, kConn}));
  EXPECT_EQ(reg(kCntEvt), 1u);
}

TEST_F(MatcherSend, PartialAcksAccumulate) {
  QueuePair& q = p();
  q.submit(sendReq(1, kConn, 100));
  waitWork(kConn, 1);
  push(evt(EventType::kAck, kConn, 30));
  push(evt(EventType::kAck, kConn, 69));
  flushEvents();
  EXPECT_TRUE(q.drain(100).empty());
  push(evt(EventType::kAck, kConn, 1));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 100, kConn}));
}

TEST_F(MatcherSend, OneAckFinishesSeveralSendsInPostingOrder) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 10));
  q.post(sendReq(2, kConn, 20));
  q.post(sendReq(3, kConn, 30));
  q.ring();
  waitWork(kConn, 3);
  push(evt(EventType::kAck, kConn, 60));
  EXPECT_TRUE(areCpls(q.wait(3), {{1, CplType::kSend, CplStatus::kSuccess, 10, kConn},
                                  {2, CplType::kSend, CplStatus::kSuccess, 20, kConn},
                                  {3, CplType::kSend, CplStatus::kSuccess, 30, kConn}}));
}

TEST_F(MatcherSend, AckSpanningSendsCarriesTheRestToTheNext) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 10));
  q.post(sendReq(2, kConn, 20));
  q.ring();
  waitWork(kConn, 2);
  push(evt(EventType::kAck, kConn, 15));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, kConn}));
  EXPECT_TRUE(q.drain(100).empty());
  push(evt(EventType::kAck, kConn, 15));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {2, CplType::kSend, CplStatus::kSuccess, 20, kConn}));
}

TEST_F(MatcherSend, SendsOfDifferentConnsAreMatchedSeparately) {
  QueuePair& q = p();
  offloaded(6, 1);
  q.post(sendReq(1, kConn, 10));
  q.post(sendReq(2, 6, 10));
  q.ring();
  waitWork(6, 1);
  waitWork(kConn, 1);
  push(evt(EventType::kAck, 6, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {2, CplType::kSend, CplStatus::kSuccess, 10, 6}));
  EXPECT_TRUE(q.drain(100).empty());
}

TEST_F(MatcherSend, AckWithNothingOutstandingIsAProtocolErrorAndLosesNothing) {
  QueuePair& q = p();
  push(evt(EventType::kAck, kConn, 10));
  flushEvents();
  bench_.run(20);
  expectProtoError(kConn, 1);
  EXPECT_EQ(bench_.irq().count(4), 1u);  // error interrupt, vector NUM_QP
  q.submit(sendReq(1, kConn, 10));
  waitWork(kConn, 1);
  push(evt(EventType::kAck, kConn, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, kConn}));
}

TEST_F(MatcherSend, AckBeyondTheOutstandingBytesIsAProtocolError) {
  QueuePair& q = p();
  q.submit(sendReq(1, kConn, 10));
  waitWork(kConn, 1);
  push(evt(EventType::kAck, kConn, 25));
  // The excess is dropped; the send it covers still completes.
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, kConn}));
  expectProtoError(kConn, 1);
}

TEST_F(MatcherSend, EventForAnOutOfRangeConnIsAProtocolError) {
  qpair(0);
  push(evt(EventType::kAck, 100, 10));
  flushEvents();
  bench_.run(20);
  expectProtoError(100, 1);
  EXPECT_EQ(reg(kCntEvtLate), 0u);
}

TEST_F(MatcherSend, ForwardEmitsFwdAndFwdDoneCompletesTheOldest) {
  QueuePair& q = p();
  q.post(forwardReq(1, kConn, 64));
  q.post(forwardReq(2, kConn, 128));
  q.ring();
  waitWork(kConn, 2);
  EXPECT_TRUE(
      areWork(workOf(kConn), {work(WorkType::kFwd, kConn, 64), work(WorkType::kFwd, kConn, 128)}));
  push(evt(EventType::kFwdDone, kConn));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kForward, CplStatus::kSuccess, 64, kConn}));
  push(evt(EventType::kFwdDone, kConn));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {2, CplType::kForward, CplStatus::kSuccess, 128, kConn}));
}

TEST_F(MatcherSend, FwdDoneWithNoForwardOutstandingIsAProtocolError) {
  QueuePair& q = p();
  q.submit(sendReq(1, kConn, 10));
  waitWork(kConn, 1);
  push(evt(EventType::kFwdDone, kConn));
  flushEvents();
  bench_.run(20);
  expectProtoError(kConn, 1);
  push(evt(EventType::kAck, kConn, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], {1, CplType::kSend, CplStatus::kSuccess, 10, kConn}));
}

TEST_F(MatcherSend, WorkOfOneConnLeavesInPostingOrder) {
  QueuePair& q = p();
  q.post(sendReq(1, kConn, 11));
  q.post(recvReq(2, kConn, 22));
  q.post(forwardReq(3, kConn, 33));
  q.post(sendReq(4, kConn, 44));
  q.post(recvReq(5, kConn, 55));
  q.ring();
  waitWork(kConn, 5);
  EXPECT_TRUE(areWork(workOf(kConn),
                      {work(WorkType::kTxData, kConn, 11), work(WorkType::kRxPost, kConn, 22),
                       work(WorkType::kFwd, kConn, 33), work(WorkType::kTxData, kConn, 44),
                       work(WorkType::kRxPost, kConn, 55)}));
}

TEST_F(MatcherSend, WorkBackPressureDelaysButLosesNothing) {
  QueuePair& q = p();
  bench_.work().setReadyPercent(0);
  for (uint64_t i = 1; i <= 6; ++i) q.post(sendReq(i, kConn, uint32_t(i)));
  q.ring();
  bench_.run(300);
  EXPECT_TRUE(workOf(kConn).empty());
  bench_.work().setReadyPercent(30);
  waitWork(kConn, 6);
  std::vector<prm::Work> expected;
  for (uint32_t i = 1; i <= 6; ++i) expected.push_back(work(WorkType::kTxData, kConn, i));
  EXPECT_TRUE(areWork(workOf(kConn), expected));
}

}  // namespace
}  // namespace chimney::rtltest
