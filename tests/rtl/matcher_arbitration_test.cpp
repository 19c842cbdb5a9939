// The matcher's input arbitration (docs/rtl-microarchitecture.md, Matcher:
// "fetched requests and events alternate when both wait") and a 0-byte DATA
// event meeting a zero-length RECV at the head of the receive queue (PRM 9:
// "A zero-length RECV completes when a DATA event reaches it: at the head
// when the event arrives"; "A 0-byte DATA event with no posted receive
// produces no RX_INDICATE").
#include <algorithm>

#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class MatcherArbitration : public RtlTest {
 protected:
  // The RX_POSTs the engine holds with the work stream stalled: u_work_fifo
  // (4) and the matcher's work output register.
  static constexpr unsigned kWorkFifo = 5;

  void SetUp() override {
    RtlTest::SetUp();
    filler_ = conn(2);
    finished_ = conn(9);
    data_ = conn(15);
  }
  Cpl recv(uint64_t tag, uint16_t c, uint32_t bytes) {
    return {tag, CplType::kRecv, CplStatus::kSuccess, bytes, c};
  }
  Cpl indicate(uint16_t c, uint32_t bytes) {
    return {0, CplType::kRxIndicate, CplStatus::kSuccess, bytes, c};
  }
  // Offloads three connections on the last queue pair: filler_ (its RECVs
  // hold the matcher, see holdMatcher), finished_ (past the peer's FIN with
  // nothing buffered: a RECV on it completes INVALID_STATE at once) and
  // data_ (no receive posted: a DATA event on it is indicated at once).
  void offloadThree() {
    const unsigned q = lastQp();
    p_ = &offloaded(filler_, q);
    ASSERT_EQ(bench_.offload(finished_, uint8_t(q)), prm::CmdResult::kOk);
    ASSERT_EQ(bench_.offload(data_, uint8_t(q)), prm::CmdResult::kOk);
    ASSERT_GE(reqSlots(), kWorkFifo + 3);
    push(evt(EventType::kFin, finished_));
    ASSERT_TRUE(areCpls(p_->wait(1), {{0, CplType::kEvtFin, CplStatus::kSuccess, 0, finished_}}));
  }
  // Stalls the work stream and posts kWorkFifo + 1 RECVs on filler_: the
  // engine holds kWorkFifo RX_POSTs and the matcher holds the last RECV.
  // Returns CNT_REQ_FETCHED from before those RECVs.
  uint32_t holdMatcher() {
    bench_.work().setReadyPercent(0);
    const uint32_t before = reg(kCntReqFetched);
    for (unsigned i = 0; i <= kWorkFifo; ++i) p_->post(recvReq(900 + i, filler_, 1000));
    p_->ring();
    bench_.run(100);
    return before;
  }
  // Runs until CNT_REQ_FETCHED reads `fetched`.
  void waitFetched(uint32_t fetched) {
    for (int i = 0; i < 2000 && reg(kCntReqFetched) != fetched; ++i) bench_.run(1);
    ASSERT_EQ(reg(kCntReqFetched), fetched) << "every request fetched while the matcher is held";
  }

  uint16_t filler_ = 0, finished_ = 0, data_ = 0;
  QueuePair* p_ = nullptr;
};

// Requests and events that each complete in the step that takes them, on
// one queue pair, so the CQ holds the matcher's order of steps: RECVs on a
// connection past the peer's FIN with nothing buffered (INVALID_STATE at
// once) and DATA events on another connection with no receive posted
// (RX_INDICATE at once). The work stream is held (ready low) and its FIFO
// filled by RECVs of a third connection, so the matcher holds the next such
// RECV (it waits to emit its RX_POST) while n requests are fetched and n
// events wait. Released, the last input taken was a request, so the order is
// exactly event, request, event, request, ...: neither input runs ahead.
TEST_F(MatcherArbitration, RequestsAndEventsAlternateWhenBothWait) {
  ASSERT_NO_FATAL_FAILURE(offloadThree());
  QueuePair& p = *p_;
  const unsigned n = std::min(4u, reqSlots() - kWorkFifo - 1);

  const uint32_t fetchedBefore = holdMatcher();
  for (unsigned i = 0; i < n; ++i) p.post(recvReq(100 + i, finished_, 10));
  p.ring();
  for (unsigned i = 0; i < n; ++i) push(evt(EventType::kData, data_, 10 + i));
  ASSERT_NO_FATAL_FAILURE(waitFetched(fetchedBefore + kWorkFifo + 1 + n));
  bench_.run(50);
  for (const auto& c : p.drain(50)) ADD_FAILURE() << "matched while held: " << describe(c);

  bench_.work().setReadyPercent(100);
  std::vector<Cpl> expected;
  for (unsigned i = 0; i < n; ++i) {
    expected.push_back(indicate(data_, 10 + i));
    expected.push_back({100 + i, CplType::kRecv, CplStatus::kInvalidState, 0, finished_});
  }
  EXPECT_TRUE(areCpls(p.wait(expected.size()), expected));
  EXPECT_TRUE(p.drain(200).empty());
  EXPECT_EQ(workOf(filler_).size(), kWorkFifo + 1);
}

// While the matcher holds an operation, each input is taken off its FIFO
// into the read stage's one-entry holding register (docs/
// rtl-microarchitecture.md, Matcher): with the matcher held, exactly the
// event FIFO's two entries and the holding register's one are accepted
// (CNT_EVT counts handshakes on the event port); released, every event is
// taken in order.
TEST_F(MatcherArbitration, AHeldMatcherAcceptsTheEventFifoAndOneHeldEvent) {
  const unsigned q = lastQp();
  const uint16_t filler = conn(2), data = conn(15);
  QueuePair& p = offloaded(filler, q);
  ASSERT_EQ(bench_.offload(data, uint8_t(q)), prm::CmdResult::kOk);
  constexpr unsigned kAcceptedHeld = 3;  // u_evt_fifo (2) and the holding register
  ASSERT_GE(reqSlots(), kWorkFifo + 1);

  bench_.work().setReadyPercent(0);
  for (unsigned i = 0; i <= kWorkFifo; ++i) p.post(recvReq(900 + i, filler, 1000));
  p.ring();
  bench_.run(200);
  const uint32_t before = reg(kCntEvt);
  constexpr unsigned kEvents = kAcceptedHeld + 3;
  for (unsigned i = 0; i < kEvents; ++i) push(evt(EventType::kData, data, 10 + i));
  bench_.run(100);
  EXPECT_EQ(reg(kCntEvt) - before, kAcceptedHeld) << "events accepted while the matcher is held";
  EXPECT_TRUE(p.drain(50).empty());

  bench_.work().setReadyPercent(100);
  std::vector<Cpl> expected;
  for (unsigned i = 0; i < kEvents; ++i) expected.push_back(indicate(data, 10 + i));
  EXPECT_TRUE(areCpls(p.wait(expected.size()), expected));
  EXPECT_EQ(reg(kCntEvt) - before, kEvents);
}

// An RST picks its flush list from the hint memory, so it waits a cycle
// when the step before it wrote its connection (pick_wait, the hazard table
// of docs/rtl-microarchitecture.md). A fetched request that completes at once
// (a RECV past the peer's FIN with nothing buffered: INVALID_STATE) writes
// nothing, so an RST on its connection taken in the next cycle runs at once.
// The matcher is held (holdMatcher) while they wait; released,
// it takes the held RECV, a DATA event, the failing RECV, the RST and then
// one DATA event per cycle. The event port accepts one event per event taken
// (its FIFO and holding register are full), so after the first accept that
// follows the release the accepts are one cycle apart except for one gap of
// two (the request taken between the first DATA event and the RST). A wait
// before the RST would show as a second gap.
TEST_F(MatcherArbitration, AnRstAfterARequestThatWroteNothingDoesNotWait) {
  ASSERT_NO_FATAL_FAILURE(offloadThree());
  QueuePair& p = *p_;
  const uint16_t finished = finished_, data = data_;

  const uint32_t fetchedBefore = holdMatcher();
  p.post(recvReq(100, finished, 10));
  p.ring();
  ASSERT_NO_FATAL_FAILURE(waitFetched(fetchedBefore + kWorkFifo + 2));

  constexpr unsigned kData = 8;
  const size_t acceptedBefore = bench_.events().accepted().size();
  push(evt(EventType::kData, data, 10));
  push(evt(EventType::kRst, finished));
  for (unsigned i = 1; i < kData; ++i) push(evt(EventType::kData, data, 10 + i));
  bench_.run(50);
  const size_t held = bench_.events().accepted().size() - acceptedBefore;
  ASSERT_EQ(held, 3u) << "events accepted while the matcher is held";

  bench_.work().setReadyPercent(100);
  std::vector<Cpl> expected;
  expected.push_back(indicate(data, 10));
  expected.push_back({100, CplType::kRecv, CplStatus::kInvalidState, 0, finished});
  expected.push_back({0, CplType::kEvtRst, CplStatus::kSuccess, 0, finished});
  for (unsigned i = 1; i < kData; ++i) expected.push_back(indicate(data, 10 + i));
  EXPECT_TRUE(areCpls(p.wait(expected.size()), expected));

  const auto& accepted = bench_.events().accepted();
  ASSERT_EQ(accepted.size(), acceptedBefore + kData + 1);
  std::vector<uint64_t> gaps;
  for (size_t i = acceptedBefore + held + 1; i < accepted.size(); ++i)
    gaps.push_back(accepted[i].cycle - accepted[i - 1].cycle);
  std::vector<uint64_t> want(gaps.size(), 1);
  want.front() = 2;
  EXPECT_EQ(gaps, want) << "cycles between the event port's accepts after the release";
}

class ZeroLength : public MatcherArbitration {};

// A 0-byte DATA event meets a zero-length RECV at the head: the RECV
// completes SUCCESS with 0 bytes; nothing is placed, nothing indicated, and
// the RECV behind it is untouched until data arrives.
TEST_F(ZeroLength, ZeroByteDataCompletesAZeroLengthReceiveAtTheHead) {
  const uint16_t a = conn(15);
  QueuePair& p = offloaded(a, lastQp());
  p.post(recvReq(1, a, 0));
  p.post(recvReq(2, a, 50));
  p.ring();
  waitWork(a, 2);
  bench_.run(50);
  EXPECT_TRUE(p.drain(50).empty()) << "a zero-length RECV waits for a DATA event";

  push(evt(EventType::kData, a, 0));
  EXPECT_TRUE(areCpls(p.wait(1), {recv(1, a, 0)}));
  EXPECT_TRUE(p.drain(200).empty()) << "the 50-byte RECV holds nothing; no RX_INDICATE";

  push(evt(EventType::kData, a, 50));
  EXPECT_TRUE(areCpls(p.wait(1), {recv(2, a, 50)}));
  EXPECT_TRUE(p.drain(100).empty());
}

// A 0-byte DATA event with no receive posted produces no RX_INDICATE, and a
// zero-length RECV posted afterwards still waits for the next DATA event
// (nothing is buffered to complete it at once).
TEST_F(ZeroLength, ZeroByteDataWithNoReceiveIsNotIndicated) {
  const uint16_t a = conn(8);
  QueuePair& p = offloaded(a, 0);
  push(evt(EventType::kData, a, 0));
  flushEvents();
  EXPECT_TRUE(p.drain(200).empty());
  p.submit(recvReq(1, a, 0));
  waitWork(a, 1);
  EXPECT_TRUE(p.drain(200).empty());
  push(evt(EventType::kData, a, 0));
  EXPECT_TRUE(areCpls(p.wait(1), {recv(1, a, 0)}));
}

}  // namespace
}  // namespace chimney::rtltest
