#include "random_reference.h"

#include <algorithm>

namespace chimney::rtltest {
namespace {

std::string str(const prm::Completion& c) {
  return "{tag " + std::to_string(c.tag) + " type " + std::to_string(unsigned(c.type)) +
         " status " + std::to_string(unsigned(c.status)) + " bytes " + std::to_string(c.bytes) +
         " conn " + std::to_string(c.conn) + "}";
}

constexpr unsigned kModelRingLog2 = 12;
// Device steps that let it take what it was given (it has no rate limits,
// so one step fetches, matches and completes everything that can be).
constexpr uint64_t kModelSteps = 2;

}  // namespace

RandomReference::RandomReference(unsigned numQp, unsigned conns, uint16_t closedConn,
                                 unsigned opsPerConn, uint64_t seed)
    : numQp_(numQp), conns_(conns), closedConn_(closedConn), rng_(seed), conn_(conns) {
  for (Conn& c : conn_) c.opsLeft = opsPerConn;
  // A request table as large as the PRM allows: the device never stalls a
  // fetch, so it has every request the peer may act on.
  BehaviouralDevice::Config config;
  config.numQp = numQp;
  config.numConn = std::max(conns, unsigned(closedConn) + 1);
  config.reqSlots = 4096;
  model_ = std::make_unique<BehaviouralDevice>(config);
  modelQps_.reserve(numQp);
  for (unsigned q = 0; q < numQp; ++q) {
    modelQps_.emplace_back(*model_, q, defaultLayout(q, kModelRingLog2, kModelRingLog2));
  }
  model_->write32(prm::reg::kCtrl, prm::ctrl::kEnable);
  for (unsigned c = 0; c < conns; ++c) {
    if (modelCommand(*model_, uint16_t(c), uint8_t(qpOf(uint16_t(c))), prm::ConnOp::kOffload, 0) !=
        prm::CmdResult::kOk)
      fail("the reference device refused to offload conn " + std::to_string(c));
  }
}

void RandomReference::expect(const prm::Request& r, bool accepted) {
  expect_[r.tag].accepted = accepted;
  if (accepted) conn_[r.conn].order[r.opcode].push_back(r.tag);
}

bool RandomReference::allPosted() const {
  for (const Conn& c : conn_)
    if (!c.disconnectPosted) return false;
  return true;
}

std::optional<prm::Request> RandomReference::nextRequest(unsigned qp, unsigned& postQp) {
  std::vector<uint16_t> candidates;
  for (unsigned c = 0; c < conns_; ++c)
    if (qpOf(uint16_t(c)) == qp && !conn_[c].disconnectPosted) candidates.push_back(uint16_t(c));
  if (candidates.empty()) return std::nullopt;
  const uint16_t id = candidates[rng_() % candidates.size()];
  Conn& c = conn_[id];
  auto uniform = [&](uint32_t lo, uint32_t hi) { return lo + uint32_t(rng_() % (hi - lo + 1)); };
  prm::Request r;
  r.tag = nextTag_++;
  r.conn = id;
  r.buffer = 0x4000'0000ull + r.tag * 0x1000;
  postQp = qp;
  using prm::Opcode;
  bool accepted = true;
  if (c.opsLeft == 0) {
    r.opcode = uint8_t(Opcode::kDisconnect);
    r.length = uniform(0, 500);
    c.disconnectPosted = true;
    c.disconnectLen = r.length;
  } else {
    --c.opsLeft;
    const unsigned pick = uniform(0, 99);
    if (pick < 40) {
      r.opcode = uint8_t(Opcode::kSend);
      r.length = uniform(1, 3000);
      c.expectedWork.push_back({prm::WorkType::kTxData, id, r.length});
    } else if (pick < 65) {
      r.opcode = uint8_t(Opcode::kRecv);
      r.length = uniform(1, 2000);
      r.flags = uniform(0, 4) == 0 ? prm::reqflag::kNoPush : 0;
      c.expectedWork.push_back({prm::WorkType::kRxPost, id, r.length});
      c.recvs.push_back({r.length, r.flags != 0});
    } else if (pick < 85) {
      r.opcode = uint8_t(Opcode::kForward);
      r.length = uniform(1, 1500);
      c.expectedWork.push_back({prm::WorkType::kFwd, id, r.length});
    } else if (pick < 90) {
      r.opcode = uint8_t(Opcode::kSend);  // zero length
      accepted = false;
    } else if (pick < 95 || numQp_ == 1) {
      r.opcode = uint8_t(Opcode::kRecv);
      r.conn = closedConn_;
      r.length = 100;
      accepted = false;
    } else {
      r.opcode = uint8_t(Opcode::kSend);
      r.length = 100;
      postQp = (qp + 1) % numQp_;
      accepted = false;
    }
  }
  expect(r, accepted);
  modelQps_[postQp].post(r);
  modelQps_[postQp].ring();
  return r;
}

void RandomReference::onWork(const prm::Work& w) {
  if (w.conn >= conns_) return fail("work for conn " + std::to_string(w.conn));
  Conn& c = conn_[w.conn];
  if (w.type == prm::WorkType::kTxFin) {
    const bool sendsLeft =
        c.unacked != 0 ||
        std::any_of(c.expectedWork.begin(), c.expectedWork.end(),
                    [](const prm::Work& x) { return x.type == prm::WorkType::kTxData; });
    if (!c.disconnectPosted || w.bytes != c.disconnectLen || sendsLeft || c.finAckDue)
      fail("unexpected TX_FIN for conn " + std::to_string(w.conn));
    c.finAckDue = true;
    return;
  }
  if (c.expectedWork.empty() || !(c.expectedWork.front() == w)) {
    return fail("work out of order on conn " + std::to_string(w.conn) + ": type " +
                std::to_string(unsigned(w.type)) + " bytes " + std::to_string(w.bytes));
  }
  c.expectedWork.pop_front();
  if (w.type == prm::WorkType::kTxData) c.unacked += w.bytes;
  if (w.type == prm::WorkType::kRxPost) ++c.recvsKnown;
  if (w.type == prm::WorkType::kFwd) ++c.fwdSeen;
}

uint32_t RandomReference::capacity(const Conn& c) const {
  uint32_t space = 0;
  for (size_t i = 0; i < c.recvsKnown; ++i) space += c.recvs[i].len - c.recvs[i].filled;
  return space;
}

// The peer's account of the receive space it has used (what the device
// completes is its own business).
void RandomReference::placeData(uint16_t id, uint32_t bytes, bool push) {
  Conn& c = conn_[id];
  while (bytes > 0) {
    Recv& h = c.recvs.front();
    const uint32_t take = std::min(bytes, h.len - h.filled);
    h.filled += take;
    bytes -= take;
    if (h.filled == h.len) {
      c.recvs.pop_front();
      --c.recvsKnown;
    }
  }
  if (push && c.recvsKnown > 0 && c.recvs.front().filled > 0 && !c.recvs.front().noPush) {
    c.recvs.pop_front();
    --c.recvsKnown;
  }
}

std::optional<prm::Event> RandomReference::nextEvent() {
  pumpModel();  // the device has every request posted so far
  const uint16_t start = uint16_t(rng_() % conns_);
  for (unsigned k = 0; k < conns_; ++k) {
    const uint16_t id = uint16_t((start + k) % conns_);
    Conn& c = conn_[id];
    const uint32_t space = c.finSent ? 0 : capacity(c);
    const bool finReady = !c.finSent && c.disconnectPosted && c.recvsKnown == c.recvs.size();
    std::vector<prm::EventType> can;
    if (c.unacked > 0) can.push_back(prm::EventType::kAck);
    if (space > 0) can.push_back(prm::EventType::kData);
    if (c.fwdSeen > 0) can.push_back(prm::EventType::kFwdDone);
    if (c.finAckDue) can.push_back(prm::EventType::kFinAck);
    if (finReady) can.push_back(prm::EventType::kFin);
    if (can.empty()) continue;
    prm::Event e;
    e.conn = id;
    e.type = can[rng_() % can.size()];
    switch (e.type) {
      case prm::EventType::kAck:
        e.bytes = rng_() % 3 == 0 ? uint32_t(c.unacked) : 1 + uint32_t(rng_() % c.unacked);
        c.unacked -= e.bytes;
        break;
      case prm::EventType::kData:
        e.bytes = 1 + uint32_t(rng_() % std::min<uint32_t>(space, 3000));
        e.flags = rng_() % 4 == 0 ? prm::evtflag::kPush : 0;
        placeData(id, e.bytes, e.flags != 0);
        break;
      case prm::EventType::kFwdDone:
        --c.fwdSeen;
        break;
      case prm::EventType::kFinAck:
        c.finAckDue = false;
        break;
      case prm::EventType::kFin:
        c.finSent = true;
        c.recvs.clear();
        c.recvsKnown = 0;
        ++evtFinExpected_;
        break;
      default:
        break;
    }
    model_->pushEvent(e);
    pumpModel();
    return e;
  }
  return std::nullopt;
}

void RandomReference::pumpModel() {
  model_->run(kModelSteps);
  while (model_->popWork()) {
  }
  for (unsigned q = 0; q < numQp_; ++q) {
    for (const prm::Completion& c : modelQps_[q].poll()) {
      if (c.tag == 0) continue;  // EVT_FIN: checked on its own
      if (!modelCpl_.emplace(c.tag, ModelCpl{c, q}).second)
        fail("the reference device completed tag " + std::to_string(c.tag) + " twice");
    }
  }
}

void RandomReference::checkEvtFin(unsigned qp, const prm::Completion& c) {
  if (c.type != prm::CplType::kEvtFin || c.conn >= conns_ || c.status != prm::CplStatus::kSuccess)
    return fail("unexpected engine descriptor " + str(c));
  Conn& k = conn_[c.conn];
  if (!k.finSent || k.evtFinSeen) return fail("EVT_FIN without a FIN: " + str(c));
  if (qp != qpOf(c.conn)) fail("EVT_FIN on queue pair " + std::to_string(qp) + ": " + str(c));
  if (!k.order[uint8_t(prm::Opcode::kRecv)].empty())
    fail("EVT_FIN before the receives it flushes: " + str(c));
  k.evtFinSeen = true;
  ++evtFinSeen_;
}

void RandomReference::check(unsigned qp, const prm::Completion& c) {
  ++completions_;
  if (c.tag == 0) return checkEvtFin(qp, c);
  auto it = expect_.find(c.tag);
  if (it == expect_.end()) return fail("unknown tag " + str(c));
  Expect& e = it->second;
  if (e.seen) return fail("completed twice " + str(c));
  e.seen = true;
  pumpModel();
  auto m = modelCpl_.find(c.tag);
  if (m == modelCpl_.end())
    return fail("completed before the reference device could complete it " + str(c));
  const prm::Completion& want = m->second.cpl;
  if (qp != m->second.qp) fail("on queue pair " + std::to_string(qp) + " " + str(c));
  if (c.type != want.type || c.status != want.status || c.bytes != want.bytes ||
      c.conn != want.conn)
    fail("got " + str(c) + " expected " + str(want));
  if (e.accepted && c.type == prm::CplType::kDisconnect &&
      !conn_[c.conn].order[uint8_t(prm::Opcode::kSend)].empty())
    fail("disconnect completed before the sends posted before it " + str(c));
  if (e.accepted) {
    auto& q = conn_[c.conn].order[uint8_t(c.type)];
    if (q.empty() || q.front() != c.tag)
      fail("out of posting order " + str(c) +
           (q.empty() ? "" : ", expected tag " + std::to_string(q.front())));
    auto pos = std::find(q.begin(), q.end(), c.tag);
    if (pos != q.end()) q.erase(pos);
  }
}

bool RandomReference::done() const {
  if (!allPosted() || evtFinSeen_ != conns_) return false;
  for (const auto& [tag, e] : expect_)
    if (!e.seen) return false;
  return true;
}

std::string RandomReference::pendingSummary() const {
  size_t unseen = 0, modelPending = 0;
  for (const auto& [tag, e] : expect_) {
    unseen += e.seen ? 0 : 1;
    modelPending += (!e.seen && modelCpl_.count(tag) == 0) ? 1 : 0;
  }
  std::string s = "requests " + std::to_string(requests()) + ", not completed " +
                  std::to_string(unseen) + " (not completed by the reference device either " +
                  std::to_string(modelPending) + "), EVT_FIN " + std::to_string(evtFinSeen_) + "/" +
                  std::to_string(evtFinExpected_) + " of " + std::to_string(conns_) + "\n";
  for (uint16_t id = 0; id < conns_; ++id) {
    const Conn& c = conn_[id];
    if (c.evtFinSeen && c.expectedWork.empty() && c.unacked == 0 && !c.finAckDue) continue;
    s += "  conn " + std::to_string(id) + ": ops left " + std::to_string(c.opsLeft) +
         ", work due " + std::to_string(c.expectedWork.size()) + ", unacked " +
         std::to_string(c.unacked) + ", recvs " + std::to_string(c.recvs.size()) + " (known " +
         std::to_string(c.recvsKnown) + "), fin ack due " + std::to_string(c.finAckDue) +
         ", fin sent " + std::to_string(c.finSent) + "\n";
  }
  return s;
}

}  // namespace chimney::rtltest
