// PRM 6 "Requests" (RECV): filling, PUSH, NO_PUSH, zero-length buffers,
// buffering with RX_INDICATE and RX_CONSUMED, and the peer's FIN.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;
using prm::reqflag::kNoPush;

class MatcherRecv : public OneConnTest {
 protected:
  MatcherRecv() : OneConnTest(12) {}
  unsigned queuePairUnderTest() override { return numQp() / 2; }
  // Posts receives on q and waits until their RX_POST work has left;
  // returns q.
  QueuePair& postRecvs(QueuePair& q, const std::vector<prm::Request>& rs) {
    return postAllOn(q, rs, workOf(conn_).size() + rs.size());
  }
  void data(uint32_t bytes, bool pushFlag = false) {
    push(evt(EventType::kData, conn_, bytes, pushFlag ? prm::evtflag::kPush : 0));
  }
  // Peer data of `bytes` arrives with no receive posted: it is buffered and
  // indicated (the indication taken off the CQ); returns the queue pair.
  QueuePair& buffered(uint32_t bytes) {
    QueuePair& q = p();
    data(bytes);
    q.wait(1);
    return q;
  }
  Cpl recv(uint64_t tag, uint32_t bytes, CplStatus s = CplStatus::kSuccess) {
    return {tag, CplType::kRecv, s, bytes, conn_};
  }
  Cpl indicate(uint32_t bytes) {
    return {0, CplType::kRxIndicate, CplStatus::kSuccess, bytes, conn_};
  }
};

TEST_F(MatcherRecv, RecvEmitsRxPostWithItsLength) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 4096)});
  EXPECT_TRUE(areWork(workOf(conn_), {work(WorkType::kRxPost, conn_, 4096)}));
  EXPECT_TRUE(q.drain(100).empty());
}

TEST_F(MatcherRecv, AFullBufferCompletesWithItsLength) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 100)});
  data(60);
  flushEvents();
  EXPECT_TRUE(q.drain(100).empty());
  data(40);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 100)));
}

TEST_F(MatcherRecv, DataFillsBuffersInPostingOrder) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 50), recvReq(2, conn_, 50)});
  data(80);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 50)));
  EXPECT_TRUE(q.drain(100).empty());
  data(20);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(2, 50)));
}

TEST_F(MatcherRecv, PushCompletesAPartlyFilledHeadBuffer) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 100), recvReq(2, conn_, 100)});
  data(30, true);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 30)));
  data(170, true);  // fills the second, the rest is indicated
  EXPECT_TRUE(areCpls(q.wait(2), {recv(2, 100), indicate(70)}));
}

TEST_F(MatcherRecv, PushAfterFillingSeveralBuffersCompletesTheLastPartOne) {
  QueuePair& q =
      postRecvs(p(), {recvReq(1, conn_, 50), recvReq(2, conn_, 50), recvReq(3, conn_, 50)});
  data(70, true);
  EXPECT_TRUE(areCpls(q.wait(2), {recv(1, 50), recv(2, 20)}));
  EXPECT_TRUE(q.drain(100).empty());
}

TEST_F(MatcherRecv, PushDoesNotCompleteANoPushBuffer) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 100, kNoPush)});
  data(30, true);
  flushEvents();
  EXPECT_TRUE(q.drain(100).empty());
  data(70);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 100)));
}

// PRM 6: a DATA event with PUSH completes a partly filled head, also when
// it carries no bytes, unless the head has NO_PUSH.
TEST_F(MatcherRecv, PushWithNoBytesCompletesAPartlyFilledHeadUnlessNoPush) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 100), recvReq(2, conn_, 100, kNoPush)});
  data(30);
  flushEvents();
  EXPECT_TRUE(q.drain(100).empty());
  data(0, true);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 30)));
  data(40);
  data(0, true);
  flushEvents();
  EXPECT_TRUE(q.drain(100).empty()) << "a PUSH completed a NO_PUSH receive";
  data(60);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(2, 100)));
}

TEST_F(MatcherRecv, ZeroLengthBufferCompletesAtTheNextDataBeforeThePlacement) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 0), recvReq(2, conn_, 50)});
  bench_.run(50);
  EXPECT_TRUE(q.drain(50).empty());
  data(50);
  EXPECT_TRUE(areCpls(q.wait(2), {recv(1, 0), recv(2, 50)}));
}

TEST_F(MatcherRecv, DataWithNoBufferIsIndicatedOncePerEvent) {
  QueuePair& q = p();
  data(100);
  data(20, true);
  EXPECT_TRUE(areCpls(q.wait(2), {indicate(100), indicate(20)}));
}

TEST_F(MatcherRecv, DataBeyondThePostedBuffersIndicatesOnlyTheExcess) {
  QueuePair& q = postRecvs(p(), {recvReq(1, conn_, 50)});
  data(80);
  EXPECT_TRUE(areCpls(q.wait(2), {recv(1, 50), indicate(30)}));
}

TEST_F(MatcherRecv, BufferedDataFillsTheNextReceivesAtOnce) {
  QueuePair& q = p();
  data(100);
  EXPECT_TRUE(isCpl(q.wait(1)[0], indicate(100)));
  ASSERT_EQ(bench_.rxConsumed(conn_, 2, 30), prm::CmdResult::kOk);  // 70 stay buffered
  q.submit(recvReq(1, conn_, 50));
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 50)));
  q.submit(recvReq(2, conn_, 100));  // 20 left: completes at once, partly filled
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(2, 20)));
  EXPECT_EQ(bench_.rxConsumed(conn_, 2, 1), prm::CmdResult::kBadArg);
}

TEST_F(MatcherRecv, ConsumedDataDoesNotFillReceives) {
  QueuePair& q = buffered(50);
  ASSERT_EQ(bench_.rxConsumed(conn_, 2, 50), prm::CmdResult::kOk);
  postRecvs(q, {recvReq(1, conn_, 20)});
  EXPECT_TRUE(q.drain(100).empty());
  data(20);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 20)));
}

TEST_F(MatcherRecv, BufferedDataPartlyFillingANoPushReceiveWaitsForMore) {
  QueuePair& q = buffered(30);
  postRecvs(q, {recvReq(1, conn_, 100, kNoPush)});
  EXPECT_TRUE(q.drain(100).empty());
  data(70);
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 100)));
}

TEST_F(MatcherRecv, BufferedDataIsPlacedBeforeNewerData) {
  QueuePair& q = buffered(30);
  postRecvs(q, {recvReq(1, conn_, 40, kNoPush)});
  data(20);  // 10 complete the receive (after the 30 buffered), 10 are new buffered data
  EXPECT_TRUE(areCpls(q.wait(2), {recv(1, 40), indicate(10)}));
  q.submit(recvReq(2, conn_, 10));
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(2, 10)));
}

TEST_F(MatcherRecv, ZeroLengthBufferCompletesAtOnceWhenDataIsBuffered) {
  QueuePair& q = buffered(10);
  q.submit(recvReq(1, conn_, 0));
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 0)));
  q.submit(recvReq(2, conn_, 10));  // the 10 bytes are still there
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(2, 10)));
}

TEST_F(MatcherRecv, FinCompletesEveryOutstandingReceiveThenEvtFin) {
  QueuePair& q = postRecvs(
      p(), {recvReq(1, conn_, 100), recvReq(2, conn_, 50, kNoPush), recvReq(3, conn_, 0)});
  data(30);
  flushEvents();
  push(evt(EventType::kFin, conn_));
  EXPECT_TRUE(areCpls(
      q.wait(4),
      {recv(1, 30), recv(2, 0), recv(3, 0), {0, CplType::kEvtFin, CplStatus::kSuccess, 0, conn_}}));
}

TEST_F(MatcherRecv, ReceiveAfterFinWithNothingBufferedIsInvalidState) {
  QueuePair& q = p();
  push(evt(EventType::kFin, conn_));
  EXPECT_EQ(q.wait(1)[0].type, CplType::kEvtFin);
  q.submit(recvReq(1, conn_, 100));
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 0, CplStatus::kInvalidState)));
  EXPECT_TRUE(workOf(conn_).empty());
}

TEST_F(MatcherRecv, ReceiveAfterFinIsFilledFromBufferedDataFirst) {
  QueuePair& q = p();
  data(40);
  push(evt(EventType::kFin, conn_));
  EXPECT_TRUE(
      areCpls(q.wait(2), {indicate(40), {0, CplType::kEvtFin, CplStatus::kSuccess, 0, conn_}}));
  q.submit(recvReq(1, conn_, 100));
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(1, 40)));
  q.submit(recvReq(2, conn_, 100));
  EXPECT_TRUE(isCpl(q.wait(1)[0], recv(2, 0, CplStatus::kInvalidState)));
}

TEST_F(MatcherRecv, SecondFinIsAProtocolError) {
  QueuePair& q = p();
  push(evt(EventType::kFin, conn_));
  q.wait(1);
  push(evt(EventType::kFin, conn_));
  flushEvents();
  EXPECT_TRUE(q.drain(50).empty());
  EXPECT_EQ(reg(kCntProtoErr), 1u);
  EXPECT_EQ(reg(kErrInfo) >> 16, conn_);
}

TEST_F(MatcherRecv, DataAfterFinIsAProtocolError) {
  QueuePair& q = p();
  push(evt(EventType::kFin, conn_));
  q.wait(1);
  data(10);
  flushEvents();
  EXPECT_TRUE(q.drain(50).empty());
  EXPECT_EQ(reg(kCntProtoErr), 1u);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kProto, prm::err::kProto);
}

}  // namespace
}  // namespace chimney::rtltest
