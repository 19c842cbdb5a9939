// BehaviouralDevice: the request checks and the matcher (PRM section 6,
// "Requests" and "Events"). Each connection keeps its outstanding requests
// per opcode in posting order; `seq` orders them across opcodes so that
// abort, reset and terminate complete them in posting order.
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
  // Checks in PRM order; each completes the request at once on this queue
  // pair. A request with an unknown opcode completes with type 0 (there is no
  // completion type to echo); the driver identifies it by its tag.
  const auto reject = [&](CplStatus status) {
    const CplType type = knownOpcode(r.opcode) ? CplType(r.opcode) : CplType(0);
    complete(q, prm::Completion{r.tag, 0, r.conn, type, status, false}, true);
  };
  if (!knownOpcode(r.opcode)) return reject(CplStatus::kInvalidRequest);
  const auto op = prm::Opcode(r.opcode);
  if ((r.flags & ~allowedFlags(op)) != 0) return reject(CplStatus::kInvalidRequest);
  if ((op == prm::Opcode::kSend || op == prm::Opcode::kForward) && r.length == 0) {
    return reject(CplStatus::kInvalidRequest);
  }
  if (r.conn >= config_.numConn || conns_[r.conn].state == ConnState::kClosed) {
    return reject(CplStatus::kInvalidConn);
  }
  Conn& conn = conns_[r.conn];
  if (conn.qp != q) return reject(CplStatus::kWrongQp);
  if (conn.state == ConnState::kAborted) return reject(CplStatus::kAborted);

  Request req;
  req.seq = nextSeq_++;
  req.tag = r.tag;
  req.opcode = op;
  req.length = r.length;
  req.noPush = (r.flags & prm::reqflag::kNoPush) != 0;
  const uint16_t c = r.conn;

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
      postRecv(q, c, conn, req);
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
      conn.disconnect = req;
      maybeIssueFin(c, conn);
      return;
    case prm::Opcode::kForward:
      conn.forwards.push_back(req);
      emitWork(prm::WorkType::kFwd, c, req.length);
      return;
  }
}

void BehaviouralDevice::completeRequest(Conn& conn, uint16_t c, const Request& r, CplStatus status,
                                        uint32_t bytes) {
  complete(conn.qp, prm::Completion{r.tag, bytes, c, CplType(r.opcode), status, false}, true);
}

void BehaviouralDevice::postRecv(unsigned /*q*/, uint16_t c, Conn& conn, const Request& r) {
  conn.recvs.push_back(r);
  fillFromBuffer(c, conn);
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
      conn.recvs.pop_front();
      continue;
    }
    const uint64_t n = std::min<uint64_t>(conn.buffered, head.length - head.done);
    head.done += uint32_t(n);
    conn.buffered -= n;
    if (head.done == head.length) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.length);
      conn.recvs.pop_front();
      continue;
    }
    if (!head.noPush || conn.finReceived) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.done);
      conn.recvs.pop_front();
    }
    break;
  }
}

void BehaviouralDevice::maybeIssueFin(uint16_t c, Conn& conn) {
  if (conn.disconnect && !conn.finSent && conn.sends.empty()) {
    conn.finSent = true;
    emitWork(prm::WorkType::kTxFin, c, conn.disconnect->length);
  }
}

void BehaviouralDevice::abortAll(uint16_t c, Conn& conn, CplStatus status) {
  // Completes everything outstanding in posting order, reporting the bytes
  // transferred so far; buffered receive data is discarded.
  std::vector<Request> all;
  all.insert(all.end(), conn.sends.begin(), conn.sends.end());
  all.insert(all.end(), conn.recvs.begin(), conn.recvs.end());
  all.insert(all.end(), conn.forwards.begin(), conn.forwards.end());
  if (conn.disconnect) all.push_back(*conn.disconnect);
  std::sort(all.begin(), all.end(),
            [](const Request& a, const Request& b) { return a.seq < b.seq; });
  for (const Request& r : all) completeRequest(conn, c, r, status, r.done);
  conn.sends.clear();
  conn.recvs.clear();
  conn.forwards.clear();
  conn.disconnect.reset();
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
      if (!conn.disconnect || !conn.finSent) return protocolError(c);  // no FIN sent
      const Request d = *conn.disconnect;
      conn.disconnect.reset();
      conn.finSent = false;
      return completeRequest(conn, c, d, CplStatus::kSuccess, d.length);
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
      const Request f = conn.forwards.front();
      conn.forwards.pop_front();
      return completeRequest(conn, c, f, CplStatus::kSuccess, f.length);
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
      conn.sends.pop_front();
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
        conn.recvs.pop_front();
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
      conn.recvs.pop_front();
    }
  }
  if (push && !conn.recvs.empty()) {
    const Request& head = conn.recvs.front();
    if (head.done > 0 && !head.noPush) {
      completeRequest(conn, c, head, CplStatus::kSuccess, head.done);
      conn.recvs.pop_front();
    }
  }
  if (left > 0) {
    conn.buffered += left;
    complete(conn.qp, prm::Completion{0, left, c, CplType::kRxIndicate, CplStatus::kSuccess, false},
             false);
  }
}

}  // namespace chimney
