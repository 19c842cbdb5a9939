// Connection-ending scenarios: graceful-close, abortive-close,
// peer-rst-storm, terminate-under-load.
#include "scenario_util.h"

namespace chimney::tb::scenario {

// Per connection: sends, two receives, a graceful disconnect. The peer sends
// one message (the first receive completes on its PUSH), then its FIN (the
// second receive completes with 0 bytes: end of stream). A receive posted
// after the FIN finds nothing buffered: INVALID_STATE.
void gracefulClose(Bench& b) {
  auto conns = openAll(b);
  auto perConn = share(b.options().ops, conns.size());
  std::map<uint32_t, uint64_t> rx;
  for (ConnectionId c : conns) {
    b.receive(c, {8192, 8192});
    rx[c.value] = uint64_t{2} * 8192;
  }
  waitReceivesPosted(b, conns, rx);
  for (std::size_t i = 0; i < conns.size(); ++i) {
    std::vector<uint32_t> lengths;
    for (unsigned k = 0; k < perConn[i]; ++k)
      lengths.push_back(uint32_t(b.random(1, uint64_t{8} * kMss)));
    if (!lengths.empty()) b.send(conns[i], lengths);
    b.disconnect(conns[i], false, uint32_t(b.random(0, 1000)));
    b.peerSend(conns[i], b.random(1, 8000));
  }
  for (ConnectionId c : conns) b.peerFin(c);
  b.waitUntil([&] { return b.hostEvents() >= conns.size(); }, "peer FIN on every connection");
  allDone(b, "everything before the FIN completes");
  for (ConnectionId c : conns) b.receive(c, {4096});

  const uint64_t n = conns.size();
  b.expect().completed("send", "SUCCESS", b.options().ops);
  b.expect().completed("disconnect", "SUCCESS", n);
  b.expect().completed("receive", "SUCCESS", 2 * n);
  b.expect().completed("receive", "INVALID_STATE", n);
  b.expect().event("event", "peer-fin", n);
}

// Sends and receives outstanding (a slow peer), then an abortive disconnect:
// every one of them REQUEST_ABORTED, the disconnect SUCCESS.
void abortiveClose(Bench& b) {
  auto conns = openAll(b);
  auto perConn = share(b.options().ops, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    std::vector<uint32_t> lengths;
    for (unsigned k = 0; k < perConn[i]; ++k)
      lengths.push_back(uint32_t(b.random(1, uint64_t{8} * kMss)));
    if (!lengths.empty()) b.send(conns[i], lengths);
    b.receive(conns[i], {4096, 0});
    b.disconnect(conns[i], true);
  }
  const uint64_t n = conns.size();
  b.expect().completed("send", "REQUEST_ABORTED", b.options().ops);
  b.expect().completed("receive", "REQUEST_ABORTED", 2 * n);
  b.expect().completed("disconnect", "SUCCESS", n);
}

// Half the sends go out with receives posted; the peer resets every
// connection at a random moment (ACKs on the wire race the reset: SUCCESS
// or REQUEST_ABORTED); the other half are posted after the reset was
// reported and must all be REQUEST_ABORTED. Late ACKs after the reset are
// discarded by the engine.
void peerRstStorm(Bench& b) {
  auto conns = openAll(b);
  const unsigned before = b.options().ops / 2;
  const unsigned after = b.options().ops - before;
  auto perConn = share(before, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    b.receive(conns[i], {1024});
    std::vector<uint32_t> lengths;
    for (unsigned k = 0; k < perConn[i]; ++k)
      lengths.push_back(uint32_t(b.random(1, uint64_t{8} * kMss)));
    if (!lengths.empty()) b.send(conns[i], lengths);
  }
  for (ConnectionId c : conns) {
    b.waitCycles(b.random(0, 300));
    b.peerRst(c);
  }
  b.waitUntil([&] { return b.hostEvents() >= conns.size(); }, "peer RST on every connection");
  auto perConnAfter = share(after, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    std::vector<uint32_t> lengths(perConnAfter[i], 1000);
    if (!lengths.empty()) b.send(conns[i], lengths);
  }
  allDone(b, "every send completes");
  const uint64_t n = conns.size();
  b.expect().completedAnyOf("send", b.options().ops, {"SUCCESS", "REQUEST_ABORTED"});
  b.expect().completed("receive", "REQUEST_ABORTED", n);
  b.expect().event("event", "peer-rst", n);
  b.expect().completedAtLeast("send", "REQUEST_ABORTED", after);
}

// Sends, receives and forwards outstanding (a slow peer), then every
// connection is uploaded: each request UPLOAD_IN_PROGRESS, then the
// terminate completes. Late ACKs for the closed connections are discarded.
void terminateUnderLoad(Bench& b) {
  auto conns = openAll(b);
  auto perConn = share(b.options().ops, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    std::vector<uint32_t> lengths;
    for (unsigned k = 0; k < perConn[i]; ++k)
      lengths.push_back(uint32_t(b.random(1, uint64_t{8} * kMss)));
    if (!lengths.empty()) b.send(conns[i], lengths);
    b.receive(conns[i], {2048});
    b.forward(conns[i], {512});
  }
  b.waitCycles(500);
  for (ConnectionId c : conns) b.terminate(c);
  b.waitUntil([&] { return b.terminatesCompleted() >= conns.size(); }, "every terminate");
  const uint64_t n = conns.size();
  b.expect().completed("send", "UPLOAD_IN_PROGRESS", b.options().ops);
  b.expect().completed("receive", "UPLOAD_IN_PROGRESS", n);
  b.expect().completed("forward", "UPLOAD_IN_PROGRESS", n);
  b.expect().event("terminate", "SUCCESS", n);
}

}  // namespace chimney::tb::scenario
