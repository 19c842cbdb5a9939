#include "scenario_registry.h"

namespace chimney::tb {

namespace {

ScenarioDefaults makeDefaults(unsigned ops, unsigned connections, unsigned queues,
                              unsigned ringSize) {
  ScenarioDefaults d;
  d.ops = ops;
  d.connections = connections;
  d.queues = queues;
  d.ringSize = ringSize;
  return d;
}

std::vector<ScenarioInfo> buildRegistry() {
  return {
      {"smoke",
       "sends, a receive, a forward, a graceful close and the peer's FIN on one connection",
       makeDefaults(4, 1, 1, 64)},
      {"bulk-send", "large sends on every connection, all acknowledged (cumulative, partial ACKs)",
       makeDefaults(256, 4, 2, 256)},
      {"request-response",
       "each connection sends a request and receives the peer's PUSHed reply, in lock step",
       makeDefaults(128, 8, 2, 256)},
      {"many-connections", "every connection the engine has, spread over all queue pairs",
       makeDefaults(512, 64, 4, 256)},
      {"receive-indication",
       "data with no receive posted is indicated; the host accepts, partly accepts or refuses it",
       makeDefaults(48, 3, 1, 256)},
      {"graceful-close",
       "sends then a graceful disconnect on each side; receives end with 0 bytes at the peer's FIN",
       makeDefaults(64, 8, 2, 256)},
      {"abortive-close",
       "an abortive disconnect with sends and receives outstanding: all of them REQUEST_ABORTED",
       makeDefaults(64, 8, 2, 256)},
      {"peer-rst-storm",
       "the peer resets connections with work in flight; late events are discarded by the engine",
       makeDefaults(256, 16, 4, 256)},
      {"terminate-under-load",
       "connections are uploaded (TERMINATE) with requests outstanding: all UPLOAD_IN_PROGRESS",
       makeDefaults(128, 8, 2, 256)},
      {"backpressure",
       "tiny rings and a slow driver: SQ and CQ full, nothing lost, nothing reordered",
       makeDefaults(256, 4, 2, 4)},
      {"interrupt-moderation",
       "count and timer moderation: fewer interrupts than completions, no lost wake-up",
       makeDefaults(256, 4, 2, 256)},
      {"dma-error-recovery",
       "DMA errors on fetch and completion writes halt a queue pair; the driver recovers "
       "losslessly",
       makeDefaults(128, 4, 2, 64)},
      {"bad-descriptors",
       "malformed requests (bad opcode, zero length, bad conn, wrong queue pair) -> "
       "INVALID_PARAMETER",
       makeDefaults(32, 2, 2, 64)},
  };
}

}  // namespace

const std::vector<ScenarioInfo>& scenarioRegistry() {
  static const std::vector<ScenarioInfo> registry = buildRegistry();
  return registry;
}

const ScenarioInfo* findScenario(const std::string& name) {
  for (const ScenarioInfo& s : scenarioRegistry()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string scenarioNames() {
  std::string out;
  for (const ScenarioInfo& s : scenarioRegistry()) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

}  // namespace chimney::tb
