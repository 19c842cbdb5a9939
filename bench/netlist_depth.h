// Netlist figures of a flattened Xilinx netlist written by Yosys
// (`synth_xilinx -flatten; write_json`): cell counts by resource and the
// deepest register-to-register path in logic levels.
//
// A path starts at a flip-flop output, a block RAM or UltraRAM output, a
// top-level input or a constant, and ends at any input of a flip-flop, a RAM
// or a top-level output. Along it:
//   - each LUT1..LUT6 and MUXF7..MUXF9 is one LUT level (a MUXF joins LUTs
//     into a wider function in the same slice, which timing counts as a level);
//     so is an INV cell Yosys leaves;
//   - a LUTRAM or dynamic shift register is read asynchronously: its read
//     address to its output is one LUT level;
//   - a carry chain (CARRY4/CARRY8 cells linked CO -> CI) is counted apart:
//     entering a carry cell other than through CI starts one more chain.
// Paths compare by LUT levels first, then by carry chains. A second count
// takes LUT cells alone (LUT1..LUT6 and the LUTRAM reads; a MUXF7..9 or INV
// adds no level): Yosys' ABC maps for that kind of depth, treating a LUT6
// with its MUXF7/F8/F9 as one wide LUT, and place and route folds an INV
// into the LUT it feeds. It is information beside the headline count, which
// is the one the depth bound is judged by. Unknown cell
// types end a path like a register does and are listed, so that nothing is
// counted silently.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace chimney::bench {

struct PathDepth {
  unsigned lutLevels = 0;
  unsigned carryChains = 0;
  bool operator<(const PathDepth& o) const {
    return lutLevels != o.lutLevels ? lutLevels < o.lutLevels : carryChains < o.carryChains;
  }
};

// One register (or RAM, or output port) with paths deeper than the bound:
// bits of it over the bound, the deepest of them and where that one starts.
struct EndpointDepth {
  std::string endpoint;  // public name of the register, RAM or port, without bit index
  std::string start;     // public name of the deepest path's start bit ("" if internal)
  PathDepth depth;
  unsigned bits = 0;
  std::vector<std::string> pathNets;  // public names along the deepest path ("" if internal);
                                      // kept for the kOverBoundPaths deepest entries only
};

// How many of the deepest over-bound entries keep their path's net names.
constexpr size_t kOverBoundPaths = 20;

struct NetlistFigures {
  uint64_t luts = 0;        // LUT1..LUT6 used as logic
  uint64_t wideMuxes = 0;   // MUXF7 / MUXF8 / MUXF9 (wide functions of two LUTs; not LUTs)
  uint64_t inverters = 0;   // INV cells Yosys leaves (a place-and-route tool folds them into LUTs)
  uint64_t lutRamLuts = 0;  // LUTs used as distributed RAM or shift registers
  uint64_t flipFlops = 0;   // FDRE, FDSE, FDCE, FDPE
  double blockRam = 0;      // RAMB36 equivalents (a RAMB18 is one half)
  uint64_t ultraRam = 0;    // URAM288
  uint64_t carryCells = 0;  // CARRY4 / CARRY8
  uint64_t cells = 0;
  PathDepth deepest;                  // the deepest register-to-register path
  std::vector<std::string> path;      // its cells, start to end ("name (type)")
  std::vector<std::string> pathNets;  // the net each of them drives: its public name ("" if none)
  PathDepth deepestLutCells;          // the deepest path counting LUT cells alone
  std::vector<std::string> pathLutCells;         // its cells, start to end
  std::map<std::string, uint64_t> unknownTypes;  // cell types treated as path ends
  unsigned bound = 0;                            // the LUT-level bound overBound was formed with
  std::vector<EndpointDepth> overBound;          // deepest first
};

// Throws std::runtime_error on a malformed netlist, a missing module or a
// combinational loop.
// Endpoints whose paths have more than `bound` LUT levels are listed in
// overBound.
NetlistFigures analyseNetlist(const std::string& yosysJson, const std::string& top,
                              unsigned bound = 8);

// The figures as one JSON object (no trailing newline).
std::string toJson(const NetlistFigures& f);

}  // namespace chimney::bench
