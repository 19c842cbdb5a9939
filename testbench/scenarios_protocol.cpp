// protocol-errors: the protocol engine breaks the PRM 6 event rules on every
// offloaded connection while the connection is idle (an ACK with no SEND
// outstanding, a FIN_ACK with no FIN sent, a FWD_DONE with no FORWARD, an
// event type that does not exist) and once for a connection beyond the
// engine's range. The engine drops each of them and counts it
// (CNT_PROTO_ERR, ERR_STATUS.PROTO, the error interrupt); the driver reads and
// clears the error; the sends posted afterwards all complete SUCCESS.
#include "scenario_util.h"

namespace chimney::tb::scenario {

namespace {

constexpr unsigned kBadEventsPerConnection = 4;
constexpr uint8_t kNoSuchEventType = 15;

}  // namespace

void protocolErrorsConfig(BenchConfig& c, const RunOptions& o) {
  c.closing.expectedProtoErrors = uint64_t{kBadEventsPerConnection} * o.connections + 1;
}

void protocolErrors(Bench& b) {
  auto conns = openAll(b);
  uint64_t injected = 0;
  b.locked([&] {
    for (ConnectionId c : conns) {
      const uint16_t hw = b.hwConn(c);
      b.peer().injectEvent(prm::Event{prm::EventType::kAck, 0, hw, 100});
      b.peer().injectEvent(prm::Event{prm::EventType::kFinAck, 0, hw, 0});
      b.peer().injectEvent(prm::Event{prm::EventType::kFwdDone, 0, hw, 0});
      b.peer().injectEvent(prm::Event{prm::EventType(kNoSuchEventType), 0, hw, 0});
      injected += kBadEventsPerConnection;
    }
    b.peer().injectEvent(prm::Event{prm::EventType::kAck, 0, 0xFFFF, 1});
    ++injected;
  });
  b.engine().kick();
  b.waitUntil([&] { return b.peer().totals().injected >= injected; },
              "every broken event delivered to the engine");
  // Drained before any send is posted: the ACKs find nothing outstanding.
  b.waitCycles(500);

  // Posted within the window of operations in flight (memory bounded by it,
  // not by --ops).
  auto perConn = share(b.options().ops, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    if (!sendWindowed(b, conns[i], perConn[i],
                      [&b] { return uint32_t(b.random(1, uint64_t{4} * kMss)); })) {
      return;
    }
  }
  allDone(b, "every send completes after the protocol errors");
  b.expect().completed("send", "SUCCESS", b.options().ops);
}

}  // namespace chimney::tb::scenario
