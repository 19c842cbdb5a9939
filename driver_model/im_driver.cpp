#include "im_driver.h"

namespace chimney {

ImDriver::ImDriver(Ndis& ndis, const std::string& name, NdisMiniportHandle below,
                   StackObserver* observer, CallEntryLookup lookup)
    : ndis_(ndis), observer_(observer), lookup_(lookup) {
  driver_ = ndis_.NdisRegisterDriver(DriverKind::kIntermediate, name);
  miniport_ = ndis_.NdisMRegisterMiniport(driver_, *this);
  lowerBinding_ = ndis_.NdisOpenAdapter(driver_, *this, ProtocolBindingContext{1}, below);
}

ImTables ImDriver::tables() const {
  ImTables t;
  t.callEntries = entries_.size();
  t.entriesByNbl = entryByNbl_.size();
  t.connections = conns_.size();
  t.lowerHandles = upperOf_.size();
  t.blocks = blocks_.size();
  t.heldSends = heldSends();
  return t;
}

std::size_t ImDriver::heldSends() const {
  std::size_t n = 0;
  for (const auto& [handle, conn] : conns_) n += conn.heldSends.size();
  return n;
}

ImDriver::Connection* ImDriver::findUpper(NdisOffloadHandle handle) {
  auto it = conns_.find(handle);
  return it == conns_.end() ? nullptr : &it->second;
}

ImDriver::Connection* ImDriver::findLower(NdisOffloadHandle handle) {
  auto it = upperOf_.find(handle);
  return it == upperOf_.end() ? nullptr : findUpper(it->second);
}

// ---- Connection offload and upload --------------------------------------------------

void ImDriver::MiniportInitiateOffload(OffloadBlock* block) {
  // The block is reused on the way down (as an NBL is): only the offload
  // handle changes, and it is restored before the block goes back up.
  NdisOffloadHandle lower = ndis_.NdisAllocateOffloadHandle(lowerBinding_, block->connection);
  blocks_[block] = BlockEntry{block->handle};
  block->handle = lower;
  ndis_.NdisInitiateOffload(lowerBinding_, block);
}

void ImDriver::ProtocolInitiateOffloadComplete(ProtocolBindingContext, OffloadBlock* block) {
  auto it = blocks_.find(block);
  if (it == blocks_.end()) return;  // not ours: nothing to route it by
  NdisOffloadHandle upper = it->second.upperHandle;
  blocks_.erase(it);
  NdisOffloadHandle lower = block->handle;
  block->handle = upper;
  if (block->status == NdisStatus::kSuccess) {
    Connection conn;
    conn.upperHandle = upper;
    conn.lowerHandle = lower;
    conn.connection = block->connection;
    conns_[upper] = conn;
    upperOf_[lower] = upper;
  } else {
    ndis_.NdisFreeOffloadHandle(lower);
  }
  ndis_.NdisMInitiateOffloadComplete(miniport_, block);
}

void ImDriver::MiniportTerminateOffload(OffloadBlock* block) {
  Connection* conn = findUpper(block->handle);
  if (conn == nullptr) {
    block->status = NdisStatus::kInvalidParameter;
    ndis_.NdisMTerminateOffloadComplete(miniport_, block);
    return;
  }
  blocks_[block] = BlockEntry{block->handle};
  block->handle = conn->lowerHandle;
  ndis_.NdisTerminateOffload(lowerBinding_, block);
}

void ImDriver::ProtocolTerminateOffloadComplete(ProtocolBindingContext, OffloadBlock* block) {
  auto it = blocks_.find(block);
  if (it == blocks_.end()) return;
  NdisOffloadHandle upper = it->second.upperHandle;
  if (faults_.keepTerminateBlocks) {
    ++faults_.applied.keepTerminateBlocks;
  } else {
    blocks_.erase(it);
  }
  NdisOffloadHandle lower = block->handle;
  block->handle = upper;
  // Everything below has completed; sends this IM failed itself go up
  // before the terminate completion (nothing may name the connection after).
  flushHeldSends(upper, /*force=*/true);
  conns_.erase(upper);
  upperOf_.erase(lower);
  ndis_.NdisFreeOffloadHandle(lower);
  ndis_.NdisMTerminateOffloadComplete(miniport_, block);
}

// ---- Requests down ------------------------------------------------------------------

bool ImDriver::allocateCallEntry(OffloadOp op, NetBufferList* nbl, NdisOffloadHandle upper,
                                 NetBufferList** lower) {
  if (op == OffloadOp::kSend && faults_.failSendCallEntries > 0) {
    --faults_.failSendCallEntries;
    ++faults_.applied.failSendCallEntries;
    return false;
  }
  const uint64_t id = nextEntryId_++;
  CallEntry entry;
  entry.op = op;
  entry.upperNbl = nbl;
  entry.lowerNbl = nbl;
  entry.savedSourceHandle = nbl->sourceHandle;
  entry.upperHandle = upper;
  if (op == OffloadOp::kSend && faults_.substituteSendNbl) {
    NetBufferList* copy = shadowPool_.allocate(nbl->firstNetBuffer->dataLength,
                                               nbl->firstNetBuffer->currentAddress());
    copy->tcpReceiveNoPush = nbl->tcpReceiveNoPush;
    entry.lowerNbl = copy;
    ++faults_.applied.substituteSendNbl;
  }
  *lower = entry.lowerNbl;
  entries_[id] = entry;
  if (observer_ != nullptr) observer_->onCallEntryAllocated(driver_, id, nbl, op);
  if (lookup_ == CallEntryLookup::kNblContext) {
    NdisAllocateNetBufferListContext(entry.lowerNbl, driver_, id);
  } else {
    entryByNbl_[entry.lowerNbl] = id;
  }
  return true;
}

NdisStatus ImDriver::tcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* list,
                                uint32_t flags) {
  Connection* conn = findUpper(handle);
  if (conn == nullptr) return NdisStatus::kInvalidParameter;
  // The NBLs passed down are linked as they are taken (no vector per
  // request); a lower NBL may be the upper one itself, so each upper NBL's
  // successor is read before its link changes.
  NblListBuilder down;
  std::vector<NetBufferList*> failed;
  bool failing = conn->uploadRequested;
  NetBufferList* next = nullptr;
  for (NetBufferList* nbl = list; nbl != nullptr; nbl = next) {
    next = nbl->next;
    // Once one send of a connection fails, every later one fails too, so the
    // per-connection completion order holds.
    if (op == OffloadOp::kSend && failing) {
      failed.push_back(nbl);
      continue;
    }
    NetBufferList* lower = nullptr;
    if (!allocateCallEntry(op, nbl, handle, &lower)) {
      failing = true;
      failed.push_back(nbl);
      continue;
    }
    down.append(lower);
  }
  for (NetBufferList* nbl : failed) {
    nbl->status = conn->uploadRequested ? NdisStatus::kUploadRequested : NdisStatus::kRequestUpload;
    conn->uploadRequested = true;
    nbl->tcpOffloadBytesTransferred = 0;
    conn->heldSends.push_back(nbl);
  }
  NdisStatus status = NdisStatus::kPending;
  if (down.head != nullptr) {
    if (op == OffloadOp::kSend) conn->sendsBelow += down.count;
    status = ndis_.NdisOffloadTcpRequest(op, conn->lowerHandle, down.head, flags);
  }
  if (!failed.empty()) {
    if (faults_.completeFailuresInline) {
      ++faults_.applied.completeFailuresInline;
      flushHeldSends(handle, /*force=*/false);
    } else {
      ndis_.NdisQueueIoWorkItem([this, handle] { flushHeldSends(handle, /*force=*/false); });
    }
  }
  return status;
}

NdisStatus ImDriver::MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) {
  return ndis_.NdisOffloadTcpReceiveReturn(lowerBinding_, nbl);
}

// ---- Completions up ---------------------------------------------------------------------

NetBufferList* ImDriver::takeCallEntry(NetBufferList* lower, OffloadOp op, uint64_t* entryId) {
  uint64_t id = 0;
  if (lookup_ == CallEntryLookup::kNblContext) {
    NblContext ctx;
    if (faults_.keepContextPushed) {
      if (!lower->contextStack.empty() && lower->contextStack.back().owner == driver_) {
        ctx = lower->contextStack.back();
        ++faults_.applied.keepContextPushed;
      }
    } else {
      ctx = NdisFreeNetBufferListContext(lower, driver_);
    }
    if (ctx.owner.valid()) id = ctx.value;
  } else {
    auto it = entryByNbl_.find(lower);
    if (it != entryByNbl_.end()) {
      id = it->second;
      entryByNbl_.erase(it);
    }
  }
  *entryId = id;
  auto it = entries_.find(id);
  if (it == entries_.end()) return lower;  // no entry: pass what came up, the checks report it
  const CallEntry& entry = it->second;
  NetBufferList* upper = entry.upperNbl;
  if (entry.lowerNbl != upper) {
    NetBuffer& from = *entry.lowerNbl->firstNetBuffer;
    upper->status = entry.lowerNbl->status;
    upper->tcpOffloadBytesTransferred = entry.lowerNbl->tcpOffloadBytesTransferred;
    upper->firstNetBuffer->dataOffset += from.dataOffset;
    upper->firstNetBuffer->dataLength = from.dataLength;
    entry.lowerNbl->contextStack.clear();
    shadowPool_.free(entry.lowerNbl);
  }
  if (faults_.misrouteCompletionsTo.valid()) {
    upper->sourceHandle = faults_.misrouteCompletionsTo;
    ++faults_.applied.misrouteCompletions;
  } else if (!faults_.skipSourceHandleRestore) {
    upper->sourceHandle = entry.savedSourceHandle;
  } else if (upper->sourceHandle != entry.savedSourceHandle) {
    ++faults_.applied.skipSourceHandleRestore;
  }
  if (op == OffloadOp::kSend) {
    if (Connection* conn = findUpper(entry.upperHandle)) {
      if (conn->sendsBelow > 0) --conn->sendsBelow;
    }
  }
  return upper;
}

void ImDriver::freeCallEntry(uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (faults_.leakCallEntries) {
    ++faults_.applied.leakCallEntries;
    return;
  }
  if (faults_.leakReceiveCallEntries && it->second.op == OffloadOp::kReceive) {
    ++faults_.applied.leakReceiveCallEntries;
    return;
  }
  entries_.erase(id);
  if (observer_ != nullptr) observer_->onCallEntryFreed(driver_, id);
  if (faults_.doubleFreeCallEntries && observer_ != nullptr) {
    observer_->onCallEntryFreed(driver_, id);
    ++faults_.applied.doubleFreeCallEntries;
  }
}

void ImDriver::completeUp(OffloadOp op, NetBufferList* list) {
  ndis_.NdisTcpOffloadRequestComplete(op, miniport_, list);
}

void ImDriver::flushHeldSends(NdisOffloadHandle upper, bool force) {
  Connection* conn = findUpper(upper);
  if (conn == nullptr || conn->heldSends.empty()) return;
  if (conn->sendsBelow > 0 && !force) return;  // they go up after the sends below
  std::vector<NetBufferList*> held;
  held.swap(conn->heldSends);
  completeUp(OffloadOp::kSend, nblListFromVector(held));
}

void ImDriver::tcpCompleted(OffloadOp op, NetBufferList* list) {
  // Scratch vectors reused from call to call (a call per completion list;
  // completeUp() may lead to another one before this one ends).
  const Spares<CompletionScratch>::Lease scratch = completionScratch_.take();
  std::vector<NetBufferList*>& up = scratch->up;
  std::vector<uint64_t>& ids = scratch->ids;
  std::vector<NdisOffloadHandle>& touched = scratch->touched;
  up.clear();
  ids.clear();
  touched.clear();
  NetBufferList* next = nullptr;
  for (NetBufferList* lower = list; lower != nullptr; lower = next) {
    next = lower->next;
    uint64_t id = 0;
    NetBufferList* upper = takeCallEntry(lower, op, &id);
    auto it = entries_.find(id);
    if (it != entries_.end()) touched.push_back(it->second.upperHandle);
    up.push_back(upper);
    ids.push_back(id);
  }
  // A disconnect completes after every send posted before it: sends this IM
  // failed itself go up first.
  if (op == OffloadOp::kDisconnect) {
    for (NdisOffloadHandle h : touched) flushHeldSends(h, /*force=*/false);
  }
  completeUp(op, nblListFromVector(up));
  for (uint64_t id : ids) freeCallEntry(id);
  if (op == OffloadOp::kSend) {
    for (NdisOffloadHandle h : touched) flushHeldSends(h, /*force=*/false);
  }
}

// ---- Indications and events up -----------------------------------------------------------

NdisStatus ImDriver::ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext,
                                                       NdisOffloadHandle handle, NetBufferList* nbl,
                                                       NdisStatus status, uint32_t* bytesConsumed) {
  Connection* conn = findLower(handle);
  if (conn == nullptr) {
    *bytesConsumed = 0;
    return NdisStatus::kOffloadDataNotAccepted;
  }
  return ndis_.NdisTcpOffloadReceiveHandler(conn->upperHandle, nbl, status, bytesConsumed);
}

void ImDriver::ProtocolTcpOffloadEvent(ProtocolBindingContext, NdisOffloadHandle handle,
                                       OffloadEvent event, uint32_t info) {
  Connection* conn = findLower(handle);
  if (conn == nullptr) return;
  ndis_.NdisTcpOffloadEventHandler(conn->upperHandle, event, info);
}

}  // namespace chimney
