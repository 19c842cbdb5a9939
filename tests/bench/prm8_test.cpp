#include "prm8.h"

#include <gtest/gtest.h>

namespace chimney::bench {
namespace {

const CycleFigure* find(const std::vector<CycleFigure>& figures, const std::string& name) {
  for (const CycleFigure& f : figures)
    if (f.name == name) return &f;
  return nullptr;
}

TEST(Prm8Figures, FigureLinesAreReadWithTheirTargets) {
  const std::string output =
      "[ RUN      ] Throughput.RequestFetchSustainsItsRate\n"
      "[ PRM 8    ] requests_fetched_per_cycle: 0.240 requests/cycle\n"
      "[ PRM 8    ] event_to_cq_tail_cycles: 12.000 cycles (worst of 10, upper bound)\n"
      "[ PRM 8    ] event_to_write_response_cycles: 9.000 cycles (worst of 10)\n";

  const std::vector<CycleFigure> f = parsePrm8Figures(output);

  ASSERT_EQ(f.size(), 3u);
  const CycleFigure* fetch = find(f, "requests_fetched_per_cycle");
  ASSERT_NE(fetch, nullptr);
  EXPECT_DOUBLE_EQ(fetch->value, 0.24);
  EXPECT_EQ(fetch->unit, "requests/cycle");
  EXPECT_EQ(fetch->target, ">= 0.22");
  EXPECT_TRUE(fetch->met);
  EXPECT_TRUE(find(f, "event_to_cq_tail_cycles")->met);
  EXPECT_EQ(find(f, "event_to_write_response_cycles")->target, "(information)");
}

TEST(Prm8Figures, FigureBeyondItsTargetIsMarkedMissed) {
  const std::string output =
      "[ PRM 8    ] descriptors_per_cycle_indications: 0.310 descriptors/cycle\n"
      "[ PRM 8    ] event_to_cq_tail_cycles: 17.000 cycles (worst of 10, upper bound)\n";

  const std::vector<CycleFigure> f = parsePrm8Figures(output);

  ASSERT_EQ(f.size(), 2u);
  EXPECT_FALSE(find(f, "descriptors_per_cycle_indications")->met);
  EXPECT_FALSE(find(f, "event_to_cq_tail_cycles")->met);
}

}  // namespace
}  // namespace chimney::bench
