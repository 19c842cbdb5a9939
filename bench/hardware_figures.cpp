#include "hardware_figures.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <utility>
#include <vector>

namespace chimney::bench {
namespace {

using nlohmann::json;

std::string num(const json& j, const char* key, const char* spec = "%.0f") {
  if (!j.contains(key) || !j[key].is_number()) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, spec, j[key].get<double>());
  return buf;
}

const char* met(bool ok) {
  return ok ? "met" : "MISSED";
}

void xilinxRow(const json& hw, const char* name, const char* label, std::ostream& out) {
  if (!hw.contains(name)) return;
  const json& c = hw[name];
  if (c.contains("error")) {
    out << "| " << label << " | synthesis failed: " << c["error"].get<std::string>()
        << " | | | | | | | | |\n";
    return;
  }
  const json& n = c.value("netlist", json::object());
  const unsigned levels = n.value("deepest_lut_levels", 0u);
  const unsigned chains = n.value("deepest_carry_chains", 0u);
  out << "| " << label << " | " << num(n, "luts") << " | " << num(n, "lutram_luts") << " | "
      << num(n, "wide_muxes") << " | " << num(n, "flip_flops") << " | "
      << num(n, "block_ram_36k", "%.1f") << " | " << num(n, "ultra_ram") << " | "
      << num(c, "memories_before_mapping") << " | " << levels << " LUT + " << chains << " carry ("
      << met(levels <= 8 && chains <= 1) << ") | ";
  if (n.contains("lut_cells_only")) {
    const json& l = n["lut_cells_only"];
    out << l.value("deepest_lut_levels", 0u) << " LUT + " << l.value("deepest_carry_chains", 0u)
        << " carry";
  } else {
    out << "–";
  }
  out << " |\n";
}

// The named nets of a configuration's deepest path, each signal once in path
// order (bit indices dropped), e.g. "cq_size → u_cq_writer.room_l → ...".
std::string namedPath(const json& hw, const char* name) {
  if (!hw.contains(name) || !hw[name].contains("netlist")) return "";
  const json& nets = hw[name]["netlist"].value("deepest_path_nets", json::array());
  std::string out, last;
  for (const json& n : nets) {
    if (!n.is_string()) continue;
    std::string s = n.get<std::string>();
    if (s.empty()) continue;
    if (const auto br = s.find('['); br != std::string::npos) s.erase(br);
    if (s == last) continue;
    out += (out.empty() ? "" : " → ") + s;
    last = s;
  }
  return out;
}

// Where a configuration's paths over the LUT-level bound end, by block (the
// first name of the register's hierarchy, "unnamed" for registers Yosys made
// up, e.g. a memory's read-address register): "N registers (B bits) ...;
// by block: u_matcher 31 (27), ...", blocks deepest first.
std::string overBoundSummary(const json& hw, const char* name, const char* label) {
  if (!hw.contains(name) || !hw[name].contains("netlist")) return "";
  const json& n = hw[name]["netlist"];
  if (!n.contains("over_bound") || !n["over_bound"].is_array()) return "";
  struct Block {
    unsigned registers = 0;
    unsigned deepest = 0;
  };
  std::vector<std::pair<std::string, Block>> blocks;  // first-seen order
  unsigned registers = 0;
  uint64_t bits = 0;
  for (const json& e : n["over_bound"]) {
    std::string owner = e.value("endpoint", std::string());
    if (owner.empty() || owner[0] == '$')
      owner = "unnamed";
    else if (const auto dot = owner.find('.'); dot != std::string::npos)
      owner.erase(dot);
    else
      owner = "top";
    auto it = std::find_if(blocks.begin(), blocks.end(),
                           [&owner](const auto& b) { return b.first == owner; });
    if (it == blocks.end()) it = blocks.insert(blocks.end(), {owner, Block{}});
    ++it->second.registers;
    it->second.deepest = std::max(it->second.deepest, e.value("lut_levels", 0u));
    ++registers;
    bits += e.value("bits", 0u);
  }
  const unsigned bound = n.value("bound_lut_levels", 8u);
  std::string out =
      "\nPaths over " + std::to_string(bound) + " LUT levels, " + label + " configuration: ";
  if (registers == 0) return out + "none.\n";
  std::stable_sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) {
    return a.second.deepest > b.second.deepest;
  });
  out += "they end in " + std::to_string(registers) + " registers, RAM ports or outputs (" +
         std::to_string(bits) + " bits); by block, count (deepest):";
  for (size_t i = 0; i < blocks.size(); ++i)
    out += std::string(i ? ", " : " ") + blocks[i].first + " " +
           std::to_string(blocks[i].second.registers) + " (" +
           std::to_string(blocks[i].second.deepest) + ")";
  return out + ".\n";
}

}  // namespace

void writeHardwareMarkdown(const std::string& hwJson, std::ostream& out) {
  json hw;
  try {
    hw = json::parse(hwJson);
  } catch (const std::exception& e) {
    out << "\nHardware figures: none (" << e.what() << ").\n";
    return;
  }
  out << "\nHardware (scripts/hw-figures.sh): Yosys synth_xilinx -family xcup -flatten; depth = "
         "deepest register-to-register path (chimney-bench netlist), every LUT, MUXF7/8/9 and "
         "INV on it one level (the count the target is judged by); the last column counts LUT "
         "cells alone on the same netlist (a MUXF7/8/9 or INV adds no level: the depth the "
         "mapper minimises, a LUT with its MUXF stages being one wide LUT to it); LUTs = "
         "LUT1..LUT6 as logic. The LUT6-only rows add -nowidelut (no wide functions built from "
         "MUXF7/8/9); the delay-driven row adds -abc9 (the mapper that knows the cells' "
         "delays).\n\n";
  out << "| configuration | LUTs | LUTRAM LUTs | MUXF7/8/9 | flip-flops | block RAM (36k) | "
         "UltraRAM | memories before mapping | deepest path (<= 8 LUT + 1 carry) | deepest, LUT "
         "cells alone |\n";
  out << "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  xilinxRow(hw, "default", "default", out);
  xilinxRow(hw, "max", "maximum", out);
  xilinxRow(hw, "default_lut6", "default, LUT6 only", out);
  xilinxRow(hw, "max_lut6", "maximum, LUT6 only", out);
  xilinxRow(hw, "default_abc9", "default, delay-driven (-abc9)", out);
  for (const auto& [key, label] :
       {std::pair<const char*, const char*>{"default", "default"}, {"max", "maximum"}}) {
    const std::string p = namedPath(hw, key);
    if (!p.empty())
      out << "\nDeepest path of the " << label << " configuration, its named nets: " << p << ".\n";
    out << overBoundSummary(hw, key, label);
  }
  if (hw.contains("ice40_hx8k_small")) {
    const json& i = hw["ice40_hx8k_small"];
    if (i.contains("error")) {
      out << "\niCE40 HX8K, small configuration: failed: " << i["error"].get<std::string>() << "\n";
    } else {
      const double f = i.value("fmax_mhz", 0.0);
      out << "\niCE40 HX8K (nextpnr-ice40, ct256), small configuration in bench/hw/ice40_top.sv: "
             "post-route Fmax "
          << num(i, "fmax_mhz", "%.2f") << " MHz (target >= 50: " << met(f >= 50) << "), "
          << num(i, "logic_cells") << " of " << num(i, "logic_cells_available")
          << " logic cells.\n";
    }
  }
}

}  // namespace chimney::bench
