#include "driver_runtime.h"

#include <algorithm>
#include <cstring>

#include "c_adapter.h"

namespace chimney::abi {

DriverRuntime::DriverRuntime() = default;

void DriverRuntime::attach(Ndis& ndis, StackObserver* observer) {
  ndis_ = &ndis;
  observer_ = observer;
}

NdisMiniportHandle DriverRuntime::addIm(DriverLibrary& library, NdisMiniportHandle below) {
  adapters_.push_back(std::make_unique<CAdapter>(*this, library, library.adapters++));
  CAdapter& adapter = *adapters_.back();
  adapter.start(below);
  return adapter.miniportHandle();
}

NdisMiniportHandle DriverRuntime::addTarget(DriverLibrary& library) {
  adapters_.push_back(std::make_unique<CAdapter>(*this, library, library.adapters++));
  target_ = adapters_.back().get();
  target_->startTarget();
  return target_->miniportHandle();
}

const char* DriverRuntime::activeOperation() const {
  return active_.empty() ? "DriverEntry" : active_.back().operation;
}

// ---- Handles ------------------------------------------------------------------------------------

HandleRecord* DriverRuntime::newRecord(HandleKind kind, CAdapter* adapter, uint32_t value) {
  records_.push_back(std::make_unique<HandleRecord>());
  HandleRecord* r = records_.back().get();
  r->kind = kind;
  r->runtime = this;
  r->adapter = adapter;
  r->library = adapter == nullptr ? nullptr : &adapter->library();
  r->value = value;
  return r;
}

HandleRecord* DriverRuntime::bindingRecord(NdisBindingHandle binding) {
  auto it = bindingRecords_.find(binding.value);
  if (it != bindingRecords_.end()) return it->second;
  HandleRecord* r = newRecord(HandleKind::kBinding, nullptr, binding.value);
  bindingRecords_[binding.value] = r;
  bindingPointers_.insert(r);
  return r;
}

NdisBindingHandle DriverRuntime::bindingOf(NDIS_HANDLE handle) const {
  if (handle == nullptr) return {};
  if (bindingPointers_.count(handle) == 0) return NdisBindingHandle{0xFFFFFFFFu};  // not one
  return NdisBindingHandle{static_cast<const HandleRecord*>(handle)->value};
}

HandleRecord* DriverRuntime::offloadRecord(NdisOffloadHandle handle, CAdapter* receiver) {
  auto it = offloadRecords_.find(handle.value);
  if (it != offloadRecords_.end()) return it->second;
  HandleRecord* r = newRecord(HandleKind::kOffload, receiver, handle.value);
  offloadRecords_[handle.value] = r;
  return r;
}

HandleRecord* DriverRuntime::findOffloadRecord(NdisOffloadHandle handle) const {
  auto it = offloadRecords_.find(handle.value);
  return it == offloadRecords_.end() ? nullptr : it->second;
}

// ---- NBL shadows --------------------------------------------------------------------------------

ShadowNbl* DriverRuntime::shadowOf(NetBufferList* nbl) {
  auto it = shadows_.find(nbl);
  if (it != shadows_.end()) return it->second.get();
  auto s = std::make_unique<ShadowNbl>();
  s->runtime = this;
  s->cpp = nbl;
  s->self = &s->c;
  s->c.NdisReserved[0] = s.get();
  s->c.FirstNetBuffer = &s->nb;
  s->context.ContextData = s->contextData.data();
  s->context.Size = static_cast<USHORT>(kContextBytes);
  s->context.Offset = static_cast<USHORT>(kContextBytes);
  s->c.Context = &s->context;
  ShadowNbl* raw = s.get();
  shadows_[nbl] = std::move(s);
  return raw;
}

ShadowNbl* DriverRuntime::shadowOfC(NET_BUFFER_LIST* nbl) {
  auto* rec = static_cast<ShadowNbl*>(nbl->NdisReserved[0]);
  if (rec != nullptr && rec->magic == kShadowMagic && rec->self == nbl) return rec;
  auto it = foreign_.find(nbl);
  if (it != foreign_.end()) return it->second.get();
  // An NBL a driver made itself (a copy of one it was given, say): NDIS
  // gives it a C++ NBL of its own, so every check sees a different pointer.
  auto s = std::make_unique<ShadowNbl>();
  s->runtime = this;
  s->foreign = true;
  s->self = nbl;
  s->foreignNbl = nbl;
  const NET_BUFFER* nb = nbl->FirstNetBuffer;
  const uint64_t address =
      nb != nullptr && nb->MdlChain != nullptr ? CHIMNEY_MDL_BUS_ADDRESS(nb->MdlChain) : 0;
  s->cpp = foreignPool_.allocate(nb == nullptr ? 0 : nb->DataLength, address);
  s->context.ContextData = s->contextData.data();
  s->context.Size = static_cast<USHORT>(kContextBytes);
  s->context.Offset = static_cast<USHORT>(kContextBytes);
  nbl->Context = &s->context;
  nbl->NdisReserved[0] = s.get();
  ShadowNbl* raw = s.get();
  foreignTwins_[raw->cpp] = raw;
  foreign_[nbl] = std::move(s);
  return raw;
}

void DriverRuntime::forgetForeign(NET_BUFFER_LIST* nbl) {
  auto it = foreign_.find(nbl);
  if (it == foreign_.end()) return;
  foreignTwins_.erase(it->second->cpp);
  foreignPool_.free(it->second->cpp);
  foreign_.erase(it);
}

void DriverRuntime::syncToC(ShadowNbl& s) {
  NET_BUFFER_LIST& c = *s.self;
  const NetBufferList& n = *s.cpp;
  c.Status = static_cast<NDIS_STATUS>(static_cast<uint32_t>(n.status));
  c.NetBufferListInfo[TcpOffloadBytesTransferred] =
      reinterpret_cast<PVOID>(static_cast<uintptr_t>(n.tcpOffloadBytesTransferred));
  c.NetBufferListInfo[TcpReceiveNoPush] =
      reinterpret_cast<PVOID>(static_cast<uintptr_t>(n.tcpReceiveNoPush ? 1 : 0));
  for (std::size_t i = 0; i < 4; ++i) {
    c.ProtocolReserved[i] = reinterpret_cast<PVOID>(static_cast<uintptr_t>(n.protocolReserved[i]));
  }
  for (std::size_t i = 0; i < 2; ++i) {
    c.MiniportReserved[i] = reinterpret_cast<PVOID>(static_cast<uintptr_t>(n.miniportReserved[i]));
  }
  c.Scratch = reinterpret_cast<PVOID>(static_cast<uintptr_t>(n.scratch));
  c.SourceHandle = n.sourceHandle.valid() ? bindingRecord(n.sourceHandle) : nullptr;
  if (s.foreign) return;  // the driver's own NET_BUFFER stays the driver's
  const NetBuffer& from = *n.firstNetBuffer;
  s.nb.DataOffset = from.dataOffset;
  s.nb.DataLength = from.dataLength;
  s.mdls.resize(from.mdlChain.size());
  uint32_t skip = from.dataOffset;
  s.nb.CurrentMdl = nullptr;
  s.nb.CurrentMdlOffset = 0;
  for (std::size_t i = 0; i < s.mdls.size(); ++i) {
    MDL& m = s.mdls[i];
    m = MDL{};
    m.Next = i + 1 < s.mdls.size() ? &s.mdls[i + 1] : nullptr;
    m.MappedSystemVa = reinterpret_cast<PVOID>(static_cast<uintptr_t>(from.mdlChain[i].address));
    m.StartVa = m.MappedSystemVa;
    m.ByteCount = from.mdlChain[i].byteCount;
    if (s.nb.CurrentMdl == nullptr) {
      if (skip < m.ByteCount) {
        s.nb.CurrentMdl = &m;
        s.nb.CurrentMdlOffset = skip;
      } else {
        skip -= m.ByteCount;
      }
    }
  }
  s.nb.MdlChain = s.mdls.empty() ? nullptr : s.mdls.data();
  c.FirstNetBuffer = &s.nb;
}

void DriverRuntime::syncFromC(ShadowNbl& s) {
  const NET_BUFFER_LIST& c = *s.self;
  NetBufferList& n = *s.cpp;
  n.status = static_cast<NdisStatus>(static_cast<uint32_t>(c.Status));
  n.tcpOffloadBytesTransferred = static_cast<uint32_t>(
      reinterpret_cast<uintptr_t>(c.NetBufferListInfo[TcpOffloadBytesTransferred]));
  n.tcpReceiveNoPush = reinterpret_cast<uintptr_t>(c.NetBufferListInfo[TcpReceiveNoPush]) != 0;
  for (std::size_t i = 0; i < 4; ++i) {
    n.protocolReserved[i] = reinterpret_cast<uintptr_t>(c.ProtocolReserved[i]);
  }
  for (std::size_t i = 0; i < 2; ++i) {
    n.miniportReserved[i] = reinterpret_cast<uintptr_t>(c.MiniportReserved[i]);
  }
  n.scratch = reinterpret_cast<uintptr_t>(c.Scratch);
  n.sourceHandle = bindingOf(c.SourceHandle);
  if (c.FirstNetBuffer != nullptr) {
    n.firstNetBuffer->dataOffset = c.FirstNetBuffer->DataOffset;
    n.firstNetBuffer->dataLength = c.FirstNetBuffer->DataLength;
  }
}

NET_BUFFER_LIST* DriverRuntime::toC(NetBufferList* list) {
  NET_BUFFER_LIST* head = nullptr;
  NET_BUFFER_LIST** link = &head;
  for (NetBufferList* n = list; n != nullptr; n = n->next) {
    auto twin = foreignTwins_.find(n);
    ShadowNbl* s = twin != foreignTwins_.end() ? twin->second : shadowOf(n);
    syncToC(*s);
    *link = s->self;
    link = &s->self->Next;
  }
  *link = nullptr;
  return head;
}

NetBufferList* DriverRuntime::fromC(NET_BUFFER_LIST* list) {
  NetBufferList* head = nullptr;
  NetBufferList** link = &head;
  for (NET_BUFFER_LIST* c = list; c != nullptr; c = c->Next) {
    ShadowNbl* s = shadowOfC(c);
    syncFromC(*s);
    *link = s->cpp;
    link = &s->cpp->next;
  }
  *link = nullptr;
  return head;
}

// ---- NBL contexts and call entries --------------------------------------------------------------

NDIS_STATUS DriverRuntime::pushContext(NET_BUFFER_LIST* nbl, USHORT size, USHORT backFill) {
  CAdapter* adapter = activeAdapter();
  if (adapter == nullptr) return NDIS_STATUS_FAILURE;
  ShadowNbl* s = shadowOfC(nbl);
  const uint32_t total = (uint32_t(size) + backFill + 7u) & ~7u;
  if (total == 0 || total > s->context.Offset) return NDIS_STATUS_RESOURCES;
  s->context.Offset = static_cast<USHORT>(s->context.Offset - total);
  std::memset(s->contextData.data() + s->context.Offset, 0, total);
  s->pushes.emplace_back(adapter->driverId(), static_cast<USHORT>(total));
  uint64_t entry = 0;
  auto& pending = unbound_[adapter];
  if (!active_.back().request || pending.empty()) {
    chimney::NdisAllocateNetBufferListContext(s->cpp, adapter->driverId(), 0);
    return NDIS_STATUS_SUCCESS;
  }
  // The block allocated just before is the call entry this context holds.
  entry = pending.back();
  pending.pop_back();
  blocks_[entry].callEntry = true;
  chimney::NdisAllocateNetBufferListContext(s->cpp, adapter->driverId(), entry);
  if (observer_ != nullptr) {
    observer_->onCallEntryAllocated(adapter->driverId(), entry, s->cpp, active_.back().op);
  }
  return NDIS_STATUS_SUCCESS;
}

void DriverRuntime::popContext(NET_BUFFER_LIST* nbl, USHORT) {
  CAdapter* adapter = activeAdapter();
  ShadowNbl* s = shadowOfC(nbl);
  if (adapter == nullptr || s->pushes.empty() || s->pushes.back().first != adapter->driverId()) {
    misuse(adapter, 14, OffloadOp::kSend, s->cpp,
           "freed an NBL context it had not pushed (or not on top)");
    return;
  }
  s->context.Offset = static_cast<USHORT>(s->context.Offset + s->pushes.back().second);
  s->pushes.pop_back();
  chimney::NdisFreeNetBufferListContext(s->cpp, adapter->driverId());
}

void DriverRuntime::requestHandled(CAdapter* adapter) {
  unbound_[adapter].clear();
}

// ---- Pool memory
// ---------------------------------------------------------------------------------

PVOID DriverRuntime::allocateMemory(HandleRecord* owner, UINT length, ULONG tag) {
  if (length == 0) return nullptr;
  const uint64_t id = nextBlock_++;
  Block b;
  b.storage = std::make_unique<unsigned char[]>(sizeof(MemoryHeader) + length);  // zeroed
  b.length = length;
  b.tag = tag;
  b.adapter = owner->adapter != nullptr ? owner->adapter : activeAdapter();
  b.owner = b.adapter != nullptr ? b.adapter->name()
                                 : (owner->library != nullptr ? owner->library->name : "driver");
  b.operation = activeOperation();
  auto* header = new (b.storage.get()) MemoryHeader();
  header->length = length;
  header->runtime = this;
  header->id = id;
  PVOID user = b.storage.get() + sizeof(MemoryHeader);
  if (!active_.empty() && active_.back().request && active_.back().adapter == b.adapter) {
    unbound_[b.adapter].push_back(id);
  }
  blocks_.emplace(id, std::move(b));
  return user;
}

void DriverRuntime::freeMemory(MemoryHeader* header, UINT) {
  const uint64_t id = header->id;
  auto it = blocks_.find(id);
  if (it == blocks_.end()) return;  // a second free of the same block: nothing left to free
  Block& b = it->second;
  if (b.callEntry && observer_ != nullptr && b.adapter != nullptr) {
    observer_->onCallEntryFreed(b.adapter->driverId(), id);
  }
  for (auto& [adapter, pending] : unbound_) {
    pending.erase(std::remove(pending.begin(), pending.end(), id), pending.end());
  }
  header->magic = 0;
  blocks_.erase(it);
}

// ---- Reports
// ---------------------------------------------------------------------------------------

std::string tagText(ULONG tag) {
  std::string t;
  for (int i = 0; i < 4; ++i) {
    const char ch = static_cast<char>((tag >> (8 * i)) & 0xFF);
    t += (ch >= 0x20 && ch < 0x7F) ? ch : '?';
  }
  return t;
}

void DriverRuntime::misuse(CAdapter* adapter, int invariant, OffloadOp op, NetBufferList* nbl,
                           const std::string& what) {
  if (observer_ == nullptr) return;
  observer_->onDriverViolation(invariant, adapter == nullptr ? DriverId{} : adapter->driverId(), op,
                               nbl, what);
}

void DriverRuntime::checkAtEnd() {
  // Top layer first, as NDIS halts a stack.
  for (auto it = adapters_.rbegin(); it != adapters_.rend(); ++it) (*it)->halt();
  std::vector<uint64_t> ids;
  for (const auto& [id, b] : blocks_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (uint64_t id : ids) {
    const Block& b = blocks_.at(id);
    // An IM's pool memory is its call entries (14); a target's is its own (16).
    misuse(b.adapter, b.adapter != nullptr && b.adapter == target_ ? 16 : 14, OffloadOp::kSend,
           nullptr,
           (b.adapter != nullptr ? std::string() : b.owner + ": ") + "still holds " +
               std::to_string(b.length) + " bytes of pool memory, tag '" + tagText(b.tag) +
               "', allocated during " + b.operation);
  }
  if (target_ != nullptr && target_->targetHardware() != nullptr) {
    for (const std::string& leak : target_->targetHardware()->leaks()) {
      misuse(target_, 16, OffloadOp::kSend, nullptr, leak);
    }
  }
  for (const auto& [cpp, s] : shadows_) {
    for (const auto& [owner, bytes] : s->pushes) {
      misuse(nullptr, 14, OffloadOp::kSend, s->cpp,
             "an NBL context of " + std::to_string(bytes) + " bytes pushed by driver " +
                 std::to_string(owner.value) + " was never freed");
    }
  }
}

std::size_t DriverRuntime::liveImBlocks() const {
  std::size_t n = 0;
  for (const auto& [id, b] : blocks_) n += b.callEntry ? 1 : 0;
  return n;
}

}  // namespace chimney::abi
