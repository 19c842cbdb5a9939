#include "random_reference.h"

#include <algorithm>

namespace chimney::rtltest {
namespace {
std::string str(const prm::Completion& c) {
  return "{tag " + std::to_string(c.tag) + " type " + std::to_string(unsigned(c.type)) +
         " status " + std::to_string(unsigned(c.status)) + " bytes " + std::to_string(c.bytes) +
         " conn " + std::to_string(c.conn) + "}";
}
}  // namespace

RandomReference::RandomReference(unsigned numQp, unsigned conns, uint16_t closedConn,
                                 unsigned opsPerConn, uint64_t seed)
    : numQp_(numQp), conns_(conns), closedConn_(closedConn), rng_(seed), conn_(conns) {
  for (Conn& c : conn_) c.opsLeft = opsPerConn;
}

void RandomReference::addExpect(const prm::Request& r, unsigned qp, prm::CplStatus s,
                                uint32_t bytes, bool known, bool accepted) {
  Expect e;
  e.cpl.tag = r.tag;
  e.cpl.type = prm::CplType(r.opcode);
  e.cpl.status = s;
  e.cpl.bytes = bytes;
  e.cpl.conn = r.conn;
  e.qp = qp;
  e.known = known;
  e.accepted = accepted;
  expect_[r.tag] = e;
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
  using prm::CplStatus;
  using prm::Opcode;
  if (c.opsLeft == 0) {
    r.opcode = uint8_t(Opcode::kDisconnect);
    r.length = uniform(0, 500);
    c.disconnectPosted = true;
    c.disconnectLen = r.length;
    addExpect(r, qp, CplStatus::kSuccess, r.length, true, true);
    return r;
  }
  --c.opsLeft;
  const unsigned pick = uniform(0, 99);
  if (pick < 40) {
    r.opcode = uint8_t(Opcode::kSend);
    r.length = uniform(1, 3000);
    c.expectedWork.push_back({prm::WorkType::kTxData, id, r.length});
    addExpect(r, qp, CplStatus::kSuccess, r.length, true, true);
  } else if (pick < 65) {
    r.opcode = uint8_t(Opcode::kRecv);
    r.length = uniform(1, 2000);
    r.flags = uniform(0, 4) == 0 ? prm::reqflag::kNoPush : 0;
    c.expectedWork.push_back({prm::WorkType::kRxPost, id, r.length});
    c.recvs.push_back({r.tag, r.length, r.flags != 0});
    addExpect(r, qp, CplStatus::kSuccess, 0, false, true);
  } else if (pick < 85) {
    r.opcode = uint8_t(Opcode::kForward);
    r.length = uniform(1, 1500);
    c.expectedWork.push_back({prm::WorkType::kFwd, id, r.length});
    addExpect(r, qp, CplStatus::kSuccess, r.length, true, true);
  } else if (pick < 90) {
    r.opcode = uint8_t(Opcode::kSend);
    r.length = 0;
    addExpect(r, qp, CplStatus::kInvalidRequest, 0, true, false);
  } else if (pick < 95 || numQp_ == 1) {
    r.opcode = uint8_t(Opcode::kRecv);
    r.conn = closedConn_;
    r.length = 100;
    addExpect(r, qp, CplStatus::kInvalidConn, 0, true, false);
  } else {
    r.opcode = uint8_t(Opcode::kSend);
    r.length = 100;
    postQp = (qp + 1) % numQp_;
    addExpect(r, postQp, CplStatus::kWrongQp, 0, true, false);
  }
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

void RandomReference::finish(uint16_t conn, Recv& r, uint32_t bytes) {
  Expect& e = expect_[r.tag];
  e.cpl.bytes = bytes;
  e.known = true;
  (void)conn;
}

void RandomReference::placeData(uint16_t id, uint32_t bytes, bool push) {
  Conn& c = conn_[id];
  while (bytes > 0) {
    Recv& h = c.recvs.front();
    const uint32_t take = std::min(bytes, h.len - h.filled);
    h.filled += take;
    bytes -= take;
    if (h.filled == h.len) {
      finish(id, h, h.len);
      c.recvs.pop_front();
      --c.recvsKnown;
    }
  }
  if (push && c.recvsKnown > 0 && c.recvs.front().filled > 0 && !c.recvs.front().noPush) {
    finish(id, c.recvs.front(), c.recvs.front().filled);
    c.recvs.pop_front();
    --c.recvsKnown;
  }
}

std::optional<prm::Event> RandomReference::nextEvent() {
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
        for (Recv& r : c.recvs) finish(id, r, r.filled);
        c.recvs.clear();
        c.recvsKnown = 0;
        ++evtFinExpected_;
        break;
      default:
        break;
    }
    return e;
  }
  return std::nullopt;
}

void RandomReference::check(unsigned qp, const prm::Completion& c) {
  ++completions_;
  if (c.tag == 0) {
    if (c.type != prm::CplType::kEvtFin || c.conn >= conns_ || c.status != prm::CplStatus::kSuccess)
      return fail("unexpected engine descriptor " + str(c));
    Conn& k = conn_[c.conn];
    if (!k.finSent || k.evtFinSeen) return fail("EVT_FIN without a FIN: " + str(c));
    if (qp != qpOf(c.conn)) fail("EVT_FIN on queue pair " + std::to_string(qp) + ": " + str(c));
    if (!k.order[uint8_t(prm::Opcode::kRecv)].empty())
      fail("EVT_FIN before the receives it flushes: " + str(c));
    k.evtFinSeen = true;
    ++evtFinSeen_;
    return;
  }
  auto it = expect_.find(c.tag);
  if (it == expect_.end()) return fail("unknown tag " + str(c));
  Expect& e = it->second;
  if (e.seen) return fail("completed twice " + str(c));
  e.seen = true;
  if (!e.known) return fail("receive completed before any event could finish it " + str(c));
  if (qp != e.qp) fail("on queue pair " + std::to_string(qp) + " " + str(c));
  if (c.type != e.cpl.type || c.status != e.cpl.status || c.bytes != e.cpl.bytes ||
      c.conn != e.cpl.conn)
    fail("got " + str(c) + " expected " + str(e.cpl));
  if (e.accepted && c.type == prm::CplType::kDisconnect &&
      !conn_[c.conn].order[uint8_t(prm::Opcode::kSend)].empty())
    fail("disconnect completed before the sends posted before it " + str(c));
  if (e.accepted) {
    auto& q = conn_[c.conn].order[uint8_t(e.cpl.type)];
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
  size_t unseen = 0, unknown = 0;
  for (const auto& [tag, e] : expect_) {
    unseen += e.seen ? 0 : 1;
    unknown += (!e.seen && !e.known) ? 1 : 0;
  }
  std::string s = "requests " + std::to_string(requests()) + ", not completed " +
                  std::to_string(unseen) + " (receives the peer has not finished " +
                  std::to_string(unknown) + "), EVT_FIN " + std::to_string(evtFinSeen_) + "/" +
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
