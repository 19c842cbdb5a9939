// Request checks, connection commands and the queue-pair data path of the
// behavioural device (PRM sections 4-6).
#include "behavioural_device_fixture.h"

namespace chimney::test {
namespace {

using prm::CplStatus;
using prm::CplType;
using prm::Opcode;
using prm::WorkType;

class DeviceRequests : public DeviceTest {
 protected:
  void SetUp() override {
    bringUp();
    offload(1, 0);
    offload(2, 1);
  }
};

TEST_F(DeviceRequests, SendIsFetchedAndIssuedAsTxData) {
  send(0, 1, 1000, 11);
  dev.step();
  EXPECT_EQ(qpReg(0, prm::reg::kSqHead), 1u);
  EXPECT_EQ(reg(prm::reg::kCntReqFetched), 1u);
  const auto w = works();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], (prm::Work{WorkType::kTxData, 1, 1000}));
  EXPECT_TRUE(drain(0).empty());
}

TEST_F(DeviceRequests, AckOfAllBytesCompletesSendSuccess) {
  send(0, 1, 1000, 11);
  dev.step();
  ack(1, 1000);
  const auto c = drain(0);
  ASSERT_TRUE(cplsAre(c, {{11, CplType::kSend, CplStatus::kSuccess, 1000, 1}}));
  EXPECT_TRUE(c[0].phase);
  EXPECT_EQ(qpReg(0, prm::reg::kCqTail), 1u);
  EXPECT_EQ(reg(prm::reg::kCntCplWritten), 1u);
  EXPECT_EQ(reg(prm::reg::kCntEvt), 1u);
}

TEST_F(DeviceRequests, OneAckFinishesSeveralSendsInPostingOrder) {
  sends({100, 200, 300});
  ack(1, 350);
  EXPECT_TRUE(cplsAre(drain(0), {{1, CplType::kSend, CplStatus::kSuccess, 100, 1},
                                 {2, CplType::kSend, CplStatus::kSuccess, 200, 1}}));
  ack(1, 250);
  EXPECT_TRUE(cplsAre(drain(0), {{3, CplType::kSend, CplStatus::kSuccess, 300, 1}}));
}

TEST_F(DeviceRequests, PartialAcksAccumulate) {
  sends({100});
  for (int i = 0; i < 4; ++i) event(prm::EventType::kAck, 1, 25);
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{1, CplType::kSend, CplStatus::kSuccess, 100, 1}}));
}

TEST_F(DeviceRequests, UnknownOpcodeCompletesInvalidRequest) {
  post(0, req(Opcode(9), 1, 10, 5));
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{5, CplType(0), CplStatus::kInvalidRequest, 0, 1}}));
  EXPECT_TRUE(works().empty());
}

TEST_F(DeviceRequests, FlagNotBelongingToOpcodeCompletesInvalidRequest) {
  post(0, req(Opcode::kSend, 1, 10, 1, prm::reqflag::kNoPush));
  post(0, req(Opcode::kRecv, 1, 10, 2, prm::reqflag::kAbortive));
  post(0, req(Opcode::kDisconnect, 1, 0, 3, prm::reqflag::kNoPush));
  post(0, req(Opcode::kForward, 1, 10, 4, 0x80));
  dev.step();
  const auto c = drain(0);
  ASSERT_EQ(c.size(), 4u);
  for (const auto& x : c) EXPECT_EQ(x.status, CplStatus::kInvalidRequest) << x.tag;
  EXPECT_TRUE(works().empty());
}

TEST_F(DeviceRequests, ZeroLengthSendOrForwardCompletesInvalidRequest) {
  post(0, req(Opcode::kSend, 1, 0, 1));
  post(0, req(Opcode::kForward, 1, 0, 2));
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{1, CplType::kSend, CplStatus::kInvalidRequest, 0, 1},
                                 {2, CplType::kForward, CplStatus::kInvalidRequest, 0, 1}}));
}

TEST_F(DeviceRequests, InvalidRequestIsCheckedBeforeInvalidConn) {
  post(0, req(Opcode::kSend, 999, 0, 1));
  dev.step();
  const auto c = drain(0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].status, CplStatus::kInvalidRequest);
}

TEST_F(DeviceRequests, ConnOutOfRangeOrClosedCompletesInvalidConn) {
  send(0, 999, 10, 1);
  send(0, 5, 10, 2);  // CLOSED
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{1, CplType::kSend, CplStatus::kInvalidConn, 0, 999},
                                 {2, CplType::kSend, CplStatus::kInvalidConn, 0, 5}}));
}

TEST_F(DeviceRequests, ConnBoundToAnotherQueuePairCompletesWrongQp) {
  send(0, 2, 10, 1);  // conn 2 is on queue pair 1
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{1, CplType::kSend, CplStatus::kWrongQp, 0, 2}}));
  EXPECT_TRUE(drain(1).empty());
}

TEST_F(DeviceRequests, RequestOnAbortedConnCompletesAborted) {
  event(prm::EventType::kRst, 1, 0);
  dev.step();
  drain(0);
  send(0, 1, 10, 7);
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{7, CplType::kSend, CplStatus::kAborted, 0, 1}}));
}

TEST_F(DeviceRequests, WrongQpIsCheckedBeforeAborted) {
  event(prm::EventType::kRst, 2, 0);
  dev.step();
  send(0, 2, 10, 7);
  dev.step();
  const auto c = drain(0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].status, CplStatus::kWrongQp);
}

TEST_F(DeviceRequests, ForwardCompletesAtFwdDoneOldestFirst) {
  post(0, req(Opcode::kForward, 1, 64, 1));
  post(0, req(Opcode::kForward, 1, 128, 2));
  dev.step();
  EXPECT_EQ(works(), (std::vector<prm::Work>{{WorkType::kFwd, 1, 64}, {WorkType::kFwd, 1, 128}}));
  event(prm::EventType::kFwdDone, 1, 0);
  dev.step();
  EXPECT_TRUE(cplsAre(drain(0), {{1, CplType::kForward, CplStatus::kSuccess, 64, 1}}));
}

TEST_F(DeviceRequests, WorkForOneConnectionLeavesInPostingOrder) {
  send(0, 1, 10, 1);
  recv(0, 1, 20, 2);
  post(0, req(Opcode::kForward, 1, 30, 3));
  send(0, 1, 40, 4);
  dev.step();
  EXPECT_EQ(works(), (std::vector<prm::Work>{{WorkType::kTxData, 1, 10},
                                             {WorkType::kRxPost, 1, 20},
                                             {WorkType::kFwd, 1, 30},
                                             {WorkType::kTxData, 1, 40}}));
}

TEST_F(DeviceRequests, CompletionGoesToTheQueuePairOfTheRequest) {
  send(1, 2, 10, 1);
  dev.step();
  ack(2, 10);
  EXPECT_TRUE(drain(0).empty());
  ASSERT_EQ(drain(1).size(), 1u);
}

TEST_F(DeviceRequests, DisabledDeviceNeitherFetchesNorMatches) {
  setReg(prm::reg::kCtrl, 0);
  send(0, 1, 10, 1);
  event(prm::EventType::kFwdDone, 3, 0);  // a late event: CLOSED conn
  dev.run(5);
  EXPECT_EQ(qpReg(0, prm::reg::kSqHead), 0u);
  EXPECT_EQ(reg(prm::reg::kCntEvt), 0u);
  enableDevice();
  dev.step();
  EXPECT_EQ(qpReg(0, prm::reg::kSqHead), 1u);
  EXPECT_EQ(reg(prm::reg::kCntEvt), 1u);
}

// cplsAre fails on a missing or extra completion and on any one field.
TEST(CplsAre, FailsOnAnotherCountOrAnyField) {
  prm::Completion c;
  c.tag = 7;
  c.type = CplType::kSend;
  c.status = CplStatus::kSuccess;
  c.bytes = 100;
  c.conn = 3;
  const Cpl same{7, CplType::kSend, CplStatus::kSuccess, 100, 3};
  EXPECT_TRUE(cplsAre({c}, {same}));
  EXPECT_FALSE(cplsAre({}, {same}));
  EXPECT_FALSE(cplsAre({c, c}, {same}));
  const ::testing::AssertionResult wrongTag = cplsAre({c}, {{8, same.type, same.status, 100, 3}});
  EXPECT_FALSE(wrongTag);
  EXPECT_NE(std::string(wrongTag.message()).find("expected {tag 8"), std::string::npos);
  EXPECT_FALSE(cplsAre({c}, {{7, CplType::kRecv, same.status, 100, 3}}));
  EXPECT_FALSE(cplsAre({c}, {{7, same.type, CplStatus::kAborted, 100, 3}}));
  EXPECT_FALSE(cplsAre({c}, {{7, same.type, same.status, 99, 3}}));
  EXPECT_FALSE(cplsAre({c}, {{7, same.type, same.status, 100, 4}}));
}

}  // namespace
}  // namespace chimney::test
