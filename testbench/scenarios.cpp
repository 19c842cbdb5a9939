#include "scenarios.h"

#include <map>

#include "scenario_util.h"

namespace chimney::tb {

const ScenarioImpl* scenarioImpl(const std::string& name) {
  using namespace scenario;
  static const std::map<std::string, ScenarioImpl> table = {
      {"smoke", {noChange, smoke}},
      {"bulk-send", {noChange, bulkSend}},
      {"request-response", {noChange, requestResponse}},
      {"many-connections", {noChange, manyConnections}},
      {"receive-indication", {noChange, receiveIndication}},
      {"graceful-close", {noChange, gracefulClose}},
      {"abortive-close", {slowPeer, abortiveClose}},
      {"peer-rst-storm", {slowPeer, peerRstStorm}},
      {"terminate-under-load", {slowPeer, terminateUnderLoad}},
      {"backpressure", {backpressureConfig, backpressure}},
      {"interrupt-moderation", {moderationConfig, interruptModeration}},
      {"dma-error-recovery", {dmaErrorConfig, dmaErrorRecovery}},
      {"bad-descriptors", {badDescriptorsConfig, badDescriptors}},
  };
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace chimney::tb
