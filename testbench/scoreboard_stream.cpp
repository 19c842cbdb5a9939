// Scoreboard, invariant 6 (ReceiveStreamOrder): receive completions and
// receive indications reach the host in byte-stream order per connection.
//
// The host sees byte counts, not stream offsets; the offsets come from the
// completion descriptors the offload target read, in ring order (the
// device's word on which bytes each receive holds). Per connection, the
// device's receive stream is: bytes placed in receives, in descriptor order,
// and, between them, bytes buffered and reported by RX_INDICATE. Buffered
// bytes are older than anything still to arrive and fill the next receives
// first, so the oldest byte the device still holds is at offset `placed`:
// the bytes of every receive descriptor read so far plus the bytes the host
// took from indications. Then:
// - a read receive descriptor holds the stream bytes [placed, placed + bytes);
// - an indication starts at `placed` (it offers the oldest buffered bytes)
//   and offers no more than the device buffers: [placed, arrived), where
//   `arrived` grows by each RX_INDICATE's newly buffered bytes and is never
//   behind `placed`.
// Each must reach the host where the host's stream ends (`delivered`): a
// completion starting beyond it carries bytes that come after bytes not
// delivered yet (an indication, or a completion still on its way), and an
// indication starting beyond it came ahead of a receive completion holding
// earlier bytes; an indication offering bytes already placed in receives
// came after the completion that holds bytes coming after its own.
//
// A connection is judged only while its stream is whole: not after an abort,
// a receive that failed, or a terminate (their bytes are discarded or go up
// with the upload), and only when its descriptors are reported (a loaded
// offload target reports none). After the first violation the connection is
// not judged again (one report per broken stream).
#include <string>

#include "scoreboard_state.h"

namespace chimney {

bool Scoreboard::State::streamJudged(const ConnRec& conn) const {
  return conn.streamKnown && !conn.streamOff && !conn.aborted && !conn.peerRst &&
         !conn.abortiveDisconnectPosted && !conn.terminateRequested;
}

// The layer holding the receive of connection `c` whose bytes come first
// among those read from the device and not yet back at the host, if that
// receive starts before `before`: every layer above it passed later bytes
// up correctly. Empty when no such receive is outstanding.
std::string Scoreboard::State::streamHolder(ConnectionId c, uint64_t before) {
  const NetBufferList* first = nullptr;
  uint64_t firstStart = before;
  for (const auto& [nbl, start] : receiveStart) {
    auto rec = live.find(nbl);
    if (rec == live.end() || rec->second.conn != c || start >= firstStart) continue;
    first = nbl;
    firstStart = start;
  }
  return first == nullptr ? std::string() : holderOf(live.at(first).seq);
}

void Scoreboard::State::streamAtReceiveCompletion(ConnectionId c, ConnRec& conn,
                                                  const NetBufferList* nbl) {
  auto it = receiveStart.find(nbl);
  if (it == receiveStart.end()) {
    // Completed without a descriptor the target reported: its bytes cannot
    // be placed in the stream, so the rest of the stream is not judged.
    if (conn.streamKnown) conn.streamOff = true;
    return;
  }
  const uint64_t start = it->second;
  receiveStart.erase(it);
  if (!streamJudged(conn)) return;
  ++streamJudgedCount;
  if (start == conn.delivered) return;
  conn.streamOff = true;
  report(6, "ReceiveStreamOrder", c, OffloadOp::kReceive, nbl,
         "receive completion holds stream bytes from offset " + std::to_string(start) +
             " but the host has " + std::to_string(conn.delivered) + " bytes of the stream" +
             (start > conn.delivered
                  ? ": earlier bytes (an indication or an earlier receive) reach the host after it"
                  : ": its bytes overlap bytes the host already got"),
         start > conn.delivered ? streamHolder(c, start) : std::string());
}

void Scoreboard::State::streamAtIndication(ConnectionId c, ConnRec& conn, const NetBufferList* nbl,
                                           uint32_t consumed) {
  const uint64_t offered = nbl->firstNetBuffer != nullptr ? nbl->firstNetBuffer->dataLength : 0;
  if (streamJudged(conn)) ++streamJudgedCount;
  if (streamJudged(conn) && conn.placed != conn.delivered) {
    conn.streamOff = true;
    report(6, "ReceiveStreamOrder", c, OffloadOp::kReceiveIndicate, nbl,
           "indication starts at stream offset " + std::to_string(conn.placed) +
               " but the host has " + std::to_string(conn.delivered) + " bytes of the stream" +
               (conn.placed > conn.delivered
                    ? ": a receive completion with earlier bytes reaches the host after it"
                    : ": the host already got bytes the device still offers"),
           conn.placed > conn.delivered ? streamHolder(c, conn.placed) : std::string());
  } else if (streamJudged(conn) && offered > conn.arrived - conn.placed) {
    conn.streamOff = true;
    report(6, "ReceiveStreamOrder", c, OffloadOp::kReceiveIndicate, nbl,
           "indication offers " + std::to_string(offered) + " bytes at stream offset " +
               std::to_string(conn.placed) + " but the device buffers " +
               std::to_string(conn.arrived - conn.placed) +
               ": its bytes went into a receive whose completion reached the host before it");
  }
  conn.placed += consumed;
  if (conn.arrived < conn.placed) conn.arrived = conn.placed;
}

uint64_t Scoreboard::streamOrderJudged() const {
  return s_->streamJudgedCount;
}

void Scoreboard::onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned,
                                 uint32_t) {
  if (op == OffloadOp::kReceive) s_->receiveTags[tag] = nbl;
}

void Scoreboard::onDescriptorRead(unsigned, uint32_t, const prm::Completion& c) {
  State& s = *s_;
  const NetBufferList* nbl = nullptr;
  if (c.type == prm::CplType::kRecv) {
    auto t = s.receiveTags.find(c.tag);
    if (t != s.receiveTags.end()) {
      nbl = t->second;
      s.receiveTags.erase(t);
    }
  }
  auto hw = s.hwConns.find(c.conn);
  if (hw == s.hwConns.end()) return;
  auto it = s.conns.find(hw->second.value);
  if (it == s.conns.end()) return;
  State::ConnRec& conn = it->second;
  switch (c.type) {
    case prm::CplType::kRecv:
      conn.streamKnown = true;
      if (c.status != prm::CplStatus::kSuccess) conn.streamOff = true;
      if (nbl != nullptr) s.receiveStart[nbl] = conn.placed;
      conn.placed += c.bytes;
      if (conn.arrived < conn.placed) conn.arrived = conn.placed;
      break;
    case prm::CplType::kRxIndicate:
      conn.streamKnown = true;
      conn.arrived += c.bytes;
      break;
    case prm::CplType::kEvtRst:
      conn.streamOff = true;
      break;
    default:
      break;
  }
}

}  // namespace chimney
