// Stress and error scenarios: backpressure, interrupt-moderation,
// dma-error-recovery, bad-descriptors.
#include "scenario_util.h"

namespace chimney::tb::scenario {

namespace {

// n lengths of 1 to 4 MSS, drawn.
std::vector<uint32_t> randomLengths(Bench& b, unsigned n) {
  std::vector<uint32_t> lengths;
  for (unsigned k = 0; k < n; ++k) lengths.push_back(uint32_t(b.random(1, uint64_t{4} * kMss)));
  return lengths;
}

// Sends and forwards spread at random over the connections, in lists of
// 1..8 (the first list on the first connection when `firstOnConn0`);
// returns {sends, forwards}.
std::pair<uint64_t, uint64_t> mixedTraffic(Bench& b, const std::vector<ConnectionId>& conns,
                                           unsigned ops, bool firstOnConn0 = false,
                                           uint64_t window = kOpsWindow) {
  uint64_t sends = 0, forwards = 0;
  bool first = firstOnConn0;
  while (ops > 0) {
    ConnectionId c = first ? conns[0] : conns[b.random(0, conns.size() - 1)];
    first = false;
    const unsigned batch = std::min<unsigned>(ops, unsigned(b.random(1, 8)));
    const std::vector<uint32_t> lengths = randomLengths(b, batch);
    if (!roomFor(b, batch, window)) break;
    if (b.random(0, 3) == 0) {
      b.forward(c, lengths);
      forwards += batch;
    } else {
      b.send(c, lengths);
      sends += batch;
    }
    ops -= batch;
  }
  return {sends, forwards};
}

}  // namespace

// Tiny rings (the --ring-size default of this scenario is 4), a DPC budget of
// 2 descriptors, and a driver that takes 400 cycles to start each DPC: the
// SQ fills (the target queues requests), the CQ fills (the engine waits).
void backpressureConfig(BenchConfig& c, const RunOptions&) {
  c.target.dpcBudget = 2;
  c.dpcDelayCycles = 400;
}

void backpressure(Bench& b) {
  auto conns = openAll(b);
  // The window holds more than the SQ, so the SQ fills.
  const uint64_t window = std::max<uint64_t>(kOpsWindow, uint64_t{2} * b.options().ringSize);
  // The first ring + 1 sends go to one connection in one list, so the target
  // writes them all before its doorbell and its queue pair's SQ overflows
  // whatever the ring size and however many queue pairs share the rest of
  // the traffic. (In lists of 8, one doorbell each, the engine fetched
  // between the lists: with 1024-entry rings and register responses taken
  // in a third of the cycles it kept up, and the SQ never filled.)
  const unsigned first = std::min(b.options().ops, b.options().ringSize + 1);
  // (nothing at all once the window did not open: the watchdog has expired)
  const bool opened = roomFor(b, first, window);
  if (opened) b.send(conns[0], randomLengths(b, first));
  auto [sends, forwards] =
      mixedTraffic(b, conns, opened ? b.options().ops - first : 0, false, window);
  if (opened) sends += first;
  allDone(b, "every request completes");
  b.expect().completed("send", "SUCCESS", sends);
  b.expect().completed("forward", "SUCCESS", forwards);
  if (b.options().ops >= 4 * b.options().ringSize && b.targetCounters().sqFullStalls == 0) {
    b.fail("backpressure: the SQ never filled (sqFullStalls = 0)");
  }
}

// Interrupts fire every 8 descriptors or 1500 cycles after the first
// unsignalled one. Bursts of sends complete close together, so one
// interrupt announces several descriptors; the timer catches the rest.
void moderationConfig(BenchConfig& c, const RunOptions&) {
  c.target.hw.irqModCount = 8;
  c.target.hw.irqModTimer = 1500;
  c.peer.ackEverySegments = 4;
}

void interruptModeration(Bench& b) {
  auto conns = openAll(b);
  const bool posted = sendRoundRobin(
      b, conns, b.options().ops,
      [](unsigned left) { return std::vector<uint32_t>(std::min(left, 16u), 512); },
      [&] { b.waitCycles(3000); });
  if (!posted) return;
  b.expect().completed("send", "SUCCESS", b.options().ops);
  // Every interrupt announces at least one descriptor; with moderation the
  // sends of one burst on a connection share one. A connection has two sends
  // in a burst when ops > connections: then strictly fewer interrupts than
  // descriptors. With at most one send per connection, connections on other
  // queue pairs each need their own interrupt.
  const unsigned ops = b.options().ops;
  b.expect().interruptsAtLeast(1);
  b.expect().interruptsAtMost(ops > conns.size() ? ops - 1 : ops);
}

// One failed SQ fetch, then one failed completion write, on queue pair 0:
// each halts the queue pair; the driver recovers it (moving its rings) and
// nothing is lost. The first phase carries ops - ops/2 operations, the second
// ops/2, each starting on connection 0 (queue pair 0: connections go round
// robin), so both errors fire whenever the phase has traffic; at --ops 1
// there is no second phase and one error.
unsigned dmaErrors(const RunOptions& o) {
  return o.ops >= 2 ? 2 : 1;
}

void dmaErrorConfig(BenchConfig& c, const RunOptions& o) {
  c.closing.expectedDmaErrors = dmaErrors(o);
  c.target.moveRingsOnDmaError = true;
}

void dmaErrorRecovery(Bench& b) {
  auto conns = openAll(b);
  const unsigned second = b.options().ops / 2;
  const uint64_t ring = uint64_t(b.options().ringSize);
  b.engine().failNextFetch(0, [&b, ring] {
    return std::make_pair(b.targetRingBase(0, true), ring * prm::kSqEntryBytes);
  });
  auto first = mixedTraffic(b, conns, b.options().ops - second, true);
  allDone(b, "traffic across the fetch error");
  std::pair<uint64_t, uint64_t> then{0, 0};
  if (second > 0) {
    // The target may have moved its rings in the recovery.
    b.engine().failNextCompletionWrite(0, [&b, ring] {
      return std::make_pair(b.targetRingBase(0, false), ring * prm::kCqEntryBytes);
    });
    then = mixedTraffic(b, conns, second, true);
    allDone(b, "traffic across the completion-write error");
  }
  b.expect().completed("send", "SUCCESS", first.first + then.first);
  b.expect().completed("forward", "SUCCESS", first.second + then.second);
  const unsigned want = dmaErrors(b.options());
  if (b.targetCounters().recoveries != want) {
    b.fail("dma-error-recovery: expected " + std::to_string(want) + " queue-pair recoveries, got " +
           std::to_string(b.targetCounters().recoveries));
  }
}

// Every second operation is malformed, the four kinds in turn: a
// zero-length send, a zero-length forward (INVALID_REQUEST in the engine), a
// receive whose buffer's MDL chain is one byte short of its length and a
// disconnect of no type (neither GRACEFUL nor ABORTIVE; the target passes
// both to the engine with a flag bit no opcode owns: INVALID_REQUEST). Each
// completes INVALID_PARAMETER at the host and changes nothing: the
// well-formed sends and forwards between them all succeed.
void badDescriptorsConfig(BenchConfig&, const RunOptions&) {}

void badDescriptors(Bench& b) {
  auto conns = openAll(b);
  enum Kind { kSend, kForward, kReceive, kDisconnect, kKinds };
  uint64_t good[2] = {0, 0}, bad[kKinds] = {0, 0, 0, 0};
  unsigned malformedSoFar = 0;
  for (unsigned i = 0; i < b.options().ops; ++i) {
    ConnectionId c = conns[i % conns.size()];
    if (!roomFor(b, 1)) return;
    if (i % 2 == 0) {
      const int kind = int(b.random(0, 1));
      const uint32_t length = uint32_t(b.random(1, 4000));
      if (kind == kSend) {
        b.send(c, {length});
      } else {
        b.forward(c, {length});
      }
      ++good[kind];
      continue;
    }
    const Kind kind = Kind(malformedSoFar++ % kKinds);
    switch (kind) {
      case kSend:
        b.send(c, {0});
        break;
      case kForward:
        b.forward(c, {0});
        break;
      case kReceive:
        b.locked([&] { b.host().postShortBuffer(c, OffloadOp::kReceive, 2048); });
        break;
      default:
        b.locked([&] { b.host().postDisconnectFlags(c, 0); });
        break;
    }
    ++bad[kind];
  }
  allDone(b, "every request completes");
  b.expect().completed("send", "SUCCESS", good[kSend]);
  b.expect().completed("send", "INVALID_PARAMETER", bad[kSend]);
  b.expect().completed("forward", "SUCCESS", good[kForward]);
  b.expect().completed("forward", "INVALID_PARAMETER", bad[kForward]);
  b.expect().completed("receive", "INVALID_PARAMETER", bad[kReceive]);
  b.expect().completed("disconnect", "INVALID_PARAMETER", bad[kDisconnect]);
}

}  // namespace chimney::tb::scenario
