// Connection-level behaviour of the behavioural device: commands, graceful
// and abortive DISCONNECT, RST, TERMINATE, late events and protocol errors.
#include "behavioural_device_fixture.h"

namespace chimney::test {
namespace {

using prm::CmdResult;
using prm::ConnOp;
using prm::CplStatus;
using prm::CplType;
using prm::EventType;
using prm::Opcode;
using prm::WorkType;

class DeviceConnection : public DeviceTest {
 protected:
  void SetUp() override {
    bringUp();
    offload(1, 0);
  }
  void disconnect(uint32_t len, uint64_t tag, bool abortive = false) {
    post(0, req(Opcode::kDisconnect, 1, len, tag, abortive ? prm::reqflag::kAbortive : 0));
  }
  std::vector<prm::Completion> settle() {
    dev.step();
    return drain(0);
  }
};

TEST_F(DeviceConnection, OffloadOfConnectionNotClosedIsBadState) {
  EXPECT_EQ(command(1, 1, ConnOp::kOffload), CmdResult::kBadState);
  EXPECT_EQ(dev.conn(1).qp, 0u);
  EXPECT_NE(reg(prm::reg::kErrStatus) & prm::err::kCmd, 0u);
}

TEST_F(DeviceConnection, CommandWithBadConnQpOrOpIsRejected) {
  EXPECT_EQ(command(16, 0, ConnOp::kOffload), CmdResult::kBadConn);
  EXPECT_EQ(command(3, 2, ConnOp::kOffload), CmdResult::kBadQp);
  EXPECT_EQ(command(3, 0, ConnOp(0)), CmdResult::kBadOp);
  EXPECT_EQ(command(3, 0, ConnOp(4)), CmdResult::kBadOp);
  EXPECT_EQ(dev.conn(3).state, BehaviouralDevice::ConnState::kClosed);
}

TEST_F(DeviceConnection, TerminateOfClosedConnectionIsBadState) {
  EXPECT_EQ(command(5, 0, ConnOp::kTerminate), CmdResult::kBadState);
}

TEST_F(DeviceConnection, FailedCommandRaisesCmdErrAndErrorInterrupt) {
  EXPECT_EQ(command(5, 0, ConnOp::kTerminate), CmdResult::kBadState);
  dev.step();
  EXPECT_EQ(irqs, (std::vector<unsigned>{2}));  // NUM_QP = 2: the error vector
}

TEST_F(DeviceConnection, CommandStatusReadsBusyForConfiguredReads) {
  BehaviouralDevice::Config cfg = smallConfig();
  cfg.cmdBusyReads = 2;
  BehaviouralDevice d(cfg);
  ASSERT_TRUE(d.write32(prm::reg::kConnCmd, prm::encodeConnCmd(1, 0, ConnOp::kOffload)));
  EXPECT_TRUE(prm::cmdBusy(d.read32(prm::reg::kConnCmdStatus).value));
  EXPECT_TRUE(prm::cmdBusy(d.read32(prm::reg::kConnCmdStatus).value));
  EXPECT_FALSE(prm::cmdBusy(d.read32(prm::reg::kConnCmdStatus).value));
}

TEST_F(DeviceConnection, GracefulDisconnectWaitsForEarlierSendsThenIssuesTxFin) {
  send(0, 1, 100, 1);
  disconnect(20, 2);
  dev.step();
  EXPECT_EQ(works(), (std::vector<prm::Work>{{WorkType::kTxData, 1, 100}}));
  ack(1, 100);
  EXPECT_EQ(works(), (std::vector<prm::Work>{{WorkType::kTxFin, 1, 20}}));
  event(EventType::kFinAck, 1, 20);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kSuccess, 100, 1},
                                 {2, CplType::kDisconnect, CplStatus::kSuccess, 20, 1}}));
}

TEST_F(DeviceConnection, GracefulDisconnectWithNoSendsIssuesTxFinAtOnce) {
  disconnect(0, 2);
  dev.step();
  EXPECT_EQ(works(), (std::vector<prm::Work>{{WorkType::kTxFin, 1, 0}}));
}

TEST_F(DeviceConnection, SendOrDisconnectAfterGracefulDisconnectIsInvalidState) {
  disconnect(0, 1);
  send(0, 1, 10, 2);
  disconnect(0, 3);
  recv(0, 1, 10, 4);  // the receive side stays open
  EXPECT_TRUE(cplsAre(settle(), {{2, CplType::kSend, CplStatus::kInvalidState, 0, 1}}));
  EXPECT_EQ(dev.conn(1).recvs.size(), 1u);
  // The second DISCONNECT keeps posting order behind the first.
  event(EventType::kFinAck, 1, 0);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kDisconnect, CplStatus::kSuccess, 0, 1},
                                 {3, CplType::kDisconnect, CplStatus::kInvalidState, 0, 1}}));
}

TEST_F(DeviceConnection, FailedRequestWaitsBehindEarlierRequestsOfItsOpcode) {
  send(0, 1, 100, 1);
  post(0, req(Opcode::kSend, 1, 0, 2));  // INVALID_REQUEST
  send(0, 1, 100, 3);
  recv(0, 1, 10, 4, prm::reqflag::kAbortive);  // INVALID_REQUEST, no receive outstanding
  EXPECT_TRUE(cplsAre(settle(), {{4, CplType::kRecv, CplStatus::kInvalidRequest, 0, 1}}));
  event(EventType::kAck, 1, 100);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kSuccess, 100, 1},
                                 {2, CplType::kSend, CplStatus::kInvalidRequest, 0, 1}}));
  // The failed send is not counted in the bytes outstanding.
  EXPECT_EQ(dev.conn(1).sendBytesOutstanding, 100u);
}

TEST_F(DeviceConnection, SendAfterDisconnectWaitsBehindEarlierSends) {
  send(0, 1, 100, 1);
  disconnect(0, 2);
  send(0, 1, 100, 3);
  EXPECT_TRUE(settle().empty());
  event(EventType::kAck, 1, 100);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kSuccess, 100, 1},
                                 {3, CplType::kSend, CplStatus::kInvalidState, 0, 1}}));
  EXPECT_EQ(works().back(), (prm::Work{WorkType::kTxFin, 1, 0}));
}

TEST_F(DeviceConnection, FailedDisconnectWaitsForEarlierSends) {
  send(0, 1, 100, 1);
  post(0, req(Opcode::kDisconnect, 1, 0, 2, prm::reqflag::kNoPush));  // INVALID_REQUEST
  EXPECT_TRUE(settle().empty());
  event(EventType::kAck, 1, 100);
  const auto c = settle();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].tag, 1u);
  expectCpl(c[1], 2, CplType::kDisconnect, CplStatus::kInvalidRequest, 0, 1);
}

TEST_F(DeviceConnection, ResetCompletesFailedRequestsInLineWithTheirOwnStatus) {
  send(0, 1, 100, 1);
  post(0, req(Opcode::kSend, 1, 0, 2));  // INVALID_REQUEST, in line
  dev.step();
  event(EventType::kRst, 1, 0);
  const auto c = settle();
  ASSERT_EQ(c.size(), 3u);
  expectCpl(c[0], 1, CplType::kSend, CplStatus::kAborted, 0, 1);
  expectCpl(c[1], 2, CplType::kSend, CplStatus::kInvalidRequest, 0, 1);
  EXPECT_EQ(c[2].type, CplType::kEvtRst);
}

TEST_F(DeviceConnection, AckDoesNotCountTowardsDisconnectData) {
  disconnect(50, 1);
  event(EventType::kAck, 1, 50);
  EXPECT_TRUE(settle().empty());
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
}

TEST_F(DeviceConnection, FinAckWithNoFinSentIsProtocolError) {
  send(0, 1, 100, 1);
  disconnect(0, 2);  // TX_FIN held back behind the send
  dev.step();
  event(EventType::kFinAck, 1, 0);
  EXPECT_TRUE(settle().empty());
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
  // Nothing outstanding was lost.
  ack(1, 100);
  event(EventType::kFinAck, 1, 0);
  EXPECT_EQ(settle().size(), 2u);
}

TEST_F(DeviceConnection, AbortiveDisconnectAbortsEverythingThenIssuesTxRstAndSucceeds) {
  send(0, 1, 100, 1);
  recv(0, 1, 100, 2);
  send(0, 1, 100, 3);
  post(0, req(Opcode::kForward, 1, 10, 4));
  dev.step();
  event(EventType::kAck, 1, 30);
  event(EventType::kData, 1, 20);
  dev.step();
  works();
  disconnect(500, 5, true);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kAborted, 30, 1},
                                 {2, CplType::kRecv, CplStatus::kAborted, 20, 1},
                                 {3, CplType::kSend, CplStatus::kAborted, 0, 1},
                                 {4, CplType::kForward, CplStatus::kAborted, 0, 1},
                                 {5, CplType::kDisconnect, CplStatus::kSuccess, 0, 1}}));
  EXPECT_EQ(works(), (std::vector<prm::Work>{{WorkType::kTxRst, 1, 0}}));
  EXPECT_EQ(dev.conn(1).state, BehaviouralDevice::ConnState::kAborted);
}

TEST_F(DeviceConnection, AbortiveDisconnectAbortsPendingGracefulDisconnect) {
  send(0, 1, 100, 1);
  disconnect(0, 2);
  disconnect(0, 3, true);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kAborted, 0, 1},
                                 {2, CplType::kDisconnect, CplStatus::kAborted, 0, 1},
                                 {3, CplType::kDisconnect, CplStatus::kSuccess, 0, 1}}));
}

TEST_F(DeviceConnection, AbortiveDisconnectDiscardsBufferedData) {
  event(EventType::kData, 1, 70);
  settle();
  disconnect(0, 1, true);
  settle();
  EXPECT_EQ(dev.conn(1).buffered, 0u);
}

TEST_F(DeviceConnection, RstAbortsEverythingThenReportsEvtRst) {
  send(0, 1, 100, 1);
  recv(0, 1, 100, 2);
  dev.step();
  event(EventType::kRst, 1, 0);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kAborted, 0, 1},
                                 {2, CplType::kRecv, CplStatus::kAborted, 0, 1},
                                 {0, CplType::kEvtRst, CplStatus::kSuccess, 0, 1}}));
  EXPECT_EQ(dev.conn(1).state, BehaviouralDevice::ConnState::kAborted);
}

TEST_F(DeviceConnection, EventForAbortedOrClosedConnectionIsLate) {
  event(EventType::kRst, 1, 0);
  event(EventType::kAck, 1, 10);
  event(EventType::kData, 4, 10);  // CLOSED
  settle();
  EXPECT_EQ(reg(prm::reg::kCntEvtLate), 2u);
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 0u);
  EXPECT_EQ(reg(prm::reg::kCntEvt), 3u);
}

TEST_F(DeviceConnection, EventForConnOutOfRangeIsProtocolError) {
  event(EventType::kAck, 40, 10);
  settle();
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
  EXPECT_EQ(reg(prm::reg::kErrInfo) >> 16, 40u);
}

TEST_F(DeviceConnection, AckBeyondOutstandingIsProtocolErrorAndExcessDropped) {
  sends({100, 100});
  event(EventType::kAck, 1, 250);
  const auto c = settle();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
  EXPECT_EQ(dev.conn(1).sendBytesOutstanding, 0u);
}

TEST_F(DeviceConnection, FwdDoneWithNoForwardOutstandingIsProtocolError) {
  event(EventType::kFwdDone, 1, 0);
  settle();
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
}

TEST_F(DeviceConnection, UnknownEventTypeIsProtocolError) {
  dev.pushEventWord(0x7 | (1u << 8));
  settle();
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
}

TEST_F(DeviceConnection, ProtocolErrorRaisesErrorInterruptOnlyWhenBitRises) {
  event(EventType::kFwdDone, 1, 0);
  event(EventType::kFwdDone, 1, 0);
  settle();
  EXPECT_EQ(irqs, (std::vector<unsigned>{2}));
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 2u);
}

TEST_F(DeviceConnection, TerminateUploadsOutstandingThenTerminateDone) {
  send(0, 1, 100, 1);
  recv(0, 1, 100, 2);
  send(0, 1, 100, 3);
  dev.step();
  ack(1, 40);
  EXPECT_EQ(command(1, 0, ConnOp::kTerminate), CmdResult::kOk);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kSend, CplStatus::kUpload, 40, 1},
                                 {2, CplType::kRecv, CplStatus::kUpload, 0, 1},
                                 {3, CplType::kSend, CplStatus::kUpload, 0, 1},
                                 {0, CplType::kTerminateDone, CplStatus::kSuccess, 0, 1}}));
  EXPECT_EQ(dev.conn(1).state, BehaviouralDevice::ConnState::kClosed);
}

TEST_F(DeviceConnection, TerminateOfAbortedConnectionClosesIt) {
  event(EventType::kRst, 1, 0);
  settle();
  EXPECT_EQ(command(1, 0, ConnOp::kTerminate), CmdResult::kOk);
  const auto c = settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].type, CplType::kTerminateDone);
  offload(1, 1);  // reusable
}

TEST_F(DeviceConnection, EventAfterTerminateIsLate) {
  EXPECT_EQ(command(1, 0, ConnOp::kTerminate), CmdResult::kOk);
  event(EventType::kData, 1, 10);
  settle();
  EXPECT_EQ(reg(prm::reg::kCntEvtLate), 1u);
}

TEST_F(DeviceConnection, RxConsumedOnClosedConnectionIsBadState) {
  EXPECT_EQ(command(5, 0, ConnOp::kRxConsumed, 0), CmdResult::kBadState);
}

}  // namespace
}  // namespace chimney::test
