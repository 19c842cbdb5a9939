// Each closing check of a co-simulation run, shown catching a violation fed
// into an otherwise clean end-of-run observation.
#include "closing_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace chimney::tb {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A clean end of run: one queue pair that fetched 10 requests and had 12
// descriptors consumed, 5 interrupts, 20 events, one IM with nothing live.
ClosingObservation cleanRun() {
  ClosingObservation s;
  RingSnapshot r;
  r.qp = 0;
  r.driverSqTail = r.hwSqHead = r.hwSqTail = 10;
  r.driverCqHead = r.hwCqHead = r.hwCqTail = 12;
  s.rings.push_back(r);
  s.hardwareCounters = {{"CNT_REQ_FETCHED", 10}, {"CNT_CPL_WRITTEN", 12}, {"CNT_EVT", 20},
                        {"CNT_IRQ", 5},          {"CNT_PROTO_ERR", 0},    {"CNT_DMA_ERR", 0},
                        {"CNT_EVT_LATE", 0},     {"ERR_STATUS", 0}};
  s.target.descriptors = 12;
  s.interruptsDelivered = s.interruptMessages = 5;
  s.peerEvents = 20;
  s.imTables = {ImTables{}};
  s.liveConnections = 0;
  return s;
}

std::vector<std::string> failuresOf(const ClosingObservation& s,
                                    const ClosingExpectations& e = {}) {
  return closingCheckFailures(s, e).all();
}

TEST(ClosingChecks, CleanRunPasses) {
  EXPECT_THAT(failuresOf(cleanRun()), IsEmpty());
}

TEST(ClosingChecks, SqHeadShortOfTheDriversTailIsReported) {
  ClosingObservation s = cleanRun();
  s.rings[0].hwSqHead = 9;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("queue pair 0 SQ_HEAD vs the driver's tail: "
                                                   "engine 9, driver side 10")));
}

TEST(ClosingChecks, SqTailDifferentFromTheLastDoorbellIsReported) {
  ClosingObservation s = cleanRun();
  s.rings[0].hwSqTail = 11;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("SQ_TAIL vs the driver's tail")));
}

TEST(ClosingChecks, CommittedDescriptorNotConsumedIsReported) {
  ClosingObservation s = cleanRun();
  s.rings[0].hwCqTail = 13;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CQ_TAIL vs the driver's head")));
}

TEST(ClosingChecks, CqHeadDifferentFromTheDriversHeadIsReported) {
  ClosingObservation s = cleanRun();
  s.rings[0].hwCqHead = 11;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CQ_HEAD vs the driver's head")));
}

TEST(ClosingChecks, FetchCounterDisagreeingWithTheDoorbellsIsReported) {
  ClosingObservation s = cleanRun();
  s.hardwareCounters["CNT_REQ_FETCHED"] = 11;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CNT_REQ_FETCHED")));
}

TEST(ClosingChecks, FetchCounterIsComparedModuloTheSixteenBitPointers) {
  ClosingObservation s = cleanRun();
  s.hardwareCounters["CNT_REQ_FETCHED"] = 0x10000 + 10;
  EXPECT_THAT(failuresOf(s), IsEmpty());
}

TEST(ClosingChecks, DescriptorsWrittenButNotConsumedAreReported) {
  ClosingObservation s = cleanRun();
  s.target.descriptors = 11;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CNT_CPL_WRITTEN vs descriptors consumed")));
}

TEST(ClosingChecks, InterruptCountersMustAgreeWithDeliveryAndThePort) {
  ClosingObservation s = cleanRun();
  s.interruptsDelivered = 4;
  s.interruptMessages = 6;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CNT_IRQ vs interrupts delivered"),
                                         HasSubstr("CNT_IRQ vs interrupt messages")));
}

TEST(ClosingChecks, EventsLostBetweenPeerAndEngineAreReported) {
  ClosingObservation s = cleanRun();
  s.peerEvents = 21;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CNT_EVT vs events the peer delivered")));
}

TEST(ClosingChecks, ProtocolAndDmaErrorsMustMatchTheScenario) {
  ClosingObservation s = cleanRun();
  s.hardwareCounters["CNT_PROTO_ERR"] = 1;
  s.hardwareCounters["CNT_DMA_ERR"] = 2;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("CNT_PROTO_ERR vs expected"),
                                         HasSubstr("CNT_DMA_ERR vs expected")));
  ClosingExpectations e;
  e.expectedProtoErrors = 1;
  e.expectedDmaErrors = 2;
  EXPECT_THAT(failuresOf(s, e), IsEmpty());
}

TEST(ClosingChecks, LateEventsAreComparedOnlyWhenTheScenarioAsks) {
  ClosingObservation s = cleanRun();
  s.hardwareCounters["CNT_EVT_LATE"] = 3;
  EXPECT_THAT(failuresOf(s), IsEmpty());
  ClosingExpectations e;
  e.checkLateEvents = true;
  e.expectedLateEvents = 2;
  EXPECT_THAT(failuresOf(s, e), ElementsAre(HasSubstr("CNT_EVT_LATE vs expected: engine 3")));
}

TEST(ClosingChecks, ErrorStatusBitsNotAllowedAreReported) {
  ClosingObservation s = cleanRun();
  s.hardwareCounters["ERR_STATUS"] = 0x9;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("ERR_STATUS has unexpected bits set: 9")));
  ClosingExpectations e;
  e.allowedErrStatus = 0x1;
  EXPECT_THAT(failuresOf(s, e), ElementsAre(HasSubstr("ERR_STATUS has unexpected bits set: 8")));
}

TEST(ClosingChecks, StrayDmaAndDmaRuleViolationsAreReported) {
  ClosingObservation s = cleanRun();
  s.strayDma = 1;
  s.dmaViolations = {"burst crosses a 4 KiB boundary"};
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("stray DMA"),
                                         HasSubstr("DMA rule: burst crosses a 4 KiB boundary")));
}

TEST(ClosingChecks, TheFirstStrayDmaIsDescribedRightAfterTheCount) {
  ClosingObservation s = cleanRun();
  s.strayDma = 2;
  s.firstStrayDma = "first stray DMA: a read of 64 bytes at 0x100008680 in cycle 30530";
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("stray DMA (outside every mapped window)"),
                                         "engine: " + s.firstStrayDma));
  // expected strays (a scenario that provokes them) are not described
  ClosingExpectations e;
  e.expectedStrayDma = 2;
  EXPECT_THAT(failuresOf(s, e), IsEmpty());
}

// The report puts these ahead of every count: the bus group holds the DMA
// findings alone, whatever else failed.
TEST(ClosingChecks, DmaBusFindingsAreAGroupOfTheirOwn) {
  ClosingObservation s = cleanRun();
  s.hardwareCounters["CNT_DMA_ERR"] = 1;
  s.rings[0].hwCqTail = 5;
  s.strayDma = 1;
  s.firstStrayDma = "first stray DMA: a read of 64 bytes at 0x100008680 in cycle 30530";
  s.dmaViolations = {"burst crosses a 4 KiB boundary"};
  const ClosingFailures f = closingCheckFailures(s, {});
  EXPECT_THAT(f.bus, ElementsAre(HasSubstr("stray DMA (outside every mapped window) vs expected: "
                                           "engine 1, driver side 0"),
                                 "engine: " + s.firstStrayDma,
                                 HasSubstr("DMA rule: burst crosses a 4 KiB boundary")));
  EXPECT_THAT(f.counts, ElementsAre(HasSubstr("CQ_TAIL vs the driver's head"),
                                    HasSubstr("CNT_DMA_ERR vs expected")));
  EXPECT_EQ(f.all().front(), f.bus.front());
  s.strayDma = 0;
  s.dmaViolations.clear();
  EXPECT_THAT(closingCheckFailures(s, {}).bus, IsEmpty());
}

TEST(ClosingChecks, InterruptsWithNoHandlerAreReported) {
  ClosingObservation s = cleanRun();
  s.interruptsDropped = 1;
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("no handler installed")));
}

TEST(ClosingChecks, AfterASurpriseRemovalOnlyTheDriverSideComparisonsAreDropped) {
  // The driver stopped reading the device: no rings, its counters behind.
  ClosingObservation s = cleanRun();
  s.rings.clear();
  s.target.descriptors = 3;
  s.interruptsDelivered = 2;
  s.interruptsDropped = 3;
  s.target.surpriseRemovals = 1;
  ClosingExpectations removed;
  removed.deviceRemoved = true;
  EXPECT_THAT(failuresOf(s, removed), IsEmpty());
  EXPECT_THAT(failuresOf(s), Not(IsEmpty()));  // without the expectation: all reported
  // What does not depend on the driver's reads still counts.
  s.peerEvents = 19;
  EXPECT_THAT(failuresOf(s, removed),
              ElementsAre(HasSubstr("CNT_EVT vs events the peer delivered")));
  s.peerEvents = 20;
  // Expected, but the target never saw a removal.
  s.target.surpriseRemovals = 0;
  EXPECT_THAT(failuresOf(s, removed), ElementsAre(HasSubstr("never saw it")));
}

TEST(ClosingChecks, EveryDriverAnomalyCounterIsReportedByName) {
  ClosingObservation s = cleanRun();
  s.target.unknownTag = 1;
  s.target.phaseMismatch = 2;
  s.target.lostByHardware = 3;
  EXPECT_THAT(failuresOf(s),
              ElementsAre(HasSubstr("unknownTag = 1"), HasSubstr("phaseMismatch = 2"),
                          HasSubstr("lostByHardware = 3")));
}

TEST(ClosingChecks, StrayHostCompletionsAndLiveImEntriesAreReported) {
  ClosingObservation s = cleanRun();
  s.hostStrayCompletions = 1;
  ImTables leaking;
  leaking.callEntries = 4;
  s.imTables = {ImTables{}, leaking};
  EXPECT_THAT(failuresOf(s), ElementsAre(HasSubstr("host: received 1 stray completions"),
                                         HasSubstr("im1: IM call entries left at the end: 4")));
}

TEST(ClosingChecks, EveryFailureNamesTheLayerItConcerns) {
  ClosingObservation s = cleanRun();
  s.rings[0].hwSqHead = 1;
  s.hardwareCounters["CNT_DMA_ERR"] = 1;
  s.target.unknownTag = 1;
  s.strayDma = 1;
  s.dmaViolations = {"burst crosses a 4 KiB boundary"};
  s.interruptsDropped = 1;
  s.hostStrayCompletions = 1;
  ImTables leaking;
  leaking.callEntries = 3;
  s.imTables = {leaking};
  const std::vector<std::string> failures = failuresOf(s);
  ASSERT_EQ(failures.size(), 8u);
  for (const std::string& f : failures) {
    const bool named = f.rfind("engine", 0) == 0 || f.rfind("offload-target: ", 0) == 0 ||
                       f.rfind("host: ", 0) == 0 || f.rfind("im0: ", 0) == 0;
    EXPECT_TRUE(named) << f;
  }
}

// Each of an IM's own tables, left holding something at the end.
TEST(ClosingChecks, ImTablesNotEmptyAtTheEndAreReported) {
  ClosingObservation s = cleanRun();
  s.liveConnections = 2;
  ImTables t;
  t.connections = t.lowerHandles = 2;
  s.imTables = {t};
  EXPECT_THAT(failuresOf(s), IsEmpty());

  ImTables index = t;
  index.entriesByNbl = 1;
  ImTables blocks = t;
  blocks.blocks = 1;
  ImTables held = t;
  held.heldSends = 3;
  ImTables conns = t;
  conns.connections = 3;
  ImTables lower = t;
  lower.lowerHandles = 1;
  s.imTables = {index, blocks, held, conns, lower};
  EXPECT_THAT(failuresOf(s),
              ElementsAre(HasSubstr("im0: NBL -> call entry index left at the end: 1"),
                          HasSubstr("im1: offload block entries left at the end: 1"),
                          HasSubstr("im2: held sends left at the end: 3"),
                          HasSubstr("im3: connection table holds 3, target holds 2"),
                          HasSubstr("im4: lower-handle table holds 1, target holds 2")));
}

}  // namespace
}  // namespace chimney::tb
