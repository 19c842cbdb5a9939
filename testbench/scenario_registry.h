// The scenario registry: every co-simulation scenario the chimney-cosim
// command can run, by name, with a one-line description and the defaults it
// uses for the options the user does not give. The registry only describes;
// the scenario bodies live in scenarios*.cpp and run inside the SystemC top.
#pragma once

#include <string>
#include <vector>

namespace chimney::tb {

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
  std::string description;  // one line
  ScenarioDefaults defaults;
};

// All scenarios in the order --list-scenarios prints them.
const std::vector<ScenarioInfo>& scenarioRegistry();
// nullptr when no scenario has that name.
const ScenarioInfo* findScenario(const std::string& name);
// "smoke, bulk-send, ..." for error messages.
std::string scenarioNames();

constexpr const char* kDefaultScenario = "smoke";

}  // namespace chimney::tb
