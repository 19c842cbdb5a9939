// Helpers shared by the scenario bodies.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include "bench.h"
#include "engine_limits.h"

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

// False (and a mismatch) when the watchdog expired first.
inline bool allDone(Bench& b, const std::string& what) {
  return b.waitUntil([&] { return b.outstanding() == 0; }, what);
}

// Operations a scenario keeps in flight at most (posted, not yet back at
// the host): more are posted as earlier ones complete, so a run's memory is
// bounded by this window, not by --ops.
constexpr uint64_t kOpsWindow = 1024;

// Waits until `adding` more operations fit in a window of `window`
// operations in flight. False (and a mismatch) when the watchdog expired.
inline bool roomFor(Bench& b, uint64_t adding, uint64_t window = kOpsWindow) {
  // The common case, room already there, without building the predicate
  // (waitUntil would return at its first check, having waited nothing).
  if (b.outstanding() + adding <= window) return true;
  return b.waitUntil([&] { return b.outstanding() + adding <= window; },
                     "room for more operations in flight");
}

// Posts `count` sends on `conn` in lists of at most 64, each list once it
// fits in the window; `length` draws each send's size. False when the
// watchdog expired.
inline bool sendWindowed(Bench& b, ConnectionId conn, unsigned count,
                         const std::function<uint32_t()>& length) {
  constexpr unsigned kBatch = 64;
  while (count > 0) {
    const unsigned batch = std::min(count, kBatch);
    std::vector<uint32_t> lengths;
    for (unsigned k = 0; k < batch; ++k) lengths.push_back(length());
    if (!roomFor(b, batch)) return false;
    b.send(conn, lengths);
    count -= batch;
  }
  return true;
}

// Posts `total` sends shared over `conns` in passes, round robin: in each
// pass every connection with sends left posts one list, `lengths(left)` (at
// most `left` long), then `betweenPasses()` runs. False (and a mismatch)
// when the window of operations in flight did not open in time.
template <typename Lengths, typename Between>
bool sendRoundRobin(Bench& b, const std::vector<ConnectionId>& conns, unsigned total,
                    Lengths lengths, Between betweenPasses) {
  std::vector<unsigned> left = share(total, conns.size());
  bool more = true;
  while (more) {
    more = false;
    for (std::size_t i = 0; i < conns.size(); ++i) {
      if (left[i] == 0) continue;
      const std::vector<uint32_t> list = lengths(left[i]);
      if (!roomFor(b, list.size())) return false;
      b.send(conns[i], list);
      left[i] -= unsigned(list.size());
      more = more || left[i] > 0;
    }
    betweenPasses();
  }
  return true;
}

// Requests a round may leave waiting on a peer that answers nothing. Fetching
// stalls while the engine's request table (REQ_SLOTS entries) is full, so a
// round must leave room for what ends it: the abortive disconnect, or the
// fetch of a terminating connection's last entries.
constexpr unsigned kRoundRequests = kReqSlots - 16;

// Sends one round can carry when every connection also has `fixedPerConn`
// requests of its own in flight (at least 1).
inline unsigned sendsPerRound(std::size_t conns, unsigned fixedPerConn) {
  const uint64_t fixed = uint64_t{conns} * fixedPerConn;
  return fixed + 1 >= kRoundRequests ? 1u : unsigned(kRoundRequests - fixed);
}

// Terminates (uploads) every connection of a round, waits until the
// terminates have completed (`done` counts them over the run), and forgets
// the hardware connections at the peer: the next round reuses their ids.
// False when the watchdog expired first.
inline bool terminateRound(Bench& b, const std::vector<ConnectionId>& conns, uint64_t& done) {
  std::vector<uint16_t> ids;
  for (ConnectionId c : conns) ids.push_back(b.hwConn(c));
  for (ConnectionId c : conns) b.terminate(c);
  done += conns.size();
  if (!b.waitUntil([&] { return b.terminatesCompleted() >= done; },
                   "every terminate of the round")) {
    return false;
  }
  b.peer().releaseResponses();
  b.engine().kick();
  // Delivered by the peer and taken by the engine: a late ACK still queued
  // in the engine when the id is offloaded again would hit the new
  // connection.
  if (!b.waitUntil([&] { return b.peer().idle() && b.engine().quiescent(); },
                   "late answers of the round taken by the engine")) {
    return false;
  }
  for (uint16_t id : ids) b.peer().forget(id);
  return true;
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
void receiveOverrun(Bench&);
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
void protocolErrorsConfig(BenchConfig&, const RunOptions&);
void protocolErrors(Bench&);
void surpriseRemovalConfig(BenchConfig&, const RunOptions&);
void surpriseRemoval(Bench&);

}  // namespace chimney::tb::scenario
