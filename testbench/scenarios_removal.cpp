// surprise-removal: the device is surprise-removed while requests are in
// flight (docs/spec/DRIVER-MODEL.md, "Surprise removal"). The offload target
// touches no register from then on and completes every request it holds
// REQUEST_ABORTED; requests posted afterwards return PENDING and complete
// REQUEST_ABORTED from its timer; terminates complete with nothing to upload.
#include "scenario_util.h"

namespace chimney::tb::scenario {

namespace {

// Sends in flight at the removal at most (the ones before them are
// acknowledged), so the requests left waiting on a silent peer stay within
// the window of operations in flight at any --ops.
constexpr unsigned kSendsBeforeRemoval = 512;
constexpr unsigned kBatch = 64;

}  // namespace

void surpriseRemovalConfig(BenchConfig& c, const RunOptions&) {
  c.closing.deviceRemoved = true;
}

void surpriseRemoval(Bench& b) {
  if (b.builtInTarget() == nullptr) {
    b.fail("surprise-removal: needs the built-in offload target (not --target-driver)");
    return;
  }
  auto conns = openAll(b);
  const unsigned ops = b.options().ops;
  const unsigned held = std::min(ops, kSendsBeforeRemoval);
  const unsigned after = unsigned(std::min<uint64_t>(ops - held, conns.size()));
  const unsigned acked = ops - held - after;

  // Traffic first: the device works, every send is acknowledged.
  auto perConnAcked = share(acked, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    if (!sendWindowed(b, conns[i], perConnAcked[i],
                      [&] { return uint32_t(b.random(1, uint64_t{4} * kMss)); })) {
      return;
    }
  }
  if (!allDone(b, "the sends before the removal acknowledged")) return;

  // Then the peer answers nothing more, so what follows stays in flight.
  b.peer().holdResponses();
  auto perConn = share(held, conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    b.receive(conns[i], {4096});
    b.forward(conns[i], {512});
    for (unsigned left = perConn[i]; left > 0;) {
      const unsigned batch = std::min(left, kBatch);
      std::vector<uint32_t> lengths;
      for (unsigned k = 0; k < batch; ++k)
        lengths.push_back(uint32_t(b.random(1, uint64_t{4} * kMss)));
      b.send(conns[i], lengths);
      left -= batch;
    }
  }
  b.waitCycles(1000);  // in flight: fetched by the engine, the work at the peer
  b.removeDevice();

  for (std::size_t i = 0; i < conns.size(); ++i) {
    if (i < after) b.send(conns[i], {1000});
    b.disconnect(conns[i], false);
  }
  if (!allDone(b, "every request completed after the removal")) return;
  for (ConnectionId c : conns) b.terminate(c);
  b.waitUntil([&] { return b.terminatesCompleted() >= conns.size(); },
              "every terminate after the removal");

  const uint64_t n = conns.size();
  if (acked > 0) b.expect().completed("send", "SUCCESS", acked);
  b.expect().completed("send", "REQUEST_ABORTED", held + after);
  b.expect().completed("receive", "REQUEST_ABORTED", n);
  b.expect().completed("forward", "REQUEST_ABORTED", n);
  b.expect().completed("disconnect", "REQUEST_ABORTED", n);
  b.expect().event("terminate", "SUCCESS", n);
}

}  // namespace chimney::tb::scenario
