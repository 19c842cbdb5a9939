#include "rtl_workload.h"

#include <gtest/gtest.h>

namespace chimney::bench {
namespace {

TEST(RtlWorkload, DefaultScenarioCompletesEveryRequestSuccessfully) {
  RtlWorkloadConfig config;
  config.ops = 4;

  const RtlWorkloadResult r = runRtlWorkload(config);

  ASSERT_TRUE(r.ok()) << r.errors.front();
  // A receive, 4 sends, a forward and a disconnect; plus the peer's EVT_FIN.
  EXPECT_EQ(r.requests, 7u);
  EXPECT_EQ(r.completions, 8u);
  EXPECT_GT(r.cycles, 0u);
  // The loop's CPU time is measured (what it is, is the machine's business).
  EXPECT_GT(r.cpuSeconds, 0.0);
}

TEST(RtlWorkload, MoreSendsThanTheRingHoldsAllComplete) {
  RtlWorkloadConfig config;
  config.ops = 300;  // the SQ holds 64

  const RtlWorkloadResult r = runRtlWorkload(config);

  ASSERT_TRUE(r.ok()) << r.errors.front();
  EXPECT_EQ(r.requests, 303u);
  EXPECT_EQ(r.completions, 304u);
}

TEST(RtlWorkload, SameSeedTakesTheSameCycles) {
  // The Icarus replay records a second run of the timed one: both must agree.
  RtlWorkloadConfig config;
  config.ops = 50;

  const RtlWorkloadResult a = runRtlWorkload(config);
  const RtlWorkloadResult b = runRtlWorkload(config);

  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_EQ(a.completions, b.completions);
}

}  // namespace
}  // namespace chimney::bench
