#include "netlist_depth.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace chimney::bench {
namespace {

using nlohmann::json;

enum class Kind : uint8_t {
  kLogic,      // one LUT level from every input to every output
  kWide,       // MUXF7..9 and INV: a level, except when LUT cells alone are counted
  kCarry,      // carry chain cell
  kAsyncRead,  // LUTRAM / SRL: read address -> output is one level
  kPass,       // buffers: no level
  kSource,     // constants: outputs start paths
  kSequential  // flip-flops, block RAM, UltraRAM, DSP: paths start and end here
};

struct CellClass {
  Kind kind = Kind::kSequential;
  unsigned lutRamLuts = 0;  // LUTs a LUTRAM / SRL cell occupies
  bool known = true;
};

bool startsWith(const std::string& s, const char* p) {
  return s.rfind(p, 0) == 0;
}

CellClass classify(const std::string& type) {
  static const std::unordered_map<std::string, unsigned> lutRams = {
      {"RAM16X1S", 1}, {"RAM32X1S", 1}, {"RAM64X1S", 1}, {"RAM128X1S", 2}, {"RAM256X1S", 4},
      {"RAM16X1D", 2}, {"RAM32X1D", 2}, {"RAM64X1D", 2}, {"RAM128X1D", 4}, {"RAM256X1D", 8},
      {"RAM32M", 4},   {"RAM64M", 4},   {"RAM32M16", 8}, {"RAM64M8", 8},   {"RAM512X1S", 8},
      {"SRL16E", 1},   {"SRLC16E", 1},  {"SRLC32E", 1}};
  if (startsWith(type, "LUT") && type.size() == 4) return {Kind::kLogic, 0, true};
  if (startsWith(type, "MUXF") || type == "INV") return {Kind::kWide, 0, true};
  if (type == "CARRY4" || type == "CARRY8") return {Kind::kCarry, 0, true};
  if (const auto it = lutRams.find(type); it != lutRams.end())
    return {Kind::kAsyncRead, it->second, true};
  if (type == "IBUF" || type == "OBUF" || type == "BUFG" || type == "IBUFG" || type == "OBUFT" ||
      type == "BUFGCE" || type == "IOBUF")
    return {Kind::kPass, 0, true};
  if (type == "GND" || type == "VCC") return {Kind::kSource, 0, true};
  if (startsWith(type, "FD") || startsWith(type, "RAMB") || startsWith(type, "URAM") ||
      startsWith(type, "DSP") || startsWith(type, "FIFO"))
    return {Kind::kSequential, 0, true};
  return {Kind::kSequential, 0, false};
}

// Whether input port `in` of an asynchronously read cell addresses the read
// that drives its output port `out`: the multi-port LUTRAMs (RAM32M, RAM64M,
// RAM32M16, RAM64M8) read DOx at ADDRx (the write port's address, ADDRD or
// ADDRH, only for its own output); the dual-port ones read DPO at DPRA and SPO
// at A; the single-port ones and shift registers read O / Q at A; the
// cascade outputs (Q15, Q31) are read at no address.
bool addressesOutput(const std::string& in, const std::string& out) {
  if (startsWith(out, "DO") && out.size() == 3) return in == "ADDR" + out.substr(2);
  if (out == "DPO") return startsWith(in, "DPRA");
  if (out == "SPO" || out == "O" || out == "Q")
    return startsWith(in, "A") && !startsWith(in, "ADDR");
  if (out == "Q15" || out == "Q31") return false;
  return startsWith(in, "A") || startsWith(in, "DPRA");
}

struct Cell {
  std::string name, type;
  CellClass cls;
  // (port, bits) of inputs; outputs are found through the driver map.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputs;
};

struct Driver {
  size_t cell = 0;
  std::string port;
};

class Walker {
 public:
  // countWide: whether MUXF7..9 and INV cells are levels (the headline
  // count) or not (LUT cells alone).
  Walker(const std::vector<Cell>& cells, const std::unordered_map<int64_t, Driver>& drivers,
         bool countWide)
      : cells_(cells), drivers_(drivers), countWide_(countWide) {}

  // Depth at a net bit (constants and undriven bits are 0).
  PathDepth at(int64_t bit) {
    const auto found = memo_.find(bit);
    if (found != memo_.end()) {
      if (found->second.busy)
        throw std::runtime_error("combinational loop through net " + std::to_string(bit));
      return found->second.depth;
    }
    const auto d = drivers_.find(bit);
    if (d == drivers_.end()) return {};
    const Cell& cell = cells_[d->second.cell];
    const std::string& outPort = d->second.port;
    const Kind kind = cell.cls.kind;
    if (kind == Kind::kSequential || kind == Kind::kSource) return {};
    memo_[bit].busy = true;
    PathDepth best;
    int64_t from = -1;
    for (const auto& [port, bits] : cell.inputs) {
      if (kind == Kind::kAsyncRead && !addressesOutput(port, outPort)) continue;
      for (int64_t b : bits) {
        if (b < 0) continue;
        PathDepth d2 = at(b);
        if (kind == Kind::kLogic || kind == Kind::kAsyncRead ||
            (kind == Kind::kWide && countWide_)) {
          ++d2.lutLevels;
        } else if (kind == Kind::kCarry) {
          const bool chained = (port == "CI" || port == "CI_TOP") && fromCarry(b);
          if (!chained) ++d2.carryChains;
        }
        if (from < 0 || best < d2) {
          best = d2;
          from = b;
        }
      }
    }
    if (from < 0) {  // a cell with no driven input (e.g. a LUT of constants)
      if (kind == Kind::kLogic || kind == Kind::kAsyncRead || (kind == Kind::kWide && countWide_))
        best.lutLevels = 1;
      if (kind == Kind::kCarry) best.carryChains = 1;
    }
    Memo& m = memo_[bit];
    m.busy = false;
    m.depth = best;
    m.from = from;
    return best;
  }

  // The net bits the cells of pathTo(bit) drive, in the same order.
  std::vector<int64_t> bitsTo(int64_t bit) const {
    std::vector<int64_t> out;
    for (int64_t b = bit; b >= 0;) {
      if (drivers_.find(b) == drivers_.end()) break;
      out.push_back(b);
      const auto m = memo_.find(b);
      if (m == memo_.end()) break;
      b = m->second.from;
    }
    return {out.rbegin(), out.rend()};
  }

  // The bit the deepest path to `bit` starts from (a register or RAM output,
  // an input port, or `bit` itself when nothing combinational drives it).
  int64_t startOf(int64_t bit) const {
    int64_t b = bit;
    for (auto m = memo_.find(b); m != memo_.end() && m->second.from >= 0; m = memo_.find(b))
      b = m->second.from;
    return b;
  }

  // Cells from the start of the path to the driver of `bit`.
  std::vector<std::string> pathTo(int64_t bit) const {
    std::vector<std::string> out;
    for (int64_t b = bit; b >= 0;) {
      const auto d = drivers_.find(b);
      if (d == drivers_.end()) break;
      const Cell& c = cells_[d->second.cell];
      out.push_back(c.name + " (" + c.type + ")");
      const auto m = memo_.find(b);
      if (m == memo_.end()) break;  // a sequential cell: the start
      b = m->second.from;
    }
    return {out.rbegin(), out.rend()};
  }

 private:
  bool fromCarry(int64_t bit) const {
    const auto d = drivers_.find(bit);
    return d != drivers_.end() && cells_[d->second.cell].cls.kind == Kind::kCarry;
  }

  struct Memo {
    PathDepth depth;
    int64_t from = -1;
    bool busy = false;
  };
  const std::vector<Cell>& cells_;
  const std::unordered_map<int64_t, Driver>& drivers_;
  bool countWide_;
  std::unordered_map<int64_t, Memo> memo_;
};

// Yosys writes a bit as a net number or as a constant string ("0", "1", "x").
std::vector<int64_t> bitsOf(const json& list) {
  std::vector<int64_t> out;
  for (const json& b : list) out.push_back(b.is_number_integer() ? b.get<int64_t>() : -1);
  return out;
}

// The first output bit of a cell in the JSON (its Q, DO or O), -1 if none.
int64_t firstOutput(const json& c) {
  const json dirs = c.value("port_directions", json::object());
  const json connections = c.value("connections", json::object());
  for (const auto& [port, bits] : connections.items()) {
    if (dirs.value(port, std::string("input")) != "output") continue;
    for (int64_t b : bitsOf(bits))
      if (b >= 0) return b;
  }
  return -1;
}

std::string withoutIndex(const std::string& name) {
  const size_t open = name.rfind('[');
  return open != std::string::npos && !name.empty() && name.back() == ']' ? name.substr(0, open)
                                                                          : name;
}

}  // namespace

NetlistFigures analyseNetlist(const std::string& yosysJson, const std::string& top,
                              unsigned bound) {
  const json doc = json::parse(yosysJson);
  if (!doc.contains("modules") || !doc["modules"].contains(top))
    throw std::runtime_error("netlist has no module " + top);
  const json& mod = doc["modules"][top];

  NetlistFigures f;
  std::vector<Cell> cells;
  std::unordered_map<int64_t, Driver> drivers;
  std::vector<int64_t> endpoints;
  // What each endpoint bit feeds: a cell (named by its first output bit) or a
  // port, one entry per cell or port; endpointOwner[i] indexes it.
  struct Owner {
    int64_t outBit;    // -1 for a port
    std::string name;  // the cell's or port's own name, if the net has none
  };
  std::vector<Owner> owners;
  std::vector<size_t> endpointOwner;
  // value() returns a copy: keep it alive for the loops over its items.
  const json allCells = mod.value("cells", json::object());
  for (const auto& [name, c] : allCells.items()) {
    Cell cell;
    cell.name = name;
    cell.type = c.at("type").get<std::string>();
    cell.cls = classify(cell.type);
    ++f.cells;
    if (startsWith(cell.type, "LUT") && cell.type.size() == 4) ++f.luts;
    if (startsWith(cell.type, "MUXF")) ++f.wideMuxes;
    if (cell.type == "INV") ++f.inverters;
    if (cell.cls.kind == Kind::kAsyncRead) f.lutRamLuts += cell.cls.lutRamLuts;
    if (cell.cls.kind == Kind::kCarry) ++f.carryCells;
    if (startsWith(cell.type, "FD")) ++f.flipFlops;
    if (startsWith(cell.type, "RAMB18")) f.blockRam += 0.5;
    if (startsWith(cell.type, "RAMB36")) f.blockRam += 1;
    if (startsWith(cell.type, "URAM")) ++f.ultraRam;
    if (!cell.cls.known) ++f.unknownTypes[cell.type];
    const json dirs = c.value("port_directions", json::object());
    if (dirs.empty() && cell.cls.kind != Kind::kSource) {
      cell.cls = {Kind::kSequential, 0, false};
      ++f.unknownTypes[cell.type + " (no port directions)"];
    }
    const json connections = c.value("connections", json::object());
    const bool endsPaths = cell.cls.kind == Kind::kSequential || cell.cls.kind == Kind::kAsyncRead;
    if (endsPaths) owners.push_back({firstOutput(c), name});
    for (const auto& [port, bits] : connections.items()) {
      const std::string dir = dirs.value(port, std::string("input"));
      if (dir == "output") {
        for (int64_t b : bitsOf(bits))
          if (b >= 0) drivers[b] = Driver{cells.size(), port};
      } else {
        cell.inputs.emplace_back(port, bitsOf(bits));
        if (endsPaths)
          for (int64_t b : bitsOf(bits)) {
            endpoints.push_back(b);
            endpointOwner.push_back(owners.size() - 1);
          }
      }
    }
    cells.push_back(std::move(cell));
  }
  const json ports = mod.value("ports", json::object());
  for (const auto& [name, p] : ports.items()) {
    if (p.value("direction", std::string()) != "input") {
      owners.push_back({-1, name});
      for (int64_t b : bitsOf(p.at("bits"))) {
        endpoints.push_back(b);
        endpointOwner.push_back(owners.size() - 1);
      }
    }
  }

  Walker w(cells, drivers, true);
  Walker lutCellsOnly(cells, drivers, false);
  int64_t worst = -1;
  int64_t worstLutCells = -1;
  for (int64_t b : endpoints) {
    if (b < 0) continue;
    const PathDepth d = w.at(b);
    if (worst < 0 || f.deepest < d) {
      f.deepest = d;
      worst = b;
    }
    const PathDepth dl = lutCellsOnly.at(b);
    if (worstLutCells < 0 || f.deepestLutCells < dl) {
      f.deepestLutCells = dl;
      worstLutCells = b;
    }
  }
  // The public name of each net: the shortest name Yosys kept for the bit
  // (with its index in a vector); internal nets have none.
  std::unordered_map<int64_t, std::string> names;
  const json netnames = mod.value("netnames", json::object());
  for (const auto& [name, n] : netnames.items()) {
    if (name.empty() || name[0] == '$' || n.value("hide_name", 0) != 0) continue;
    const std::vector<int64_t> bits = bitsOf(n.value("bits", json::array()));
    for (size_t i = 0; i < bits.size(); ++i) {
      if (bits[i] < 0) continue;
      const std::string full = bits.size() > 1 ? name + "[" + std::to_string(i) + "]" : name;
      auto& best = names[bits[i]];
      if (best.empty() || full.size() < best.size() || (full.size() == best.size() && full < best))
        best = full;
    }
  }
  const auto nameOf = [&names](int64_t bit) {
    const auto it = names.find(bit);
    return it == names.end() ? std::string() : it->second;
  };
  if (worst >= 0) {
    f.path = w.pathTo(worst);
    for (int64_t b : w.bitsTo(worst)) f.pathNets.push_back(nameOf(b));
  }
  if (worstLutCells >= 0) f.pathLutCells = lutCellsOnly.pathTo(worstLutCells);
  f.bound = bound;
  // Per owner name: the entry, and the endpoint bit of its deepest path.
  std::map<std::string, std::pair<EndpointDepth, int64_t>> over;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    if (endpoints[i] < 0) continue;
    const PathDepth d = w.at(endpoints[i]);
    if (d.lutLevels <= bound) continue;
    const Owner& o = owners[endpointOwner[i]];
    std::string owner = o.outBit >= 0 ? withoutIndex(nameOf(o.outBit)) : o.name;
    if (owner.empty()) owner = o.name;
    auto& [e, deepestBit] = over[owner];
    e.endpoint = owner;
    ++e.bits;
    if (e.bits == 1 || e.depth < d) {
      e.depth = d;
      deepestBit = endpoints[i];
    }
  }
  std::vector<int64_t> deepestBits;
  for (auto& [name, entry] : over) {
    f.overBound.push_back(std::move(entry.first));
    deepestBits.push_back(entry.second);
  }
  // Deepest first, ties in name order; only the first kOverBoundPaths get
  // their path's net names.
  std::vector<size_t> order(f.overBound.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&f](size_t a, size_t b) {
    return f.overBound[b].depth < f.overBound[a].depth;
  });
  std::vector<EndpointDepth> sorted;
  sorted.reserve(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    EndpointDepth& e = f.overBound[order[k]];
    const int64_t bit = deepestBits[order[k]];
    e.start = nameOf(w.startOf(bit));
    if (k < kOverBoundPaths)
      for (int64_t b : w.bitsTo(bit)) e.pathNets.push_back(nameOf(b));
    sorted.push_back(std::move(e));
  }
  f.overBound = std::move(sorted);
  return f;
}

std::string toJson(const NetlistFigures& f) {
  json j;
  j["luts"] = f.luts;
  j["lutram_luts"] = f.lutRamLuts;
  j["wide_muxes"] = f.wideMuxes;
  j["inverters"] = f.inverters;
  j["flip_flops"] = f.flipFlops;
  j["block_ram_36k"] = f.blockRam;
  j["ultra_ram"] = f.ultraRam;
  j["carry_cells"] = f.carryCells;
  j["cells"] = f.cells;
  j["deepest_lut_levels"] = f.deepest.lutLevels;
  j["deepest_carry_chains"] = f.deepest.carryChains;
  j["deepest_path"] = f.path;
  j["deepest_path_nets"] = f.pathNets;
  j["lut_cells_only"] = {{"deepest_lut_levels", f.deepestLutCells.lutLevels},
                         {"deepest_carry_chains", f.deepestLutCells.carryChains},
                         {"deepest_path", f.pathLutCells}};
  j["unknown_cell_types"] = f.unknownTypes;
  j["bound_lut_levels"] = f.bound;
  json over = json::array();
  for (const EndpointDepth& e : f.overBound)
    over.push_back({{"endpoint", e.endpoint},
                    {"start", e.start},
                    {"lut_levels", e.depth.lutLevels},
                    {"carry_chains", e.depth.carryChains},
                    {"bits", e.bits},
                    {"path_nets", e.pathNets}});
  j["over_bound"] = over;
  return j.dump();
}

}  // namespace chimney::bench
