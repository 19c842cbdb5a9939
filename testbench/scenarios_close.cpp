// Connection-ending scenarios: graceful-close, abortive-close,
// peer-rst-storm, terminate-under-load.
#include <optional>

#include "scenario_util.h"

namespace chimney::tb::scenario {

namespace {

// The rounds of abortive-close and terminate-under-load: `--ops` sends in
// rounds that leave the engine's request table room (kRoundRequests), with
// the peer holding its answers until the round is terminated. A round opens
// every connection and gives each its share of the round's sends (1 to 8
// MSS each), then `post(connection, first)` its other requests:
// `fixedPerConn` on each, `extraOnFirst` more on the round's first. Then
// `finish(conns)` (false: the watchdog expired) and terminateRound.
// Returns the rounds run; none when the watchdog expired first.
template <typename Post, typename Finish>
std::optional<uint64_t> sendInRounds(Bench& b, unsigned fixedPerConn, unsigned extraOnFirst,
                                     Post post, Finish finish) {
  const unsigned fitting = sendsPerRound(b.options().connections, fixedPerConn);
  const unsigned perRound = fitting > extraOnFirst ? fitting - extraOnFirst : 1;
  unsigned left = b.options().ops;
  uint64_t rounds = 0, terminated = 0;
  do {
    b.peer().holdResponses();  // terminateRound released the previous round's
    auto conns = openAll(b);
    const unsigned sends = std::min(left, perRound);
    left -= sends;
    auto perConn = share(sends, conns.size());
    for (std::size_t i = 0; i < conns.size(); ++i) {
      std::vector<uint32_t> lengths;
      for (unsigned k = 0; k < perConn[i]; ++k)
        lengths.push_back(uint32_t(b.random(1, uint64_t{8} * kMss)));
      if (!lengths.empty()) b.send(conns[i], lengths);
      post(conns[i], i == 0);
    }
    if (!finish(conns) || !terminateRound(b, conns, terminated)) return std::nullopt;
    ++rounds;
  } while (left > 0);
  return rounds;
}

}  // namespace

// Per connection: sends, two receives, a graceful disconnect, then a second
// graceful disconnect: the engine fails it (INVALID_STATE: the connection's
// send half is already closing), and the host sees INVALID_PARAMETER
// (DRIVER-MODEL invariant 4; offload_target_status.h).
// The peer sends one message (the first receive completes on its PUSH),
// then its FIN (the second receive completes with 0 bytes: end of stream). A
// receive posted after the FIN finds nothing buffered: INVALID_STATE.
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
    if (!sendWindowed(b, conns[i], perConn[i],
                      [&] { return uint32_t(b.random(1, uint64_t{8} * kMss)); })) {
      return;
    }
    b.disconnect(conns[i], false, uint32_t(b.random(0, 1000)));
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
  b.expect().completed("disconnect", "INVALID_PARAMETER", n);
  b.expect().completed("receive", "SUCCESS", 2 * n);
  b.expect().completed("receive", "INVALID_STATE", n);
  b.expect().event("event", "peer-fin", n);
}

// Sends and receives outstanding, then an abortive disconnect: every one of
// them REQUEST_ABORTED, the disconnect SUCCESS. The first connection of a
// round also has a forward and a graceful disconnect outstanding (both
// aborted), and once the round's aborts are back it gets another forward
// and graceful disconnect, which find the connection ABORTED: REQUEST_ABORTED
// at once. The peer answers nothing (its ACKs, FIN_ACKs and FWD_DONEs are
// held back, and dropped when the abort's RST reaches it), so nothing can
// complete before the abort at any --ops or ring size. Requests the peer
// never answers occupy the engine's request table, so the work goes in
// rounds of at most kRoundRequests requests: open every connection, post,
// abort, wait until everything came back, terminate (upload) the aborted
// connections.
void abortiveClose(Bench& b) {
  // Three requests per connection, two more on the first one.
  const auto rounds = sendInRounds(
      b, 3, 2,
      [&](ConnectionId c, bool first) {
        b.receive(c, {4096, 0});
        if (first) {
          b.forward(c, {512});
          b.disconnect(c, false, uint32_t(b.random(0, 1000)));
        }
        b.disconnect(c, true);
      },
      [&](const std::vector<ConnectionId>& conns) {
        if (!allDone(b, "every request of the round aborted")) return false;
        b.forward(conns[0], {512});
        b.disconnect(conns[0], false);
        return allDone(b, "requests on the aborted connection");
      });
  if (!rounds) return;
  const uint64_t n = uint64_t{b.options().connections} * *rounds;
  b.expect().completed("send", "REQUEST_ABORTED", b.options().ops);
  b.expect().completed("receive", "REQUEST_ABORTED", 2 * n);
  b.expect().completed("forward", "REQUEST_ABORTED", 2 * *rounds);
  b.expect().completed("disconnect", "SUCCESS", n);
  b.expect().completed("disconnect", "REQUEST_ABORTED", 2 * *rounds);
  b.expect().event("terminate", "SUCCESS", n);
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
    if (!sendWindowed(b, conns[i], perConn[i],
                      [&] { return uint32_t(b.random(1, uint64_t{8} * kMss)); })) {
      return;
    }
  }
  for (ConnectionId c : conns) {
    b.waitCycles(b.random(0, 300));
    b.peerRst(c);
  }
  b.waitUntil([&] { return b.hostEvents() >= conns.size(); }, "peer RST on every connection");
  auto perConnAfter = share(after, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    if (!sendWindowed(b, conns[i], perConnAfter[i], [] { return 1000u; })) return;
  }
  allDone(b, "every send completes");
  const uint64_t n = conns.size();
  b.expect().completedAnyOf("send", b.options().ops, {"SUCCESS", "REQUEST_ABORTED"});
  b.expect().completed("receive", "REQUEST_ABORTED", n);
  b.expect().event("event", "peer-rst", n);
  b.expect().completedAtLeast("send", "REQUEST_ABORTED", after);
}

// Sends, receives and forwards outstanding (and on the first connection of
// a round a graceful disconnect, waiting for its sends or for the FIN_ACK),
// then every connection is uploaded: each request UPLOAD_IN_PROGRESS, then
// the terminate completes.
// The peer holds its ACKs and FWD_DONEs back until the round's terminates
// have completed, so nothing completes before the upload at any --ops or
// ring size; released, they arrive late for the closed connections and the
// engine discards them. Rounds of at most kRoundRequests requests, as in
// abortive-close (a terminate waits until its connection's entries are
// fetched, which needs free request-table entries).
void terminateUnderLoad(Bench& b) {
  // Two requests per connection, one more on the first one.
  const auto rounds = sendInRounds(
      b, 2, 1,
      [&](ConnectionId c, bool first) {
        b.receive(c, {2048});
        b.forward(c, {512});
        if (first) b.disconnect(c, false, uint32_t(b.random(0, 1000)));
      },
      [&](const std::vector<ConnectionId>&) {
        b.waitCycles(500);
        return true;
      });
  if (!rounds) return;
  const uint64_t n = uint64_t{b.options().connections} * *rounds;
  b.expect().completed("send", "UPLOAD_IN_PROGRESS", b.options().ops);
  b.expect().completed("receive", "UPLOAD_IN_PROGRESS", n);
  b.expect().completed("forward", "UPLOAD_IN_PROGRESS", n);
  b.expect().completed("disconnect", "UPLOAD_IN_PROGRESS", *rounds);
  b.expect().event("terminate", "SUCCESS", n);
}

}  // namespace chimney::tb::scenario
