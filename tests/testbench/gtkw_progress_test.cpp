// The GTKWave view (groups, markers, filter) and the progress line's text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gtkw_writer.h"
#include "progress.h"

namespace chimney::tb {
namespace {

std::vector<WaveSignal> engineSignals() {
  return {{"TOP.clk", 1},
          {"TOP.rst", 1},
          {"TOP.s_axil_awvalid", 1},
          {"TOP.m_axi_awvalid", 1},
          {"TOP.m_axi_wdata", 64},
          {"TOP.m_axi_bvalid", 1},
          {"TOP.m_axi_arvalid", 1},
          {"TOP.m_axi_rdata", 64},
          {"TOP.m_work_valid", 1},
          {"TOP.s_evt_valid", 1},
          {"TOP.m_irq_valid", 1},
          {"TOP.cpl_engine.clk", 1},
          {"TOP.cpl_engine.tag_wdata", 64},
          {"TOP.cpl_engine.u_csr.cmd_busy_q", 1},
          {"TOP.cpl_engine.u_csr.CMD_BAD_STATE", 32},
          {"TOP.cpl_engine.u_csr.next_value", 8}};
}

TEST(Gtkw, GroupsByInterfaceAndBlockRegisters) {
  const auto groups = gtkwGroups(engineSignals());
  std::vector<std::string> names;
  for (const auto& g : groups) names.push_back(g.first);
  EXPECT_EQ(names, (std::vector<std::string>{"clock and reset", "AXI-Lite (registers)",
                                             "DMA AW/W/B (writes)", "DMA AR/R (reads)", "work",
                                             "event", "irq", "tags", "state: u_csr"}));
  // Writes: AW, W then B; a block shows its registers, never its constants.
  ASSERT_EQ(groups[2].second.size(), 3u);
  EXPECT_EQ(groups[2].second[1].name, "TOP.m_axi_wdata");
  ASSERT_EQ(groups[8].second.size(), 1u);
  EXPECT_EQ(groups[8].second[0].name, "TOP.cpl_engine.u_csr.cmd_busy_q");
}

TEST(Gtkw, MarkersSitOnTheViolationsRisingEdgesAndTheViewOnTheWindow) {
  GtkwView v;
  v.dumpFile = "w.fst";
  v.filterFile = "w.tags.txt";
  v.fromCycle = 100;
  v.toCycle = 900;
  v.periodPs = 4000;
  v.markerCycles = {840, 850};
  const std::string text = gtkwText(v, engineSignals());
  EXPECT_NE(text.find("[dumpfile] \"w.fst\"\n"), std::string::npos);
  EXPECT_NE(text.find("[timestart] 400000\n"), std::string::npos);
  // Primary marker at cycle 840's rising edge, marker A at 850's, the rest unset.
  const std::size_t star = text.find("\n*");
  ASSERT_NE(star, std::string::npos);
  const std::string line = text.substr(star + 1, text.find('\n', star + 1) - star - 1);
  EXPECT_NE(line.find(" 3362000 3402000 -1 "), std::string::npos) << line;
  // The tag-carrying buses go through the filter, others do not.
  EXPECT_NE(text.find("@2022\n^1 w.tags.txt\nTOP.m_axi_wdata\n"), std::string::npos) << text;
  EXPECT_NE(text.find("^1 w.tags.txt\nTOP.cpl_engine.tag_wdata\n"), std::string::npos);
  EXPECT_EQ(text.find("^1 w.tags.txt\nTOP.m_axi_awvalid"), std::string::npos);
}

TEST(Gtkw, TagFilterNamesEachTagInBothHexCases) {
  const std::string text = tagFilterText({{0x1000000abull, "nbl#7 send conn 2"}});
  EXPECT_EQ(text, "00000001000000ab nbl#7 send conn 2\n00000001000000AB nbl#7 send conn 2\n");
}

TEST(Progress, LineNamesCyclesOpsRateAndTimeLeft) {
  EXPECT_EQ(ProgressLine::format(123456, 500, 600, 1000, 2.0),
            "cycle 123456, 500 of 600 posted ops completed (1000 planned), 250 ops/s, about 2 s "
            "left");
  EXPECT_EQ(ProgressLine::format(10, 0, 0, 0, 0.0),
            "cycle 10, 0 of 0 posted ops completed, 0 ops/s");
}

TEST(Progress, DisabledLineWritesNothing) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressLine p(false, 10, f);
    for (int i = 0; i < 1000; ++i) p.update(uint64_t(i), 1, 2);
  }
  EXPECT_EQ(std::ftell(f), 0L);
  std::fclose(f);
}

}  // namespace
}  // namespace chimney::tb
