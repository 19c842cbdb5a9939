#include "prm8.h"

#include <cstdlib>
#include <sstream>

#include "child_process.h"

namespace chimney::bench {

namespace {

struct Target {
  const char* name;
  const char* text;
  bool atLeast;  // false: at most
  double bound;
};

// PRM 8: descriptors per cycle with an event every cycle, requests fetched
// per cycle, event-to-commit latency at low load.
constexpr Target kTargets[] = {
    {"descriptors_per_cycle_indications", ">= 0.45", true, 0.45},
    {"descriptors_per_cycle_sends", ">= 0.45", true, 0.45},
    {"descriptors_per_cycle_sends_sustained", ">= 0.45", true, 0.45},
    {"requests_fetched_per_cycle", ">= 0.22", true, 0.22},
    {"event_to_cq_tail_cycles", "<= 16", false, 16},
};

const char* const kRequired[] = {"descriptors_per_cycle_indications", "requests_fetched_per_cycle",
                                 "event_to_cq_tail_cycles"};

}  // namespace

std::vector<CycleFigure> parsePrm8Figures(const std::string& output) {
  static const std::string kPrefix = "[ PRM 8    ] ";
  std::vector<CycleFigure> figures;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find(kPrefix);
    if (at == std::string::npos) continue;
    const std::string rest = line.substr(at + kPrefix.size());
    const size_t colon = rest.find(": ");
    if (colon == std::string::npos) continue;
    CycleFigure f;
    f.name = rest.substr(0, colon);
    const char* num = rest.c_str() + colon + 2;
    char* end = nullptr;
    f.value = std::strtod(num, &end);
    if (end == num) continue;
    f.unit = std::string(end + (*end == ' ' ? 1 : 0));
    f.target = "(information)";
    f.met = true;
    for (const Target& t : kTargets) {
      if (f.name != t.name) continue;
      f.target = t.text;
      f.met = t.atLeast ? f.value >= t.bound : f.value <= t.bound;
    }
    figures.push_back(f);
  }
  return figures;
}

std::string prm8Figures(const std::string& throughputTest, const std::string& logFile,
                        std::vector<CycleFigure>& figures) {
  const ChildRun run = runChild({throughputTest}, logFile, 600);
  figures = parsePrm8Figures(run.output);
  std::string note;
  for (const char* name : kRequired) {
    bool found = false;
    for (const CycleFigure& f : figures) found = found || f.name == name;
    if (!found) note += std::string(note.empty() ? "missing: " : ", ") + name;
  }
  if (run.exitCode != 0) {
    note += std::string(note.empty() ? "" : "; ") + "the throughput suite failed (" + logFile + ")";
  }
  return note;
}

}  // namespace chimney::bench
