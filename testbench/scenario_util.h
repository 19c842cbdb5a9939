// Helpers shared by the scenario bodies.
#pragma once

#include <algorithm>
#include <map>
#include <vector>

#include "bench.h"

namespace chimney::tb::scenario {

constexpr uint32_t kMss = 1460;

inline std::vector<ConnectionId> openAll(Bench& b) {
  std::vector<ConnectionId> conns;
  for (unsigned i = 0; i < b.options().connections; ++i) conns.push_back(b.open());
  return conns;
}

// Shares `total` operations over `parts` as evenly as possible.
inline std::vector<unsigned> share(unsigned total, std::size_t parts) {
  std::vector<unsigned> out(parts, unsigned(total / parts));
  for (std::size_t i = 0; i < total % parts; ++i) ++out[i];
  return out;
}

inline uint64_t rxPosted(Bench& b, ConnectionId c) {
  return b.peer().stats(b.hwConn(c)).rxPostedBytes;
}

// Waits until the peer has seen RX_POST work for `bytes` on every connection,
// so its data finds the receives in place (not buffered and indicated).
inline void waitReceivesPosted(Bench& b, const std::vector<ConnectionId>& conns,
                               const std::map<uint32_t, uint64_t>& bytes) {
  b.waitUntil(
      [&] {
        for (ConnectionId c : conns) {
          auto it = bytes.find(c.value);
          if (it != bytes.end() && rxPosted(b, c) < it->second) return false;
        }
        return true;
      },
      "receives posted to the engine");
}

inline void allDone(Bench& b, const std::string& what) {
  b.waitUntil([&] { return b.outstanding() == 0; }, what);
}

// Scenario bodies and configurations (scenarios_*.cpp), each named once in
// the table of scenario_registry.cpp.
void noChange(BenchConfig&, const RunOptions&);
void slowPeer(BenchConfig&, const RunOptions&);
void smoke(Bench&);
void bulkSend(Bench&);
void requestResponse(Bench&);
void manyConnections(Bench&);
void receiveIndication(Bench&);
void gracefulClose(Bench&);
void abortiveClose(Bench&);
void peerRstStorm(Bench&);
void terminateUnderLoad(Bench&);
void backpressureConfig(BenchConfig&, const RunOptions&);
void backpressure(Bench&);
void moderationConfig(BenchConfig&, const RunOptions&);
void interruptModeration(Bench&);
void dmaErrorConfig(BenchConfig&, const RunOptions&);
void dmaErrorRecovery(Bench&);
void badDescriptorsConfig(BenchConfig&, const RunOptions&);
void badDescriptors(Bench&);

}  // namespace chimney::tb::scenario
