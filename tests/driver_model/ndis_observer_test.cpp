// What NDIS reports to its observer around the calls it makes, and its
// deferred work: every up call (completion, indication, event) opens and
// closes one edge call; runWorkItems says whether it ran anything.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "observed_stack.h"

namespace chimney::test {
namespace {

class RecordingObserver : public StackObserver {
 public:
  void onUpCallBegin(const EdgeCall& call) override {
    log.push_back("begin " + std::string(toString(call.op)));
  }
  void onUpCallEnd(const EdgeCall& call, NdisStatus, uint32_t) override {
    log.push_back("end " + std::string(toString(call.op)));
  }
  std::vector<std::string> log;
};

// A host stack over the fake target, NDIS reporting to a recording observer.
using Observed = ObservedStack<RecordingObserver>;

TEST(NdisObserver, AnEventUpCallIsReportedBeganAndEnded) {
  Observed s;
  const ConnectionId c = s.host.openConnection();
  s.observer.log.clear();

  s.target.event(c, OffloadEvent::kDisconnect);

  const std::vector<std::string>& log = s.observer.log;
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].rfind("begin ", 0), 0u) << log[0];
  EXPECT_EQ(log[1].rfind("end ", 0), 0u) << log[1];
  EXPECT_EQ(log[0].substr(6), log[1].substr(4));
  EXPECT_TRUE(s.host.stats(c).peerFin);
}

TEST(NdisObserver, OffloadAndTerminateCompletionsAreReportedBeganAndEnded) {
  Observed s;
  const ConnectionId c = s.host.openConnection();
  s.host.terminate(c);

  const std::vector<std::string> expected = {
      "begin " + std::string(toString(OffloadOp::kInitiateOffload)),
      "end " + std::string(toString(OffloadOp::kInitiateOffload)),
      "begin " + std::string(toString(OffloadOp::kTerminateOffload)),
      "end " + std::string(toString(OffloadOp::kTerminateOffload))};
  EXPECT_EQ(s.observer.log, expected);
}

TEST(NdisObserver, RunWorkItemsSaysWhetherItRanAnything) {
  Ndis ndis;
  EXPECT_FALSE(ndis.runWorkItems());
  int ran = 0;
  ndis.NdisQueueIoWorkItem([&] { ++ran; });
  ndis.NdisQueueIoWorkItem([&] { ++ran; });
  EXPECT_TRUE(ndis.runWorkItems());
  EXPECT_EQ(ran, 2);
  EXPECT_FALSE(ndis.runWorkItems());
}

// A pool's NBL comes out clean, also when it is reused: no status, bytes or
// receive flag left from its last use.
TEST(NblPool, AReusedNblComesBackClean) {
  NetBufferListPool pool;
  NetBufferList* nbl = pool.allocate(100, 0x1000);
  nbl->status = NdisStatus::kRequestAborted;
  nbl->tcpOffloadBytesTransferred = 40;
  nbl->tcpReceiveNoPush = true;
  pool.free(nbl);
  NetBufferList* again = pool.allocate(100, 0x1000);
  EXPECT_EQ(again->status, NdisStatus::kSuccess);
  EXPECT_EQ(again->tcpOffloadBytesTransferred, 0u);
  EXPECT_FALSE(again->tcpReceiveNoPush);
  EXPECT_EQ(again->next, nullptr);
  pool.free(again);
}

// An NBL a driver builds itself (not from a pool) starts as NDIS zeroes one:
// success, no bytes transferred, the receive's NoPush flag clear, one
// NET_BUFFER of its own, no owner data.
TEST(NblPool, ADriverBuiltNblStartsClear) {
  NetBufferList nbl;
  EXPECT_EQ(nbl.status, NdisStatus::kSuccess);
  EXPECT_EQ(nbl.tcpOffloadBytesTransferred, 0u);
  EXPECT_FALSE(nbl.tcpReceiveNoPush);
  EXPECT_EQ(nbl.next, nullptr);
  EXPECT_EQ(nbl.firstNetBuffer, &nbl.netBuffer);
  EXPECT_EQ(nbl.scratch, 0u);
  EXPECT_TRUE(nbl.contextStack.empty());
}

TEST(NblList, LengthCountsEveryLink) {
  NetBufferList a, b, c;
  EXPECT_EQ(nblListLength(nullptr), 0u);
  a.next = &b;
  b.next = &c;
  EXPECT_EQ(nblListLength(&a), 3u);
  EXPECT_EQ(nblListLength(&c), 1u);
}

}  // namespace
}  // namespace chimney::test
