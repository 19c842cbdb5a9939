// Offload target end to end on the behavioural device and the peer model:
// every operation and status, chaining, indications, FIN, RST, terminate,
// DMA error recovery, SQ full, DPC budget, interrupt moderation, and seeded
// random traffic over many connections.
#include <gtest/gtest.h>

#include <random>

#include "offload_target_e2e_fixture.h"

namespace chimney {
namespace {

using testing::completedWith;
using testing::OffloadTargetEndToEnd;
using Op = OffloadOp;

TEST_F(OffloadTargetEndToEnd, SendsCompleteSuccessInPostingOrderWithEveryByteChained) {
  auto cfg = defaultConfig();
  cfg.hw.irqModCount = 4;  // several descriptors per interrupt
  cfg.hw.irqModTimer = 20;
  start(cfg);
  const NdisOffloadHandle h = offload(1);
  for (uint32_t i = 0; i < 20; ++i) post(Op::kSend, h, 300 + 500 * i);

  settle();

  const auto sends = doneOf(Op::kSend, h);
  ASSERT_EQ(sends.size(), 20u);
  for (const auto& d : sends) {
    EXPECT_EQ(d.status, NdisStatus::kSuccess);
    EXPECT_EQ(d.bytes, posted[d.nbl].length);
  }
  EXPECT_LT(completionCalls, 20u);  // several sends per completion call
  EXPECT_EQ(outstanding(), 0u);
  expectRingsConsistent();
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, ReceivesAreFilledByPeerDataAndCompletedByPush) {
  const NdisOffloadHandle h = startWithOneConnection();
  NetBufferList* r1 = post(Op::kReceive, h, 1500);
  NetBufferList* r2 = post(Op::kReceive, h, 1500);
  NetBufferList* r3 = post(Op::kReceive, h, 1500);
  settle();
  peer->peerSend(hw(h), 2500);  // fills r1, 1000 bytes into r2 with PUSH

  settle();

  ASSERT_EQ(doneOf(Op::kReceive, h).size(), 2u);
  EXPECT_EQ(r1->tcpOffloadBytesTransferred, 1500u);
  EXPECT_TRUE(completedWith(r2, NdisStatus::kSuccess, 1000u));
  EXPECT_FALSE(posted[r3].done);
  EXPECT_EQ(receivedBytes[h.value], 2500u);
  EXPECT_EQ(indications, 0u);
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, NoPushReceiveWaitsUntilItsBufferIsFull) {
  const NdisOffloadHandle h = startWithOneConnection();
  NetBufferList* r = post(Op::kReceive, h, 3000, 0, true);
  settle();
  peerSendsAndSettle(h, 1000);
  EXPECT_FALSE(posted[r].done);

  peerSendsAndSettle(h, 2000);

  EXPECT_TRUE(posted[r].done);
  EXPECT_EQ(r->tcpOffloadBytesTransferred, 3000u);
}

TEST_F(OffloadTargetEndToEnd, DataWithoutReceivesIsIndicatedAndConsumedWhenAccepted) {
  const NdisOffloadHandle h = startWithOneConnection();
  peerSendsAndSettle(h, 3000);

  EXPECT_GE(indications, 1u);
  EXPECT_EQ(indicatedBytes[h.value], 3000u);
  EXPECT_EQ(dev->conn(hw(h)).buffered, 0u);
  EXPECT_EQ(target->outstandingIndications(), 0u);  // all returned by the host
  EXPECT_EQ(target->counters().indicationsAccepted, indications);
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, RefusedIndicationLeavesDataForTheNextReceives) {
  const NdisOffloadHandle h = startWithOneConnection();
  policy = IndicatePolicy::kRefuse;
  peerSendsAndSettle(h, 2000);
  EXPECT_GE(indications, 1u);
  EXPECT_EQ(dev->conn(hw(h)).buffered, 2000u);

  NetBufferList* r1 = post(Op::kReceive, h, 1500);
  NetBufferList* r2 = post(Op::kReceive, h, 1500);
  settle();

  EXPECT_EQ(r1->tcpOffloadBytesTransferred, 1500u);
  EXPECT_EQ(r2->tcpOffloadBytesTransferred, 500u);
  EXPECT_EQ(receivedBytes[h.value], 2000u);
  EXPECT_EQ(indicatedBytes[h.value], 0u);
  EXPECT_EQ(target->bufferedBytes(hw(h)), 0u);
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, PartiallyAcceptedIndicationsAndReceivesAddUpToThePeersBytes) {
  const NdisOffloadHandle h = startWithOneConnection();
  policy = IndicatePolicy::kHalf;
  peerSendsAndSettle(h, 1000);
  peerSendsAndSettle(h, 3000);
  EXPECT_GE(target->counters().indicationsPartial, 2u);

  for (int i = 0; i < 4; ++i) post(Op::kReceive, h, 1500);
  settle();
  peer->peerFin(hw(h));
  settle();

  EXPECT_EQ(indicatedBytes[h.value] + receivedBytes[h.value], 4000u);
  EXPECT_EQ(outstanding(), 0u);
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, IndicationRacingAReceivePostDeliversEveryByteExactlyOnce) {
  auto cfg = defaultConfig();
  cfg.hw.irqModCount = 100;  // the interrupt comes late: the host posts a receive meanwhile
  cfg.hw.irqModTimer = 200;
  start(cfg);
  const NdisOffloadHandle h = offload(1);
  peer->peerSend(hw(h), 3000);
  run(60);  // data buffered, RX_INDICATE committed, not yet signalled
  ASSERT_EQ(indications, 0u);
  ASSERT_EQ(dev->conn(hw(h)).buffered, 3000u);
  NetBufferList* r = post(Op::kReceive, h, 1000);  // the engine fills it from the buffer

  settle();

  EXPECT_EQ(r->tcpOffloadBytesTransferred, 1000u);
  EXPECT_GE(target->counters().indicationsDeferred, 1u);
  EXPECT_EQ(indications, 1u);  // the leftover, once, after the receive completed
  EXPECT_EQ(indicatedBytes[h.value], 2000u);
  EXPECT_EQ(dev->conn(hw(h)).buffered, 0u);
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, GracefulDisconnectCompletesAfterItsSendsWithItsBytes) {
  const NdisOffloadHandle h = startWithOneConnection();
  for (int i = 0; i < 5; ++i) post(Op::kSend, h, 4000);
  NetBufferList* d = post(Op::kDisconnect, h, 700, kTcpDisconnectGraceful);

  settle();

  ASSERT_EQ(done.size(), 6u);
  EXPECT_EQ(done.back().nbl, d);
  EXPECT_TRUE(completedWith(d, NdisStatus::kSuccess, 700u));
  expectRingsConsistent();
}

TEST_F(OffloadTargetEndToEnd, AbortiveDisconnectAbortsOutstandingSendsThenSucceeds) {
  const NdisOffloadHandle h = startWithOneConnection();
  for (int i = 0; i < 5; ++i) post(Op::kSend, h, 50000);
  run(3);  // fetched, nowhere near acknowledged
  NetBufferList* d = post(Op::kDisconnect, h, 100, kTcpDisconnectAbortive);

  settle();

  const auto sends = doneOf(Op::kSend, h);
  ASSERT_EQ(sends.size(), 5u);
  bool failed = false;
  for (const auto& s : sends) {
    if (s.status != NdisStatus::kSuccess) failed = true;
    if (failed) {
      EXPECT_EQ(s.status, NdisStatus::kRequestAborted);
    }
  }
  EXPECT_TRUE(failed);
  EXPECT_EQ(done.back().nbl, d);
  EXPECT_TRUE(completedWith(d, NdisStatus::kSuccess, 0u));
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, PeerFinEndsOutstandingReceivesAndLaterReceivesAreInvalidState) {
  const NdisOffloadHandle h = startWithOneConnection();
  NetBufferList* r1 = post(Op::kReceive, h, 1000);
  NetBufferList* r2 = post(Op::kReceive, h, 1000);
  settle();
  peer->peerSend(hw(h), 300);
  peer->peerFin(hw(h));
  settle();

  EXPECT_EQ(r1->tcpOffloadBytesTransferred, 300u);
  EXPECT_TRUE(completedWith(r2, NdisStatus::kSuccess, 0u));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].second, OffloadEvent::kDisconnect);

  NetBufferList* late = post(Op::kReceive, h, 1000);
  settle();
  EXPECT_EQ(late->status, NdisStatus::kInvalidState);
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, PeerRstAbortsEverythingOutstandingAndRaisesAbort) {
  const NdisOffloadHandle h = startWithOneConnection();
  post(Op::kSend, h, 80000);
  post(Op::kReceive, h, 1000);
  run(5);
  peer->peerRst(hw(h));

  settle();

  for (const auto& d : done) {
    EXPECT_EQ(d.status, NdisStatus::kRequestAborted) << toString(posted[d.nbl].op);
  }
  EXPECT_EQ(done.size(), 2u);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].second, OffloadEvent::kAbort);
  NetBufferList* after = post(Op::kSend, h, 10);
  settle();
  EXPECT_EQ(after->status, NdisStatus::kRequestAborted);
}

TEST_F(OffloadTargetEndToEnd, ForwardCompletesWhenThePeerReportsItDone) {
  const NdisOffloadHandle h = startWithOneConnection();
  NetBufferList* f = post(Op::kForward, h, 1400);
  settle();
  EXPECT_EQ(f->status, NdisStatus::kSuccess);
  EXPECT_EQ(f->firstNetBuffer->dataOffset, f->tcpOffloadBytesTransferred);
}

TEST_F(OffloadTargetEndToEnd, MalformedRequestsCompleteWithInvalidParameter) {
  const NdisOffloadHandle h = startWithOneConnection();
  NetBufferList* empty = post(Op::kSend, h, 0);
  NetBufferList* stranger = post(Op::kSend, NdisOffloadHandle{4242}, 10);
  NetBufferList* badFlags = post(Op::kDisconnect, h, 0, 0x3);
  post(Op::kDisconnect, h, 0, kTcpDisconnectGraceful);
  NetBufferList* afterFin = post(Op::kSend, h, 10);

  settle();

  EXPECT_EQ(empty->status, NdisStatus::kInvalidParameter);
  EXPECT_EQ(stranger->status, NdisStatus::kInvalidParameter);
  EXPECT_EQ(badFlags->status, NdisStatus::kInvalidParameter);
  EXPECT_EQ(afterFin->status, NdisStatus::kInvalidParameter);
  EXPECT_EQ(outstanding(), 0u);
}

TEST_F(OffloadTargetEndToEnd, TerminateUnderLoadUploadsOutstandingAndTheIdIsReusable) {
  const NdisOffloadHandle h = startWithOneConnection();
  const uint16_t conn = hw(h);
  for (int i = 0; i < 4; ++i) post(Op::kSend, h, 60000);
  for (int i = 0; i < 3; ++i) post(Op::kReceive, h, 1000);
  run(20);
  peer->peerSend(conn, 100000);  // keeps arriving after the terminate: late traffic

  terminate(h);
  post(Op::kSend, h, 10);  // posted while terminating
  settle();

  EXPECT_TRUE(terminatedHandles.count(h));
  EXPECT_EQ(outstanding(), 0u);
  for (const auto& d : done) {
    EXPECT_TRUE(d.status == NdisStatus::kSuccess || d.status == NdisStatus::kUploadInProgress);
  }
  EXPECT_EQ(dev->conn(conn).state, BehaviouralDevice::ConnState::kClosed);
  EXPECT_EQ(target->liveConnections(), 0u);
  expectRingsConsistent();
  expectNoBadInput();

  // The freed id serves a new connection.
  peer->forget(conn);
  std::vector<NdisOffloadHandle> fresh;
  for (uint32_t id = 2; id < 2 + 64; ++id) fresh.push_back(offload(id));
  EXPECT_EQ(target->liveConnections(), 64u);
  NetBufferList* s = post(Op::kSend, fresh.back(), 500);
  settle();
  EXPECT_EQ(s->status, NdisStatus::kSuccess);
}

TEST_F(OffloadTargetEndToEnd, DmaErrorOnCompletionWriteIsRecoveredWithoutLosingCompletions) {
  start();
  const NdisOffloadHandle a = offload(1), b = offload(2);
  for (int i = 0; i < 10; ++i) {
    post(Op::kSend, a, 2000);
    post(Op::kSend, b, 2000);
  }
  run(30);
  dev->failNextCompletionWrite(target->queuePairOf(hw(a)));
  for (int i = 0; i < 10; ++i) post(Op::kSend, a, 2000);

  settle();

  EXPECT_TRUE(allSucceeded());
  EXPECT_EQ(target->counters().recoveries, 1u);
  EXPECT_FALSE(dev->queuePair(target->queuePairOf(hw(a))).halted);
  expectRingsConsistent();
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, DmaErrorOnFetchIsRecoveredAndTheEntryFetchedAgain) {
  auto cfg = defaultConfig();
  cfg.moveRingsOnDmaError = false;
  const NdisOffloadHandle h = startWithOneConnection(cfg);
  dev->failNextFetch(target->queuePairOf(hw(h)));
  for (int i = 0; i < 6; ++i) post(Op::kSend, h, 1000);

  settle();

  EXPECT_TRUE(allSucceeded());
  EXPECT_EQ(target->counters().recoveries, 1u);
  expectRingsConsistent();
}

TEST_F(OffloadTargetEndToEnd, TinyRingsAndSmallBudgetStillCompleteEverythingInOrder) {
  auto cfg = defaultConfig();
  cfg.hw.sqLog2Entries = 1;
  cfg.hw.cqLog2Entries = 2;
  cfg.dpcBudget = 2;
  cfg.hw.irqModCount = 4;
  cfg.hw.irqModTimer = 10;
  start(cfg);
  std::vector<NdisOffloadHandle> hs{offload(1), offload(2), offload(3)};
  for (int i = 0; i < 60; ++i) post(Op::kSend, hs[i % 3], 100 + i);

  settle();

  EXPECT_EQ(outstanding(), 0u);
  EXPECT_GT(target->counters().sqFullStalls, 0u);
  EXPECT_GT(target->counters().dpcBudgetExhausted, 0u);
  expectRingsConsistent();
  expectNoBadInput();
}

TEST_F(OffloadTargetEndToEnd, ModeratedInterruptsStillDeliverEveryCompletion) {
  const NdisOffloadHandle h = startWithOneConnection(withModeration(8, 30));
  for (int i = 0; i < 37; ++i) post(Op::kSend, h, 100);

  settle();

  EXPECT_EQ(outstanding(), 0u);
  EXPECT_LT(target->counters().interrupts, 37u);
  expectRingsConsistent();
}

TEST_F(OffloadTargetEndToEnd, SeededRandomTrafficOverManyConnectionsKeepsEveryRule) {
  auto cfg = defaultConfig();
  cfg.hw.sqLog2Entries = 3;
  cfg.dpcBudget = 5;
  start(cfg);
  std::mt19937_64 rng(20240611);
  std::vector<NdisOffloadHandle> hs;
  for (uint32_t id = 1; id <= 16; ++id) hs.push_back(offload(id));
  std::map<uint32_t, uint64_t> peerBytes;
  for (int step = 0; step < 400; ++step) {
    const NdisOffloadHandle h = hs[rng() % hs.size()];
    switch (rng() % 4) {
      case 0:
        post(Op::kSend, h, 1 + uint32_t(rng() % 5000));
        break;
      case 1:
        post(Op::kReceive, h, uint32_t(rng() % 3000), 0, rng() % 4 == 0);
        break;
      case 2: {
        const uint32_t n = 1 + uint32_t(rng() % 4000);
        peer->peerSend(hw(h), n);
        peerBytes[h.value] += n;
        break;
      }
      case 3:
        post(Op::kForward, h, 1 + uint32_t(rng() % 1500));
        break;
    }
    policy = IndicatePolicy(rng() % 3);
    run(rng() % 20);
  }
  policy = IndicatePolicy::kAccept;
  for (const NdisOffloadHandle h : hs) {
    peer->peerFin(hw(h));
    post(Op::kDisconnect, h, 10, kTcpDisconnectGraceful);
  }
  settle();
  for (const NdisOffloadHandle h : hs) {
    for (int i = 0; i < 4; ++i) post(Op::kReceive, h, 4000);  // drain what is still buffered
  }
  settle();

  EXPECT_EQ(outstanding(), 0u);
  for (const NdisOffloadHandle h : hs) {
    EXPECT_EQ(receivedBytes[h.value] + indicatedBytes[h.value], peerBytes[h.value])
        << "connection " << h.value;
  }
  EXPECT_EQ(target->outstandingIndications(), 0u);
  expectRingsConsistent();
  expectNoBadInput();
}

// IRQ_MOD_COUNT 8 with 2-entry CQs and the timer off: the engine's count can
// never reach 8 (the CQ holds 2), so unless the driver programs at most the
// ring size nothing ever wakes it and the sends never complete.
TEST_F(OffloadTargetEndToEnd, ModerationCountAboveTheRingSizeStillWakesTheDriver) {
  auto cfg = withModeration(8, 0);
  cfg.hw.sqLog2Entries = 1;
  cfg.hw.cqLog2Entries = 1;
  const NdisOffloadHandle h = startWithOneConnection(cfg);
  for (uint32_t i = 0; i < 40; ++i) post(Op::kSend, h, 100 + i);

  settle();

  EXPECT_EQ(doneOf(Op::kSend, h).size(), 40u);
  EXPECT_EQ(outstanding(), 0u);
  expectRingsConsistent();
  expectNoBadInput();
}

// allSucceeded fails while a request is outstanding and on a completion that
// is not SUCCESS.
TEST_F(OffloadTargetEndToEnd, AllSucceededFailsWhenItMust) {
  const NdisOffloadHandle h = startWithOneConnection();
  EXPECT_TRUE(allSucceeded());
  post(Op::kSend, h, 500);
  EXPECT_FALSE(allSucceeded());
  settle();
  EXPECT_TRUE(allSucceeded());
  done.push_back({nullptr, OffloadOp::kSend, NdisStatus::kRequestAborted, 0});
  const ::testing::AssertionResult aborted = allSucceeded();
  EXPECT_FALSE(aborted);
  EXPECT_NE(std::string(aborted.message()).find("came back"), std::string::npos);
}

}  // namespace
}  // namespace chimney
