// The hardware figures table of the benchmark report: one row per
// synthesized configuration, the depth target judged per row.
#include "hardware_figures.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace chimney::bench {
namespace {

std::string render(const std::string& hwJson) {
  std::ostringstream out;
  writeHardwareMarkdown(hwJson, out);
  return out.str();
}

std::string netlist(int luts, int muxes, int levels, int chains) {
  return R"({"memories_before_mapping": 37, "netlist": {"luts": )" + std::to_string(luts) +
         R"(, "lutram_luts": 100, "wide_muxes": )" + std::to_string(muxes) +
         R"(, "flip_flops": 3000, "block_ram_36k": 1.5, "ultra_ram": 0, "deepest_lut_levels": )" +
         std::to_string(levels) + R"(, "deepest_carry_chains": )" + std::to_string(chains) +
         R"(, "lut_cells_only": {"deepest_lut_levels": 7, "deepest_carry_chains": 1}}})";
}

TEST(HardwareFigures, OneRowPerConfigurationWithItsDepthVerdict) {
  const std::string md =
      render(R"({"default": )" + netlist(7000, 300, 20, 1) + R"(, "default_lut6": )" +
             netlist(6500, 0, 8, 1) + R"(, "default_abc9": )" + netlist(6100, 250, 9, 0) +
             R"(, "max": {"error": "stopped after 2400 s"}})");
  EXPECT_NE(
      md.find("| default | 7000 | 100 | 300 | 3000 | 1.5 | 0 | 37 | 20 LUT + 1 carry (MISSED) | "
              "7 LUT + 1 carry |"),
      std::string::npos)
      << md;
  EXPECT_NE(
      md.find(
          "| default, LUT6 only | 6500 | 100 | 0 | 3000 | 1.5 | 0 | 37 | 8 LUT + 1 carry (met) | "
          "7 LUT + 1 carry |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| default, delay-driven (-abc9) | 6100 | 100 | 250 | 3000 | 1.5 | 0 | 37 | 9 "
                    "LUT + 0 carry (MISSED) | 7 LUT + 1 carry |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| maximum | synthesis failed: stopped after 2400 s |"), std::string::npos)
      << md;
  EXPECT_EQ(md.find("maximum, LUT6 only"), std::string::npos) << md;  // not in the file: no row
}

TEST(HardwareFigures, TheDeepestPathIsListedByItsNamedNets) {
  const std::string md = render(
      R"({"default": {"netlist": {"deepest_lut_levels": 3, "deepest_path_nets": )"
      R"(["cq_size[2]", "", "u_cq_writer.room_l[1]", "u_cq_writer.room_l[2]", "app_slot[0]"]}}})");
  EXPECT_NE(md.find("Deepest path of the default configuration, its named nets: cq_size → "
                    "u_cq_writer.room_l → app_slot."),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("maximum configuration, its named nets"), std::string::npos) << md;
}

TEST(HardwareFigures, PathsOverTheBoundAreSummedUpByTheBlockTheyEndIn) {
  const std::string md = render(
      R"({"default": {"netlist": {"deepest_lut_levels": 12, "bound_lut_levels": 8, "over_bound": [)"
      R"({"endpoint": "u_matcher.op_rem", "lut_levels": 12, "bits": 64},)"
      R"({"endpoint": "u_csr.w_qp", "lut_levels": 11, "bits": 2},)"
      R"({"endpoint": "u_matcher.fwd_word", "lut_levels": 10, "bits": 900},)"
      R"({"endpoint": "$auto$ff.cc:266:slice$1", "lut_levels": 9, "bits": 1},)"
      R"({"endpoint": "cpl_wdata", "lut_levels": 9, "bits": 28}]}},)"
      R"("max": {"netlist": {"deepest_lut_levels": 8, "over_bound": []}}})");
  EXPECT_NE(md.find("Paths over 8 LUT levels, default configuration: they end in 5 registers, RAM "
                    "ports or outputs (995 bits); by block, count (deepest): u_matcher 2 (12), "
                    "u_csr 1 (11), unnamed 1 (9), top 1 (9)."),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Paths over 8 LUT levels, maximum configuration: none."), std::string::npos)
      << md;
}

TEST(HardwareFigures, TwoCarryChainsMissTheDepthTarget) {
  const std::string md = render(R"({"default": )" + netlist(7000, 0, 8, 2) + "}");
  EXPECT_NE(md.find("8 LUT + 2 carry (MISSED)"), std::string::npos) << md;
}

TEST(HardwareFigures, ICE40FmaxIsJudgedAgainstFiftyMegahertz) {
  EXPECT_NE(
      render(
          R"({"ice40_hx8k_small": {"fmax_mhz": 49.5, "logic_cells": 7000, "logic_cells_available": 7680}})")
          .find("post-route Fmax 49.50 MHz (target >= 50: MISSED), 7000 of 7680 logic cells"),
      std::string::npos);
  EXPECT_NE(render(R"({"ice40_hx8k_small": {"error": "no fit"}})").find("failed: no fit"),
            std::string::npos);
}

TEST(HardwareFigures, AMalformedFileIsOneLine) {
  EXPECT_NE(render("{not json").find("Hardware figures: none"), std::string::npos);
}

}  // namespace
}  // namespace chimney::bench
