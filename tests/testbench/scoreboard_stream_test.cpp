// Invariant 6, ReceiveStreamOrder: receive completions and indications reach
// the host in byte-stream order. The scoreboard is fed what the offload
// target and the host report (descriptors read, deliveries), in correct and
// in broken orders.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "scoreboard.h"

namespace chimney {
namespace {

constexpr uint16_t kHw = 5;

class StreamOrder : public ::testing::Test {
 protected:
  void SetUp() override {
    sb.onHardwareConnectionBound(conn, kHw, 0);
    sb.onPeerData(kHw, 1000);
  }
  // A receive NBL of `length` bytes posted by the host and queued with `tag`.
  NetBufferList* postReceive(uint32_t length, uint64_t tag) {
    buffers.push_back(std::make_unique<NetBuffer>());
    lists.push_back(std::make_unique<NetBufferList>());
    NetBufferList* nbl = lists.back().get();
    nbl->firstNetBuffer = buffers.back().get();
    nbl->firstNetBuffer->dataLength = length;
    sb.onHostPost(conn, OffloadOp::kReceive, nbl, 0);
    sb.onRequestQueued(nbl, OffloadOp::kReceive, tag, 0, 0);
    return nbl;
  }
  void readRecv(uint64_t tag, uint32_t bytes) {
    sb.onDescriptorRead(0, slot++,
                        {tag, bytes, kHw, prm::CplType::kRecv, prm::CplStatus::kSuccess});
  }
  void readIndicate(uint32_t bytes) {
    sb.onDescriptorRead(0, slot++,
                        {0, bytes, kHw, prm::CplType::kRxIndicate, prm::CplStatus::kSuccess});
  }
  void complete(NetBufferList* nbl, uint32_t bytes) {
    nbl->firstNetBuffer->dataOffset += bytes;
    nbl->firstNetBuffer->dataLength -= bytes;
    nbl->tcpOffloadBytesTransferred = bytes;
    nbl->status = NdisStatus::kSuccess;
    nbl->next = nullptr;
    sb.onHostCompletion(OffloadOp::kReceive, nbl);
  }
  // The host is offered `offered` bytes and takes `taken` of them.
  void indicate(uint32_t offered, uint32_t taken) {
    buffers.push_back(std::make_unique<NetBuffer>());
    lists.push_back(std::make_unique<NetBufferList>());
    NetBufferList* nbl = lists.back().get();
    nbl->firstNetBuffer = buffers.back().get();
    nbl->firstNetBuffer->dataLength = offered;
    if (taken == offered) {  // accepted: the host returns it at once
      sb.onHostIndication(conn, nbl, NdisStatus::kSuccess, taken);
      sb.onHostReceiveReturn(conn, nbl, NdisStatus::kSuccess);
    } else {
      sb.onHostIndication(conn, nbl,
                          taken == 0 ? NdisStatus::kOffloadDataNotAccepted
                                     : NdisStatus::kOffloadDataPartiallyAccepted,
                          taken);
    }
  }
  std::size_t streamViolations() const {
    std::size_t n = 0;
    for (const Violation& v : sb.violations())
      n += v.invariant == 6 && v.check == "ReceiveStreamOrder";
    return n;
  }

  Scoreboard sb;
  ConnectionId conn{7};
  uint32_t slot = 0;
  std::vector<std::unique_ptr<NetBuffer>> buffers;
  std::vector<std::unique_ptr<NetBufferList>> lists;
};

TEST_F(StreamOrder, CompletionThenIndicationInStreamOrderIsClean) {
  NetBufferList* r = postReceive(100, 11);
  readRecv(11, 100);  // bytes 0..99
  readIndicate(50);   // bytes 100..149 buffered
  complete(r, 100);
  indicate(50, 50);
  NetBufferList* r2 = postReceive(80, 12);
  readRecv(12, 30);  // bytes 150..179
  complete(r2, 30);
  EXPECT_TRUE(sb.clean()) << sb.report();
  EXPECT_EQ(sb.streamOrderJudged(), 3u);
}

TEST_F(StreamOrder, RefusedAndPartlyTakenBytesFillTheNextReceive) {
  readIndicate(40);  // bytes 0..39 buffered
  indicate(40, 0);   // refused: still buffered
  readIndicate(20);  // bytes 40..59
  indicate(60, 30);  // takes 0..29
  NetBufferList* r = postReceive(100, 21);
  readRecv(21, 30);  // the buffered 30..59
  complete(r, 30);
  EXPECT_TRUE(sb.clean()) << sb.report();
}

TEST_F(StreamOrder, CatchesAnIndicationAheadOfAnEarlierReceiveCompletion) {
  NetBufferList* r = postReceive(100, 11);
  readRecv(11, 100);
  readIndicate(50);
  indicate(50, 50);  // bytes 100..149 before the receive's 0..99
  complete(r, 100);
  ASSERT_EQ(streamViolations(), 1u) << sb.report();  // one report per broken stream
  const Violation& v = sb.violations().front();
  EXPECT_EQ(v.connection, conn);
  EXPECT_EQ(v.op, OffloadOp::kReceiveIndicate);
  EXPECT_NE(v.detail.find("starts at stream offset 100 but the host has 0"), std::string::npos)
      << v.detail;
}

TEST_F(StreamOrder, CatchesACompletionAheadOfAnEarlierReceiveCompletion) {
  NetBufferList* r1 = postReceive(100, 11);
  NetBufferList* r2 = postReceive(100, 12);
  readRecv(11, 100);
  readRecv(12, 100);
  complete(r2, 100);  // bytes 100..199 first
  EXPECT_EQ(streamViolations(), 1u) << sb.report();
  complete(r1, 100);
  EXPECT_EQ(streamViolations(), 1u) << sb.report();
}

TEST_F(StreamOrder, CatchesAnIndicationOfBytesACompletionAlreadyHeld) {
  readIndicate(50);  // bytes 0..49 buffered, not indicated yet
  NetBufferList* r = postReceive(100, 11);
  readRecv(11, 100);  // the receive took them: 0..99
  complete(r, 100);
  indicate(50, 50);  // the late indication offers bytes the receive held
  ASSERT_EQ(streamViolations(), 1u) << sb.report();
  EXPECT_NE(sb.violations().front().detail.find("the device buffers 0"), std::string::npos)
      << sb.report();
}

TEST_F(StreamOrder, NotJudgedAfterTheStreamIsAborted) {
  NetBufferList* r1 = postReceive(100, 11);
  NetBufferList* r2 = postReceive(100, 12);
  readRecv(11, 100);
  readRecv(12, 100);
  sb.onDescriptorRead(0, slot++, {0, 0, kHw, prm::CplType::kEvtRst, prm::CplStatus::kSuccess});
  complete(r2, 100);
  complete(r1, 100);
  EXPECT_EQ(streamViolations(), 0u) << sb.report();
}

TEST_F(StreamOrder, NotJudgedWithoutDescriptors) {
  indicate(50, 50);  // a target that reports no descriptor read
  EXPECT_EQ(streamViolations(), 0u) << sb.report();
  EXPECT_EQ(sb.streamOrderJudged(), 0u);
}

}  // namespace
}  // namespace chimney
