// Offload target: connection offload, the four initiating calls (SQ
// descriptors, doorbells, PENDING), completion mapping and chaining, the
// DPC's phase reading and budget, SQ full. Played against FakeDevice.
#include <gtest/gtest.h>

#include "offload_target_fixture.h"
#include "offload_target_status.h"

namespace chimney {
namespace {

using testing::completedWith;
using testing::OffloadTargetTest;

TEST_F(OffloadTargetTest, InitiateOffloadBindsConnectionWithOffloadCommand) {
  start();

  const NdisOffloadHandle h = offload(11);

  ASSERT_EQ(dev->cmds.size(), 1u);
  EXPECT_EQ(dev->cmds[0].op, prm::ConnOp::kOffload);
  EXPECT_EQ(dev->cmds[0].conn, hwConn(h));
  EXPECT_EQ(dev->cmds[0].qp, qpOf(h));
  ASSERT_EQ(initiated.size(), 1u);
  ASSERT_EQ(observer.bound.size(), 1u);
  EXPECT_EQ(observer.bound[0].id, ConnectionId{11});
  EXPECT_EQ(observer.bound[0].hw, hwConn(h));
}

TEST_F(OffloadTargetTest, ConnectionsAreSpreadOverQueuePairs) {
  start();
  const NdisOffloadHandle a = offload(1), b = offload(2), c = offload(3);
  EXPECT_EQ(qpOf(a), 0u);
  EXPECT_EQ(qpOf(b), 1u);
  EXPECT_EQ(qpOf(c), 0u);
}

TEST_F(OffloadTargetTest, InitiateOffloadFailsWhenEngineRefusesCommand) {
  start();
  dev->onCommand = [](const testing::FakeDevice::Cmd&) { return prm::CmdResult::kBadState; };
  OffloadBlock b;
  b.handle = NdisOffloadHandle{5};
  b.connection = ConnectionId{5};

  target->MiniportInitiateOffload(&b);

  EXPECT_EQ(b.status, NdisStatus::kInvalidState);
  ASSERT_EQ(initiated.size(), 1u);
  EXPECT_FALSE(target->hardwareConnection(b.handle).has_value());
  EXPECT_EQ(target->counters().offloadFailures, 1u);
}

TEST_F(OffloadTargetTest, SendBecomesOneDescriptorAndDoorbellAndReturnsPending) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* n = nbl(1500, 0xABC000);

  EXPECT_EQ(send(h, n), NdisStatus::kPending);

  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(dev->qp(qpOf(h)).sqTail, 1);
  const auto reqs = fetch(qpOf(h));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].opcode, uint8_t(prm::Opcode::kSend));
  EXPECT_EQ(reqs[0].flags, 0);
  EXPECT_EQ(reqs[0].conn, hwConn(h));
  EXPECT_EQ(reqs[0].length, 1500u);
  EXPECT_EQ(reqs[0].buffer, 0xABC000u);
  EXPECT_NE(reqs[0].tag, 0u);
}

TEST_F(OffloadTargetTest, ListOfSendsBecomesOneDescriptorEachInListOrderAndOneDoorbell) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* list = nblListFromVector({nbl(10), nbl(20), nbl(30)});
  dev->log.clear();

  EXPECT_EQ(send(h, list), NdisStatus::kPending);

  const auto reqs = fetch(qpOf(h));
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].length, 10u);
  EXPECT_EQ(reqs[1].length, 20u);
  EXPECT_EQ(reqs[2].length, 30u);
  std::size_t doorbells = 0;
  for (const auto& w : dev->log) doorbells += w.first == prm::reg::qp(qpOf(h), prm::reg::kSqTail);
  EXPECT_EQ(doorbells, 1u);
}

TEST_F(OffloadTargetTest, ReceiveCarriesNoPushAndDisconnectCarriesAbortive) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* r = nbl(100);
  r->tcpReceiveNoPush = true;
  NetBufferList* g = nbl(5);
  NetBufferList* a = nbl(0);
  NetBufferList* bad = nbl(0);
  NetBufferList* f = nbl(64);

  EXPECT_EQ(recv(h, r), NdisStatus::kPending);
  EXPECT_EQ(disconnect(h, g, kTcpDisconnectGraceful), NdisStatus::kPending);
  EXPECT_EQ(disconnect(h, a, kTcpDisconnectAbortive), NdisStatus::kPending);
  EXPECT_EQ(disconnect(h, bad, kTcpDisconnectAbortive | kTcpDisconnectGraceful),
            NdisStatus::kPending);
  EXPECT_EQ(forward(h, f), NdisStatus::kPending);

  const auto reqs = fetch(qpOf(h));
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs[0].opcode, uint8_t(prm::Opcode::kRecv));
  EXPECT_EQ(reqs[0].flags, prm::reqflag::kNoPush);
  EXPECT_EQ(reqs[1].opcode, uint8_t(prm::Opcode::kDisconnect));
  EXPECT_EQ(reqs[1].flags, 0);
  EXPECT_EQ(reqs[1].length, 5u);
  EXPECT_EQ(reqs[2].flags, prm::reqflag::kAbortive);
  EXPECT_EQ(reqs[3].flags & 0x80, 0x80);  // no opcode owns it: engine says INVALID_REQUEST
  EXPECT_EQ(reqs[4].opcode, uint8_t(prm::Opcode::kForward));
  EXPECT_TRUE(calls.empty());
}

TEST_F(OffloadTargetTest, BufferWhoseMdlChainIsShortIsPassedAsMalformed) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* shortRecv = nbl(100);
  shortRecv->firstNetBuffer->mdlChain.back().byteCount = 99;
  NetBufferList* offsetSend = nbl(100);
  offsetSend->firstNetBuffer->dataOffset = 1;  // 1 + 100 bytes from a 100-byte chain
  NetBufferList* fine = nbl(100);
  fine->firstNetBuffer->mdlChain = {Mdl{0x1000, 60}, Mdl{0x2000, 40}};

  EXPECT_EQ(recv(h, shortRecv), NdisStatus::kPending);
  EXPECT_EQ(send(h, offsetSend), NdisStatus::kPending);
  EXPECT_EQ(send(h, fine), NdisStatus::kPending);

  const auto reqs = fetch(qpOf(h));
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].flags & 0x80, 0x80);  // the engine completes it INVALID_REQUEST
  EXPECT_EQ(reqs[1].flags & 0x80, 0x80);
  EXPECT_EQ(reqs[2].flags, 0);
  EXPECT_TRUE(calls.empty());
}

TEST_F(OffloadTargetTest, CompletionReturnsPostedNblWithStatusBytesAndAdvancedDataStart) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* n = sendAndComplete(h, 1000, prm::CplStatus::kAborted, 400);
  irq(qpOf(h));

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  ASSERT_EQ(calls[0].nbls.size(), 1u);
  EXPECT_EQ(calls[0].nbls[0], n);
  EXPECT_TRUE(completedWith(n, NdisStatus::kRequestAborted, 400u));
  EXPECT_EQ(n->firstNetBuffer->dataOffset, 400u);
  EXPECT_EQ(n->firstNetBuffer->dataLength, 600u);
  EXPECT_EQ(target->outstandingRequests(), 0u);
}

struct StatusCase {
  prm::CplStatus hw;
  OffloadOp op;
  NdisStatus ndis;
};

class StatusMapping : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusMapping, HardwareStatusMapsToNdisStatusOfTheTable) {
  const auto& p = GetParam();
  const MappedStatus m = mapCompletionStatus(p.hw, p.op);
  EXPECT_TRUE(m.known);
  EXPECT_EQ(m.status, p.ndis);
}

INSTANTIATE_TEST_SUITE_P(
    OffloadTarget, StatusMapping,
    ::testing::Values(
        StatusCase{prm::CplStatus::kSuccess, OffloadOp::kSend, NdisStatus::kSuccess},
        StatusCase{prm::CplStatus::kAborted, OffloadOp::kSend, NdisStatus::kRequestAborted},
        StatusCase{prm::CplStatus::kUpload, OffloadOp::kForward, NdisStatus::kUploadInProgress},
        StatusCase{prm::CplStatus::kInvalidState, OffloadOp::kReceive, NdisStatus::kInvalidState},
        StatusCase{prm::CplStatus::kInvalidState, OffloadOp::kSend, NdisStatus::kInvalidParameter},
        StatusCase{prm::CplStatus::kInvalidState, OffloadOp::kDisconnect,
                   NdisStatus::kInvalidParameter},
        StatusCase{prm::CplStatus::kInvalidConn, OffloadOp::kSend, NdisStatus::kInvalidParameter},
        StatusCase{prm::CplStatus::kInvalidRequest, OffloadOp::kDisconnect,
                   NdisStatus::kInvalidParameter},
        StatusCase{prm::CplStatus::kWrongQp, OffloadOp::kReceive, NdisStatus::kInvalidParameter}));

TEST_F(OffloadTargetTest, UndefinedHardwareStatusIsCountedAndBecomesRequestAborted) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  NetBufferList* n = sendAndComplete(h, 10, prm::CplStatus(0x7F), 0);
  irq(qpOf(h));

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(n->status, NdisStatus::kRequestAborted);
  EXPECT_EQ(target->counters().unknownStatus, 1u);
}

TEST_F(OffloadTargetTest, ConsecutiveCompletionsOfOneKindAndConnectionShareOneCall) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList *s1 = nbl(10), *s2 = nbl(20), *s3 = nbl(30), *r1 = nbl(40);
  send(h, s1);
  send(h, s2);
  recv(h, r1);
  send(h, s3);
  constexpr prm::CplStatus ok = prm::CplStatus::kSuccess;
  completeFetched(q, {{ok, 10}, {ok, 20}, {ok, 40}, {ok, 30}});

  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].op, OffloadOp::kSend);
  EXPECT_EQ(calls[0].nbls, (std::vector<NetBufferList*>{s1, s2}));
  EXPECT_EQ(calls[1].op, OffloadOp::kReceive);
  EXPECT_EQ(calls[1].nbls, (std::vector<NetBufferList*>{r1}));
  EXPECT_EQ(calls[2].op, OffloadOp::kSend);
  EXPECT_EQ(calls[2].nbls, (std::vector<NetBufferList*>{s3}));
}

TEST_F(OffloadTargetTest, InterleavedConnectionsGetOneCallEachWithTheirOwnOrder) {
  start(defaultConfig(), 1);
  const NdisOffloadHandle a = offload(1), b = offload(2);
  NetBufferList *a1 = nbl(1), *a2 = nbl(2), *b1 = nbl(3), *b2 = nbl(4);
  send(a, a1);
  send(b, b1);
  send(a, a2);
  send(b, b2);
  const auto reqs = fetch(0);

  for (const auto& r : reqs) completeReq(0, r, prm::CplStatus::kSuccess, r.length);
  irq(0);

  ASSERT_EQ(calls.size(), 2u);
  std::vector<std::vector<NetBufferList*>> lists{calls[0].nbls, calls[1].nbls};
  EXPECT_NE(std::find(lists.begin(), lists.end(), std::vector<NetBufferList*>{a1, a2}),
            lists.end());
  EXPECT_NE(std::find(lists.begin(), lists.end(), std::vector<NetBufferList*>{b1, b2}),
            lists.end());
}

TEST_F(OffloadTargetTest, SendListHoldsAtMostOnePartialAndNoSuccessAfterFailure) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList *s1 = nbl(10), *s2 = nbl(10), *s3 = nbl(10), *s4 = nbl(10);
  send(h, nblListFromVector({s1, s2, s3, s4}));
  // A misbehaving engine: two partial sends, then a success after a failure.
  constexpr prm::CplStatus ok = prm::CplStatus::kSuccess, aborted = prm::CplStatus::kAborted;
  completeFetched(q, {{aborted, 5}, {aborted, 5}, {ok, 10}, {aborted, 0}});

  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].nbls, (std::vector<NetBufferList*>{s1}));
  EXPECT_EQ(calls[1].nbls, (std::vector<NetBufferList*>{s2}));
  EXPECT_EQ(calls[2].nbls, (std::vector<NetBufferList*>{s3, s4}));
}

// The common case of a reset during a send: one send completed, the next
// aborted after part of it was acknowledged, the rest aborted with nothing
// sent. One partial send, and no success after a failure: one list.
TEST_F(OffloadTargetTest, ASendListKeepsItsOnePartialSendWithTheSendsAroundIt) {
  const auto [h, q] = startWithOneConnection();
  NetBufferList *s1 = nbl(10), *s2 = nbl(10), *s3 = nbl(10);
  send(h, nblListFromVector({s1, s2, s3}));
  constexpr prm::CplStatus ok = prm::CplStatus::kSuccess, aborted = prm::CplStatus::kAborted;
  completeFetched(q, {{ok, 10}, {aborted, 4}, {aborted, 0}});

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls, (std::vector<NetBufferList*>{s1, s2, s3}));
  EXPECT_EQ(s2->tcpOffloadBytesTransferred, 4u);
}

TEST_F(OffloadTargetTest, CompletionQueueIsReadByPhaseAcrossManyWraps) {
  start();  // 16-entry rings
  const NdisOffloadHandle h = offload(1);
  const unsigned q = qpOf(h);
  std::size_t completed = 0;
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 5; ++i) send(h, nbl(8));
    for (const auto& r : fetch(q)) completeReq(q, r, prm::CplStatus::kSuccess, 8);
    irq(q);
    for (const auto& c : calls) completed += c.nbls.size();
    calls.clear();
  }
  EXPECT_EQ(completed, 100u);
  EXPECT_EQ(target->outstandingRequests(), 0u);
  EXPECT_EQ(dev->qp(q).cqHead, 100);
  EXPECT_EQ(target->counters().phaseMismatch, 0u);
  EXPECT_EQ(target->counters().unknownTag, 0u);
}

TEST_F(OffloadTargetTest, DpcBudgetBoundsEachRunAndReArmsOnlyWhenDrained) {
  auto cfg = defaultConfig();
  cfg.dpcBudget = 4;
  const auto [h, q] = startWithOneConnection(cfg);
  for (int i = 0; i < 10; ++i) send(h, nbl(8));
  for (const auto& r : fetch(q)) completeReq(q, r, prm::CplStatus::kSuccess, 8);
  dev->log.clear();

  irq(q);

  std::vector<uint32_t> heads;
  for (const auto& w : dev->log) {
    if (w.first == prm::reg::qp(q, prm::reg::kCqHead)) heads.push_back(w.second);
  }
  EXPECT_EQ(heads, (std::vector<uint32_t>{4, 8, 10 | prm::kCqHeadArm}));
  EXPECT_EQ(target->counters().dpcBudgetExhausted, 2u);
  EXPECT_EQ(calls.size(), 3u);  // one chain per DPC run
  EXPECT_EQ(target->outstandingRequests(), 0u);
}

TEST_F(OffloadTargetTest, DpcThroughSchedulerRequeuesItselfWhenBudgetRunsOut) {
  auto cfg = defaultConfig();
  cfg.dpcBudget = 3;
  start(cfg);
  std::vector<std::function<void()>> queued;
  target->setDpcScheduler([&](std::function<void()> f) { queued.push_back(std::move(f)); });
  const NdisOffloadHandle h = offload(1);
  const unsigned q = qpOf(h);
  for (int i = 0; i < 7; ++i) send(h, nbl(8));
  for (const auto& r : fetch(q)) completeReq(q, r, prm::CplStatus::kSuccess, 8);

  irq(q);
  EXPECT_TRUE(calls.empty());  // the ISR only queued the DPC
  std::size_t runs = 0;
  while (!queued.empty()) {
    auto f = std::move(queued.front());
    queued.erase(queued.begin());
    f();
    ++runs;
  }

  EXPECT_EQ(runs, 3u);
  EXPECT_EQ(target->outstandingRequests(), 0u);
  EXPECT_TRUE(dev->qp(q).armed);
}

// The DPC is one object (KeInsertQueueDpc does not queue a DPC twice): the
// interrupts that come before it runs queue it once, and the one run serves
// them all. Once it has run, the next interrupt queues it again.
TEST_F(OffloadTargetTest, InterruptsBeforeTheDpcRunsQueueItOnce) {
  start(defaultConfig(), 2);
  std::vector<std::function<void()>> queued;
  target->setDpcScheduler([&](std::function<void()> f) { queued.push_back(std::move(f)); });
  const NdisOffloadHandle a = offload(1);
  NetBufferList* first = sendAndComplete(a, 10, prm::CplStatus::kSuccess, 10);
  const unsigned q = qpOf(a);

  irq(q);
  irq(1 - q);  // the other queue pair's vector
  ASSERT_EQ(queued.size(), 1u);
  auto dpc = std::move(queued.front());
  queued.clear();
  dpc();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls, std::vector<NetBufferList*>{first});
  EXPECT_TRUE(queued.empty()) << "nothing was left for another run";

  NetBufferList* second = sendAndComplete(a, 20, prm::CplStatus::kSuccess, 20);
  irq(q);
  ASSERT_EQ(queued.size(), 1u);
  queued.front()();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].nbls, std::vector<NetBufferList*>{second});
}

TEST_F(OffloadTargetTest, FullSqQueuesRequestsInsideTheDriverAndPostsThemInOrder) {
  const auto [h, q] = startWithOneConnection(withSqLog2(2));  // 4 entries
  std::vector<NetBufferList*> posted;
  for (uint32_t i = 1; i <= 10; ++i) {
    posted.push_back(nbl(i));
    EXPECT_EQ(send(h, posted.back()), NdisStatus::kPending);
  }
  EXPECT_EQ(target->waitingForSq(), 6u);
  EXPECT_TRUE(target->hasDeferredWork());

  std::vector<uint32_t> lengths;
  for (int rounds = 0; rounds < 5 && lengths.size() < 10; ++rounds) {
    for (const auto& r : fetch(q)) lengths.push_back(r.length);
    target->MiniportTimer();
  }

  EXPECT_EQ(lengths, (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(target->waitingForSq(), 0u);
  EXPECT_GE(target->counters().sqFullStalls, 1u);
  EXPECT_TRUE(calls.empty());
}

// The SQ looks full to the driver, but the engine has fetched every entry:
// the driver re-reads SQ_HEAD and posts the next request at once, without a
// stall.
TEST_F(OffloadTargetTest, ARequestAfterTheEngineEmptiedAFullSqGoesInAtOnce) {
  const auto [h, q] = startWithOneConnection(withSqLog2(2));  // 4 entries
  for (uint32_t i = 1; i <= 4; ++i) send(h, nbl(i));
  ASSERT_EQ(fetch(q).size(), 4u);
  EXPECT_EQ(send(h, nbl(5)), NdisStatus::kPending);
  EXPECT_EQ(target->waitingForSq(), 0u);
  EXPECT_EQ(target->counters().sqFullStalls, 0u);
  const auto next = fetch(q);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].length, 5u);
}

TEST_F(OffloadTargetTest, CompletionFreesSqSpaceForWaitingRequestsFromTheDpc) {
  const auto [h, q] = startWithOneConnection(withSqLog2(1));  // 2 entries
  for (int i = 0; i < 3; ++i) send(h, nbl(8));
  const auto first = fetch(q);
  ASSERT_EQ(first.size(), 2u);

  completeReq(q, first[0], prm::CplStatus::kSuccess, 8);
  irq(q);

  EXPECT_EQ(fetch(q).size(), 1u);
  EXPECT_EQ(target->waitingForSq(), 0u);
}

// A DPC rings the SQ doorbell only for requests it moved into the SQ: with
// none waiting it writes no SQ_TAIL (each MMIO write costs a bus round).
TEST_F(OffloadTargetTest, ADpcWithNoRequestWaitingWritesNoDoorbell) {
  const auto [h, q] = startWithOneConnection();
  send(h, nbl(8));
  const auto reqs = fetch(q);
  ASSERT_EQ(reqs.size(), 1u);
  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 8);
  dev->log.clear();

  irq(q);

  ASSERT_EQ(calls.size(), 1u);
  for (const auto& [off, value] : dev->log) {
    EXPECT_NE(off, prm::reg::qp(q, prm::reg::kSqTail)) << "doorbell " << value;
  }
}

TEST_F(OffloadTargetTest, UnknownHandleCompletesInvalidParameterThroughTheEngine) {
  start();
  offload(1);
  NetBufferList* n = nbl(10);

  EXPECT_EQ(send(NdisOffloadHandle{999}, n), NdisStatus::kPending);
  const auto reqs = fetch(0);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_GE(reqs[0].conn, 4096u);  // no engine has it: INVALID_CONN
  completeReq(0, reqs[0], prm::CplStatus::kInvalidConn, 0);
  irq(0);

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nbls[0], n);
  EXPECT_EQ(n->status, NdisStatus::kInvalidParameter);
  EXPECT_EQ(target->counters().invalidHandle, 1u);
}

TEST_F(OffloadTargetTest, NullNblIsRefusedSynchronouslyAndCounted) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  EXPECT_EQ(send(h, nullptr), NdisStatus::kInvalidParameter);
  EXPECT_EQ(recv(h, nullptr), NdisStatus::kInvalidParameter);
  EXPECT_EQ(disconnect(h, nullptr, kTcpDisconnectGraceful), NdisStatus::kInvalidParameter);
  EXPECT_EQ(forward(h, nullptr), NdisStatus::kInvalidParameter);
  EXPECT_EQ(target->counters().nullNbl, 4u);
  EXPECT_TRUE(fetch(qpOf(h)).empty());
}

// A disconnect takes one NBL (DRIVER-MODEL, calls table): an NBL whose Next
// still points somewhere is posted alone, and its completion hands back that
// NBL alone, not the caller's NBLs behind it.
TEST_F(OffloadTargetTest, DisconnectTakesOneNblEvenWhenItsNextIsSet) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  const unsigned q = qpOf(h);
  NetBufferList* d = nbl(0);
  NetBufferList* behind = nbl(0);
  d->next = behind;

  EXPECT_EQ(disconnect(h, d, kTcpDisconnectGraceful), NdisStatus::kPending);
  EXPECT_EQ(d->next, nullptr);
  const auto reqs = fetch(q);
  ASSERT_EQ(reqs.size(), 1u);
  completeReq(q, reqs[0], prm::CplStatus::kSuccess, 0);
  irq(q);

  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].op, OffloadOp::kDisconnect);
  EXPECT_EQ(calls[0].nbls, std::vector<NetBufferList*>{d});
}

TEST_F(OffloadTargetTest, PostFromInsideCompletionIsAcceptedAndNotCompletedInThatCall) {
  const NdisOffloadHandle h = startWithOneConnection().h;
  const unsigned q = qpOf(h);
  send(h, nbl(8));
  NetBufferList* second = nbl(9);
  bool posted = false;
  onCompletion = [&](const testing::UpCall&) {
    if (posted) return;
    posted = true;
    EXPECT_EQ(send(h, second), NdisStatus::kPending);
    // An interrupt arriving now must not run a nested DPC.
    for (const auto& r : fetch(q)) completeReq(q, r, prm::CplStatus::kSuccess, r.length);
    dev->raw(q);
    EXPECT_EQ(calls.size(), 1u);
  };
  for (const auto& r : fetch(q)) completeReq(q, r, prm::CplStatus::kSuccess, r.length);

  irq(q);

  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].nbls, (std::vector<NetBufferList*>{second}));
}

TEST(NblChecks, CompletedWithFailsOnEitherFieldAndNamesWhatCameBack) {
  NetBufferList n;
  n.status = NdisStatus::kRequestAborted;
  n.tcpOffloadBytesTransferred = 400;
  EXPECT_TRUE(completedWith(&n, NdisStatus::kRequestAborted, 400));
  EXPECT_FALSE(completedWith(&n, NdisStatus::kSuccess, 400));
  const ::testing::AssertionResult wrongBytes = completedWith(&n, NdisStatus::kRequestAborted, 399);
  EXPECT_FALSE(wrongBytes);
  EXPECT_NE(std::string(wrongBytes.message()).find("400 bytes"), std::string::npos)
      << wrongBytes.message();
}

}  // namespace
}  // namespace chimney
