#include "tx_observer.h"

namespace chimney::tb {

namespace {

using nlohmann::json;
using Flow = RunRecorder::Flow;

const char* cplTypeName(prm::CplType t) {
  switch (t) {
    case prm::CplType::kSend:
      return "send";
    case prm::CplType::kRecv:
      return "receive";
    case prm::CplType::kDisconnect:
      return "disconnect";
    case prm::CplType::kForward:
      return "forward";
    case prm::CplType::kRxIndicate:
      return "rx-indicate";
    case prm::CplType::kEvtFin:
      return "evt-fin";
    case prm::CplType::kEvtRst:
      return "evt-rst";
    case prm::CplType::kTerminateDone:
      return "terminate-done";
  }
  return "unknown";
}

const char* eventName(prm::EventType t) {
  switch (t) {
    case prm::EventType::kAck:
      return "ack";
    case prm::EventType::kData:
      return "data";
    case prm::EventType::kFinAck:
      return "fin-ack";
    case prm::EventType::kRst:
      return "rst";
    case prm::EventType::kFin:
      return "fin";
    case prm::EventType::kFwdDone:
      return "fwd-done";
  }
  return "unknown";
}

json connJson(ConnectionId c) {
  return c.valid() ? json(c.value) : json();
}

json completionJson(const prm::Completion& c) {
  return {{"tag", c.tag},
          {"type", cplTypeName(c.type)},
          {"status", int(c.status)},
          {"phase", c.phase ? 1 : 0},
          {"hw_conn", c.conn},
          {"bytes", c.bytes}};
}

}  // namespace

TxObserver::TxObserver(RunObserver& run, Scoreboard& scoreboard, RunRecorder& recorder, Clock clock)
    : PassOnObserver(run), run_(run), sb_(scoreboard), rec_(recorder), clock_(std::move(clock)) {}

std::string TxObserver::driver(DriverId d) const {
  auto it = drivers_.find(d.value);
  return it == drivers_.end() ? "?" : it->second;
}
std::string TxObserver::miniportOwner(NdisMiniportHandle m) const {
  auto it = miniportDriver_.find(m.value);
  return it == miniportDriver_.end() ? "?" : driver(DriverId{it->second});
}
std::string TxObserver::bindingOwner(NdisBindingHandle b) const {
  auto it = bindingDriver_.find(b.value);
  return it == bindingDriver_.end() ? "?" : driver(DriverId{it->second});
}

std::vector<uint64_t> TxObserver::ids(const NetBufferList* list) const {
  std::vector<uint64_t> out;
  for (const NetBufferList* n = list; n != nullptr; n = n->next) out.push_back(sb_.nblId(n));
  return out;
}

// ---- topology ---------------------------------------------------------------

void TxObserver::onDriverRegistered(DriverId d, DriverKind k, const std::string& n) {
  drivers_[d.value] = n;
  if (k == DriverKind::kOffloadTarget) target_ = n;
  run_.onDriverRegistered(d, k, n);
}
void TxObserver::onMiniportRegistered(NdisMiniportHandle m, DriverId d) {
  miniportDriver_[m.value] = d.value;
  run_.onMiniportRegistered(m, d);
}
void TxObserver::onBindingOpened(NdisBindingHandle b, ProtocolBindingContext c, DriverId d,
                                 NdisMiniportHandle m) {
  bindingDriver_[b.value] = d.value;
  run_.onBindingOpened(b, c, d, m);
}

// ---- edges ------------------------------------------------------------------

void TxObserver::edge(const char* kind, const EdgeCall& c, const std::string& from,
                      const std::string& to) {
  const std::vector<uint64_t> nbls = ids(c.nbl);
  json f = {{"from", from}, {"to", to}, {"op", toString(c.op)}, {"conn", connJson(c.connection)}};
  f["nbls"] = nbls;
  if (c.nbl != nullptr) {
    json status = json::array(), bytes = json::array();
    for (const NetBufferList* n = c.nbl; n != nullptr; n = n->next) {
      status.push_back(toString(n->status));
      bytes.push_back(std::string(kind) == "down" && n->firstNetBuffer != nullptr
                          ? n->firstNetBuffer->dataLength
                          : n->tcpOffloadBytesTransferred);
    }
    f["status"] = status;
    f["bytes"] = bytes;
  }
  if (c.op == OffloadOp::kReceiveIndicate) f["status"] = toString(c.status);
  rec_.record(clock_(), kind, std::move(f), from, nbls, Flow::kStep);
}

void TxObserver::onDownCallBegin(const EdgeCall& c) {
  run_.onDownCallBegin(c);
  edge("down", c, bindingOwner(c.binding), miniportOwner(c.miniport));
}
void TxObserver::onDownCallEnd(const EdgeCall& c, NdisStatus s) {
  run_.onDownCallEnd(c, s);
  if (s != NdisStatus::kPending && s != NdisStatus::kSuccess) {
    rec_.record(clock_(), "down_returned",
                {{"from", bindingOwner(c.binding)},
                 {"to", miniportOwner(c.miniport)},
                 {"op", toString(c.op)},
                 {"conn", connJson(c.connection)},
                 {"returned", toString(s)}},
                miniportOwner(c.miniport));
  }
}
void TxObserver::onUpCallBegin(const EdgeCall& c) {
  run_.onUpCallBegin(c);
  edge("up", c, miniportOwner(c.miniport), bindingOwner(c.binding));
}
void TxObserver::onRoutingError(const EdgeCall& c, const std::string& w) {
  run_.onRoutingError(c, w);
  rec_.record(
      clock_(), "routing_error",
      {{"op", toString(c.op)}, {"conn", connJson(c.connection)}, {"what", w}, {"nbls", ids(c.nbl)}},
      "ndis");
}

// ---- host -------------------------------------------------------------------

void TxObserver::onHostConnectionOpened(ConnectionId c, NdisOffloadHandle h) {
  run_.onHostConnectionOpened(c, h);
  rec_.record(clock_(), "connection_opened", {{"conn", c.value}}, "host");
}
void TxObserver::onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) {
  run_.onHostPost(c, op, list, flags);  // assigns the ids
  const std::vector<uint64_t> nbls = ids(list);
  json bytes = json::array();
  for (const NetBufferList* n = list; n != nullptr; n = n->next) {
    bytes.push_back(n->firstNetBuffer != nullptr ? n->firstNetBuffer->dataLength : 0);
  }
  rec_.record(
      clock_(), "post",
      {{"op", toString(op)}, {"conn", c.value}, {"nbls", nbls}, {"bytes", bytes}, {"flags", flags}},
      "host", nbls, Flow::kStart);
}
void TxObserver::onHostCompletion(OffloadOp op, NetBufferList* list) {
  const std::vector<uint64_t> nbls = ids(list);  // before the scoreboard retires them
  json status = json::array(), bytes = json::array();
  for (const NetBufferList* n = list; n != nullptr; n = n->next) {
    status.push_back(toString(n->status));
    bytes.push_back(n->tcpOffloadBytesTransferred);
  }
  run_.onHostCompletion(op, list);
  rec_.record(clock_(), "host_completion",
              {{"op", toString(op)}, {"nbls", nbls}, {"status", status}, {"bytes", bytes}}, "host",
              nbls, Flow::kEnd);
}
void TxObserver::onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) {
  run_.onHostIndication(c, nbl, s, n);
  rec_.record(clock_(), "indication",
              {{"conn", c.value},
               {"nbl", sb_.nblId(nbl)},
               {"returned", toString(s)},
               {"bytes_consumed", n}},
              "host", {sb_.nblId(nbl)}, Flow::kEnd);
}
void TxObserver::onHostEvent(ConnectionId c, OffloadEvent e) {
  run_.onHostEvent(c, e);
  rec_.record(clock_(), "event", {{"conn", c.value}, {"event", toString(e)}}, "host");
}
void TxObserver::onHostReceiveReturn(ConnectionId c, NetBufferList* nbl, NdisStatus s) {
  run_.onHostReceiveReturn(c, nbl, s);
  rec_.record(clock_(), "receive_return",
              {{"conn", c.value}, {"nbl", sb_.nblId(nbl)}, {"returned", toString(s)}}, "host");
}
void TxObserver::onHostTerminateRequested(ConnectionId c) {
  run_.onHostTerminateRequested(c);
  rec_.record(clock_(), "terminate_requested", {{"conn", c.value}}, "host");
}
void TxObserver::onHostTerminateComplete(ConnectionId c, NdisStatus s) {
  run_.onHostTerminateComplete(c, s);
  rec_.record(clock_(), "terminate_complete", {{"conn", c.value}, {"status", toString(s)}}, "host");
}

// ---- IM and target ------------------------------------------------------------

void TxObserver::onCallEntryAllocated(DriverId d, uint64_t e, NetBufferList* nbl, OffloadOp op) {
  run_.onCallEntryAllocated(d, e, nbl, op);
  rec_.record(clock_(), "call_entry_alloc",
              {{"im", driver(d)}, {"entry", e}, {"op", toString(op)}, {"nbl", sb_.nblId(nbl)}},
              driver(d));
}
void TxObserver::onCallEntryFreed(DriverId d, uint64_t e) {
  run_.onCallEntryFreed(d, e);
  rec_.record(clock_(), "call_entry_free", {{"im", driver(d)}, {"entry", e}}, driver(d));
}
void TxObserver::onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) {
  run_.onHardwareConnectionBound(c, hw, qp);
  rec_.record(clock_(), "hw_conn_bound", {{"conn", c.value}, {"hw_conn", hw}, {"qp", qp}}, target_);
}
void TxObserver::onHardwareConnectionReleased(uint16_t hw) {
  run_.onHardwareConnectionReleased(hw);
  rec_.record(clock_(), "hw_conn_released", {{"hw_conn", hw}}, target_);
}
void TxObserver::onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned qp,
                                 uint32_t sqIndex) {
  run_.onRequestQueued(nbl, op, tag, qp, sqIndex);
  const uint64_t id = sb_.nblId(nbl);
  rec_.record(clock_(), "sq_write",
              {{"op", toString(op)}, {"nbl", id}, {"tag", tag}, {"qp", qp}, {"sq_index", sqIndex}},
              "qp " + std::to_string(qp), {id}, Flow::kStep);
}
void TxObserver::onDescriptorRead(unsigned qp, uint32_t cqIndex, const prm::Completion& c) {
  const uint64_t id = run_.links().idOfTag(c.tag);  // before the link is retired
  run_.onDescriptorRead(qp, cqIndex, c);
  json f = completionJson(c);
  f["qp"] = qp;
  f["cq_index"] = cqIndex;
  f["nbl"] = id;
  rec_.record(clock_(), "descriptor_read", std::move(f), "qp " + std::to_string(qp), {id},
              Flow::kStep);
}

// ---- device side ---------------------------------------------------------------

void TxObserver::recordRegisterWrite(uint32_t offset, uint32_t value, bool ok) {
  const uint64_t now = clock_();
  if (offset >= prm::reg::kQpBase) {
    const unsigned qp = (offset - prm::reg::kQpBase) / prm::reg::kQpStride;
    const uint32_t reg = (offset - prm::reg::kQpBase) % prm::reg::kQpStride;
    const std::string track = "qp " + std::to_string(qp);
    if (reg == prm::reg::kSqTail) {
      rec_.record(now, "doorbell", {{"qp", qp}, {"sq_tail", value & 0xFFFF}, {"ok", ok}}, track);
    } else if (reg == prm::reg::kCqHead) {
      rec_.record(now, "cq_head",
                  {{"qp", qp},
                   {"cq_head", value & 0xFFFF},
                   {"arm", (value & prm::kCqHeadArm) != 0},
                   {"ok", ok}},
                  track);
    }
    return;
  }
  if (offset == prm::reg::kConnCmd) {
    const unsigned op = (value >> 24) & 0xFF;
    const char* name = op == unsigned(prm::ConnOp::kOffload)      ? "offload"
                       : op == unsigned(prm::ConnOp::kTerminate)  ? "terminate"
                       : op == unsigned(prm::ConnOp::kRxConsumed) ? "rx_consumed"
                                                                  : "unknown";
    rec_.record(
        now, std::string("conn_cmd"),
        {{"cmd", name}, {"hw_conn", value & 0xFFFF}, {"qp", (value >> 16) & 0xFF}, {"ok", ok}},
        target_);
  } else if (offset == prm::reg::kConnCmdArg) {
    rec_.record(now, "conn_cmd_arg", {{"arg", value}, {"ok", ok}}, target_);
  }
}

void TxObserver::recordInterrupt(unsigned vector) {
  rec_.record(clock_(), "interrupt", {{"vector", vector}}, "dpc");
}

void TxObserver::recordDpc(bool begin) {
  rec_.record(clock_(), begin ? "dpc_begin" : "dpc_end", json::object(), "dpc");
}

void TxObserver::recordEventAccepted(const prm::Event& e) {
  rec_.record(
      clock_(), "event_accepted",
      {{"event", eventName(e.type)}, {"hw_conn", e.conn}, {"bytes", e.bytes}, {"flags", e.flags}},
      "engine events");
}

void TxObserver::recordReleaseUnderDma(const std::string& what) {
  rec_.record(clock_(), "release_under_dma", {{"what", what}}, "offload-target");
}

void TxObserver::recordDma(bool isWrite, uint64_t addr, const uint8_t* data, unsigned len,
                           bool ok) {
  const std::optional<RingHit> hit = rings_ ? rings_(addr) : std::nullopt;
  if (!hit) {
    // Outside the rings the driver has now: logged only when it failed (a
    // stray access, e.g. into a ring the driver already released).
    if (!ok) {
      rec_.record(clock_(), "dma_error", {{"write", isWrite}, {"addr", addr}, {"bytes", len}},
                  "engine dma");
    }
    return;
  }
  const std::string track = "qp " + std::to_string(hit->qp);
  if (hit->sq && !isWrite) {
    json entries = json::array();
    std::vector<uint64_t> nbls;
    for (unsigned off = 0; ok && off + prm::kSqEntryBytes <= len; off += prm::kSqEntryBytes) {
      const prm::Request r = prm::decodeRequest(data + off);
      const uint64_t id = run_.links().idOfTag(r.tag);
      nbls.push_back(id);
      entries.push_back({{"tag", r.tag}, {"nbl", id}, {"hw_conn", r.conn}, {"length", r.length}});
    }
    rec_.record(clock_(), "sq_fetch",
                {{"qp", hit->qp},
                 {"sq_index", hit->index},
                 {"bytes", len},
                 {"ok", ok},
                 {"entries", entries}},
                track, nbls, Flow::kStep);
  } else if (!hit->sq && isWrite) {
    json entries = json::array();
    std::vector<uint64_t> nbls;
    for (unsigned off = 0; ok && off + prm::kCqEntryBytes <= len; off += prm::kCqEntryBytes) {
      const prm::Completion c = prm::decodeCompletion(data + off);
      const uint64_t id = run_.links().idOfTag(c.tag);
      if (id != 0) nbls.push_back(id);
      json e = completionJson(c);
      e["nbl"] = id;
      entries.push_back(e);
    }
    rec_.record(clock_(), "cpl_write",
                {{"qp", hit->qp},
                 {"cq_index", hit->index},
                 {"bytes", len},
                 {"ok", ok},
                 {"entries", entries}},
                track, nbls, Flow::kStep);
  }
}

}  // namespace chimney::tb
