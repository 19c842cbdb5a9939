// PRM 6 "Requests": the four checks, in order, each completing the request
// at once with its status and no work.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

class RequestChecks : public RtlTest {
 protected:
  prm::Request raw(uint64_t tag, uint8_t opcode, uint8_t flags, uint16_t conn, uint32_t len) {
    return prm::Request{tag, opcode, flags, conn, len, 0};
  }
  // Submits one request and returns its completion.
  prm::Completion one(QueuePair& p, const prm::Request& r) {
    p.submit(r);
    return p.wait(1)[0];
  }
};

TEST_F(RequestChecks, UnknownOpcodeIsInvalidRequestBeforeAnyConnCheck) {
  const uint16_t cn = conn(1);
  QueuePair& p = offloaded(cn);
  for (uint8_t op : {0, 5, 7, 0xFF}) {
    // The PRM leaves the type of an unknown opcode's descriptor open; the
    // project's reference model writes type 0.
    const auto c = one(p, raw(op, op, 0, cn, 10));
    EXPECT_EQ(c.tag, op);
    EXPECT_EQ(unsigned(c.type), 0u);
    EXPECT_EQ(c.status, CplStatus::kInvalidRequest) << int(op);
    EXPECT_EQ(c.conn, cn);
  }
  // Out-of-range conn: still INVALID_REQUEST (check 1 comes first).
  const auto c = one(p, raw(50, 9, 0, outOfRangeConn(), 10));
  EXPECT_EQ(c.status, CplStatus::kInvalidRequest);
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, FlagNotBelongingToTheOpcodeIsInvalidRequest) {
  const uint16_t cn = conn(1);
  QueuePair& p = offloaded(cn);
  using prm::reqflag::kAbortive;
  using prm::reqflag::kNoPush;
  const prm::Request bad[] = {raw(1, 1, kAbortive, cn, 10), raw(2, 1, kNoPush, cn, 10),  // SEND
                              raw(3, 2, kAbortive, cn, 10), raw(4, 2, 0x80, cn, 10),     // RECV
                              raw(5, 3, kNoPush, cn, 10),   raw(6, 3, 0x04, cn, 10),  // DISCONNECT
                              raw(7, 4, kAbortive, cn, 10), raw(8, 4, kNoPush, cn, 10)};  // FORWARD
  for (const auto& r : bad) {
    const auto c = one(p, r);
    EXPECT_EQ(c.status, CplStatus::kInvalidRequest) << describe(c);
    EXPECT_EQ(c.tag, r.tag);
    EXPECT_EQ(unsigned(c.type), unsigned(r.opcode));
  }
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, ZeroLengthSendOrForwardIsInvalidRequest) {
  const uint16_t cn = conn(1);
  QueuePair& p = offloaded(cn);
  EXPECT_TRUE(
      isCpl(one(p, sendReq(1, cn, 0)), {1, CplType::kSend, CplStatus::kInvalidRequest, 0, cn}));
  EXPECT_TRUE(isCpl(one(p, forwardReq(2, cn, 0)),
                    {2, CplType::kForward, CplStatus::kInvalidRequest, 0, cn}));
  // Checked before the conn: a zero-length send on a closed conn.
  EXPECT_EQ(one(p, sendReq(3, conn(kTestConns - 1), 0)).status, CplStatus::kInvalidRequest);
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, OutOfRangeConnIsInvalidConn) {
  QueuePair& p = qpair(0);
  const uint16_t bad = outOfRangeConn();
  EXPECT_TRUE(
      isCpl(one(p, sendReq(1, bad, 10)), {1, CplType::kSend, CplStatus::kInvalidConn, 0, bad}));
  EXPECT_TRUE(isCpl(one(p, recvReq(2, 0xFFFF, 10)),
                    {2, CplType::kRecv, CplStatus::kInvalidConn, 0, 0xFFFF}));
}

TEST_F(RequestChecks, ClosedConnIsInvalidConnForEveryOpcode) {
  const uint16_t cn = conn(3);
  QueuePair& p = qpair(0);
  EXPECT_EQ(one(p, sendReq(1, cn, 10)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, recvReq(2, cn, 10)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, disconnectReq(3, cn, 0, false)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, disconnectReq(4, cn, 0, true)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, forwardReq(5, cn, 10)).status, CplStatus::kInvalidConn);
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, ConnBoundToAnotherQueuePairIsWrongQp) {
  const uint16_t cn = conn(2);
  QueuePair& p0 = qpair(0);
  offloaded(cn, lastQp());
  EXPECT_TRUE(isCpl(one(p0, sendReq(1, cn, 10)), {1, CplType::kSend, CplStatus::kWrongQp, 0, cn}));
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, WrongQpIsCheckedBeforeAborted) {
  const uint16_t cn = conn(2);
  QueuePair& p0 = qpair(0);
  QueuePair& p1 = offloaded(cn, lastQp());
  push(evt(EventType::kRst, cn));
  p1.wait(1);  // EVT_RST
  EXPECT_EQ(one(p0, sendReq(1, cn, 10)).status, CplStatus::kWrongQp);
  EXPECT_EQ(one(p1, sendReq(2, cn, 10)).status, CplStatus::kAborted);
}

TEST_F(RequestChecks, AbortedConnCompletesEveryOpcodeAborted) {
  const uint16_t cn = conn(4);
  QueuePair& p = offloaded(cn);
  push(evt(EventType::kRst, cn));
  p.wait(1);
  p.post(sendReq(1, cn, 10));
  p.post(recvReq(2, cn, 10));
  p.post(disconnectReq(3, cn, 0, false));
  p.post(forwardReq(4, cn, 10));
  p.ring();
  EXPECT_TRUE(areCpls(p.wait(4), {{1, CplType::kSend, CplStatus::kAborted, 0, cn},
                                  {2, CplType::kRecv, CplStatus::kAborted, 0, cn},
                                  {3, CplType::kDisconnect, CplStatus::kAborted, 0, cn},
                                  {4, CplType::kForward, CplStatus::kAborted, 0, cn}}));
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, ClearedReceivedListStartsAgainWithTheNextDescriptor) {
  const uint16_t cn = conn(1);
  QueuePair& p = offloaded(cn);
  p.submit(raw(1, 0, 0, cn, 10));
  p.submit(raw(2, 0, 0, cn, 10));
  p.wait(2);
  ASSERT_EQ(p.received().size(), 2u);
  p.clearReceived();
  EXPECT_TRUE(p.received().empty());
  EXPECT_EQ(p.untaken(), 0u);
  const auto c = one(p, raw(3, 0, 0, cn, 10));
  EXPECT_EQ(c.tag, 3u);
  ASSERT_EQ(p.received().size(), 1u);
  EXPECT_EQ(p.received()[0].cpl.tag, 3u);
}

}  // namespace
}  // namespace chimney::rtltest
