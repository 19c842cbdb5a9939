#include "peer_model.h"

#include <algorithm>
#include <vector>

namespace chimney {

namespace {
const PeerModel::ConnStats kNoStats{};
}  // namespace

PeerModel::PeerModel() : PeerModel(Config{}) {}

PeerModel::PeerModel(const Config& config) : config_(config), rng_(config.seed) {
  if (config_.segmentBytes == 0) config_.segmentBytes = 1;
  if (config_.ackEverySegments == 0) config_.ackEverySegments = 1;
}

uint64_t PeerModel::jitter() {
  return config_.jitterCycles == 0 ? 0 : rng_() % (config_.jitterCycles + 1);
}

void PeerModel::schedule(uint16_t c, uint64_t due, const prm::Event& e, uint64_t sendTime,
                         Origin origin) {
  if (holding_ && origin == Origin::kResponse) {
    held_.push_back(e);
    return;
  }
  Conn& k = conn(c);
  due = std::max(due, k.lastDue);  // in order per connection
  k.lastDue = due;
  const bool wasEmpty = k.events.empty();
  k.events.pushBack(Queued{due, seq_++, Scheduled{e, sendTime, origin}});
  if (wasEmpty) pushHead(k);
}

void PeerModel::EventFifo::pushBack(const Queued& q) {
  if (size_ == ring_.size()) {
    std::vector<Queued> bigger;
    bigger.reserve(std::max<std::size_t>(8, 2 * size_));
    for (std::size_t i = 0; i < size_; ++i) bigger.push_back(ring_[slot(i)]);
    bigger.resize(bigger.capacity(), q);
    ring_.swap(bigger);
    head_ = 0;
  }
  ring_[slot(size_)] = q;
  ++size_;
}

template <typename Pred>
void PeerModel::EventFifo::dropIf(Pred drop) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    const Queued q = ring_[slot(i)];
    if (!drop(q)) ring_[slot(kept++)] = q;
  }
  size_ = kept;
}

void PeerModel::pushHead(Conn& k) {
  const Queued& first = k.events.front();
  heads_.push_back(Head{first.due, first.seq, &k});
  std::push_heap(heads_.begin(), heads_.end(), Later{});
}

template <typename Pred>
void PeerModel::dropQueued(Pred drop) {
  heads_.clear();
  for (const std::unique_ptr<Conn>& owned : conns_) {
    if (!owned) continue;
    Conn& k = *owned;
    k.events.dropIf([&](const Queued& q) { return drop(q.due, q.s); });
    if (!k.events.empty()) {
      heads_.push_back(Head{k.events.front().due, k.events.front().seq, &k});
    }
  }
  std::make_heap(heads_.begin(), heads_.end(), Later{});
}

// ---- Work from the engine ------------------------------------------------

void PeerModel::onWork(uint64_t cycle, const prm::Work& w) {
  now_ = std::max(now_, cycle);
  ++totals_.workItems;
  Conn& k = conn(w.conn);
  const uint64_t mss = config_.segmentBytes;
  switch (w.type) {
    case prm::WorkType::kTxData: {
      k.stats.hostBytes += w.bytes;
      if (k.stats.hostRst || k.stats.peerRstSent) break;  // nobody left to acknowledge
      const uint64_t start = std::max(now_, k.hostLinkFree);
      const uint64_t segments = (uint64_t{w.bytes} + mss - 1) / mss;
      uint64_t left = w.bytes;
      uint64_t pending = 0;
      for (uint64_t i = 0; i < segments; ++i) {
        const uint64_t seg = std::min(mss, left);
        left -= seg;
        pending += seg;
        if ((i + 1) % config_.ackEverySegments == 0 || left == 0) {
          const uint64_t sent = start + i * config_.segmentCycles;
          schedule(w.conn, sent + config_.rttCycles + jitter(),
                   prm::Event{prm::EventType::kAck, 0, w.conn, uint32_t(pending)}, sent,
                   Origin::kResponse);
          pending = 0;
        }
      }
      k.hostLinkFree = start + segments * config_.segmentCycles;
      break;
    }
    case prm::WorkType::kTxFin: {
      k.stats.hostBytes += w.bytes;
      k.stats.hostFin = true;
      if (k.stats.hostRst || k.stats.peerRstSent) break;
      const uint64_t start = std::max(now_, k.hostLinkFree);
      const uint64_t segments = (uint64_t{w.bytes} + mss - 1) / mss;
      const uint64_t last = start + segments * config_.segmentCycles;
      k.hostLinkFree = last + config_.segmentCycles;
      schedule(w.conn, last + config_.rttCycles + jitter(),
               prm::Event{prm::EventType::kFinAck, 0, w.conn, w.bytes}, last, Origin::kResponse);
      break;
    }
    case prm::WorkType::kTxRst: {
      k.stats.hostRst = true;
      // Drop the peer's data not yet on the wire; what is already in flight
      // still arrives.
      dropQueued([&](uint64_t, const Scheduled& q) {
        return q.event.conn == w.conn && q.origin == Origin::kPeerData && q.sendTime > now_;
      });
      k.backlog.clear();
      k.closed = true;
      sending_.erase(w.conn);
      dropHeld(w.conn);  // a reset peer answers nothing more
      break;
    }
    case prm::WorkType::kFwd:
      ++k.stats.forwards;
      if (k.stats.hostRst || k.stats.peerRstSent) break;
      schedule(w.conn, now_ + config_.fwdCycles + jitter(),
               prm::Event{prm::EventType::kFwdDone, 0, w.conn, w.bytes}, now_, Origin::kResponse);
      break;
    case prm::WorkType::kRxPost:
      k.stats.rxPostedBytes += w.bytes;
      break;
  }
  pump();
}

// ---- Events to the engine ------------------------------------------------

prm::Event PeerModel::popNext() {
  Conn& k = *heads_.front().conn;
  const Scheduled s = k.events.front().s;
  k.events.popFront();
  if (k.events.empty()) {
    std::pop_heap(heads_.begin(), heads_.end(), Later{});
    heads_.pop_back();
  } else {
    // The connection's next event takes its place at the top.
    heads_.front() = Head{k.events.front().due, k.events.front().seq, &k};
    siftDownTop();
  }
  account(k, s);
  return s.event;
}

void PeerModel::siftDownTop() {
  const std::size_t n = heads_.size();
  const Head top = heads_.front();
  std::size_t at = 0;
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child >= n) break;
    if (child + 1 < n && Later{}(heads_[child], heads_[child + 1])) ++child;
    if (!Later{}(top, heads_[child])) break;
    heads_[at] = heads_[child];
    at = child;
  }
  heads_[at] = top;
}

std::optional<uint64_t> PeerModel::nextEventCycle() {
  pump();
  if (heads_.empty()) return std::nullopt;
  return heads_.front().due;
}

void PeerModel::advanceTo(uint64_t cycle) {
  now_ = std::max(now_, cycle);
  pump();
}

void PeerModel::account(Conn& k, const Scheduled& s) {
  ++totals_.events;
  if (s.origin == Origin::kInjected) {
    ++totals_.injected;
    return;
  }
  ConnStats& st = k.stats;
  switch (s.event.type) {
    case prm::EventType::kAck:
      st.ackedBytes += s.event.bytes;
      break;
    case prm::EventType::kData:
      st.peerBytesSent += s.event.bytes;
      if ((s.event.flags & prm::evtflag::kPush) != 0) ++st.messagesSent;
      break;
    case prm::EventType::kFinAck:
      st.finAckedBytes += s.event.bytes;
      break;
    case prm::EventType::kRst:
      st.peerRstSent = true;
      break;
    case prm::EventType::kFin:
      st.peerFinSent = true;
      break;
    case prm::EventType::kFwdDone:
      ++st.forwardsDone;
      break;
  }
}

void PeerModel::releaseResponses() {
  holding_ = false;
  std::deque<prm::Event> held;
  held.swap(held_);
  for (const prm::Event& e : held) {
    const uint64_t delay =
        e.type == prm::EventType::kFwdDone ? config_.fwdCycles : config_.rttCycles;
    schedule(e.conn, now_ + delay + jitter(), e, now_, Origin::kResponse);
  }
}

bool PeerModel::idle() const {
  if (!heads_.empty() || !held_.empty()) return false;
  for (uint16_t c : sending_) {
    const Conn& k = *conns_.at(c);
    if (k.backlog.empty()) return false;  // a FIN to send
    if (!config_.respectReceiveWindow) return false;
    if (k.stats.rxPostedBytes + config_.windowSlackBytes > k.windowSent) return false;
  }
  return true;  // at most data waiting for the host to post receives
}

// ---- The remote host's data ---------------------------------------------

void PeerModel::pump() {
  for (auto it = sending_.begin(); it != sending_.end();) {
    Conn& k = conn(*it);
    pumpConn(*it, k);
    if (k.backlog.empty() && (!k.finQueued || k.finScheduled)) {
      it = sending_.erase(it);
    } else {
      ++it;
    }
  }
}

void PeerModel::pumpConn(uint16_t c, Conn& k) {
  const uint64_t oneWay = config_.rttCycles / 2;
  while (!k.backlog.empty()) {
    Message& m = k.backlog.front();
    uint64_t seg = std::min<uint64_t>(config_.segmentBytes, m.bytesLeft);
    if (config_.respectReceiveWindow && seg > 0) {
      const uint64_t window = k.stats.rxPostedBytes + config_.windowSlackBytes;
      if (window <= k.windowSent) break;
      seg = std::min(seg, window - k.windowSent);
    }
    const uint64_t sent = std::max({now_, m.notBefore, k.peerLinkFree});
    m.bytesLeft -= seg;
    k.windowSent += seg;
    const bool push = m.bytesLeft == 0;
    schedule(c, sent + oneWay + jitter(),
             prm::Event{prm::EventType::kData, push ? prm::evtflag::kPush : uint8_t{0}, c,
                        uint32_t(seg)},
             sent, Origin::kPeerData);
    k.peerLinkFree = sent + config_.segmentCycles;
    if (push) k.backlog.pop_front();
  }
  if (k.backlog.empty() && k.finQueued && !k.finScheduled) {
    const uint64_t sent = std::max(now_, k.peerLinkFree);
    schedule(c, sent + oneWay + jitter(), prm::Event{prm::EventType::kFin, 0, c, 0}, sent,
             Origin::kPeerData);
    k.finScheduled = true;
    k.peerLinkFree = sent + config_.segmentCycles;
  }
}

bool PeerModel::peerSend(uint16_t c, uint64_t bytes) {
  Conn& k = conn(c);
  if (k.closed || k.finQueued) return false;
  k.backlog.push_back(Message{bytes, now_});
  k.stats.peerBytesQueued += bytes;
  sending_.insert(c);
  pump();
  return true;
}

bool PeerModel::peerStream(uint16_t c, uint64_t totalBytes, uint32_t minMessage,
                           uint32_t maxMessage, uint64_t gapCycles) {
  Conn& k = conn(c);
  if (k.closed || k.finQueued) return false;
  minMessage = std::max<uint32_t>(minMessage, 1);
  maxMessage = std::max(maxMessage, minMessage);
  uint64_t left = totalBytes;
  uint64_t start = now_;
  while (left > 0) {
    const uint64_t size =
        std::min<uint64_t>(left, minMessage + rng_() % (uint64_t{maxMessage} - minMessage + 1));
    k.backlog.push_back(Message{size, start});
    left -= size;
    start += gapCycles;
  }
  k.stats.peerBytesQueued += totalBytes;
  sending_.insert(c);
  pump();
  return true;
}

bool PeerModel::peerFin(uint16_t c) {
  Conn& k = conn(c);
  if (k.closed || k.finQueued) return false;
  k.finQueued = true;
  sending_.insert(c);
  pump();
  return true;
}

bool PeerModel::peerRst(uint16_t c) {
  Conn& k = conn(c);
  if (k.closed) return false;
  // Drop the peer's data not yet sent, and the acknowledgements of host
  // data that reaches the peer after it has reset.
  const uint64_t oneWay = config_.rttCycles / 2;
  uint64_t lastDue = 0;
  dropQueued([&](uint64_t due, const Scheduled& s) {
    if (s.event.conn != c) return false;
    const bool unsentData = s.origin == Origin::kPeerData && s.sendTime > now_;
    const bool lateAck =
        s.origin == Origin::kResponse && s.sendTime + oneWay > now_ &&
        (s.event.type == prm::EventType::kAck || s.event.type == prm::EventType::kFinAck);
    if (unsentData || lateAck) return true;
    lastDue = std::max(lastDue, due);
    return false;
  });
  k.lastDue = lastDue;
  k.backlog.clear();
  k.closed = true;
  sending_.erase(c);
  schedule(c, now_ + oneWay + jitter(), prm::Event{prm::EventType::kRst, 0, c, 0}, now_,
           Origin::kPeerData);
  return true;
}

void PeerModel::injectEvent(const prm::Event& event, uint64_t delayCycles) {
  schedule(event.conn, now_ + delayCycles, event, now_, Origin::kInjected);
}

void PeerModel::dropHeld(uint16_t c) {
  held_.erase(
      std::remove_if(held_.begin(), held_.end(), [c](const prm::Event& e) { return e.conn == c; }),
      held_.end());
}

void PeerModel::forget(uint16_t c) {
  dropHeld(c);
  Conn& old = conn(c);
  Conn fresh;
  fresh.lastDue = old.lastDue;
  fresh.peerLinkFree = old.peerLinkFree;
  fresh.hostLinkFree = old.hostLinkFree;
  fresh.events = std::move(old.events);  // still arrive (the heap points at `old`)
  old = std::move(fresh);
  sending_.erase(c);
}

const PeerModel::ConnStats& PeerModel::stats(uint16_t c) const {
  return c < conns_.size() && conns_[c] ? conns_[c]->stats : kNoStats;
}

}  // namespace chimney
