#include "gtkw_writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace chimney::tb {

namespace {

// GTKWave trace flags (the save file's "@" lines).
constexpr unsigned kHex = 1u << 1;
constexpr unsigned kBin = 1u << 3;
constexpr unsigned kRjustify = 1u << 5;
constexpr unsigned kBlank = 1u << 9;
constexpr unsigned kFilterFile = 1u << 13;
constexpr unsigned kClosed = 1u << 22;
constexpr unsigned kGroupBegin = 1u << 23;
constexpr unsigned kGroupEnd = 1u << 24;

std::string leaf(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}
std::string parent(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos ? "" : name.substr(0, dot);
}
bool startsWith(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}
// Parameters and localparams are upper case; they do not move.
bool isConstant(const std::string& leafName) {
  return std::none_of(leafName.begin(), leafName.end(),
                      [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}
std::size_t depth(const std::string& name) {
  return std::size_t(std::count(name.begin(), name.end(), '.'));
}

}  // namespace

bool carriesTags(const WaveSignal& s) {
  const std::string l = leaf(s.name);
  return s.width == 64 &&
         (l == "m_axi_wdata" || l == "m_axi_rdata" || l.find("tag") != std::string::npos);
}

std::vector<std::pair<std::string, std::vector<WaveSignal>>> gtkwGroups(
    const std::vector<WaveSignal>& all) {
  // The ports: the variables of the shallowest scope holding "clk".
  std::string top;
  std::size_t topDepth = SIZE_MAX;
  for (const WaveSignal& s : all) {
    if (leaf(s.name) == "clk" && depth(s.name) < topDepth) {
      top = parent(s.name);
      topDepth = depth(s.name);
    }
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> interfaces = {
      {"clock and reset", {"clk", "rst"}},
      {"AXI-Lite (registers)", {"s_axil_"}},
      {"DMA AW/W/B (writes)", {"m_axi_aw", "m_axi_w", "m_axi_b"}},
      {"DMA AR/R (reads)", {"m_axi_ar", "m_axi_r"}},
      {"work", {"m_work_"}},
      {"event", {"s_evt_"}},
      {"irq", {"m_irq_"}},
  };
  std::vector<std::pair<std::string, std::vector<WaveSignal>>> groups;
  std::set<std::string> seen;
  for (const auto& [group, prefixes] : interfaces) {
    std::vector<WaveSignal> members;
    for (const std::string& prefix : prefixes) {
      for (const WaveSignal& s : all) {
        if (parent(s.name) != top || seen.count(s.name) != 0) continue;
        const std::string l = leaf(s.name);
        const bool exact = prefix.back() != '_' && prefix.rfind("m_axi_", 0) != 0;
        if (exact ? l == prefix : startsWith(l, prefix)) {
          members.push_back(s);
          seen.insert(s.name);
        }
      }
    }
    if (!members.empty()) groups.emplace_back(group, members);
  }
  // Tags inside the design (the filter names them).
  std::vector<WaveSignal> tags;
  for (const WaveSignal& s : all) {
    if (carriesTags(s) && seen.count(s.name) == 0) {
      tags.push_back(s);
      seen.insert(s.name);
    }
  }
  if (!tags.empty()) groups.emplace_back("tags", tags);
  // The state of each block: its registers (names ending in _q), or its
  // narrow signals when it names none that way.
  std::map<std::string, std::vector<WaveSignal>> blocks;
  for (const WaveSignal& s : all) {
    const std::string scope = parent(s.name);
    const std::string block = leaf(scope);
    if (!startsWith(block, "u_") || isConstant(leaf(s.name))) continue;
    blocks[scope].push_back(s);
  }
  constexpr std::size_t kPerBlock = 32;
  for (auto& [scope, vars] : blocks) {
    std::vector<WaveSignal> regs;
    for (const WaveSignal& s : vars) {
      const std::string l = leaf(s.name);
      if (l.size() > 2 && l.compare(l.size() - 2, 2, "_q") == 0) regs.push_back(s);
    }
    if (regs.empty()) {
      for (const WaveSignal& s : vars) {
        if (s.width <= 16) regs.push_back(s);
      }
    }
    if (regs.size() > kPerBlock) regs.resize(kPerBlock);
    if (!regs.empty()) groups.emplace_back("state: " + leaf(scope), regs);
  }
  return groups;
}

std::string gtkwText(const GtkwView& view, const std::vector<WaveSignal>& all) {
  std::ostringstream out;
  const uint64_t period = view.periodPs;
  out << "[*] chimney-cosim waveform view: time in ps, cycle = floor(time / " << period << ")\n";
  out << "[*] cycles " << view.fromCycle << ".." << view.toCycle;
  if (!view.markerCycles.empty()) out << "; first violation at cycle " << view.markerCycles[0];
  out << "\n";
  out << "[dumpfile] \"" << view.dumpFile << "\"\n";
  out << "[timestart] " << view.fromCycle * period << "\n";
  out << "[size] 1600 900\n[pos] -1 -1\n";
  // Zoom: GTKWave shows 2^-zoom time units per pixel; fit the window in
  // about 1200 pixels.
  const double span = double(std::max<uint64_t>(1, view.toCycle - view.fromCycle + 1) * period);
  const double zoom = -std::ceil(std::log2(span / 1200.0));
  char zoomText[32];
  std::snprintf(zoomText, sizeof zoomText, "%.6f", zoom);
  out << "*" << zoomText << " ";
  // Primary marker at the first violation, named markers A.. at the later
  // ones (each at the rising edge of its cycle).
  std::vector<uint64_t> marks = view.markerCycles;
  out << (marks.empty() ? std::string("-1") : std::to_string(marks[0] * period + period / 2));
  for (std::size_t i = 1; i <= 26; ++i) {
    out << " " << (i < marks.size() ? std::to_string(marks[i] * period + period / 2) : "-1");
  }
  out << "\n";
  unsigned flags = ~0u;
  auto setFlags = [&](unsigned f) {
    if (f != flags) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "@%x", f);
      out << buf << "\n";
      flags = f;
    }
  };
  for (const auto& [group, members] : gtkwGroups(all)) {
    const bool closed = startsWith(group, "state: ");
    setFlags(kGroupBegin | kBlank | (closed ? kClosed : 0));
    out << "-" << group << "\n";
    for (const WaveSignal& s : members) {
      const bool filtered = !view.filterFile.empty() && carriesTags(s);
      setFlags((s.width == 1 ? kBin : kHex) | kRjustify | (filtered ? kFilterFile : 0));
      if (filtered) out << "^1 " << view.filterFile << "\n";
      out << s.name << "\n";
    }
    setFlags(kGroupEnd | kBlank | (closed ? kClosed : 0));
    out << "-" << group << "\n";
  }
  return out.str();
}

std::string tagFilterText(const std::map<uint64_t, std::string>& tagNames) {
  std::ostringstream out;
  for (const auto& [tag, label] : tagNames) {
    char lower[24], upper[24];
    std::snprintf(lower, sizeof lower, "%016llx", static_cast<unsigned long long>(tag));
    std::snprintf(upper, sizeof upper, "%016llX", static_cast<unsigned long long>(tag));
    out << lower << " " << label << "\n";
    if (std::string(lower) != upper) out << upper << " " << label << "\n";
  }
  return out.str();
}

}  // namespace chimney::tb
