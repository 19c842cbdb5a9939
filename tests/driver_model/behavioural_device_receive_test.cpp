// Receive-side matching of the behavioural device: DATA filling posted
// receives, PUSH / NO_PUSH, zero-length receives, buffering with
// RX_INDICATE and RX_CONSUMED, and the peer's FIN.
#include "behavioural_device_fixture.h"

namespace chimney::test {
namespace {

using prm::CplStatus;
using prm::CplType;
using prm::EventType;

class DeviceReceive : public DeviceTest {
 protected:
  void SetUp() override {
    bringUp();
    offload(1, 0);
  }
  void data(uint32_t bytes, bool push = false) {
    event(EventType::kData, 1, bytes, push ? prm::evtflag::kPush : 0);
  }
  // A receive on conn 1 completed SUCCESS with `bytes`; an RX_INDICATE of `bytes` on conn 1.
  static Cpl recvDone(uint64_t tag, uint32_t bytes) {
    return {tag, CplType::kRecv, CplStatus::kSuccess, bytes, 1};
  }
  static Cpl indication(uint32_t bytes) {
    return {0, CplType::kRxIndicate, CplStatus::kSuccess, bytes, 1};
  }
  std::vector<prm::Completion> settle() {
    dev.step();
    return drain(0);
  }
};

TEST_F(DeviceReceive, RecvIsIssuedAsRxPost) {
  recvs({500});
  EXPECT_EQ(works(), (std::vector<prm::Work>{{prm::WorkType::kRxPost, 1, 500}}));
}

TEST_F(DeviceReceive, FullBufferCompletesWithItsLength) {
  recvs({100});
  data(100);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100)}));
}

TEST_F(DeviceReceive, DataFillsPostedBuffersInPostingOrder) {
  recvs({100, 100, 100});
  data(250);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100), recvDone(2, 100)}));
  data(50);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(3, 100)}));
}

TEST_F(DeviceReceive, PushCompletesPartlyFilledHeadBuffer) {
  recvs({100, 100});
  data(130, true);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100), recvDone(2, 30)}));
}

TEST_F(DeviceReceive, DataWithoutPushLeavesPartlyFilledBufferOutstanding) {
  recvs({100});
  data(30);
  EXPECT_TRUE(settle().empty());
  data(70);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100)}));
}

TEST_F(DeviceReceive, NoPushBufferIgnoresPush) {
  recv(0, 1, 100, 1, prm::reqflag::kNoPush);
  dev.step();
  data(30, true);
  EXPECT_TRUE(settle().empty());
  data(70, true);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100)}));
}

TEST_F(DeviceReceive, PushOnEmptyHeadBufferCompletesNothing) {
  recvs({100, 100});
  data(100, true);
  const auto c = settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].tag, 1u);
}

TEST_F(DeviceReceive, ZeroLengthRecvCompletesAtNextDataBeforePlacement) {
  recvs({0, 100});
  EXPECT_TRUE(settle().empty());
  data(100);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 0), recvDone(2, 100)}));
}

TEST_F(DeviceReceive, ZeroLengthRecvNotReachedByDataWaitsForTheNextData) {
  recvs({100, 0});
  data(100);
  auto c = settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].tag, 1u);
  data(10);
  // Receive 2 completes empty; the 10 bytes find no buffer left.
  EXPECT_TRUE(cplsAre(settle(), {recvDone(2, 0), indication(10)}));
}

TEST_F(DeviceReceive, ZeroByteDataCompletesZeroLengthRecvAndIndicatesNothing) {
  recvs({0});
  data(0);
  data(0);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 0)}));
}

TEST_F(DeviceReceive, DataWithNoPostedBufferIsBufferedAndIndicatedPerEvent) {
  data(300);
  data(200, true);
  EXPECT_TRUE(cplsAre(settle(), {indication(300), indication(200)}));
  EXPECT_EQ(dev.conn(1).buffered, 500u);
}

TEST_F(DeviceReceive, IndicationReportsOnlyTheBytesBeyondPostedBuffers) {
  recvs({100});
  data(160);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100), indication(60)}));
}

TEST_F(DeviceReceive, RxConsumedRemovesBufferedBytes) {
  data(300);
  settle();
  EXPECT_EQ(command(1, 0, prm::ConnOp::kRxConsumed, 120), prm::CmdResult::kOk);
  EXPECT_EQ(dev.conn(1).buffered, 180u);
}

TEST_F(DeviceReceive, RxConsumedBeyondBufferedIsBadArgAndChangesNothing) {
  data(300);
  settle();
  EXPECT_EQ(command(1, 0, prm::ConnOp::kRxConsumed, 301), prm::CmdResult::kBadArg);
  EXPECT_EQ(dev.conn(1).buffered, 300u);
  EXPECT_NE(reg(prm::reg::kErrStatus) & prm::err::kCmd, 0u);
}

TEST_F(DeviceReceive, BufferedDataFillsNextReceivesBeforeNewerData) {
  data(150);
  settle();
  recvs({100, 100});
  auto c = drain(0);
  // 100 fill the first receive; the second takes the other 50 and completes
  // at once, partly filled.
  ASSERT_EQ(c.size(), 2u);
  expectCpl(c[0], 1, CplType::kRecv, CplStatus::kSuccess, 100, 1);
  expectCpl(c[1], 2, CplType::kRecv, CplStatus::kSuccess, 50, 1);
  EXPECT_EQ(dev.conn(1).buffered, 0u);
}

TEST_F(DeviceReceive, ReceivePartlyFilledFromBufferWithNoPushWaitsForMoreData) {
  data(50);
  settle();
  recv(0, 1, 100, 1, prm::reqflag::kNoPush);
  EXPECT_TRUE(settle().empty());
  data(50);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 100)}));
}

TEST_F(DeviceReceive, ZeroLengthRecvCompletesAtOnceWhenDataIsBuffered) {
  data(50);
  settle();
  recv(0, 1, 0, 1);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 0)}));
  EXPECT_EQ(dev.conn(1).buffered, 50u);
}

TEST_F(DeviceReceive, FinCompletesOutstandingReceivesThenReportsEvtFin) {
  recvs({100, 100, 0});
  data(40);
  event(EventType::kFin, 1, 0);
  EXPECT_TRUE(cplsAre(settle(), {recvDone(1, 40),
                                 recvDone(2, 0),
                                 recvDone(3, 0),
                                 {0, CplType::kEvtFin, CplStatus::kSuccess, 0, 1}}));
}

TEST_F(DeviceReceive, ReceiveAfterFinWithNothingBufferedIsInvalidState) {
  event(EventType::kFin, 1, 0);
  settle();
  recv(0, 1, 100, 1);
  EXPECT_TRUE(cplsAre(settle(), {{1, CplType::kRecv, CplStatus::kInvalidState, 0, 1}}));
  EXPECT_TRUE(works().empty());
}

TEST_F(DeviceReceive, ReceiveAfterFinDrainsBufferedDataThenIsInvalidState) {
  data(150);
  event(EventType::kFin, 1, 0);
  settle();
  recv(0, 1, 100, 1, prm::reqflag::kNoPush);
  recv(0, 1, 100, 2, prm::reqflag::kNoPush);
  recv(0, 1, 100, 3);
  // Receive 2 ends at the end of the stream.
  EXPECT_TRUE(cplsAre(
      settle(),
      {recvDone(1, 100), recvDone(2, 50), {3, CplType::kRecv, CplStatus::kInvalidState, 0, 1}}));
}

TEST_F(DeviceReceive, SecondFinIsProtocolError) {
  event(EventType::kFin, 1, 0);
  event(EventType::kFin, 1, 0);
  const auto c = settle();
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
  EXPECT_EQ(reg(prm::reg::kErrInfo) >> 16, 1u);
}

TEST_F(DeviceReceive, DataAfterFinIsProtocolErrorAndDropped) {
  event(EventType::kFin, 1, 0);
  data(10);
  settle();
  EXPECT_EQ(reg(prm::reg::kCntProtoErr), 1u);
  EXPECT_NE(reg(prm::reg::kErrStatus) & prm::err::kProto, 0u);
  EXPECT_EQ(dev.conn(1).buffered, 0u);
}

}  // namespace
}  // namespace chimney::test
