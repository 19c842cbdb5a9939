// protocol-errors: the protocol engine breaks the PRM 6 event rules on every
// offloaded connection while the connection is idle (an ACK with no SEND
// outstanding, a FIN_ACK with no FIN sent, a FWD_DONE with no FORWARD, an
// event type that does not exist) and once for a connection beyond the
// engine's range. The engine drops each of them and counts it
// (CNT_PROTO_ERR, ERR_STATUS.PROTO, the error interrupt); the driver reads and
// clears the error; the sends posted afterwards all complete SUCCESS.
//
// With the built-in offload target, the host side breaks the rules too,
// through the target's register layer under the driver lock: connection
// commands that do not fit (PRM 6: each answered with its result code,
// CMD_ERR, nothing changed) and doorbells beyond the rings (PRM 7: ignored,
// DOORBELL_ERR); at the end, after the sends, the peer resets the last
// connection and an RX_CONSUMED for it is answered BAD_STATE.
#include "scenario_util.h"

namespace chimney::tb::scenario {

namespace {

constexpr unsigned kBadEventsPerConnection = 4;
constexpr uint8_t kNoSuchEventType = 15;

const char* resultName(prm::CmdResult r) {
  switch (r) {
    case prm::CmdResult::kOk:
      return "OK";
    case prm::CmdResult::kBadConn:
      return "BAD_CONN";
    case prm::CmdResult::kBadState:
      return "BAD_STATE";
    case prm::CmdResult::kBadQp:
      return "BAD_QP";
    case prm::CmdResult::kBadOp:
      return "BAD_OP";
    case prm::CmdResult::kBadArg:
      return "BAD_ARG";
  }
  return "?";
}

struct BadCommand {
  std::string what;
  uint16_t conn;
  uint8_t qp;
  uint8_t op;
  uint32_t arg;
  prm::CmdResult want;
};

// Writes one command; a mismatch when it is not answered `want`.
void expectRefused(Bench& b, OffloadTarget& t, const BadCommand& c) {
  const CmdOutcome out = t.hardware().connCommand(c.conn, c.qp, prm::ConnOp(c.op), c.arg);
  if (!out.completed || out.result != c.want) {
    b.fail(std::string("protocol-errors: ") + c.what + ": expected " + resultName(c.want) +
           ", got " + (out.completed ? resultName(out.result) : "no answer (BUSY)"));
  }
}

// Commands that do not fit and doorbells beyond the rings, written while
// every connection is idle; ERR_STATUS must show CMD_ERR and DOORBELL_ERR
// (read before the driver's error DPC, which waits for the lock, clears it).
void refusedByTheEngine(Bench& b, OffloadTarget& t, const std::vector<ConnectionId>& conns) {
  const uint16_t hw0 = b.hwConn(conns[0]);
  const auto q0 = uint8_t(t.queuePairOf(hw0));
  constexpr uint16_t kBeyond = 0xFFFF;  // beyond any NUM_CONN
  std::vector<BadCommand> cmds = {
      {"OFFLOAD of an offloaded connection", hw0, q0, 1, 0, prm::CmdResult::kBadState},
      {"OFFLOAD onto a queue pair beyond NUM_QP", hw0, uint8_t(kNumQp), 1, 0,
       prm::CmdResult::kBadQp},
      {"OFFLOAD of a connection beyond NUM_CONN", kBeyond, 0, 1, 0, prm::CmdResult::kBadConn},
      {"TERMINATE of a connection beyond NUM_CONN", kBeyond, 0, 2, 0, prm::CmdResult::kBadConn},
      {"RX_CONSUMED of a byte with nothing buffered", hw0, q0, 3, 1, prm::CmdResult::kBadArg},
      {"command op 0", hw0, q0, 0, 0, prm::CmdResult::kBadOp},
  };
  // A CLOSED connection exists when fewer than NUM_CONN are offloaded.
  std::vector<bool> bound(kNumConn, false);
  for (ConnectionId c : conns) bound.at(b.hwConn(c)) = true;
  for (uint16_t id = 0; id < kNumConn; ++id) {
    if (bound[id]) continue;
    cmds.push_back({"TERMINATE of a CLOSED connection", id, 0, 2, 0, prm::CmdResult::kBadState});
    cmds.push_back({"RX_CONSUMED of a CLOSED connection", id, 0, 3, 0, prm::CmdResult::kBadState});
    break;
  }
  b.locked([&] {
    for (const BadCommand& c : cmds) expectRefused(b, t, c);
    OffloadHardware& hw = t.hardware();
    const auto sqHead = hw.read(prm::reg::qp(0, prm::reg::kSqHead));
    const auto cqTail = hw.read(prm::reg::qp(0, prm::reg::kCqTail));
    if (!sqHead || !cqTail) {
      b.fail("protocol-errors: SQ_HEAD / CQ_TAIL of queue pair 0 not readable");
      return;
    }
    const uint32_t sqEntries = hw.queuePair(0).sq.entries();
    hw.write(prm::reg::qp(0, prm::reg::kSqTail), uint16_t(*sqHead + sqEntries + 1));
    hw.write(prm::reg::qp(0, prm::reg::kCqHead), uint16_t(*cqTail + 1));
    const uint32_t err = hw.read(prm::reg::kErrStatus).value_or(0);
    const uint32_t info = hw.read(prm::reg::kErrInfo).value_or(0xFF);
    const uint32_t want = prm::err::kCmd | prm::err::kDoorbell;
    if ((err & want) != want || (info & 0xFF) != 0) {
      b.fail("protocol-errors: after the refused commands and doorbells ERR_STATUS = " +
             std::to_string(err) + ", ERR_INFO = " + std::to_string(info) +
             " (expected CMD_ERR, DOORBELL_ERR and ERR_INFO.qp 0)");
    }
  });
}

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
  OffloadTarget* target = b.builtInTarget();
  if (target != nullptr) refusedByTheEngine(b, *target, conns);

  // Posted within the window of operations in flight (memory bounded by it,
  // not by --ops).
  auto perConn = share(b.options().ops, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    if (!sendWindowed(b, conns[i], perConn[i],
                      [&b] { return uint32_t(b.random(1, uint64_t{4} * kMss)); })) {
      return;
    }
  }
  if (!allDone(b, "every send completes after the protocol errors")) return;
  b.expect().completed("send", "SUCCESS", b.options().ops);
  if (target == nullptr) return;

  // The last connection is reset by the peer; an RX_CONSUMED for it finds
  // it no longer offloaded: BAD_STATE.
  const ConnectionId last = conns.back();
  b.peerRst(last);
  if (!b.waitUntil([&] { return b.hostEvents() >= 1; }, "the peer's RST reported")) return;
  const uint16_t hw = b.hwConn(last);
  b.locked([&] {
    expectRefused(b, *target,
                  {"RX_CONSUMED of a reset connection", hw, uint8_t(target->queuePairOf(hw)), 3, 1,
                   prm::CmdResult::kBadState});
  });
  b.expect().event("event", "peer-rst", 1);
}

}  // namespace chimney::tb::scenario
