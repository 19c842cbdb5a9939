// Traffic scenarios: smoke, bulk-send, request-response, many-connections,
// receive-indication, receive-overrun.
#include <memory>

#include "scenario_util.h"

namespace chimney::tb::scenario {

void noChange(BenchConfig&, const RunOptions&) {}

// A long round trip keeps requests outstanding while the scenario acts.
void slowPeer(BenchConfig& c, const RunOptions&) {
  c.peer.rttCycles = 20000;
  c.peer.fwdCycles = 40000;
}

// ---- smoke -----------------------------------------------------------------
// `ops` sends shared over the connections (--ops counts operations in total,
// as in every scenario); per connection one receive filled by one PUSHed peer
// message, one forward, a graceful disconnect, then the peer's FIN.
//
// The sends go down in lists of at most kSendBatch, and a connection never
// has more than kSendWindow of them outstanding: more are posted as earlier
// ones complete. A run's memory (NBLs, call entries, scoreboard state) is then
// bounded by the window, not by --ops; runs with ops <= kSendBatch post every
// send in one call. The forward and the peer's data follow a connection's
// last send.
constexpr unsigned kSendWindow = 256;
constexpr unsigned kSendBatch = 64;

void smoke(Bench& b) {
  auto conns = openAll(b);
  std::map<uint32_t, uint64_t> rx;
  for (ConnectionId c : conns) {
    b.receive(c, {2000});
    rx[c.value] = 2000;
  }
  waitReceivesPosted(b, conns, rx);
  std::vector<unsigned> left = share(b.options().ops, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    if (left[i] > 0) continue;  // no sends: the forward and the data at once
    b.forward(conns[i], {300});
    b.peerSend(conns[i], 1500);
  }
  auto inFlight = [&](ConnectionId c) {
    const HostStack::ConnStats& st = b.host().stats(c);
    return st.sendsPosted - st.sendsCompleted;
  };
  auto room = [&](std::size_t i) {
    return left[i] > 0 && inFlight(conns[i]) + std::min(left[i], kSendBatch) <= kSendWindow;
  };
  for (;;) {
    bool more = false;
    for (std::size_t i = 0; i < conns.size(); ++i) {
      while (room(i)) {
        const unsigned batch = std::min(left[i], kSendBatch);
        std::vector<uint32_t> lengths;
        for (unsigned k = 0; k < batch; ++k)
          lengths.push_back(uint32_t(b.random(1, uint64_t{4} * kMss)));
        b.send(conns[i], lengths);
        left[i] -= batch;
        if (left[i] == 0) {
          b.forward(conns[i], {300});
          b.peerSend(conns[i], 1500);
        }
      }
      more = more || left[i] > 0;
    }
    if (!more) break;
    const bool ok = b.waitUntil(
        [&] {
          for (std::size_t i = 0; i < conns.size(); ++i) {
            if (room(i)) return true;
          }
          return false;
        },
        "send window opens");
    if (!ok) return;
  }
  allDone(b, "sends, receive and forward complete");
  for (ConnectionId c : conns) b.disconnect(c, false, 100);
  allDone(b, "graceful disconnects complete");
  for (ConnectionId c : conns) b.peerFin(c);

  const uint64_t n = conns.size();
  b.expect().completed("send", "SUCCESS", b.options().ops);
  b.expect().completed("receive", "SUCCESS", n);
  b.expect().completed("forward", "SUCCESS", n);
  b.expect().completed("disconnect", "SUCCESS", n);
  b.expect().event("event", "peer-fin", n);
}

// ---- bulk-send -------------------------------------------------------------
void bulkSend(Bench& b) {
  auto conns = openAll(b);
  const bool posted = sendRoundRobin(
      b, conns, b.options().ops,
      [&](unsigned left) {
        const unsigned batch = std::min<unsigned>(left, unsigned(b.random(1, 8)));
        std::vector<uint32_t> lengths;
        for (unsigned k = 0; k < batch; ++k)
          lengths.push_back(uint32_t(b.random(1, uint64_t{64} * 1024)));
        return lengths;
      },
      [&] { b.waitCycles(b.random(0, 200)); });
  if (!posted) return;
  b.expect().completed("send", "SUCCESS", b.options().ops);
}

// ---- request-response --------------------------------------------------------
void requestResponse(Bench& b) {
  auto conns = openAll(b);
  unsigned left = b.options().ops;
  std::map<uint32_t, uint64_t> rx;
  while (left > 0) {
    std::vector<ConnectionId> round;
    for (ConnectionId c : conns) {
      if (left == 0) break;
      --left;
      round.push_back(c);
      b.receive(c, {4096});
      rx[c.value] += 4096;
      b.send(c, {uint32_t(b.random(64, 1024))});
    }
    waitReceivesPosted(b, round, rx);
    for (ConnectionId c : round) b.peerSend(c, b.random(1, 4096));
    allDone(b, "round trip");
  }
  b.expect().completed("send", "SUCCESS", b.options().ops);
  b.expect().completed("receive", "SUCCESS", b.options().ops);
}

// ---- many-connections --------------------------------------------------------
void manyConnections(Bench& b) {
  auto conns = openAll(b);
  uint64_t sends = 0, forwards = 0;
  std::vector<uint32_t> one(1);  // the one length of each post, reused
  for (unsigned i = 0; i < b.options().ops; ++i) {
    ConnectionId c = conns[b.random(0, conns.size() - 1)];
    if (!roomFor(b, 1)) return;
    if (b.random(0, 2) == 0) {
      one[0] = uint32_t(b.random(1, 9000));
      b.forward(c, one);
      ++forwards;
    } else {
      one[0] = uint32_t(b.random(1, uint64_t{16} * 1024));
      b.send(c, one);
      ++sends;
    }
  }
  b.expect().completed("send", "SUCCESS", sends);
  b.expect().completed("forward", "SUCCESS", forwards);
}

// ---- receive-indication ------------------------------------------------------
// Peer messages (one segment each) arrive with no receive posted: each is
// indicated once; the host takes all, half or none of what is buffered, in
// turn, and returns the NBLs it accepted every kReturnEvery messages and at
// the end. A receive per connection then collects what is left, and the
// peer's FIN ends the stream.
constexpr unsigned kReturnEvery = 256;

void receiveIndication(Bench& b) {
  auto conns = openAll(b);
  auto mode = std::make_shared<std::map<uint32_t, int>>();
  b.locked([&] {
    b.host().setAcceptPolicy([mode](ConnectionId c, uint32_t available) -> uint32_t {
      switch ((*mode)[c.value]) {
        case 0:
          return available;
        case 1:
          return available / 2;
        default:
          return 0;
      }
    });
  });
  std::map<uint32_t, uint64_t> sent;
  uint64_t expected[3] = {0, 0, 0};
  for (unsigned i = 0; i < b.options().ops; ++i) {
    ConnectionId c = conns[i % conns.size()];
    const int m = int(i % 3);
    (*mode)[c.value] = m;
    ++expected[m];
    const uint64_t bytes = b.random(2, kMss);
    sent[c.value] += bytes;
    b.peerSend(c, bytes);
    b.waitUntil([&] { return b.indications() >= i + 1; },
                "indication of message " + std::to_string(i));
    if ((i + 1) % kReturnEvery == 0) b.returnIndications();
  }
  b.returnIndications();
  std::map<uint32_t, uint32_t> posted;
  for (ConnectionId c : conns) {
    posted[c.value] = uint32_t(std::max<uint64_t>(1, sent[c.value]));
    b.receive(c, {posted[c.value]});
  }
  // The FIN goes out only once the engine holds every receive (the peer has
  // seen its RX_POST): a receive fetched after the FIN, with nothing left
  // buffered for it, would complete INVALID_STATE. With small rings and
  // many connections the last receives are fetched long after they are
  // posted, so a fixed number of cycles is not enough.
  if (!b.waitUntil(
          [&] {
            for (ConnectionId c : conns) {
              if (b.peer().stats(b.hwConn(c)).rxPostedBytes < posted[c.value]) return false;
            }
            return true;
          },
          "every receive fetched by the engine")) {
    return;
  }
  b.waitCycles(2000);
  for (ConnectionId c : conns) b.peerFin(c);
  b.expect().event("indication", "accepted", expected[0]);
  b.expect().event("indication", "partly-accepted", expected[1]);
  b.expect().event("indication", "refused", expected[2]);
  b.expect().completed("receive", "SUCCESS", conns.size());
  b.expect().event("event", "peer-fin", conns.size());
}

// ---- receive-overrun ----------------------------------------------------------
// Rounds over the connections, one receive per operation, taking turns:
// - overrun: a receive of 1..730 bytes reaches the engine, then one peer
//   message longer than it (one segment): the receive completes full and the
//   rest of the message is indicated in the same DATA event's RX_INDICATE;
// - race: the peer sends two messages; the host takes all of the first
//   indication and, inside its receive handler, posts a receive of 1..1460
//   bytes. The second message is buffered before that receive is fetched
//   whenever the receive is still held back (the handler runs with doorbells
//   held, or the SQ is full and the receive waits for space), so the target
//   defers its indication until the receive completes,
//   and indicates what the receive left; if the receive is fetched first, it
//   takes the second message as in an overrun round.
// Either way each receive completes SUCCESS before the bytes after it are
// indicated (invariant 6), and every byte sent reaches the host once.
void receiveOverrun(Bench& b) {
  auto conns = openAll(b);
  // Receives to post from inside the next indication of a connection.
  auto fromHandler = std::make_shared<std::map<uint32_t, uint32_t>>();
  HostStack& host = b.host();
  b.locked([&] {
    host.setAcceptPolicy([fromHandler, &host](ConnectionId c, uint32_t available) -> uint32_t {
      auto it = fromHandler->find(c.value);
      if (it != fromHandler->end()) {
        const uint32_t length = it->second;
        fromHandler->erase(it);
        host.postReceive(c, length);
      }
      return available;
    });
  });
  std::map<uint32_t, uint64_t> sent, posted;
  auto delivered = [&](ConnectionId c) {
    const HostStack::ConnStats& st = host.stats(c);
    return st.receiveBytes + st.indicatedBytesConsumed;
  };
  unsigned left = b.options().ops;
  for (unsigned round = 0; left > 0; ++round) {
    std::vector<ConnectionId> wave;
    for (ConnectionId c : conns) {
      if (left == 0) break;
      --left;
      wave.push_back(c);
    }
    if (round % 2 == 0) {
      std::map<uint32_t, uint32_t> length;
      for (ConnectionId c : wave) {
        length[c.value] = uint32_t(b.random(1, kMss / 2));
        posted[c.value] += length[c.value];
        b.receive(c, {length[c.value]});
      }
      waitReceivesPosted(b, wave, posted);
      for (ConnectionId c : wave) {
        const uint64_t bytes = length[c.value] + b.random(1, kMss - length[c.value]);
        sent[c.value] += bytes;
        b.peerSend(c, bytes);
      }
    } else {
      for (ConnectionId c : wave) {
        const uint32_t length = uint32_t(b.random(1, kMss));
        posted[c.value] += length;
        b.locked([&] { (*fromHandler)[c.value] = length; });
        const uint64_t first = b.random(1, kMss), second = b.random(1, kMss);
        sent[c.value] += first + second;
        b.peerSend(c, first);
        b.peerSend(c, second);
      }
    }
    const bool ok = b.waitUntil(
        [&] {
          for (ConnectionId c : wave) {
            if (delivered(c) < sent[c.value]) return false;
          }
          return b.outstanding() == 0;
        },
        "round " + std::to_string(round) + ": every byte sent delivered and each receive done");
    if (!ok) return;
    if (round % 16 == 15) b.returnIndications();
  }
  b.returnIndications();
  const uint64_t ops = b.options().ops;
  b.expect().completed("receive", "SUCCESS", ops);
  // Overrun rounds indicate once per receive, race rounds at least once.
  b.expect().eventAtLeast("indication", "accepted", ops);
  b.expect().event("indication", "partly-accepted", 0);
  b.expect().event("indication", "refused", 0);
}

}  // namespace chimney::tb::scenario
