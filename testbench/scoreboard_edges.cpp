// Scoreboard: the per-edge checks, fed by NDIS for every call crossing the
// edge between a binding and the miniport below it: initiating calls pend and
// nothing completes inside them (3), receive completions and indications do
// not nest (11), an IM passes the same pointers (13), keeps its call entries
// and NBL contexts straight (14) and completes to the binding that issued the
// request (15); nothing names a terminated connection (10).
#include <iterator>
#include <string>

#include "scoreboard.h"
#include "scoreboard_state.h"

namespace chimney {

namespace {
bool isRequest(OffloadOp op) {
  return op == OffloadOp::kSend || op == OffloadOp::kReceive || op == OffloadOp::kDisconnect ||
         op == OffloadOp::kForward;
}
}  // namespace

void Scoreboard::State::ImTrack::unindex(uint64_t entry, const NetBufferList* nbl) {
  const auto range = entriesByNbl.equal_range(nbl);
  for (auto e = range.first; e != range.second; ++e) {
    if (e->second == entry) {
      entriesByNbl.erase(e);
      return;
    }
  }
}

void IdRanges::insert(uint64_t id) {
  auto next = ranges_.upper_bound(id);  // first range starting after id
  if (next != ranges_.begin()) {
    auto prev = std::prev(next);
    if (prev->second >= id) return;  // already inside
    if (prev->second + 1 == id) {
      prev->second = id;
      if (next != ranges_.end() && next->first == id + 1) {
        prev->second = next->second;
        ranges_.erase(next);
      }
      return;
    }
  }
  if (next != ranges_.end() && next->first == id + 1) {
    const uint64_t last = next->second;
    ranges_.erase(next);
    ranges_.emplace(id, last);
    return;
  }
  ranges_.emplace(id, id);
}

std::size_t NblPlaces::count() const {
  std::size_t n = 0;
  for (const auto& [nbl, bits] : places_) {
    n += (bits & kDownInside ? 1 : 0) + (bits & kBelow ? 1 : 0) + (bits & kUpInside ? 1 : 0);
  }
  return n;
}

bool IdRanges::contains(uint64_t id) const {
  auto next = ranges_.upper_bound(id);
  return next != ranges_.begin() && std::prev(next)->second >= id;
}

std::string Scoreboard::State::driverName(DriverId d) const {
  auto it = drivers.find(d.value);
  return it == drivers.end() ? "driver " + std::to_string(d.value) : it->second.second;
}

std::string Scoreboard::State::edgeName(NdisBindingHandle b, NdisMiniportHandle m) const {
  auto bd = bindingDriver.find(b.value);
  auto md = miniportDriver.find(m.value);
  std::string upper = bd == bindingDriver.end() ? "?" : driverName(bd->second);
  std::string lower = md == miniportDriver.end() ? "?" : driverName(md->second);
  return "edge " + upper + " -> " + lower;
}

std::string Scoreboard::State::miniportOwner(NdisMiniportHandle m) const {
  auto md = miniportDriver.find(m.value);
  return md == miniportDriver.end() ? "?" : driverName(md->second);
}

std::string Scoreboard::State::holderOf(uint64_t seq) {
  if (seq == holderSeq && seq != 0) return holderName;
  const NetBufferList* held = nullptr;
  for (const auto& [nbl, rec] : live) {
    if (rec.seq == seq) {
      held = nbl;
      break;
    }
  }
  // The bindings it was sent down from: an IM whose lower binding is among
  // them passed it on; the owner of an edge it crossed that did not pass it
  // on (the target, or an IM that kept it) holds it.
  std::unordered_set<uint32_t> issuers;
  for (const auto& [key, crossing] : crossings) {
    if (key.second == held) issuers.insert(crossing.issuer);
  }
  std::string holder;
  for (const auto& [key, crossing] : crossings) {
    if (held == nullptr || key.second != held) continue;
    const NdisMiniportHandle m{key.first};
    const ImTrack* im = imByMiniport(m);
    if (im == nullptr || issuers.count(im->lower.value) == 0) {
      holder = miniportOwner(m);
      break;
    }
  }
  holderSeq = seq;
  holderName = holder;
  return holder;
}

std::string Scoreboard::State::bindingOwner(NdisBindingHandle b) const {
  auto bd = bindingDriver.find(b.value);
  return bd == bindingDriver.end() ? "?" : driverName(bd->second);
}

Scoreboard::State::ImTrack* Scoreboard::State::imBehind(
    const std::map<uint32_t, DriverId>& driverByHandle, uint32_t handle) {
  auto d = driverByHandle.find(handle);
  if (d == driverByHandle.end()) return nullptr;
  auto it = ims.find(d->second.value);
  return it == ims.end() ? nullptr : &it->second;
}

Scoreboard::State::ImTrack* Scoreboard::State::imByMiniport(NdisMiniportHandle m) {
  return memoised(imByMiniportMemo, m.value,
                  [this](uint32_t value) { return imBehind(miniportDriver, value); });
}

Scoreboard::State::ImTrack* Scoreboard::State::imByBinding(NdisBindingHandle b) {
  return memoised(imByBindingMemo, b.value,
                  [this](uint32_t value) { return imBehind(bindingDriver, value); });
}

Scoreboard::State::ImTrack& Scoreboard::State::imTrack(DriverId im) {
  auto [it, fresh] = ims.try_emplace(im.value);
  if (fresh) forgetImMemo();  // a handle that had no IM behind it may have one now
  return it->second;
}

void Scoreboard::State::reportLeakedEntries(const NetBufferList* nbl) {
  for (auto& [id, im] : ims) {
    const auto range = im.entriesByNbl.equal_range(nbl);
    std::vector<uint64_t> leaked;
    for (auto e = range.first; e != range.second; ++e) {
      auto entry = im.entries.find(e->second);
      if (entry != im.entries.end() && entry->second.wentUp) leaked.push_back(e->second);
    }
    for (const uint64_t entry : leaked) {
      const ImTrack::Entry& rec = im.entries.at(entry);
      report(14, "ImCallEntryLifetime", {}, rec.op, nbl,
             driverName(DriverId{id}) + " never freed call entry " + std::to_string(entry) +
                 " of this " + toString(rec.op) + " after its completion went up (allocated at t=" +
                 std::to_string(rec.time) + "); the NBL is being posted again",
             driverName(DriverId{id}));
      im.unindex(entry, nbl);
    }
  }
}

// ---- Topology -----------------------------------------------------------------------------

void Scoreboard::onDriverRegistered(DriverId d, DriverKind kind, const std::string& name) {
  s_->drivers[d.value] = {kind, name};
  // The memo depends on the handle tables and on which IMs exist, not on
  // this table: only a newly named IM clears it (imTrack).
  if (kind == DriverKind::kIntermediate) s_->imTrack(d);
}
void Scoreboard::onMiniportRegistered(NdisMiniportHandle m, DriverId d) {
  s_->miniportDriver[m.value] = d;
  s_->forgetImMemo();
  auto it = s_->ims.find(d.value);
  if (it != s_->ims.end()) it->second.upper = m;
}
void Scoreboard::onBindingOpened(NdisBindingHandle b, ProtocolBindingContext, DriverId d,
                                 NdisMiniportHandle below) {
  s_->bindingDriver[b.value] = d;
  s_->forgetImMemo();
  auto kind = s_->drivers.find(d.value);
  auto lower = s_->miniportDriver.find(below.value);
  if (kind != s_->drivers.end() && kind->second.first == DriverKind::kHostStack &&
      lower != s_->miniportDriver.end()) {
    s_->hostLower = lower->second;
  }
  auto it = s_->ims.find(d.value);
  if (it != s_->ims.end()) it->second.lower = b;
}
void Scoreboard::onOffloadHandleAllocated(NdisOffloadHandle, NdisBindingHandle, ConnectionId) {}

// ---- Down calls ------------------------------------------------------------------------------

void Scoreboard::onDownCallBegin(const EdgeCall& call) {
  State& s = *s_;
  State::ImTrack* imAbove = s.imByMiniport(call.miniport);  // the IM receiving the call
  State::ImTrack* imBelow = s.imByBinding(call.binding);    // the IM issuing the call
  ++s.openDownCalls[call.binding.value];
  if (isRequest(call.op)) {
    ++s.activeInitiating[call.binding.value];
    for (const NetBufferList* nbl = call.nbl; nbl != nullptr; nbl = nbl->next) {
      const State::EdgeNbl key{call.miniport.value, nbl};
      s.crossings[key] = State::Crossing{call.binding.value, nbl->contextStack.size()};
      if (imAbove != nullptr) imAbove->requests.insert(nbl, NblPlaces::kDownInside);
      if (imBelow != nullptr) {
        // (set the new place before clearing the old one: the NBL keeps its node)
        imBelow->requests.insert(nbl, NblPlaces::kBelow);
        const bool received = imBelow->requests.erase(nbl, NblPlaces::kDownInside);
        if (!received) {
          s.report(
              13, "ImSamePointer", call.connection, call.op, nbl,
              s.edgeName(call.binding, call.miniport) + ": IM passed down an NBL it was not given",
              s.bindingOwner(call.binding));
          continue;
        }
        const std::size_t entries = imBelow->liveEntriesOf(nbl);
        if (entries != 1) {
          s.report(14, "ImCallEntryLifetime", call.connection, call.op, nbl,
                   s.edgeName(call.binding, call.miniport) + ": IM propagated the request with " +
                       std::to_string(entries) + " live call entries (expected 1)",
                   s.bindingOwner(call.binding));
        }
      }
    }
  } else if (call.op == OffloadOp::kReceiveReturn) {
    if (imAbove != nullptr) imAbove->returnsAbove.insert(call.nbl);
    if (imBelow != nullptr && imBelow->returnsAbove.count(call.nbl) == 0) {
      s.report(13, "ImSamePointer", call.connection, call.op, call.nbl,
               s.edgeName(call.binding, call.miniport) +
                   ": IM returned down an NBL that was not returned to it",
               s.bindingOwner(call.binding));
    }
  }
}

void Scoreboard::onDownCallEnd(const EdgeCall& call, NdisStatus returned) {
  State& s = *s_;
  // Every down call observed ending was observed beginning (the counts of
  // its edge pair up; checkQuiescent reports the ones never ended).
  auto open = s.openDownCalls.find(call.binding.value);
  if (open == s.openDownCalls.end() || open->second == 0) {
    s.report(3, "DownCallsPaired", call.connection, call.op, call.nbl,
             s.edgeName(call.binding, call.miniport) +
                 ": down call observed ending that was never observed beginning");
  } else if (--open->second == 0) {
    s.openDownCalls.erase(open);
  }
  if (isRequest(call.op)) {
    --s.activeInitiating[call.binding.value];
    if (returned != NdisStatus::kPending) {
      s.report(3, "InitiatingCallPends", call.connection, call.op, call.nbl,
               s.edgeName(call.binding, call.miniport) + ": returned " + toString(returned) +
                   " instead of NDIS_STATUS_PENDING",
               s.miniportOwner(call.miniport));
    }
  } else if (call.op == OffloadOp::kReceiveReturn) {
    if (returned != NdisStatus::kSuccess) {
      s.report(3, "InitiatingCallPends", call.connection, call.op, call.nbl,
               s.edgeName(call.binding, call.miniport) + ": ReceiveReturn returned " +
                   toString(returned) + " (synchronous, returns SUCCESS)",
               s.miniportOwner(call.miniport));
    }
    if (State::ImTrack* im = s.imByMiniport(call.miniport)) im->returnsAbove.erase(call.nbl);
  }
}

// ---- Up calls --------------------------------------------------------------------------------

void Scoreboard::onUpCallBegin(const EdgeCall& call) {
  State& s = *s_;
  State::ImTrack* imAbove = s.imByMiniport(call.miniport);  // the IM calling up (its upper edge)
  State::ImTrack* imBelow = s.imByBinding(call.binding);    // the IM being called (lower edge)
  std::vector<std::pair<uint32_t, uint32_t>> receiveKeys;
  auto enterReceive = [&](ConnectionId c, const NetBufferList* nbl) {
    if (!c.valid()) return;
    const std::pair<uint32_t, uint32_t> key{call.binding.value, c.value};
    for (const auto& k : receiveKeys) {
      if (k == key) return;  // one list may hold several receives of one connection
    }
    if (s.activeReceiveUp[key] > 0) {
      s.report(11, "NoReceiveNesting", c, call.op, nbl,
               s.edgeName(call.binding, call.miniport) +
                   ": receive completion/indication inside another one of the connection",
               s.miniportOwner(call.miniport));
    }
    ++s.activeReceiveUp[key];
    receiveKeys.push_back(key);
  };

  if (s.isTerminated(call.connection)) {
    s.report(10, "NothingAfterTerminate", call.connection, call.op, call.nbl,
             s.edgeName(call.binding, call.miniport) + ": names a terminated connection",
             s.miniportOwner(call.miniport));
  }
  if (isRequest(call.op)) {
    if (s.activeInitiating[call.binding.value] > 0) {
      s.report(3, "InitiatingCallPends", call.connection, call.op, call.nbl,
               s.edgeName(call.binding, call.miniport) +
                   ": completion arrived inside an initiating call",
               s.miniportOwner(call.miniport));
    }
    for (const NetBufferList* nbl = call.nbl; nbl != nullptr; nbl = nbl->next) {
      const State::EdgeNbl key{call.miniport.value, nbl};
      auto who = s.crossings.find(key);
      if (who != s.crossings.end()) {
        const State::Crossing crossing = who->second;
        s.crossings.erase(who);
        if (crossing.issuer != call.binding.value) {
          // (the completing driver chose the binding)
          s.report(15, "ImRoutesToIssuer", call.connection, call.op, nbl,
                   s.edgeName(call.binding, call.miniport) +
                       ": completion delivered to a binding that did not issue the request (" +
                       s.edgeName(NdisBindingHandle{crossing.issuer}, call.miniport) + " did)",
                   s.miniportOwner(call.miniport));
        }
        if (crossing.depth != nbl->contextStack.size()) {
          s.report(14, "ImCallEntryLifetime", call.connection, call.op, nbl,
                   s.edgeName(call.binding, call.miniport) + ": NBL goes up with " +
                       std::to_string(nbl->contextStack.size()) +
                       " context(s), it came down with " + std::to_string(crossing.depth),
                   s.miniportOwner(call.miniport));
        }
      } else if (imBelow != nullptr && s.everPosted.count(nbl) != 0) {
        // A request completed up across this edge without having crossed it
        // down since its last completion: the completing driver completed it
        // twice. Caught here, at the edge it happened on, before the IM
        // above (which holds no call entry for it any more) can misroute it.
        s.report(1, "CompletedExactlyOnce", call.connection, call.op, nbl,
                 s.edgeName(call.binding, call.miniport) +
                     ": completed up again (not outstanding across this edge)",
                 s.miniportOwner(call.miniport));
      }
      if (imAbove != nullptr) {
        const bool fromBelow = imAbove->requests.erase(nbl, NblPlaces::kUpInside);
        const bool failedHere = imAbove->requests.erase(nbl, NblPlaces::kDownInside);
        if (!fromBelow && !failedHere) {
          s.report(13, "ImSamePointer", call.connection, call.op, nbl,
                   s.edgeName(call.binding, call.miniport) +
                       ": IM completed up an NBL it had not been given back",
                   s.miniportOwner(call.miniport));
        }
        const auto range = imAbove->entriesByNbl.equal_range(nbl);
        for (auto e = range.first; e != range.second; ++e) {
          auto entry = imAbove->entries.find(e->second);
          if (entry != imAbove->entries.end()) entry->second.wentUp = true;
        }
      }
      if (imBelow != nullptr) {
        imBelow->requests.insert(nbl, NblPlaces::kUpInside);
        imBelow->requests.erase(nbl, NblPlaces::kBelow);
      }
      if (call.op == OffloadOp::kReceive) {
        auto rec = s.live.find(nbl);
        if (rec != s.live.end()) enterReceive(rec->second.conn, nbl);
      }
    }
  } else if (call.op == OffloadOp::kReceiveIndicate) {
    // An indication starting at the bottom of the stack: a new id for the NBL.
    if (imAbove == nullptr && call.nbl != nullptr) s.nblIds[call.nbl] = ++s.postSeq;
    enterReceive(call.connection, call.nbl);
    if (imBelow != nullptr) ++imBelow->indicationsBelow[call.nbl];
    if (imAbove != nullptr && imAbove->indicationsBelow.count(call.nbl) == 0) {
      s.report(13, "ImSamePointer", call.connection, call.op, call.nbl,
               s.edgeName(call.binding, call.miniport) +
                   ": IM indicated up an NBL that was not indicated to it",
               s.miniportOwner(call.miniport));
    }
  }
  s.upStack.push_back(std::move(receiveKeys));
}

void Scoreboard::onUpCallEnd(const EdgeCall& call, NdisStatus, uint32_t) {
  State& s = *s_;
  if (!s.upStack.empty()) {
    for (const auto& key : s.upStack.back()) --s.activeReceiveUp[key];
    s.upStack.pop_back();
  }
  if (call.op == OffloadOp::kReceiveIndicate) {
    if (State::ImTrack* im = s.imByBinding(call.binding)) {
      auto it = im->indicationsBelow.find(call.nbl);
      if (it != im->indicationsBelow.end() && --it->second <= 0) im->indicationsBelow.erase(it);
    }
  }
}

void Scoreboard::onRoutingError(const EdgeCall& call, const std::string& what) {
  State& s = *s_;
  const bool completion = isRequest(call.op) && !call.handle.valid() && call.miniport.valid();
  const bool notOutstanding = completion && call.nbl != nullptr &&
                              s.everPosted.count(call.nbl) != 0 &&
                              s.crossings.count(State::EdgeNbl{call.miniport.value, call.nbl}) == 0;
  if (notOutstanding) {
    // The NBL already came back up through this miniport: NDIS cannot route
    // it because the driver completed it twice, not because an IM misrouted.
    s.report(1, "CompletedExactlyOnce", call.connection, call.op, call.nbl,
             s.edgeName(call.binding, call.miniport) +
                 ": completed again (not outstanding across this edge); NDIS: " + what,
             s.miniportOwner(call.miniport));
  } else if (completion) {
    s.report(15, "ImRoutesToIssuer", call.connection, call.op, call.nbl,
             s.edgeName(call.binding, call.miniport) + ": " + what, s.miniportOwner(call.miniport));
  } else if (s.isTerminated(call.connection)) {
    s.report(10, "NothingAfterTerminate", call.connection, call.op, call.nbl, what);
  } else {
    s.report(2, "SamePointerSameKind", call.connection, call.op, call.nbl, what);
  }
}

// ---- IM call entries
// -----------------------------------------------------------------------------

void Scoreboard::onCallEntryAllocated(DriverId im, uint64_t entry, NetBufferList* nbl,
                                      OffloadOp op) {
  State::ImTrack& t = s_->imTrack(im);
  auto [it, fresh] = t.entries.try_emplace(entry);
  if (!fresh) t.unindex(entry, it->second.nbl);  // re-allocated while live: replaced
  it->second = State::ImTrack::Entry{nbl, op, false, s_->now()};
  t.entriesByNbl.emplace(nbl, entry);
  t.allocated.insert(entry);
}

void Scoreboard::onCallEntryFreed(DriverId im, uint64_t entry) {
  State& s = *s_;
  State::ImTrack& t = s.imTrack(im);
  auto it = t.entries.find(entry);
  if (it == t.entries.end()) {
    s.report(14, "ImCallEntryLifetime", {}, OffloadOp::kSend, nullptr,
             s.driverName(im) + " freed call entry " + std::to_string(entry) +
                 (t.allocated.contains(entry) ? " twice" : " that was never allocated"),
             s.driverName(im));
    return;
  }
  if (!it->second.wentUp) {
    s.report(14, "ImCallEntryLifetime", {}, it->second.op, it->second.nbl,
             s.driverName(im) + " freed call entry " + std::to_string(entry) +
                 " before its upward completion",
             s.driverName(im));
  }
  t.unindex(entry, it->second.nbl);
  t.entries.erase(it);
}

}  // namespace chimney

// ---- The C driver interface ------------------------------------------------------------------

namespace chimney {

void Scoreboard::onDriverViolation(int invariant, DriverId driver, OffloadOp op, NetBufferList* nbl,
                                   const std::string& what) {
  static constexpr const char* kChecks[] = {
      "",
      "CompletedExactlyOnce",
      "SamePointerSameKind",
      "InitiatingCallPends",
      "StatusAndBytesValid",
      "SendCompletionOrder",
      "ReceiveOrderAndBytes",
      "EveryReceiveCompleted",
      "SendsBeforeDisconnect",
      "NoSuccessAfterAbort",
      "NothingAfterTerminate",
      "NoReceiveNesting",
      "IndicatedNblReturnedOnce",
      "ImSamePointer",
      "ImCallEntryLifetime",
      "ImRoutesToIssuer",
      "QuiescentAndRingsAgree",
  };
  const int i = invariant >= 1 && invariant <= 16 ? invariant : 16;
  State& s = *s_;
  const std::string who = driver.valid() ? s.driverName(driver) + ": " : std::string();
  s.report(i, kChecks[i], {}, op, nbl, who + what, driver.valid() ? s.driverName(driver) : "");
}

}  // namespace chimney
