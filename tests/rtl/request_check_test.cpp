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
  QueuePair& p = offloaded(1);
  for (uint8_t op : {0, 5, 7, 0xFF}) {
    // The PRM leaves the type of an unknown opcode's descriptor open; the
    // project's reference model writes type 0.
    const auto c = one(p, raw(op, op, 0, 1, 10));
    EXPECT_EQ(c.tag, op);
    EXPECT_EQ(unsigned(c.type), 0u);
    EXPECT_EQ(c.status, CplStatus::kInvalidRequest) << int(op);
    EXPECT_EQ(c.conn, 1);
  }
  // Out-of-range conn: still INVALID_REQUEST (check 1 comes first).
  const auto c = one(p, raw(50, 9, 0, 4000, 10));
  EXPECT_EQ(c.status, CplStatus::kInvalidRequest);
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, FlagNotBelongingToTheOpcodeIsInvalidRequest) {
  QueuePair& p = offloaded(1);
  using prm::reqflag::kAbortive;
  using prm::reqflag::kNoPush;
  const prm::Request bad[] = {raw(1, 1, kAbortive, 1, 10), raw(2, 1, kNoPush, 1, 10),  // SEND
                              raw(3, 2, kAbortive, 1, 10), raw(4, 2, 0x80, 1, 10),     // RECV
                              raw(5, 3, kNoPush, 1, 10),   raw(6, 3, 0x04, 1, 10),     // DISCONNECT
                              raw(7, 4, kAbortive, 1, 10), raw(8, 4, kNoPush, 1, 10)};  // FORWARD
  for (const auto& r : bad) {
    const auto c = one(p, r);
    EXPECT_EQ(c.status, CplStatus::kInvalidRequest) << describe(c);
    EXPECT_EQ(c.tag, r.tag);
    EXPECT_EQ(unsigned(c.type), unsigned(r.opcode));
  }
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, ZeroLengthSendOrForwardIsInvalidRequest) {
  QueuePair& p = offloaded(1);
  EXPECT_TRUE(
      isCpl(one(p, sendReq(1, 1, 0)), {1, CplType::kSend, CplStatus::kInvalidRequest, 0, 1}));
  EXPECT_TRUE(
      isCpl(one(p, forwardReq(2, 1, 0)), {2, CplType::kForward, CplStatus::kInvalidRequest, 0, 1}));
  // Checked before the conn: a zero-length send on a closed conn.
  EXPECT_EQ(one(p, sendReq(3, 30, 0)).status, CplStatus::kInvalidRequest);
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, OutOfRangeConnIsInvalidConn) {
  QueuePair& p = qpair(0);
  EXPECT_TRUE(
      isCpl(one(p, sendReq(1, 64, 10)), {1, CplType::kSend, CplStatus::kInvalidConn, 0, 64}));
  EXPECT_TRUE(isCpl(one(p, recvReq(2, 0xFFFF, 10)),
                    {2, CplType::kRecv, CplStatus::kInvalidConn, 0, 0xFFFF}));
}

TEST_F(RequestChecks, ClosedConnIsInvalidConnForEveryOpcode) {
  QueuePair& p = qpair(0);
  EXPECT_EQ(one(p, sendReq(1, 3, 10)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, recvReq(2, 3, 10)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, disconnectReq(3, 3, 0, false)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, disconnectReq(4, 3, 0, true)).status, CplStatus::kInvalidConn);
  EXPECT_EQ(one(p, forwardReq(5, 3, 10)).status, CplStatus::kInvalidConn);
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, ConnBoundToAnotherQueuePairIsWrongQp) {
  QueuePair& p0 = qpair(0);
  offloaded(2, 1);
  EXPECT_TRUE(isCpl(one(p0, sendReq(1, 2, 10)), {1, CplType::kSend, CplStatus::kWrongQp, 0, 2}));
  EXPECT_TRUE(bench_.work().items().empty());
}

TEST_F(RequestChecks, WrongQpIsCheckedBeforeAborted) {
  QueuePair& p0 = qpair(0);
  QueuePair& p1 = offloaded(2, 1);
  push(evt(EventType::kRst, 2));
  p1.wait(1);  // EVT_RST
  EXPECT_EQ(one(p0, sendReq(1, 2, 10)).status, CplStatus::kWrongQp);
  EXPECT_EQ(one(p1, sendReq(2, 2, 10)).status, CplStatus::kAborted);
}

TEST_F(RequestChecks, AbortedConnCompletesEveryOpcodeAborted) {
  QueuePair& p = offloaded(4);
  push(evt(EventType::kRst, 4));
  p.wait(1);
  p.post(sendReq(1, 4, 10));
  p.post(recvReq(2, 4, 10));
  p.post(disconnectReq(3, 4, 0, false));
  p.post(forwardReq(4, 4, 10));
  p.ring();
  EXPECT_TRUE(areCpls(p.wait(4), {{1, CplType::kSend, CplStatus::kAborted, 0, 4},
                                  {2, CplType::kRecv, CplStatus::kAborted, 0, 4},
                                  {3, CplType::kDisconnect, CplStatus::kAborted, 0, 4},
                                  {4, CplType::kForward, CplStatus::kAborted, 0, 4}}));
  EXPECT_TRUE(bench_.work().items().empty());
}

}  // namespace
}  // namespace chimney::rtltest
