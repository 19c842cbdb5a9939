// Expectations catch every kind of count mismatch, and accept a matching run.
#include "expectations.h"

#include <gtest/gtest.h>

namespace chimney::tb {
namespace {

RunReport twoSendsOneAborted() {
  RunReport r;
  r.countPosted("send");
  r.countPosted("send");
  r.countCompleted("send", "SUCCESS");
  r.countCompleted("send", "REQUEST_ABORTED");
  r.hardwareCounters["CNT_CPL_WRITTEN"] = 2;
  r.interruptsSeen = 2;
  return r;
}

TEST(Expectations, MatchingRunHasNoMismatch) {
  Expectations e;
  e.posted("send", 2);
  e.completed("send", "SUCCESS", 1);
  e.completed("send", "REQUEST_ABORTED", 1);
  e.hardware("CNT_CPL_WRITTEN", 2);
  e.interruptsAtMost(2);
  std::vector<std::string> out;
  EXPECT_EQ(e.check(twoSendsOneAborted(), out), 0u);
  EXPECT_TRUE(out.empty());
}

TEST(Expectations, WrongStatusCountIsReported) {
  Expectations e;
  e.completed("send", "SUCCESS", 2);
  std::vector<std::string> out;
  EXPECT_EQ(e.check(twoSendsOneAborted(), out), 2u);  // SUCCESS short, ABORTED unexpected
  EXPECT_EQ(out[0], "send completed SUCCESS: expected 2, got 1");
  EXPECT_EQ(out[1], "send completed REQUEST_ABORTED: expected 0, got 1");
}

TEST(Expectations, StatusOutsideTheAllowedSetIsReported) {
  Expectations e;
  e.completedAnyOf("send", 2, {"SUCCESS", "UPLOAD_IN_PROGRESS"});
  std::vector<std::string> out;
  EXPECT_EQ(e.check(twoSendsOneAborted(), out), 1u);
  EXPECT_EQ(out[0], "send completed REQUEST_ABORTED: expected 0, got 1");
}

TEST(Expectations, HardwareCounterMismatchIsReported) {
  Expectations e;
  e.hardware("CNT_CPL_WRITTEN", 3);
  e.hardware("CNT_IRQ", 1);
  std::vector<std::string> out;
  EXPECT_EQ(e.check(twoSendsOneAborted(), out), 2u);
}

TEST(Expectations, TooManyInterruptsIsReported) {
  Expectations e;
  e.interruptsAtMost(1);
  std::vector<std::string> out;
  EXPECT_EQ(e.check(twoSendsOneAborted(), out), 1u);
}

}  // namespace
}  // namespace chimney::tb
