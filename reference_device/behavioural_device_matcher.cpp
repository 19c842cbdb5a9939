// BehaviouralDevice: the request checks and the matcher (PRM section 6,
// "Requests" and "Events").
//
// Each connection keeps its outstanding requests per opcode in posting order;
// `seq` orders them across opcodes so that abort, reset and terminate
// complete them in posting order. A request failing its checks while earlier
// requests of its opcode are outstanding on its connection waits in line
// (flagged `failed`) so that completions of one opcode stay in posting order;
// the head of every list is always a live request (flushFailed() keeps it so
// after every change).
#include <algorithm>
#include <vector>

#include "behavioural_device.h"

namespace chimney {

namespace {

using prm::CplStatus;
using prm::CplType;

uint8_t allowedFlags(prm::Opcode op) {
  switch (op) {
    case prm::Opcode::kRecv:
      return prm::reqflag::kNoPush;
    case prm::Opcode::kDisconnect:
      return prm::reqflag::kAbortive;
    default:
      return 0;
  }
}

bool knownOpcode(uint8_t op) {
  return op >= uint8_t(prm::Opcode::kSend) && op <= uint8_t(prm::Opcode::kForward);
}

}  // namespace

// ---- Requests -------------------------------------------------------------

void BehaviouralDevice::acceptRequest(unsigned q, const prm::Request& r) {
  Request req;
  req.seq = nextSeq_++;
  req.tag = r.tag;
  req.opcode = prm::Opcode(r.opcode);
  req.length = r.length;
  req.noPush = (r.flags & prm::reqflag::kNoPush) != 0;
  const uint16_t c = r.conn;

  // Checks in PRM order; each completes the request on this queue pair, in
  // line behind earlier requests of its opcode on the connection if any. A
  // request with an unknown opcode completes with type 0 (there is no
  // completion type to echo); the driver identifies it by its tag.
  const auto reject = [&](CplStatus status) {
    if (knownOpcode(r.opcode) && c < config_.numConn && conns_[c].state == ConnState::kOffloaded &&
        conns_[c].qp == q) {
      Conn& conn = conns_[c];
      req.failed = true;
      req.failStatus = status;
      listFor(conn, req.opcode).push_back(req);
      flushFailed(c, conn);
      return;
    }
    const CplType type = knownOpcode(r.opcode) ? CplType(r.opcode) : CplType(0);
    complete(q, prm::Completion{r.tag, 0, c, type, status, false}, true);
  };
  if (!knownOpcode(r.opcode)) return reject(CplStatus::kInvalidRequest);
  const auto op = prm::Opcode(r.opcode);
  if ((r.flags & ~allowedFlags(op)) != 0) return reject(CplStatus::kInvalidRequest);
  if ((op == prm::Opcode::kSend || op == prm::Opcode::kForward) && r.length == 0) {
    return reject(CplStatus::kInvalidRequest);
  }
  if (c >= config_.numConn || conns_[c].state == ConnState::kClosed) {
    return reject(CplStatus::kInvalidConn);
  }
  Conn& conn = conns_[c];
  if (conn.qp != q) return reject(CplStatus::kWrongQp);
  if (conn.state == ConnState::kAborted) return reject(CplStatus::kAborted);

  switch (op) {
    case prm::Opcode::kSend:
      if (conn.disconnectPosted) return reject(CplStatus::kInvalidState);
      conn.sends.push_back(req);
      conn.sendBytesOutstanding += req.length;
      emitWork(prm::WorkType::kTxData, c, req.length);
      return;
    case prm::Opcode::kRecv:
      if (conn.finReceived && conn.buffered == 0) return reject(CplStatus::kInvalidState);
      emitWork(prm::WorkType::kRxPost, c, req.length);
      conn.recvs.push_back(req);
      fillFromBuffer(c, conn);
      return;
    case prm::Opcode::kDisconnect:
      if ((r.flags & prm::reqflag::kAbortive) != 0) {
        abortAll(c, conn, CplStatus::kAborted);
        emitWork(prm::WorkType::kTxRst, c, 0);
        completeRequest(conn, c, req, CplStatus::kSuccess, 0);
        conn.state = ConnState::kAborted;
        return;
      }
      if (conn.disconnectPosted) return reject(CplStatus::kInvalidState);
      conn.disconnectPosted = true;
      conn.disconnects.push_back(req);
      maybeIssueFin(c, conn);
      return;
    case prm::Opcode::kForward:
      conn.forwards.push_back(req);
      emitWork(prm::WorkType::kFwd, c, req.length);
      return;
  }
}

std::deque<BehaviouralDevice::Request>& BehaviouralDevice::listFor(Conn& conn, prm::Opcode op) {
  switch (op) {
    case prm::Opcode::kSend:
      return conn.sends;
    case prm::Opcode::kRecv:
      return conn.recvs;
    case prm::Opcode::kDisconnect:
      return conn.disconnects;
    case prm::Opcode::kForward:
      break;
  }
  return conn.forwards;
}

void BehaviouralDevice::completeRequest(Conn& conn, uint16_t c, const Request& r, CplStatus status,
                                        uint32_t bytes) {
  if (r.failed) {
    status = r.failStatus;
    bytes = 0;
  }
  complete(conn.qp, prm::Completion{r.tag, bytes, c, CplType(r.opcode), status, false}, true);
}

void BehaviouralDevice::popHead(uint16_t c, Conn& conn, std::deque<Request>& list) {
  list.pop_front();
  flushFailed(c, conn);
}

void BehaviouralDevice::flushFailed(uint16_t c, Conn& conn) {
  for (std::deque<Request>* list : {&conn.sends, &conn.recvs, &conn.forwards}) {
    while (!list->empty() && list->front().failed) {
      completeRequest(conn, c, list->front(), CplStatus::kSuccess, 0);
      list->pop_front();
    }
  }
  // A failed DISCONNECT also waits for the SENDs posted before it.
  while (!conn.disconnects.empty() && conn.disconnects.front().failed &&
         (conn.sends.empty() || conn.sends.front().seq > conn.disconnects.front().seq)) {
    completeRequest(conn, c, conn.disconnects.front(), CplStatus::kSuccess, 0);
    conn.disconnects.pop_front();
  }
}

void BehaviouralDevice::fillFromBuffer(uint16_t c, Conn& conn) {
  // Buffered data is older than anything still to arrive: it fills receives
  // as soon as they are fetched. A receive left partly filled completes at
  // once unless it is NO_PUSH; after the peer's FIN nothing more can arrive,
  // so it completes at once regardless.
  while (!conn.recvs.empty() && conn.buffered > 0) {
    Request& head = conn.recvs.front();
    if (head.length == 0) {
      completeRequest(conn, c, head, CplStatus::kSuccess, 0);
      popHead(c, conn, conn.recvs);
      continue;
    }
    const uint64_t n = std::min<uint64_t>(conn.buffered, head.length - head.done);
    head.done += uint32_t(n);
    conn.buffered -= n;
    if (head.done == head.length) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.length);
      popHead(c, conn, conn.recvs);
      continue;
    }
    if (!head.noPush || conn.finReceived) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.done);
      popHead(c, conn, conn.recvs);
    }
    break;
  }
}

void BehaviouralDevice::maybeIssueFin(uint16_t c, Conn& conn) {
  if (!conn.disconnects.empty() && !conn.disconnects.front().failed && !conn.finSent &&
      conn.sends.empty()) {
    conn.finSent = true;
    emitWork(prm::WorkType::kTxFin, c, conn.disconnects.front().length);
  }
}

void BehaviouralDevice::abortAll(uint16_t c, Conn& conn, CplStatus status) {
  // Completes everything outstanding in posting order, reporting the bytes
  // transferred so far; buffered receive data is discarded.
  std::vector<Request> all;
  for (const std::deque<Request>* list :
       {&conn.sends, &conn.recvs, &conn.forwards, &conn.disconnects}) {
    all.insert(all.end(), list->begin(), list->end());
  }
  std::sort(all.begin(), all.end(),
            [](const Request& a, const Request& b) { return a.seq < b.seq; });
  for (const Request& r : all) completeRequest(conn, c, r, status, r.done);
  conn.sends.clear();
  conn.recvs.clear();
  conn.forwards.clear();
  conn.disconnects.clear();
  conn.finSent = false;
  conn.sendBytesOutstanding = 0;
  conn.buffered = 0;
}

// ---- Events ---------------------------------------------------------------

void BehaviouralDevice::matchEvent(const prm::Event& e) {
  ++counters_.evt;
  const uint16_t c = e.conn;
  if (c >= config_.numConn) return protocolError(c);
  Conn& conn = conns_[c];
  if (conn.state != ConnState::kOffloaded) {
    ++counters_.evtLate;  // late traffic after a reset or terminate
    return;
  }
  switch (e.type) {
    case prm::EventType::kAck:
      return applyAck(c, conn, e.bytes);
    case prm::EventType::kData:
      if (conn.finReceived) return protocolError(c);  // DATA after FIN
      return placeData(c, conn, e.bytes, (e.flags & prm::evtflag::kPush) != 0);
    case prm::EventType::kFinAck: {
      // The event's byte count is not checked: FIN_ACK acknowledges the
      // DISCONNECT's data and FIN together.
      if (!conn.finSent) return protocolError(c);  // no FIN sent
      conn.finSent = false;
      const Request d = conn.disconnects.front();
      completeRequest(conn, c, d, CplStatus::kSuccess, d.length);
      popHead(c, conn, conn.disconnects);
      return;
    }
    case prm::EventType::kRst:
      abortAll(c, conn, CplStatus::kAborted);
      complete(conn.qp, prm::Completion{0, 0, c, CplType::kEvtRst, CplStatus::kSuccess, false},
               false);
      conn.state = ConnState::kAborted;
      return;
    case prm::EventType::kFin:
      if (conn.finReceived) return protocolError(c);  // second FIN
      conn.finReceived = true;
      for (const Request& r : conn.recvs) completeRequest(conn, c, r, CplStatus::kSuccess, r.done);
      conn.recvs.clear();
      complete(conn.qp, prm::Completion{0, 0, c, CplType::kEvtFin, CplStatus::kSuccess, false},
               false);
      return;
    case prm::EventType::kFwdDone: {
      if (conn.forwards.empty()) return protocolError(c);
      completeRequest(conn, c, conn.forwards.front(), CplStatus::kSuccess,
                      conn.forwards.front().length);
      popHead(c, conn, conn.forwards);
      return;
    }
  }
  protocolError(c);  // unknown event type
}

void BehaviouralDevice::applyAck(uint16_t c, Conn& conn, uint32_t bytes) {
  // Cumulative over the connection's sends in posting order; the part beyond
  // the bytes outstanding is a protocol error and is dropped.
  uint64_t left = std::min<uint64_t>(bytes, conn.sendBytesOutstanding);
  const bool excess = bytes > conn.sendBytesOutstanding;
  conn.sendBytesOutstanding -= left;
  while (left > 0) {
    Request& head = conn.sends.front();
    const uint64_t n = std::min<uint64_t>(left, head.length - head.done);
    head.done += uint32_t(n);
    left -= n;
    if (head.done == head.length) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.length);
      popHead(c, conn, conn.sends);
    }
  }
  maybeIssueFin(c, conn);
  if (excess) protocolError(c);
}

void BehaviouralDevice::placeData(uint16_t c, Conn& conn, uint32_t bytes, bool push) {
  uint32_t left = bytes;
  bool atArrival = true;
  for (;;) {
    // A zero-length receive completes when a DATA event reaches it (at the
    // head when the event arrives, or reached by the event's remaining
    // bytes), before the data is placed.
    if (atArrival || left > 0) {
      while (!conn.recvs.empty() && conn.recvs.front().length == 0) {
        completeRequest(conn, c, conn.recvs.front(), CplStatus::kSuccess, 0);
        popHead(c, conn, conn.recvs);
      }
    }
    atArrival = false;
    if (left == 0 || conn.recvs.empty()) break;
    Request& head = conn.recvs.front();
    const uint32_t n = std::min(left, head.length - head.done);
    head.done += n;
    left -= n;
    if (head.done == head.length) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.length);
      popHead(c, conn, conn.recvs);
    }
  }
  if (push && !conn.recvs.empty()) {
    const Request& head = conn.recvs.front();
    if (head.done > 0 && !head.noPush) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.done);
      popHead(c, conn, conn.recvs);
    }
  }
  if (left > 0) {
    conn.buffered += left;
    complete(conn.qp, prm::Completion{0, left, c, CplType::kRxIndicate, CplStatus::kSuccess, false},
             false);
  }
}

}  // namespace chimney
