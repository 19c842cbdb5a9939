// The netlist walker on tiny hand-written Yosys netlists: levels, carry
// chains, LUTRAM reads, counts, loops and unknown cells.
#include "netlist_depth.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace chimney::bench {
namespace {

// Builds a one-module Yosys JSON netlist from cell texts.
class Netlist {
 public:
  Netlist& cell(const std::string& name, const std::string& type, const std::string& dirs,
                const std::string& conns) {
    if (!cells_.empty()) cells_ += ",";
    cells_ += "\"" + name + "\": {\"type\": \"" + type + "\", \"port_directions\": {" + dirs +
              "}, \"connections\": {" + conns + "}}";
    return *this;
  }
  Netlist& ff(const std::string& name, int d, int q) {
    return cell(
        name, "FDRE", R"("C": "input", "D": "input", "Q": "output")",
        R"("C": [1], "D": [)" + std::to_string(d) + R"(], "Q": [)" + std::to_string(q) + "]");
  }
  Netlist& lut2(const std::string& name, int a, int b, int o) {
    return cell(name, "LUT2", R"("I0": "input", "I1": "input", "O": "output")",
                R"("I0": [)" + std::to_string(a) + R"(], "I1": [)" + std::to_string(b) +
                    R"(], "O": [)" + std::to_string(o) + "]");
  }
  Netlist& carry(const std::string& name, int ci, int s, int co, int o) {
    return cell(name, "CARRY8",
                R"("CI": "input", "S": "input", "DI": "input", "CO": "output", "O": "output")",
                R"("CI": [)" + std::to_string(ci) + R"(], "S": [)" + std::to_string(s) +
                    R"(], "DI": ["0"], "CO": [)" + std::to_string(co) + R"(], "O": [)" +
                    std::to_string(o) + "]");
  }
  std::string json(const std::string& ports = R"("clk": {"direction": "input", "bits": [1]})",
                   const std::string& netnames = "") {
    return R"({"modules": {"top": {"ports": {)" + ports + R"(}, "cells": {)" + cells_ +
           R"(}, "netnames": {)" + netnames + "}}}}";
  }

 private:
  std::string cells_;
};

TEST(NetlistDepth, CountsLutLevelsBetweenFlipFlops) {
  Netlist n;
  n.ff("a", 20, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 10, 12).lut2("l3", 12, 11, 13);
  n.ff("b", 13, 20);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 3u);
  EXPECT_EQ(f.deepest.carryChains, 0u);
  EXPECT_EQ(f.luts, 3u);
  EXPECT_EQ(f.flipFlops, 2u);
  ASSERT_EQ(f.path.size(), 4u);
  EXPECT_EQ(f.path.front(), "a (FDRE)");
  EXPECT_EQ(f.path.back(), "l3 (LUT2)");
}

TEST(NetlistDepth, AFlipFlopEndsAndStartsAPath) {
  Netlist n;
  n.ff("a", 30, 10).lut2("l1", 10, 10, 11).ff("b", 11, 20).lut2("l2", 20, 20, 21);
  n.ff("c", 21, 30);
  EXPECT_EQ(analyseNetlist(n.json(), "top").deepest.lutLevels, 1u);
}

TEST(NetlistDepth, LinkedCarryCellsAreOneChainAndTwoChainsInSeriesCountTwice) {
  Netlist one;
  one.ff("a", 40, 10)
      .lut2("l1", 10, 10, 11)
      .carry("c1", 11, 11, 12, 13)
      .carry("c2", 12, 11, 14, 15);
  one.ff("b", 15, 40);
  const NetlistFigures f1 = analyseNetlist(one.json(), "top");
  EXPECT_EQ(f1.deepest.lutLevels, 1u);
  EXPECT_EQ(f1.deepest.carryChains, 1u);
  EXPECT_EQ(f1.carryCells, 2u);

  Netlist two;
  two.ff("a", 40, 10).carry("c1", 10, 10, 12, 13).lut2("l", 13, 13, 14).carry("c2", 14, 14, 15, 16);
  two.ff("b", 16, 40);
  const NetlistFigures f2 = analyseNetlist(two.json(), "top");
  EXPECT_EQ(f2.deepest.lutLevels, 1u);
  EXPECT_EQ(f2.deepest.carryChains, 2u);
}

TEST(NetlistDepth, ListsTheRegistersOverTheBoundByNameDeepestFirst) {
  Netlist n;
  // q[0] and q[1] (register "q") end paths of 3 and 2 levels from "a"; "r"
  // ends one of 1 level; the output port "o" one of 3 levels from "a".
  n.ff("a", 40, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 11, 12).lut2("l3", 12, 12, 13);
  n.ff("q0", 13, 20).ff("q1", 12, 21).ff("r", 11, 22).ff("s", 22, 40);
  const std::string ports =
      R"("clk": {"direction": "input", "bits": [1]}, "o": {"direction": "output", "bits": [13]})";
  const std::string names = R"("a": {"bits": [10]}, "q": {"bits": [20, 21]}, "r": {"bits": [22]})";
  const NetlistFigures f = analyseNetlist(n.json(ports, names), "top", 1);
  EXPECT_EQ(f.bound, 1u);
  ASSERT_EQ(f.overBound.size(), 2u);
  // Ties keep name order: "o" before "q".
  EXPECT_EQ(f.overBound[0].endpoint, "o");
  EXPECT_EQ(f.overBound[0].depth.lutLevels, 3u);
  EXPECT_EQ(f.overBound[1].endpoint, "q");
  EXPECT_EQ(f.overBound[1].bits, 2u);
  EXPECT_EQ(f.overBound[1].depth.lutLevels, 3u);
  EXPECT_EQ(f.overBound[1].start, "a");
  EXPECT_TRUE(analyseNetlist(n.json(ports, names), "top", 3).overBound.empty());
  EXPECT_FALSE(f.overBound[1].pathNets.empty());
}

TEST(NetlistDepth, OnlyTheDeepestOverBoundEntriesKeepTheirPaths) {
  Netlist n;
  // kOverBoundPaths + 5 registers r0.. each two levels behind register "a".
  n.ff("a", 1000, 10);
  std::string names = R"("a": {"bits": [10]})";
  for (int i = 0; i < int(kOverBoundPaths) + 5; ++i) {
    n.lut2("l" + std::to_string(i), 10, 10, 100 + i);
    n.lut2("m" + std::to_string(i), 100 + i, 10, 300 + i);
    n.ff("r" + std::to_string(i), 300 + i, 500 + i);
    names += R"(, "r)" + std::to_string(i) + R"(": {"bits": [)" + std::to_string(500 + i) + "]}";
  }
  const std::string ports = R"("clk": {"direction": "input", "bits": [1]})";
  const NetlistFigures f = analyseNetlist(n.json(ports, names), "top", 1);
  ASSERT_EQ(f.overBound.size(), kOverBoundPaths + 5);
  for (size_t i = 0; i < f.overBound.size(); ++i)
    EXPECT_EQ(f.overBound[i].pathNets.empty(), i >= kOverBoundPaths) << f.overBound[i].endpoint;
}

TEST(NetlistDepth, MoreLutLevelsOutrankMoreCarryChains) {
  Netlist n;
  // Path 1: two carry chains, no LUT. Path 2: two LUTs.
  n.ff("a", 50, 10).carry("c1", 10, 10, 11, 12).carry("c2", 12, 12, 13, 14).ff("b", 14, 50);
  n.ff("c", 51, 20).lut2("l1", 20, 20, 21).lut2("l2", 21, 21, 22).ff("d", 22, 51);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 2u);
  EXPECT_EQ(f.deepest.carryChains, 0u);
}

TEST(NetlistDepth, LutRamReadAddressIsALevelAndItsDataInputIsNot) {
  Netlist n;
  n.ff("a", 60, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 11, 12);
  // Data through two LUTs into DIA (a write: ends the path); read address
  // through one LUT; the read output into one more LUT.
  n.cell("ram", "RAM32M",
         R"("ADDRA": "input", "DIA": "input", "WE": "input", "WCLK": "input", "DOA": "output")",
         R"("ADDRA": [11], "DIA": [12], "WE": [10], "WCLK": [1], "DOA": [13])");
  n.lut2("l3", 13, 13, 14).ff("b", 14, 60);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 3u);  // l1, the LUTRAM read, l3
  EXPECT_EQ(f.lutRamLuts, 4u);
  EXPECT_EQ(f.luts, 3u);
}

TEST(NetlistDepth, AMultiPortLutRamOutputFollowsItsOwnAddressOnly) {
  Netlist n;
  n.ff("a", 60, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 11, 12).lut2("l3", 12, 12, 13);
  n.ff("r", 60, 20);
  // Port H is the write port: its address comes through three LUTs, port A
  // reads at a register. DOA follows ADDRA alone; DOH follows ADDRH.
  n.cell("ram", "RAM64M8",
         R"("ADDRA": "input", "ADDRH": "input", "DIA": "input", "DIH": "input", "WE": "input",)"
         R"( "WCLK": "input", "DOA": "output", "DOH": "output")",
         R"("ADDRA": [20], "ADDRH": [13], "DIA": [10], "DIH": [10], "WE": [10], "WCLK": [1],)"
         R"( "DOA": [30], "DOH": [31])");
  n.lut2("l4", 30, 30, 32).ff("b", 32, 61);
  NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 3u);  // l1..l3 into the write address; DOA is 2 (read, l4)
  ASSERT_EQ(f.path.size(), 4u);
  EXPECT_EQ(f.path.back(), "l3 (LUT2)");
  // The same output read at the write port's address: the chain continues.
  Netlist m;
  m.ff("a", 60, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 11, 12).lut2("l3", 12, 12, 13);
  m.cell("ram", "RAM64M8",
         R"("ADDRH": "input", "DIH": "input", "WE": "input", "WCLK": "input", "DOH": "output")",
         R"("ADDRH": [13], "DIH": [10], "WE": [10], "WCLK": [1], "DOH": [31])");
  m.lut2("l4", 31, 31, 32).ff("b", 32, 60);
  f = analyseNetlist(m.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 5u);  // l1..l3, the read, l4
}

TEST(NetlistDepth, DualPortLutRamReadsDpoAtDpraAndSpoAtA) {
  Netlist n;
  n.ff("a", 60, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 11, 12);
  n.ff("r", 60, 20);
  n.cell("ram", "RAM64X1D",
         R"("A0": "input", "DPRA0": "input", "D": "input", "WE": "input", "WCLK": "input",)"
         R"( "SPO": "output", "DPO": "output")",
         R"("A0": [12], "DPRA0": [20], "D": [10], "WE": [10], "WCLK": [1], "SPO": [30],)"
         R"( "DPO": [31])");
  n.ff("b", 31, 60).ff("c", 30, 61);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 3u);  // l1, l2, the SPO read at A; DPO is 1
  EXPECT_EQ(f.path.back(), "ram (RAM64X1D)");
}

TEST(NetlistDepth, BlockRamIsARegisterAndCountsHalvesAndWholes) {
  Netlist n;
  n.ff("a", 70, 10).lut2("l1", 10, 10, 11);
  n.cell("bram", "RAMB18E2",
         R"("ADDRARDADDR": "input", "CLKARDCLK": "input", "DOUTADOUT": "output")",
         R"("ADDRARDADDR": [11], "CLKARDCLK": [1], "DOUTADOUT": [12])");
  n.cell("bram2", "RAMB36E2", R"("ADDRARDADDR": "input", "DOUTADOUT": "output")",
         R"("ADDRARDADDR": [12], "DOUTADOUT": [13])");
  n.lut2("l2", 13, 13, 14).ff("b", 14, 70);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 1u);
  EXPECT_DOUBLE_EQ(f.blockRam, 1.5);
}

TEST(NetlistDepth, TopLevelPortsStartAndEndPaths) {
  Netlist n;
  n.lut2("l1", 2, 2, 3).lut2("l2", 3, 3, 4);
  const NetlistFigures f = analyseNetlist(
      n.json(
          R"("i": {"direction": "input", "bits": [2]}, "o": {"direction": "output", "bits": [4]})"),
      "top");
  EXPECT_EQ(f.deepest.lutLevels, 2u);
}

TEST(NetlistDepth, UnknownCellTypesEndPathsAndAreListed) {
  Netlist n;
  n.ff("a", 80, 10).lut2("l1", 10, 10, 11);
  n.cell("x", "MYSTERY", R"("I": "input", "O": "output")", R"("I": [11], "O": [12])");
  n.lut2("l2", 12, 12, 13).ff("b", 13, 80);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 1u);
  ASSERT_EQ(f.unknownTypes.count("MYSTERY"), 1u);
  EXPECT_EQ(f.unknownTypes.at("MYSTERY"), 1u);
}

TEST(NetlistDepth, CombinationalLoopIsAnError) {
  Netlist n;
  n.lut2("l1", 11, 11, 10).lut2("l2", 10, 10, 11).ff("a", 11, 12);
  EXPECT_THROW(analyseNetlist(n.json(), "top"), std::runtime_error);
}

TEST(NetlistDepth, WideMuxesAndInvertersAreLevelsButNotLuts) {
  Netlist n;
  n.ff("a", 20, 10).lut2("l1", 10, 10, 11).lut2("l2", 10, 10, 12);
  n.cell("m7", "MUXF7", R"("I0": "input", "I1": "input", "S": "input", "O": "output")",
         R"("I0": [11], "I1": [12], "S": [10], "O": [13])");
  n.cell("inv", "INV", R"("I": "input", "O": "output")", R"("I": [13], "O": [14])");
  n.ff("b", 14, 20);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.luts, 2u);
  EXPECT_EQ(f.wideMuxes, 1u);
  EXPECT_EQ(f.inverters, 1u);
  EXPECT_EQ(f.deepest.lutLevels, 3u);  // l1, the MUXF7, the INV
  const std::string j = toJson(f);
  EXPECT_NE(j.find("\"luts\":2"), std::string::npos) << j;
  EXPECT_NE(j.find("\"wide_muxes\":1"), std::string::npos) << j;
  EXPECT_NE(j.find("\"inverters\":1"), std::string::npos) << j;
}

TEST(NetlistDepth, CountingLutCellsAloneCanPickAnotherPath) {
  // Into b: a LUT, a MUXF7, a MUXF8 and an INV (4 levels, 1 LUT cell).
  // Into c: three LUTs (3 levels, 3 LUT cells).
  Netlist n;
  n.ff("a", 20, 10).lut2("l1", 10, 10, 11).lut2("l2", 10, 10, 12);
  n.cell("m7", "MUXF7", R"("I0": "input", "I1": "input", "S": "input", "O": "output")",
         R"("I0": [11], "I1": [12], "S": [10], "O": [13])");
  n.cell("m8", "MUXF8", R"("I0": "input", "I1": "input", "S": "input", "O": "output")",
         R"("I0": [13], "I1": [13], "S": [10], "O": [14])");
  n.cell("inv", "INV", R"("I": "input", "O": "output")", R"("I": [14], "O": [15])");
  n.ff("b", 15, 20);
  n.lut2("k1", 10, 10, 31).lut2("k2", 31, 31, 32).lut2("k3", 32, 32, 33).ff("c", 33, 21);
  const NetlistFigures f = analyseNetlist(n.json(), "top");
  EXPECT_EQ(f.deepest.lutLevels, 4u);
  ASSERT_FALSE(f.path.empty());
  EXPECT_EQ(f.path.back(), "inv (INV)");
  EXPECT_EQ(f.deepestLutCells.lutLevels, 3u);
  ASSERT_EQ(f.pathLutCells.size(), 4u);
  EXPECT_EQ(f.pathLutCells.front(), "a (FDRE)");
  EXPECT_EQ(f.pathLutCells.back(), "k3 (LUT2)");
  const std::string j = toJson(f);
  EXPECT_NE(j.find(R"("lut_cells_only":{"deepest_carry_chains":0,"deepest_lut_levels":3)"),
            std::string::npos)
      << j;
}

TEST(NetlistDepth, ThePathNamesTheNetsItsCellsDrive) {
  Netlist n;
  n.ff("a", 20, 10).lut2("l1", 10, 10, 11).lut2("l2", 11, 11, 12).ff("b", 12, 20);
  // a's output is bit 0 of the vector 'count'; l1 drives an internal net; l2
  // drives 'sum', also known by a longer name and by a hidden one.
  const NetlistFigures f = analyseNetlist(
      n.json(
          R"("clk": {"direction": "input", "bits": [1]})",
          R"("count": {"hide_name": 0, "bits": [10, 20]}, "$auto$x": {"hide_name": 1, "bits": [11]},)"
          R"( "u_x.sum_long": {"hide_name": 0, "bits": [12]}, "sum": {"hide_name": 0, "bits": [12]})"),
      "top");
  ASSERT_EQ(f.path.size(), 3u);
  ASSERT_EQ(f.pathNets.size(), 3u);
  EXPECT_EQ(f.pathNets[0], "count[0]");
  EXPECT_EQ(f.pathNets[1], "");
  EXPECT_EQ(f.pathNets[2], "sum");
  EXPECT_NE(toJson(f).find(R"("deepest_path_nets":["count[0]","","sum"])"), std::string::npos);
}

TEST(NetlistDepth, MissingModuleIsAnError) {
  EXPECT_THROW(analyseNetlist(Netlist().json(), "other"), std::runtime_error);
}

TEST(NetlistDepth, JsonCarriesTheFigures) {
  Netlist n;
  n.ff("a", 20, 10).lut2("l1", 10, 10, 11).ff("b", 11, 20);
  const std::string j = toJson(analyseNetlist(n.json(), "top"));
  EXPECT_NE(j.find("\"deepest_lut_levels\":1"), std::string::npos) << j;
  EXPECT_NE(j.find("\"flip_flops\":2"), std::string::npos) << j;
}

}  // namespace
}  // namespace chimney::bench
