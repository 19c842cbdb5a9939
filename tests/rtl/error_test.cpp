// PRM 7: DMA errors halt only their queue pair and lose nothing, doorbell
// errors, and SOFT_RESET.
#include <set>

#include "Vcpl_engine.h"
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class Errors : public RtlTest {
 protected:
  bool halted(unsigned q) { return (reg(qp(q, kQpStatus)) & prm::qpstatus::kHalted) != 0; }
  bool busy(unsigned q) { return (reg(qp(q, kQpStatus)) & prm::qpstatus::kBusy) != 0; }
  bool arOffered() { return bench_.model().io().m_axi_arvalid != 0; }
  bool awOffered() { return bench_.model().io().m_axi_awvalid != 0; }
  void waitHalted(unsigned q) {
    bench_.runUntil([&] { return halted(q); }, 3000, "HALTED");
  }
  static ::testing::AssertionResult tags(const std::vector<prm::Completion>& c, uint64_t first,
                                         size_t n) {
    if (c.size() != n) return ::testing::AssertionFailure() << c.size() << " completions";
    for (size_t i = 0; i < n; ++i)
      if (c[i].tag != first + i)
        return ::testing::AssertionFailure() << "[" << i << "] " << describe(c[i]);
    return ::testing::AssertionSuccess();
  }
  // The engine's reads of p's SQ, or its writes of p's CQ, answer `resp`.
  void failSqReads(const QueuePair& p, AxiResp resp = AxiResp::kSlvErr) {
    bench_.axi().failReads(p.layout().sqBase, sqEnd(p), resp);
  }
  void failCqWrites(const QueuePair& p, AxiResp resp) {
    bench_.axi().failWrites(p.layout().cqBase, cqEnd(p), resp);
  }
  // p halts on a write error among the descriptors of tags 1..n; once the
  // traffic in flight has drained, clearing and setting ENABLE resumes it,
  // and each descriptor is written exactly once more.
  void resumeAfterWriteError(QueuePair& p, size_t n) {
    waitHalted(p.index());
    bench_.run(100);
    p.setEnabled(false);
    p.setEnabled(true);
    EXPECT_TRUE(tags(p.wait(n), 1, n));
    EXPECT_TRUE(p.drain(200).empty());
    EXPECT_EQ(reg(qp(p.index(), kCqTail)), n);
  }
  // submitInvalid(), then waits until p halts on the DMA error armed for it.
  void submitUntilHalted(QueuePair& p, unsigned n, uint64_t firstTag) {
    submitInvalid(p, n, firstTag);
    waitHalted(p.index());
  }
  // One read-error round: beat `beat` of the entry `ahead` entries past
  // SQ_HEAD fails while n invalid requests from `firstTag` on are fetched;
  // once p has halted and drained, clearing and setting ENABLE resumes it,
  // and every request completes exactly once.
  ::testing::AssertionResult readErrorRound(QueuePair& p, unsigned ahead, unsigned beat, unsigned n,
                                            uint64_t firstTag) {
    const uint64_t head = reg(qp(p.index(), kSqHead));
    const uint64_t slot = (head + ahead) & ((1u << p.layout().sqLog2) - 1);
    const uint64_t beatAddr = p.layout().sqBase + slot * prm::kSqEntryBytes + uint64_t{8} * beat;
    bench_.axi().clearFaults();
    bench_.axi().failReadBeats(beatAddr, beatAddr + 8);
    submitUntilHalted(p, n, firstTag);
    bench_.axi().clearFaults();
    bench_.run(50);
    p.setEnabled(false);
    p.setEnabled(true);
    return tags(p.wait(n), firstTag, n);
  }
  uint64_t sqEnd(const QueuePair& p) const {
    return p.layout().sqBase + (uint64_t{prm::kSqEntryBytes} << p.layout().sqLog2);
  }
  uint64_t cqEnd(const QueuePair& p) const {
    return p.layout().cqBase + (uint64_t{prm::kCqEntryBytes} << p.layout().cqLog2);
  }
};

TEST_F(Errors, ReadErrorHaltsOnlyThatQueuePair) {
  QueuePair& p0 = qpair(0);
  QueuePair& p1 = qpair(lastQp());
  failSqReads(p1);
  submitUntilHalted(p1, 2, 1);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kDmaRd, prm::err::kDmaRd);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, p1.index());
  EXPECT_GE(reg(kCntDmaErr), 1u);
  EXPECT_EQ(bench_.irq().count(errorVector()), 1u);
  EXPECT_FALSE(halted(0));
  submitInvalid(p0, 3, 10);
  EXPECT_TRUE(tags(p0.wait(3), 10, 3));
  EXPECT_TRUE(p1.drain(100).empty());
}

TEST_F(Errors, DecErrIsADmaErrorToo) {
  QueuePair& p = qpair(numQp() / 2);
  failSqReads(p, AxiResp::kDecErr);
  submitUntilHalted(p, 1, 1);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, p.index());
}

TEST_F(Errors, WriteErrorHaltsOnlyThatQueuePairAndCommitsNothing) {
  QueuePair& p0 = qpair(0);
  QueuePair& p3 = qpair(lastQp());
  failCqWrites(p3, AxiResp::kSlvErr);
  submitUntilHalted(p3, 2, 1);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kDmaWr, prm::err::kDmaWr);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, p3.index());
  EXPECT_EQ(reg(qp(p3.index(), kCqTail)), 0u);
  submitInvalid(p0, 2, 10);
  EXPECT_TRUE(tags(p0.wait(2), 10, 2));
}

TEST_F(Errors, AHaltedQueuePairIssuesNoDma) {
  const unsigned q = lastQp();
  QueuePair& p = qpair(q);
  bench_.axi().failNthRead(1);
  submitInvalid(p, 1, 1);
  waitHalted(q);
  bench_.run(50);
  const size_t reads = bench_.axi().reads().size();
  const size_t writes = bench_.axi().writes().size();
  submitInvalid(p, 4, 2);
  bench_.run(500);
  EXPECT_EQ(bench_.axi().reads().size(), reads);
  EXPECT_EQ(bench_.axi().writes().size(), writes);
}

TEST_F(Errors, ClearingEnableClearsHaltedAndResumeAfterAReadErrorLosesNothing) {
  QueuePair& p = qpair(0);
  bench_.axi().failNthRead(1);
  submitInvalid(p, 6, 1);
  waitHalted(0);
  p.setEnabled(false);
  EXPECT_FALSE(halted(0));
  p.setEnabled(true);
  EXPECT_TRUE(tags(p.wait(6), 1, 6));
  EXPECT_TRUE(p.drain(100).empty());
  EXPECT_EQ(reg(qp(0, kSqHead)), 6u);
}

// CNT_DMA_ERR counts one error per read burst with any error beat, whichever
// beat it is (a slave may answer SLVERR on some beats of a burst only). Each
// round fails one beat of the next SQ entry, resumes, and finds the entry
// fetched again.
TEST_F(Errors, AReadBurstWithOneErrorBeatIsOneDmaErrorWhicheverBeatItIs) {
  QueuePair& p = qpair(0);
  constexpr unsigned kBeatsPerEntry = prm::kSqEntryBytes / 8;
  for (unsigned beat = 0; beat < kBeatsPerEntry; ++beat) {
    const uint64_t entry = p.layout().sqBase + uint64_t{beat} * prm::kSqEntryBytes;
    bench_.axi().clearFaults();
    bench_.axi().failReadBeats(entry + uint64_t{8} * beat, entry + uint64_t{8} * beat + 8);
    submitInvalid(p, 1, 1 + beat);
    waitHalted(0);
    EXPECT_EQ(reg(kCntDmaErr), beat + 1) << "error on beat " << beat;
    EXPECT_EQ(reg(kErrStatus) & prm::err::kDmaRd, prm::err::kDmaRd);
    EXPECT_EQ(reg(qp(0, kSqHead)), beat) << "the entry is not consumed";
    bench_.axi().clearFaults();
    p.setEnabled(false);
    p.setEnabled(true);
    EXPECT_TRUE(tags(p.wait(1), 1 + beat, 1)) << "error on beat " << beat;
  }
  EXPECT_EQ(reg(kCntDmaErr), kBeatsPerEntry);
}

// PRM 7: a halted queue pair issues no DMA. A read error halts its queue
// pair at the edge where the failing entry ends; the fetcher, which may be
// choosing the next burst in that very cycle, must not choose one then (the
// SVA checker sva_halted_dma fails the test on an AR in a halted ring).
// Twelve entries are posted at once and one beat of entry k fails, at every
// read latency from 0 to 11, so that the fetcher's choices fall on each
// cycle around the error; each time every request completes once after the
// resume.
TEST_F(Errors, NoReadOfAQueuePairIsIssuedInTheCycleItsReadErrorHaltsIt) {
  QueuePair& p = qpair(0);
  constexpr unsigned kEntries = 12;
  uint64_t tag = 1;
  for (unsigned latency = 0; latency < 12; ++latency) {
    for (unsigned k = 1; k < 4; ++k) {
      SCOPED_TRACE("read latency " + std::to_string(latency) + ", entry " + std::to_string(k));
      bench_.axi().config().readLatency = latency;
      EXPECT_TRUE(readErrorRound(p, k, k % 4, kEntries, tag));
      tag += kEntries;
    }
  }
}

// The same rule on the CQ writer's side: a read error halts its queue pair
// for completion writes too, so no AW may be chosen in the error's cycle
// either. Invalid requests complete as they are fetched, so the CQ writer
// chooses bursts of that queue pair while the fetch goes on; with ready and
// valid at random on every channel, forty rounds put those choices on every
// cycle around the error (sva_halted_dma fails the test on an AW into a
// halted ring). Each round, every request completes once after the resume.
TEST_F(Errors, NoCompletionWriteOfAQueuePairIsChosenInTheCycleItsReadErrorHaltsIt) {
  QueuePair& p = qpair(0);
  constexpr unsigned kEntries = 12;
  bench_.axi().config().readyPercent = 60;
  bench_.axi().config().validPercent = 60;
  uint64_t tag = 1;
  for (unsigned round = 0; round < 40; ++round) {
    const unsigned k = 2 + round % 8;
    SCOPED_TRACE("round " + std::to_string(round) + ", entry " + std::to_string(k));
    EXPECT_TRUE(readErrorRound(p, k, round % 4, kEntries, tag));
    tag += kEntries;
  }
}

// The CQ writer picks a burst in one cycle and issues it in the next; a
// queue pair whose ENABLE falls in between issues nothing (sva_halted_dma
// fails the test on a new AW chosen for a disabled queue pair). Invalid
// requests complete as they are fetched, so bursts of the queue pair are
// picked while the fetch goes on; ENABLE is cleared after a number of cycles
// swept over forty rounds, with ready and valid at random on every channel,
// so the clear falls on every cycle around a pick. Once BUSY reads 0,
// setting ENABLE again resumes the queue pair, and every request completes
// exactly once.
TEST_F(Errors, NoCompletionWriteOfAQueuePairIsIssuedOnceItsEnableFalls) {
  QueuePair& p = qpair(0);
  constexpr unsigned kEntries = 12;
  bench_.axi().config().readyPercent = 60;
  bench_.axi().config().validPercent = 60;
  uint64_t tag = 1;
  for (unsigned round = 0; round < 40; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    submitInvalid(p, kEntries, tag);
    bench_.run(20 + round);
    p.setEnabled(false);
    bench_.runUntil([&] { return !busy(p.index()); }, 2000, "BUSY to fall");
    p.setEnabled(true);
    EXPECT_TRUE(tags(p.wait(kEntries), tag, kEntries));
    tag += kEntries;
  }
}

TEST_F(Errors, ResumeAfterAWriteErrorRewritesTheDescriptorsExactlyOnce) {
  const uint16_t cn = conn(5);
  QueuePair& p = sendsInFlight(cn, 4, 10);
  bench_.axi().failNthWrite(bench_.axi().writes().size() + 1);
  push(evt(EventType::kAck, cn, 40));
  resumeAfterWriteError(p, 4);
}

// A write error on a burst whose predecessor's response committed while it
// was on the W channel: the commit moved the oldest unacknowledged descriptor
// (the head) to the failing burst's first one, and the rewind restarts from
// there, so every descriptor is written exactly once more. Eight descriptors
// finish while the write channel is stalled, so their bursts then run back
// to back; the write latency is swept so that the first commit falls on
// each cycle of the next burst's beats.
TEST_F(Errors, ARewindAfterACommitDuringTheNextBurstStartsAtItsFirstDescriptor) {
  for (unsigned latency = 0; latency < 12; ++latency) {
    SCOPED_TRACE("write latency " + std::to_string(latency));
    if (latency != 0) {
      bench_.writeReg(kCtrl, prm::ctrl::kSoftReset);
      qps_.clear();
    }
    const uint16_t cn = conn(1 + latency);  // work items are kept per connection
    QueuePair& p = sendsInFlight(cn, 8, 10);
    bench_.axi().config().writeLatency = latency;
    bench_.axi().config().readyPercent = 0;
    push(evt(EventType::kAck, cn, 80));  // finishes all eight
    bench_.run(60);
    bench_.axi().failNthWrite(bench_.axi().writes().size() + 2);
    bench_.axi().config().readyPercent = 100;
    resumeAfterWriteError(p, 8);
  }
}

// Write responses held back, then answered back to back: each commit moves
// the oldest unacknowledged descriptor (the head) to the first one of the
// next burst, whose last slot the engine looked up one cycle before from
// that burst's size. ACKs that finish SENDs while AW is stalled make bursts
// of different sizes, so a lookup with the wrong size lands on another slot.
// A write error on a later burst rewinds from the head: every descriptor is
// written exactly once more.
TEST_F(Errors, ARewindAfterBackToBackCommitsStartsAtTheFailingBurstsFirstDescriptor) {
  const std::vector<std::vector<unsigned>> patterns = {{4, 1, 3, 1}, {3, 4, 1, 1}, {1, 4, 2, 1}};
  unsigned round = 0;
  for (size_t k = 0; k < patterns.size(); ++k) {
    const std::vector<unsigned>& acks = patterns[k];
    for (size_t failing = 2; failing < 5; ++failing, ++round) {
      SCOPED_TRACE("pattern " + std::to_string(k) + ", failing burst " + std::to_string(failing));
      if (round != 0) {
        bench_.writeReg(kCtrl, prm::ctrl::kSoftReset);
        qps_.clear();
      }
      bench_.axi().clearFaults();
      bench_.axi().config() = AxiMemoryConfig{};
      unsigned n = 0;
      for (unsigned a : acks) n += a;
      const uint16_t cn = conn(1 + round);  // work items are kept per connection
      QueuePair& p = sendsInFlight(cn, n, 10);
      const size_t before = bench_.axi().writes().size();
      bench_.axi().failNthWrite(before + failing + 1);
      // From here on nothing is read: each ACK finishes `a` SENDs.
      bench_.axi().config().validPercent = 0;  // every write response held
      for (unsigned a : acks) {
        bench_.axi().config().readyPercent = 0;  // descriptors gather behind AW
        push(evt(EventType::kAck, cn, 10 * a));
        bench_.run(40);
        bench_.axi().config().readyPercent = 100;
        bench_.run(40);
      }
      // (the premise: the bursts up to the failing one differ in size)
      std::set<unsigned> sizes;
      ASSERT_GT(bench_.axi().writes().size(), before + failing);
      for (size_t b = before; b <= before + failing; ++b)
        sizes.insert(bench_.axi().writes()[b].beats);
      EXPECT_GE(sizes.size(), 2u);
      bench_.axi().config().validPercent = 100;  // the responses back to back
      resumeAfterWriteError(p, n);
    }
  }
}

// A commit that empties the completion list in the cycle a new descriptor
// joins it: the new one becomes the oldest unacknowledged descriptor, and a
// write error on its burst rewinds to it. The held write response is
// released at each delay after the ACK that finishes the new descriptor, so
// the commit falls on each cycle around the append.
TEST_F(Errors, ARewindAfterACommitThatEmptiedTheListAsADescriptorJoinedStartsAtIt) {
  for (unsigned delay = 0; delay < 16; ++delay) {
    SCOPED_TRACE("response released " + std::to_string(delay) + " cycles after the ACK");
    if (delay != 0) {
      bench_.writeReg(kCtrl, prm::ctrl::kSoftReset);
      qps_.clear();
    }
    bench_.axi().clearFaults();
    bench_.axi().config() = AxiMemoryConfig{};
    const uint16_t cn = conn(delay % kTestConns);  // work items are kept per connection
    QueuePair& p = sendsInFlight(cn, 2, 10);
    const size_t before = bench_.axi().writes().size();
    bench_.axi().failNthWrite(before + 2);
    bench_.axi().config().validPercent = 0;  // the first burst's response held
    push(evt(EventType::kAck, cn, 10));
    bench_.run(40);
    ASSERT_EQ(bench_.axi().writes().size(), before + 1);
    push(evt(EventType::kAck, cn, 10));
    bench_.run(delay);
    bench_.axi().config().validPercent = 100;
    resumeAfterWriteError(p, 2);
  }
}

TEST_F(Errors, ResumeWorksAfterMovingTheRings) {
  const unsigned q = lastQp();
  QueuePair& p = qpair(q);
  submitInvalid(p, 2, 1);
  p.wait(2);
  failSqReads(p);
  submitUntilHalted(p, 3, 3);
  bench_.axi().clearFaults();
  p.setEnabled(false);
  p.moveRings(0x3'0000'0000ull, 0x3'1000'0000ull);  // old windows are dropped
  p.setEnabled(true);
  const size_t oldReads =
      bench_.axi().countReads(defaultLayout(q).sqBase, defaultLayout(q).sqBase + 4096);
  EXPECT_TRUE(tags(p.wait(3), 3, 3));
  EXPECT_EQ(bench_.axi().countReads(defaultLayout(q).sqBase, defaultLayout(q).sqBase + 4096),
            oldReads);
  EXPECT_GE(bench_.axi().countReads(0x3'0000'0000ull, 0x3'0000'1000ull), 1u);
}

// PRM 7 (1.0.5): QP_STATUS.BUSY covers every burst of the queue pair from
// its offer on AR to its last R beat, also after ENABLE was cleared, so a
// driver knows when it may move or free the rings.
TEST_F(Errors, QpStatusBusyCoversAnSqReadOfferedBeforeTheDisableUntilItsLastBeat) {
  const unsigned q = lastQp();
  QueuePair& p = qpair(q);
  EXPECT_FALSE(busy(q));
  bench_.axi().config().readyPercent = 0;  // AR, AW and W never taken
  submitInvalid(p, 2, 1);
  bench_.runUntil([&] { return arOffered(); }, 200, "an SQ read offered");
  p.setEnabled(false);
  const uint32_t st = reg(qp(q, kQpStatus));
  EXPECT_EQ(st & prm::qpstatus::kEnabled, 0u);
  EXPECT_EQ(st & prm::qpstatus::kBusy, prm::qpstatus::kBusy) << "an AR offered, not yet taken";
  if (numQp() > 1) {
    EXPECT_FALSE(busy(0)) << "another queue pair's read";
  }
  bench_.run(300);
  ASSERT_TRUE(arOffered()) << "an AR is never withdrawn";
  EXPECT_TRUE(busy(q));
  // Taken, then answered 200 cycles later: busy until the last beat.
  bench_.axi().config().readLatency = 200;
  bench_.axi().config().readyPercent = 100;
  bench_.runUntil([&] { return bench_.axi().outstandingReads() != 0; }, 50, "the AR taken");
  bench_.run(100);
  EXPECT_NE(bench_.axi().outstandingReads(), 0u);
  EXPECT_TRUE(busy(q)) << "read data outstanding";
  bench_.runUntil([&] { return !bench_.axi().busy(); }, 400, "the read answered");
  EXPECT_FALSE(busy(q));
  EXPECT_FALSE(arOffered()) << "a disabled queue pair issues no read";
}

// The same for the CQ: from the offer on AW to the write response.
TEST_F(Errors, QpStatusBusyCoversACompletionWriteUntilItsResponse) {
  const unsigned q = lastQp();
  QueuePair& p = qpair(q);
  bench_.axi().config().writeLatency = 300;
  submitInvalid(p, 1, 1);
  bench_.runUntil([&] { return awOffered(); }, 300, "a CQ write offered");
  p.setEnabled(false);
  EXPECT_TRUE(busy(q)) << "a completion write in flight";
  bench_.runUntil([&] { return bench_.axi().outstandingWrites() != 0; }, 100, "the write taken");
  bench_.run(150);
  ASSERT_NE(bench_.axi().outstandingWrites(), 0u);
  EXPECT_TRUE(busy(q)) << "its write response outstanding";
  bench_.runUntil([&] { return !bench_.axi().busy(); }, 400, "the write answered");
  bench_.run(2);
  EXPECT_FALSE(busy(q));
  EXPECT_EQ(reg(qp(q, kCqTail)), 1u) << "a response taken while disabled still commits";
}

TEST_F(Errors, SqDoorbellBeyondTheRingIsIgnored) {
  const unsigned q = lastQp();
  QueuePair& p = qpair(q, defaultLayout(q, 3, 6));  // 8 SQ entries
  bench_.writeReg(qp(q, kSqTail), 9);
  bench_.run(50);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kDoorbell, prm::err::kDoorbell);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, q);
  EXPECT_EQ(reg(qp(q, kSqHead)), 0u);
  EXPECT_EQ(reg(qp(q, kSqTail)), 0u);
  EXPECT_TRUE(bench_.axi().reads().empty());
  submitInvalid(p, 8, 1);
  EXPECT_TRUE(tags(p.wait(8), 1, 8));
}

TEST_F(Errors, CqHeadBeyondTheTailIsIgnored) {
  const unsigned q = lastQp();
  QueuePair& p = qpair(q);
  submitInvalid(p, 2, 1);
  p.wait(2);
  bench_.writeReg(qp(q, kCqHead), 3);
  EXPECT_EQ(reg(kErrStatus) & prm::err::kDoorbell, prm::err::kDoorbell);
  EXPECT_EQ(reg(kErrInfo) & 0xFF, q);
  EXPECT_EQ(reg(qp(q, kCqHead)) & 0xFFFF, 2u);
}

TEST_F(Errors, SoftResetRestoresTheResetState) {
  // Every readable register as after rst (read before anything was done).
  std::vector<uint16_t> regs = {kCtrl,          kErrStatus,     kErrInfo,       kConnCmdArg,
                                kConnCmdStatus, kCntReqFetched, kCntCplWritten, kCntEvt,
                                kCntIrq,        kCntProtoErr,   kCntDmaErr,     kCntEvtLate};
  for (unsigned q = 0; q < numQp(); ++q)
    for (uint32_t off = 0; off <= kQpStatus; off += 4) regs.push_back(uint16_t(qp(q, off)));
  std::vector<uint32_t> atReset;
  atReset.reserve(regs.size());
  for (uint16_t a : regs) atReset.push_back(reg(a));

  const uint16_t cn = conn(3);
  QueuePair& p = offloaded(cn, lastQp());
  p.submit(sendReq(1, cn, 10));
  waitWork(cn, 1);
  ASSERT_EQ(bench_.offload(outOfRangeConn(), 0), prm::CmdResult::kBadConn);
  bench_.writeReg(kConnCmdArg, 77);
  bench_.writeReg(kCtrl, prm::ctrl::kEnable | prm::ctrl::kSoftReset);
  bench_.run(20);
  for (size_t i = 0; i < regs.size(); ++i)
    EXPECT_EQ(reg(regs[i]), atReset[i]) << "register 0x" << std::hex << regs[i];
  // Connections are CLOSED again.
  qps_.clear();
  QueuePair& again = qpair(lastQp());
  again.submit(sendReq(2, cn, 10));
  EXPECT_EQ(again.wait(1)[0].status, CplStatus::kInvalidConn);
}

TEST_F(Errors, SoftResetRecoversFromAHaltWithDmaInFlight) {
  bench_.axi().config().readLatency = 150;
  QueuePair& p = qpair(0);
  bench_.axi().failNthRead(1);
  submitInvalid(p, 2, 1);
  QueuePair& other = qpair(lastQp());
  submitInvalid(other, 4, 10);
  bench_.run(40);  // reads in flight
  bench_.writeReg(kCtrl, prm::ctrl::kSoftReset);
  bench_.axi().config().readLatency = 0;
  bench_.run(400);  // stale responses drain
  qps_.clear();
  QueuePair& fresh = qpair(0);
  submitInvalid(fresh, 3, 100);
  EXPECT_TRUE(tags(fresh.wait(3), 100, 3));
}

// SOFT_RESET waits until the engine is idle before it resets anything: no AXI
// transaction outstanding, nothing offered on the work or interrupt port, for
// at most kSrstTimeout cycles (docs/rtl-microarchitecture.md, "Decisions where
// the PRM is silent"). Each test below holds one of these busy and checks when the
// CTRL write is answered, which is after the reset.
class SoftResetWait : public Errors {
 protected:
  static constexpr uint64_t kSrstTimeout = 1024;  // cpl_csr SRST_TIMEOUT
  // Writes SOFT_RESET; returns the cycles until the write was answered.
  uint64_t softReset() {
    const uint64_t start = bench_.cycle();
    bench_.writeReg(kCtrl, prm::ctrl::kSoftReset);
    return bench_.cycle() - start;
  }
  // After the reset, a fresh queue pair 0 completes requests again.
  void expectWorking(uint64_t firstTag) {
    qps_.clear();
    QueuePair& fresh = qpair(0);
    submitInvalid(fresh, 2, firstTag);
    EXPECT_TRUE(tags(fresh.wait(2), firstTag, 2));
  }
};

TEST_F(SoftResetWait, DescriptorWritesInFlightAnswerFirst) {
  bench_.axi().config().writeLatency = 300;
  QueuePair& p = qpair(0);
  submitInvalid(p, 4, 1);
  bench_.runUntil([&] { return bench_.axi().outstandingWrites() != 0; }, 200, "a CQ write");
  bench_.run(20);
  ASSERT_NE(bench_.axi().outstandingWrites(), 0u);
  const uint64_t took = softReset();
  EXPECT_FALSE(bench_.axi().busy()) << "reset with a write response outstanding";
  EXPECT_LT(took, kSrstTimeout);
  bench_.axi().config().writeLatency = 0;
  expectWorking(50);
}

TEST_F(SoftResetWait, SqReadsInFlightAnswerFirst) {
  bench_.axi().config().readLatency = 300;
  QueuePair& p = qpair(0);
  submitInvalid(p, 4, 1);
  bench_.runUntil([&] { return bench_.axi().outstandingReads() != 0; }, 200, "an SQ read");
  const uint64_t took = softReset();
  EXPECT_EQ(bench_.axi().outstandingReads(), 0u) << "reset with read data outstanding";
  EXPECT_LT(took, kSrstTimeout);
  bench_.axi().config().readLatency = 0;
  expectWorking(50);
}

// SOFT_RESET stops new DMA at once: the CQ writer, which picks a burst in
// one cycle and issues it in the next, issues no burst picked before the
// reset was requested (sva_halted_dma fails the test on a new AW after a
// cycle of quiesce). Invalid requests complete as they are fetched, with
// ready and valid at random on every channel; the reset is written after a
// number of cycles swept over the rounds, so it falls on every cycle around
// a pick, and the engine works again after each.
TEST_F(SoftResetWait, NoBurstPickedBeforeTheResetIsIssuedAfterIt) {
  bench_.axi().config().readyPercent = 60;
  bench_.axi().config().validPercent = 60;
  for (unsigned round = 0; round < 24; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    qps_.clear();
    QueuePair& p = qpair(0);
    submitInvalid(p, 12, 1);
    bench_.run(20 + round);
    EXPECT_LT(softReset(), kSrstTimeout);
  }
  bench_.axi().config().readyPercent = 100;
  bench_.axi().config().validPercent = 100;
  expectWorking(50);
}

// A work word the protocol engine never takes holds the reset until the
// timeout; the word is not withdrawn and is delivered once it is taken.
TEST_F(SoftResetWait, AnOfferedWorkWordHoldsItUntilTheTimeout) {
  bench_.work().setReadyPercent(0);
  const uint16_t cn = conn(2);
  QueuePair& p = offloaded(cn, 0);
  p.post(sendReq(1, cn, 10));
  p.ring();
  bench_.run(100);
  ASSERT_TRUE(workOf(cn).empty());
  const uint64_t took = softReset();
  EXPECT_GE(took, kSrstTimeout);
  EXPECT_LT(took, kSrstTimeout + 16);
  bench_.work().setReadyPercent(100);
  bench_.run(10);
  EXPECT_EQ(workOf(cn).size(), 1u);
  expectWorking(50);
}

// The same for an interrupt message the interrupt controller never takes.
TEST_F(SoftResetWait, AnOfferedInterruptMessageHoldsItUntilTheTimeout) {
  bench_.irq().setReadyPercent(0);
  QueuePair& p = qpair(0);
  p.setAutoHead(false);
  bench_.writeReg(qp(0, kIrqModCount), 1);
  p.setEnabled(true, true);
  bench_.writeReg(qp(0, kCqHead), prm::kCqHeadArm);
  submitInvalid(p, 1, 1);
  p.wait(1);
  bench_.run(20);
  ASSERT_TRUE(bench_.irq().messages().empty());
  const uint64_t took = softReset();
  EXPECT_GE(took, kSrstTimeout);
  EXPECT_LT(took, kSrstTimeout + 16);
  bench_.irq().setReadyPercent(100);
  bench_.run(10);
  ASSERT_EQ(bench_.irq().messages().size(), 1u);
  EXPECT_EQ(bench_.irq().messages()[0].vector, 0u);
  expectWorking(50);
}

}  // namespace
}  // namespace chimney::rtltest
