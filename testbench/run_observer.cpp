#include "run_observer.h"

#include <cstdio>

namespace chimney::tb {

const char* kindName(OffloadOp op) {
  switch (op) {
    case OffloadOp::kReceiveIndicate:
      return "indication";
    case OffloadOp::kReceiveReturn:
      return "receive-return";
    case OffloadOp::kInitiateOffload:
      return "offload";
    case OffloadOp::kTerminateOffload:
      return "terminate";
    default:
      return toString(op);  // send, receive, disconnect, forward, event
  }
}

std::string statusName(NdisStatus status) {
  std::string name = toString(status);
  for (const std::string prefix : {"NDIS_STATUS_", "OFFLOAD_DATA_"}) {
    if (name.compare(0, prefix.size(), prefix) == 0) name.erase(0, prefix.size());
  }
  if (name != "<unknown>") return name;
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", unsigned(status));
  return hex;
}

RunObserver::RunObserver(Scoreboard& scoreboard, RunReport& report, Clock clock)
    : PassOnObserver(scoreboard), sb_(scoreboard), report_(report), clock_(std::move(clock)) {}

void RunObserver::onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) {
  const uint64_t now = clock_();
  uint64_t& posted = postedCount(op);
  for (NetBufferList* nbl = list; nbl != nullptr; nbl = nbl->next) {
    ++posted;
    postedAt_[nbl] = now;
  }
  sb_.onHostPost(c, op, list, flags);
}

void RunObserver::onHostCompletion(OffloadOp op, NetBufferList* list) {
  const uint64_t now = clock_();
  // The scoreboard sees the list first, as the host does; the NBLs stay
  // valid until the host's callback has returned.
  sb_.onHostCompletion(op, list);
  // One lookup per list (and per change of status), not per NBL; the
  // report's entries, once made, are remembered (a map's entries stay put).
  LatencyStats* latency = nullptr;  // created with its first sample
  uint64_t* count = nullptr;
  NdisStatus counted = NdisStatus::kSuccess;
  for (NetBufferList* nbl = list; nbl != nullptr; nbl = nbl->next) {
    ++completions_;
    if (count == nullptr || nbl->status != counted) {
      counted = nbl->status;
      count = &completedCount(op, counted);
    }
    ++*count;
    auto it = postedAt_.find(nbl);
    if (it != postedAt_.end()) {
      if (latency == nullptr) latency = &latencyOf(op);
      latency->add(now - it->second);
      postedAt_.erase(it);
    }
  }
}

uint64_t& RunObserver::postedCount(OffloadOp op) {
  const std::size_t i = std::size_t(op);
  if (i >= kOps) return report_.posted[kindName(op)]["posted"];
  if (posted_[i] == nullptr) posted_[i] = &report_.posted[kindName(op)]["posted"];
  return *posted_[i];
}

uint64_t& RunObserver::completedCount(OffloadOp op, NdisStatus status) {
  for (const CompletedCount& c : completed_) {
    if (c.op == op && c.status == status) return *c.count;
  }
  uint64_t& count = report_.completed[kindName(op)][statusName(status)];
  completed_.push_back(CompletedCount{op, status, &count});
  return count;
}

LatencyStats& RunObserver::latencyOf(OffloadOp op) {
  const std::size_t i = std::size_t(op);
  if (i >= kOps) return report_.latency[kindName(op)];
  if (latency_[i] == nullptr) latency_[i] = &report_.latency[kindName(op)];
  return *latency_[i];
}

void RunObserver::onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned qp,
                                  uint32_t sqIndex) {
  const uint64_t id = sb_.nblId(nbl);
  links_.queued(id, tag, qp, sqIndex);
  if (namingTags_) {
    const uint64_t now = clock_();
    if (now >= tagsFrom_ && now <= tagsTo_) {
      const ConnectionId conn = sb_.connectionOf(nbl);
      tagNames_[tag] = "nbl#" + std::to_string(id) + " " + kindName(op) +
                       (conn.valid() ? " conn " + std::to_string(conn.value) : "");
    }
  }
  sb_.onRequestQueued(nbl, op, tag, qp, sqIndex);
}

void RunObserver::onDescriptorRead(unsigned qp, uint32_t cqIndex, const prm::Completion& c) {
  links_.descriptorRead(c.tag, cqIndex);
  sb_.onDescriptorRead(qp, cqIndex, c);
}

void RunObserver::onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) {
  ++indications_;
  const char* outcome = s == NdisStatus::kSuccess                        ? "accepted"
                        : s == NdisStatus::kOffloadDataPartiallyAccepted ? "partly-accepted"
                        : s == NdisStatus::kOffloadDataNotAccepted       ? "refused"
                                                                         : "other";
  report_.countEvent("indication", outcome);
  sb_.onHostIndication(c, nbl, s, n);
}

void RunObserver::onHostEvent(ConnectionId c, OffloadEvent e) {
  ++events_;
  report_.countEvent("event", e == OffloadEvent::kDisconnect ? "peer-fin" : "peer-rst");
  sb_.onHostEvent(c, e);
}

void RunObserver::onHostTerminateComplete(ConnectionId c, NdisStatus s) {
  ++terminates_;
  hwConns_.erase(c.value);  // a terminated connection has no hardware connection
  report_.countEvent("terminate", statusName(s));
  sb_.onHostTerminateComplete(c, s);
}

}  // namespace chimney::tb
