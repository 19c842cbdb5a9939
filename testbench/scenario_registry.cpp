#include "scenario_registry.h"

#include "scenario_util.h"

namespace chimney::tb {

namespace {

using Configure = void (*)(BenchConfig&, const RunOptions&);
using Body = void (*)(Bench&);

// ops, connections, queues, ring size; one IM layer.
constexpr ScenarioDefaults defaults(unsigned ops, unsigned connections, unsigned queues,
                                    unsigned ringSize) {
  return ScenarioDefaults{ops, connections, queues, 1, ringSize};
}

ScenarioInfo declare(const char* name, const char* description, ScenarioDefaults d,
                     Configure configure, Body body, const char* does, const char* expected) {
  return ScenarioInfo{name, description, d, does, expected, configure, body};
}

// The one declaration of every scenario. docs/scenarios.md holds this table as
// `chimney-cosim --scenarios-markdown` prints it (ctest scenarios.doc_matches_registry).
std::vector<ScenarioInfo> buildRegistry() {
  using namespace scenario;
  return {
      declare("smoke",
              "sends, a receive, a forward, a graceful close and the peer's FIN on one connection",
              defaults(4, 1, 1, 64), noChange, smoke,
              "`ops` sends shared over the connections; per connection: a 2000-byte receive, then "
              "its sends (in lists of at most 64, at most 256 outstanding per connection: more are "
              "posted as earlier ones complete, so a run's memory does not grow with `ops`), after "
              "the last of them a 300-byte forward and a 1500-byte PUSHed peer message into the "
              "receive; then a graceful disconnect; then the peer's FIN",
              "send SUCCESS = ops; receive, forward, disconnect SUCCESS = conns; peer-fin events = "
              "conns"),
      declare("bulk-send",
              "large sends on every connection, all acknowledged (cumulative, partial ACKs)",
              defaults(256, 4, 2, 256), noChange, bulkSend,
              "sends of 1..64 KiB in lists of 1..8 per call, round robin over the connections "
              "(cumulative and partial ACKs, one ACK finishing several sends)",
              "send SUCCESS = ops"),
      declare("request-response",
              "each connection sends a request and receives the peer's PUSHed reply, in lock step",
              defaults(128, 8, 2, 256), noChange, requestResponse,
              "`ops` round trips: a 4096-byte receive and a request send per connection, the "
              "peer's reply (1..4096 bytes, PUSH) once the receive reached the engine; lock step",
              "send SUCCESS = ops; receive SUCCESS = ops"),
      declare("many-connections", "every connection the engine has, spread over all queue pairs",
              defaults(512, 64, 4, 256), noChange, manyConnections,
              "every connection the engine has; each op a send (1..16 KiB) or a forward, on a "
              "random connection",
              "send SUCCESS, forward SUCCESS = the numbers posted"),
      declare("receive-indication",
              "data with no receive posted is indicated; the host accepts, partly accepts or "
              "refuses it",
              defaults(48, 3, 1, 256), noChange, receiveIndication,
              "`ops` peer messages of one segment with no receive posted: each is indicated once; "
              "the host takes all of what is buffered, half, or none, in turn; the accepted NBLs "
              "are returned every 256 messages and at the end; one receive per connection "
              "collects what the engine still buffers, and the peer's FIN ends the stream",
              "indications accepted / partly-accepted / refused = ops/3 each (by the turn); "
              "receive SUCCESS = conns; peer-fin = conns"),
      declare("receive-overrun",
              "peer data longer than the posted receive, and data racing the receive the host "
              "posts from its indication handler: each receive completes before the rest is "
              "indicated",
              defaults(96, 4, 2, 256), noChange, receiveOverrun,
              "`ops` receives in rounds over the connections, in turn: a receive of 1..730 bytes "
              "held by the engine, then one longer peer message (the rest is indicated); or two "
              "peer messages, the host taking all of the first indication and posting a receive "
              "of 1..1460 bytes from inside its handler (the target defers the indication of the "
              "second message until that receive completes, when it is still in the SQ); each "
              "round waits until every byte sent reached the host",
              "receive SUCCESS = ops; indications accepted >= ops, none partly accepted or "
              "refused; every byte the peer sent delivered once, in order (invariant 6)"),
      declare("graceful-close",
              "sends then a graceful disconnect on each side; receives end with 0 bytes at the "
              "peer's FIN",
              defaults(64, 8, 2, 256), noChange, gracefulClose,
              "per connection two 8 KiB receives, sends, a graceful disconnect with 0..1000 bytes "
              "of its own, then a second graceful disconnect (the engine fails it: INVALID_STATE, "
              "reported to the host as INVALID_PARAMETER), a peer message and the peer's FIN; "
              "after the FIN event one more receive",
              "send SUCCESS = ops; disconnect SUCCESS = conns; disconnect INVALID_PARAMETER = "
              "conns; receive SUCCESS = 2 x conns (the second at end of stream, possibly 0 bytes); "
              "receive INVALID_STATE = conns (posted after the FIN, nothing buffered)"),
      declare("abortive-close",
              "an abortive disconnect with sends, receives, a forward and a graceful disconnect "
              "outstanding: all of them REQUEST_ABORTED, as is what is posted after it",
              defaults(64, 8, 2, 256), slowPeer, abortiveClose,
              "the peer answers nothing (ACKs, FIN_ACKs, FWD_DONEs held back, dropped when the "
              "abort's RST reaches it), so everything stays outstanding: sends, a 4096-byte and a "
              "zero-length receive (on the first connection also a forward and a graceful "
              "disconnect), then an abortive disconnect per connection; once the aborts are back, "
              "a forward and a graceful disconnect on the aborted first connection; in rounds of "
              "at most 240 requests (the request table holds 256: more would stall the fetch of "
              "the abort), each round opening every connection and terminating it after the abort",
              "send REQUEST_ABORTED = ops; receive REQUEST_ABORTED = 2 x conns x rounds; forward "
              "REQUEST_ABORTED = disconnect REQUEST_ABORTED = 2 x rounds; disconnect SUCCESS = "
              "terminate SUCCESS = conns x rounds; rounds = ceil(ops / (238 - 3 x conns))"),
      declare("peer-rst-storm",
              "the peer resets connections with work in flight; late events are discarded by the "
              "engine",
              defaults(256, 16, 4, 256), slowPeer, peerRstStorm,
              "half the sends and a receive per connection in flight (slow peer), the peer resets "
              "each connection at a random moment; after the reset events the other half of the "
              "sends is posted",
              "send: total = ops, only SUCCESS or REQUEST_ABORTED, at least ops/2 (those posted "
              "after the reset) REQUEST_ABORTED; receive REQUEST_ABORTED = conns; peer-rst events "
              "= conns"),
      declare("terminate-under-load",
              "connections are uploaded (TERMINATE) with requests outstanding, a graceful "
              "disconnect among them: all UPLOAD_IN_PROGRESS",
              defaults(128, 8, 2, 256), slowPeer, terminateUnderLoad,
              "sends, a receive and a forward per connection, and a graceful disconnect on the "
              "first connection, outstanding (the peer holds its ACKs, FIN_ACKs and FWD_DONEs "
              "back), then every connection is terminated (uploaded); after the terminates the "
              "held answers arrive late and are discarded by the engine; in rounds of at most 240 "
              "requests as in `abortive-close` (a terminate waits for its connection's entries to "
              "be fetched)",
              "send / receive / forward UPLOAD_IN_PROGRESS = ops / conns x rounds / conns x "
              "rounds; disconnect UPLOAD_IN_PROGRESS = rounds; terminate SUCCESS = conns x rounds; "
              "rounds = ceil(ops / (239 - 2 x conns))"),
      declare("backpressure",
              "tiny rings and a slow driver: SQ and CQ full, nothing lost, nothing reordered",
              defaults(256, 4, 2, 4), backpressureConfig, backpressure,
              "ring + 1 sends on one connection in one list, then sends and forwards in lists of "
              "1..8 on 4-entry rings; the DPC consumes 2 "
              "descriptors per run and starts 400 cycles after its interrupt: the SQ fills (the "
              "target queues inside), the CQ fills (the engine waits)",
              "send, forward SUCCESS = the numbers posted; with ops >= 4 x ring size the target "
              "must have met a full SQ"),
      declare("interrupt-moderation",
              "count and timer moderation: fewer interrupts than completions, no lost wake-up",
              defaults(256, 4, 2, 256), moderationConfig, interruptModeration,
              "IRQ_MOD_COUNT 8 (the driver programs at most the CQ's entries: on 2- and 4-entry "
              "rings a count of 8 could never be reached), IRQ_MOD_TIMER 1500 cycles, the peer "
              "ACKs every 4 segments; bursts of 16 sends per connection",
              "send SUCCESS = ops; 1 <= interrupts < ops when ops > conns (a connection's burst "
              "shares interrupts; the timer flushes the rest), interrupts <= ops otherwise; no "
              "lost wake-up, or the run would not drain"),
      declare("dma-error-recovery",
              "DMA errors on fetch and completion writes halt a queue pair; the driver recovers "
              "losslessly",
              defaults(128, 4, 2, 64), dmaErrorConfig, dmaErrorRecovery,
              "one failed SQ fetch on queue pair 0 (host memory answers SLVERR), ops - ops/2 "
              "operations, then one failed completion write on queue pair 0, ops/2 operations "
              "(each phase starts on connection 0, so on queue pair 0; at ops 1 only the first "
              "phase); the driver recovers the halted queue pair each time (drain, disable, move "
              "rings, clear, enable)",
              "send, forward SUCCESS = the numbers posted (nothing lost); CNT_DMA_ERR = recoveries "
              "= 2 (1 at ops 1); no stray DMA"),
      declare("bad-descriptors",
              "malformed requests (zero-length send or forward, a receive buffer shorter than its "
              "length, a disconnect of no type) -> INVALID_PARAMETER",
              defaults(32, 2, 2, 64), badDescriptorsConfig, badDescriptors,
              "every second operation is malformed, the four kinds in turn: a zero-length send, a "
              "zero-length forward, a 2048-byte receive whose MDL chain holds one byte less, a "
              "disconnect neither graceful nor abortive (all INVALID_REQUEST in the engine); the "
              "others are sends and forwards of 1..4000 bytes",
              "malformed: INVALID_PARAMETER at the host, exact per kind; well-formed: SUCCESS"),
      declare("protocol-errors",
              "the protocol engine sends events PRM 6 forbids, the host side writes commands and "
              "doorbells that do not fit: each one refused or dropped; the sends after them "
              "complete",
              defaults(32, 4, 2, 64), protocolErrorsConfig, protocolErrors,
              "on every connection, while it is idle, an ACK with no send outstanding, a FIN_ACK "
              "with no FIN sent, a FWD_DONE with no forward and an event of unknown type; one ACK "
              "for connection 0xFFFF; with the built-in target then, through its register layer, "
              "connection commands that do not fit (OFFLOAD of an offloaded connection, onto queue "
              "pair NUM_QP, of connection 0xFFFF; TERMINATE of 0xFFFF; RX_CONSUMED of a byte with "
              "nothing buffered; op 0; when a connection is CLOSED, TERMINATE and RX_CONSUMED of "
              "it) and an SQ_TAIL and a CQ_HEAD beyond their rings on queue pair 0; then `ops` "
              "sends of 1..5840 bytes over the connections; then (built-in target) the peer "
              "resets the last connection and an RX_CONSUMED for it follows",
              "CNT_PROTO_ERR = 4 x conns + 1 (ERR_STATUS.PROTO_ERR and the error interrupt; the "
              "driver clears it); send SUCCESS = ops; built-in target: each command answered "
              "BAD_STATE / BAD_QP / BAD_CONN / BAD_CONN / BAD_ARG / BAD_OP (/ BAD_STATE, "
              "BAD_STATE), ERR_STATUS shows CMD_ERR and DOORBELL_ERR with ERR_INFO.qp 0, the "
              "RX_CONSUMED after the reset BAD_STATE, peer-rst events = 1"),
      declare("surprise-removal",
              "the device is surprise-removed with requests in flight: the target completes them "
              "all REQUEST_ABORTED, and what is posted after; terminates need no device",
              defaults(64, 4, 2, 256), surpriseRemovalConfig, surpriseRemoval,
              "`ops` sends in all: all but min(ops, 512) + up to one per connection go first, "
              "windowed, and are acknowledged; then the peer answers nothing (ACKs and "
              "FWD_DONEs held back): per connection a 4096-byte receive, a 512-byte forward and "
              "its share of min(ops, 512) sends of 1..5840 bytes; 1000 cycles later the device "
              "is surprise-removed (the target touches no register from then on); then one "
              "1000-byte send per connection while sends are left, and a graceful disconnect "
              "per connection; then every connection is terminated; needs the built-in target",
              "send SUCCESS = ops - min(ops, 512) - the sends after the removal, send "
              "REQUEST_ABORTED = the rest; receive, forward, disconnect REQUEST_ABORTED = conns; "
              "terminate SUCCESS = conns; the target saw the removal (closing check; the "
              "engine's pointers and counters are not compared with a driver that no longer "
              "reads them)"),
  };
}

std::string counted(unsigned n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
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

std::string describeDefaults(const ScenarioDefaults& d) {
  return counted(d.ops, "op", "ops") + ", " + counted(d.connections, "conn", "conns") + ", " +
         counted(d.queues, "QP", "QPs") + ", " + counted(d.imLayers, "IM layer", "IM layers") +
         ", ring " + std::to_string(d.ringSize);
}

void writeScenarioTable(std::ostream& out) {
  out << "| scenario | what it does | expected (exact) |\n";
  out << "|---|---|---|\n";
  for (const ScenarioInfo& s : scenarioRegistry()) {
    out << "| `" << s.name << "` (" << describeDefaults(s.defaults) << ") | " << s.does << " | "
        << s.expected << " |\n";
  }
}

}  // namespace chimney::tb
