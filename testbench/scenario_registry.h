// The scenario registry: every co-simulation scenario the chimney-cosim
// command can run, declared once in one table (scenario_registry.cpp): its
// name, a one-line description, the defaults of the options the user does
// not give, what it does and what it expects, and its body. The command
// line (--list-scenarios), the run summary, the co-simulation top and
// docs/scenarios.md (--scenarios-markdown) all read this table.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace chimney::tb {

struct BenchConfig;
struct RunOptions;
class Bench;

// Defaults of one scenario; the command line overrides each one.
struct ScenarioDefaults {
  unsigned ops = 64;         // operations the host posts (meaning per scenario)
  unsigned connections = 4;  // offloaded connections
  unsigned queues = 2;       // queue pairs used
  unsigned imLayers = 1;     // intermediate drivers between host and target
  unsigned ringSize = 256;   // SQ and CQ entries per queue pair
};

struct ScenarioInfo {
  std::string name;
  std::string description;  // one line: --list-scenarios and the run summary
  ScenarioDefaults defaults;
  std::string does;      // what the scenario does, in the words of docs/scenarios.md
  std::string expected;  // the exact outcome it asserts
  // Adjusts the bench before it is built, then drives the run (scenarios_*.cpp).
  void (*configure)(BenchConfig&, const RunOptions&) = nullptr;
  void (*body)(Bench&) = nullptr;
};

// All scenarios in the order --list-scenarios prints them.
const std::vector<ScenarioInfo>& scenarioRegistry();
// nullptr when no scenario has that name.
const ScenarioInfo* findScenario(const std::string& name);
// "smoke, bulk-send, ..." for error messages.
std::string scenarioNames();
// "4 ops, 1 conn, 1 QP, 1 IM layer, ring 64".
std::string describeDefaults(const ScenarioDefaults& d);
// The scenario table of docs/scenarios.md (a Markdown table, one row each).
void writeScenarioTable(std::ostream& out);

constexpr const char* kDefaultScenario = "smoke";

}  // namespace chimney::tb
