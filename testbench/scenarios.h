// Scenario bodies: each one configures the bench (BenchConfig) from the run
// options, drives the host and the peer, and states the exact outcome it
// expects (Expectations). docs/scenarios.md describes each one.
#pragma once

#include <string>

#include "bench.h"

namespace chimney::tb {

struct ScenarioImpl {
  void (*configure)(BenchConfig&, const RunOptions&);
  void (*body)(Bench&);
};

// nullptr when the registry names a scenario that has no body (a build error
// caught by the tests).
const ScenarioImpl* scenarioImpl(const std::string& name);

}  // namespace chimney::tb
