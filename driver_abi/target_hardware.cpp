#include "target_hardware.h"

#include <cstring>

#include "c_adapter.h"
#include "driver_runtime.h"
#include "prm.h"

namespace chimney::abi {

namespace {
constexpr uintptr_t kBar = CHIMNEY_CSR_BAR_LENGTH;  // 64 KiB, also the mapping's alignment
}  // namespace

TargetHardware::TargetHardware(DriverRuntime& runtime, CAdapter& adapter)
    : runtime_(runtime), adapter_(adapter) {}

// The device may be gone by now (the run is over): nothing here touches it.
TargetHardware::~TargetHardware() = default;

void TargetHardware::forgetDevice() {
  if (device_ != nullptr && interrupt_ != nullptr) device_->setInterruptHandler(nullptr);
  device_ = nullptr;
}

NDIS_HANDLE TargetHardware::openConfiguration() {
  return runtime_.newRecord(HandleKind::kConfiguration, &adapter_, 0);
}

PNDIS_CONFIGURATION_PARAMETER TargetHardware::readConfiguration(const std::string& keyword) {
  auto it = keywords_.find(keyword);
  if (it == keywords_.end()) return nullptr;
  NDIS_CONFIGURATION_PARAMETER& p = parameters_[keyword];
  p.ParameterType = NdisParameterInteger;
  p.ParameterData.IntegerData = it->second;
  return &p;
}

// ---- CSR space ----------------------------------------------------------------------------------

NDIS_STATUS TargetHardware::mapIoSpace(PVOID* va, uint64_t physical, UINT length) {
  if (va == nullptr || physical != CHIMNEY_CSR_BAR_BASE || length == 0 || length > kBar) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  if (mapping_ != nullptr) return NDIS_STATUS_RESOURCES;
  // The mapping is 64 KiB aligned with its header right in front, so a
  // register pointer alone leads back to it.
  mappingStorage_ = std::make_unique<unsigned char[]>(2 * kBar + sizeof(MappingHeader));
  const auto raw = reinterpret_cast<uintptr_t>(mappingStorage_.get());
  const uintptr_t base = (raw + sizeof(MappingHeader) + kBar - 1) & ~(kBar - 1);
  mapping_ = new (reinterpret_cast<void*>(base - sizeof(MappingHeader))) MappingHeader();
  mapping_->hw = this;
  mapping_->length = length;
  *va = reinterpret_cast<PVOID>(base);
  return NDIS_STATUS_SUCCESS;
}

void TargetHardware::unmapIoSpace(PVOID va) {
  if (mapping_ == nullptr || reinterpret_cast<uintptr_t>(va) !=
                                 reinterpret_cast<uintptr_t>(mapping_) + sizeof(MappingHeader)) {
    runtime_.misuse(&adapter_, 16, OffloadOp::kSend, nullptr,
                    "NdisMUnmapIoSpace of an address NdisMMapIoSpace did not return");
    return;
  }
  mapping_->magic = 0;
  mapping_ = nullptr;
  mappingStorage_.reset();
}

MappingHeader* TargetHardware::mappingOf(const ULONG* reg) {
  const uintptr_t base = reinterpret_cast<uintptr_t>(reg) & ~(kBar - 1);
  auto* m = reinterpret_cast<MappingHeader*>(base - sizeof(MappingHeader));
  return m->magic == kMappingMagic ? m : nullptr;
}

namespace {
uint32_t offsetIn(const MappingHeader& m, const ULONG* reg) {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(reg) -
                               (reinterpret_cast<uintptr_t>(&m) + sizeof(MappingHeader)));
}
}  // namespace

ULONG TargetHardware::readRegister(const MappingHeader& m, const ULONG* reg) {
  const uint32_t off = offsetIn(m, reg);
  if (off >= m.length || (off & 3u) != 0 || device_ == nullptr) return 0xFFFFFFFFu;
  pushToDevice();
  const RegRead r = device_->read32(off);
  pullFromDevice();
  if (r.ok && off >= prm::reg::kQpBase) {
    Ring& ring = rings_[(off - prm::reg::kQpBase) / prm::reg::kQpStride];
    const uint32_t reg = (off - prm::reg::kQpBase) % prm::reg::kQpStride;
    if (reg == prm::reg::kSqHead) ring.sqHeadRead = static_cast<uint16_t>(r.value);
    if (reg == prm::reg::kQpStatus && (r.value & prm::qpstatus::kHalted) != 0) {
      ring.haltedSeen = true;
    }
  }
  return r.ok ? r.value : 0xFFFFFFFFu;
}

void TargetHardware::writeRegister(const MappingHeader& m, const ULONG* reg, ULONG value) {
  const uint32_t off = offsetIn(m, reg);
  if (off >= m.length || (off & 3u) != 0 || device_ == nullptr) return;
  pushToDevice();
  if (device_->write32(off, value)) observeWrite(off, value);
}

void TargetHardware::observeWrite(uint32_t offset, ULONG value) {
  if (offset == prm::reg::kCtrl && (value & prm::ctrl::kSoftReset) != 0) {
    rings_.clear();
    return;
  }
  if (offset == prm::reg::kConnCmd) {
    const auto op = static_cast<prm::ConnOp>((value >> 24) & 0xF);
    if (op == prm::ConnOp::kOffload && initiating_.valid()) {
      binds_[initiating_.value] = {static_cast<uint16_t>(value & 0xFFFF), (value >> 16) & 0xFF};
    }
    return;
  }
  if (offset < prm::reg::kQpBase) return;
  const unsigned q = (offset - prm::reg::kQpBase) / prm::reg::kQpStride;
  const uint32_t r = (offset - prm::reg::kQpBase) % prm::reg::kQpStride;
  Ring& ring = rings_[q];
  if (r == prm::reg::kSqSize) {
    ring.sqTail = ring.sqHeadRead = 0;
    ring.sqLog2 = value & 0x1F;
  }
  if (r == prm::reg::kCqSize) ring.cqHead = 0;
  const auto lo = [](uint64_t base, ULONG v) { return (base & ~0xFFFFFFFFull) | v; };
  const auto hi = [](uint64_t base, ULONG v) {
    return (base & 0xFFFFFFFFull) | (uint64_t{v} << 32);
  };
  if (r == prm::reg::kSqBaseLo) ring.sqBase = lo(ring.sqBase, value);
  if (r == prm::reg::kSqBaseHi) ring.sqBase = hi(ring.sqBase, value);
  if (r == prm::reg::kCqBaseLo) ring.cqBase = lo(ring.cqBase, value);
  if (r == prm::reg::kCqBaseHi) ring.cqBase = hi(ring.cqBase, value);
  if (r == prm::reg::kQpCtrl && (value & prm::qpctrl::kEnable) != 0 && ring.haltedSeen) {
    ring.haltedSeen = false;
    ++recoveries_;
  }
  if (r == prm::reg::kSqTail) {
    ring.sqTail = static_cast<uint16_t>(value);
    const auto used = static_cast<uint16_t>(ring.sqTail - ring.sqHeadRead);
    if (ring.sqLog2 > 0 && used >= (1u << ring.sqLog2)) ++sqFull_;
  }
  if (r == prm::reg::kCqHead) {
    descriptors_ += static_cast<uint16_t>(static_cast<uint16_t>(value) - ring.cqHead);
    ring.cqHead = static_cast<uint16_t>(value);
  }
}

// ---- Shared memory ------------------------------------------------------------------------------

void TargetHardware::allocateShared(ULONG length, PVOID* va, PNDIS_PHYSICAL_ADDRESS pa) {
  if (va == nullptr) return;
  *va = nullptr;
  if (pa != nullptr) pa->QuadPart = 0;
  if (device_ == nullptr || length == 0 || pa == nullptr) return;
  Shared s;
  s.bus = device_->memory().allocate(length, 4096);
  s.va.assign(length, 0);
  s.synced.assign(length, 0);
  s.operation = runtime_.activeOperation();
  *va = s.va.data();
  pa->QuadPart = static_cast<int64_t>(s.bus);
  shared_.emplace(*va, std::move(s));
}

void TargetHardware::freeShared(PVOID va, uint64_t pa, ULONG length) {
  auto it = shared_.find(va);
  if (it == shared_.end() || it->second.bus != pa || it->second.va.size() != length) {
    runtime_.misuse(&adapter_, 16, OffloadOp::kSend, nullptr,
                    "NdisMFreeSharedMemory of a block, address or length "
                    "NdisMAllocateSharedMemory did not return");
    return;
  }
  if (device_ != nullptr) device_->memory().release(it->second.bus);
  shared_.erase(it);
}

void TargetHardware::pushToDevice() {
  if (device_ == nullptr) return;
  for (auto& [key, s] : shared_) {
    if (std::memcmp(s.va.data(), s.synced.data(), s.va.size()) == 0) continue;
    std::size_t i = 0;
    const std::size_t n = s.va.size();
    while (i < n) {
      if (s.va[i] == s.synced[i]) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < n && s.va[j] != s.synced[j]) ++j;
      device_->memory().write(s.bus + i, s.va.data() + i, j - i);
      std::memcpy(s.synced.data() + i, s.va.data() + i, j - i);
      i = j;
    }
  }
}

void TargetHardware::pullFromDevice() {
  if (device_ == nullptr) return;
  std::vector<unsigned char> now;
  for (auto& [key, s] : shared_) {
    now.resize(s.va.size());
    device_->memory().read(s.bus, now.data(), now.size());
    if (std::memcmp(now.data(), s.synced.data(), now.size()) == 0) continue;
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (now[i] != s.synced[i]) s.va[i] = s.synced[i] = now[i];
    }
  }
}

// ---- Interrupt and DPC --------------------------------------------------------------------------

NDIS_STATUS TargetHardware::registerInterrupt(NDIS_HANDLE context,
                                              const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS& c,
                                              PNDIS_HANDLE handle) {
  const bool message = c.MessageInterruptHandler != nullptr && c.MessageInterruptDpcHandler;
  const bool line = c.InterruptHandler != nullptr && c.InterruptDpcHandler != nullptr;
  if (handle == nullptr || c.Header.Type != NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT ||
      (!message && !line)) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  if (interrupt_ != nullptr || device_ == nullptr) return NDIS_STATUS_RESOURCES;
  isr_ = c;
  interruptContext_ = context;
  interrupt_ = runtime_.newRecord(HandleKind::kInterrupt, &adapter_, 0);
  device_->setInterruptHandler([this](unsigned vector) { onInterrupt(vector); });
  *handle = interrupt_;
  return NDIS_STATUS_SUCCESS;
}

void TargetHardware::deregisterInterrupt(NDIS_HANDLE handle) {
  if (handle == nullptr || handle != interrupt_) {
    runtime_.misuse(&adapter_, 16, OffloadOp::kSend, nullptr,
                    "NdisMDeregisterInterruptEx of a handle NdisMRegisterInterruptEx did not give");
    return;
  }
  if (device_ != nullptr) device_->setInterruptHandler(nullptr);
  interrupt_ = nullptr;
  pendingVectors_.clear();
}

void TargetHardware::onInterrupt(unsigned vector) {
  if (interrupt_ == nullptr) return;
  pullFromDevice();
  BOOLEAN queue = FALSE;
  ULONG processors = 0;
  {
    ActiveScope scope(runtime_, &adapter_, "MiniportInterrupt");
    if (isr_.MessageInterruptHandler != nullptr) {
      isr_.MessageInterruptHandler(interruptContext_, vector, &queue, &processors);
    } else {
      isr_.InterruptHandler(interruptContext_, &queue, &processors);
    }
  }
  if (!queue) return;
  pendingVectors_.insert(vector);
  if (inDpc_ || dpcQueued_) return;  // the DPC picks the vector up
  if (!scheduler_) {
    runDpc();
    return;
  }
  dpcQueued_ = true;
  scheduler_([this] {
    dpcQueued_ = false;
    runDpc();
  });
}

void TargetHardware::runDpc() {
  if (inDpc_ || interrupt_ == nullptr) return;
  inDpc_ = true;
  while (!pendingVectors_.empty() && interrupt_ != nullptr) {
    const std::set<unsigned> vectors = std::move(pendingVectors_);
    pendingVectors_.clear();
    pullFromDevice();
    ActiveScope scope(runtime_, &adapter_, "MiniportInterruptDPC");
    if (isr_.MessageInterruptDpcHandler != nullptr) {
      for (unsigned v : vectors) {
        isr_.MessageInterruptDpcHandler(interruptContext_, v, nullptr, nullptr, nullptr);
      }
    } else {
      isr_.InterruptDpcHandler(interruptContext_, nullptr, nullptr, nullptr);
    }
  }
  inDpc_ = false;
}

// ---- Timers -------------------------------------------------------------------------------------

NDIS_STATUS TargetHardware::allocateTimer(const NDIS_TIMER_CHARACTERISTICS& c,
                                          PNDIS_HANDLE handle) {
  if (handle == nullptr || c.Header.Type != NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS ||
      c.TimerFunction == nullptr) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  HandleRecord* r = runtime_.newRecord(HandleKind::kTimer, &adapter_, 0);
  Timer t;
  t.c = c;
  t.operation = runtime_.activeOperation();
  timers_.emplace(r, t);
  *handle = r;
  return NDIS_STATUS_SUCCESS;
}

BOOLEAN TargetHardware::setTimer(HandleRecord* timer, PVOID context) {
  auto it = timers_.find(timer);
  if (it == timers_.end()) return FALSE;
  const bool was = it->second.set;
  it->second.set = true;
  it->second.context = context != nullptr ? context : it->second.c.FunctionContext;
  return was ? TRUE : FALSE;
}

BOOLEAN TargetHardware::cancelTimer(HandleRecord* timer) {
  auto it = timers_.find(timer);
  if (it == timers_.end()) return FALSE;
  const bool was = it->second.set;
  it->second.set = false;
  return was ? TRUE : FALSE;
}

void TargetHardware::freeTimer(HandleRecord* timer) {
  if (timers_.erase(timer) == 0) {
    runtime_.misuse(&adapter_, 16, OffloadOp::kSend, nullptr,
                    "NdisFreeTimerObject of a handle NdisAllocateTimerObject did not give");
  }
}

bool TargetHardware::timerSet() const {
  for (const auto& [r, t] : timers_) {
    if (t.set) return true;
  }
  return false;
}

void TargetHardware::runTimers() {
  if (inDpc_ || device_ == nullptr) return;
  std::vector<HandleRecord*> due;
  for (auto& [r, t] : timers_) {
    if (t.set) due.push_back(r);
  }
  for (HandleRecord* r : due) {
    auto it = timers_.find(r);
    if (it == timers_.end() || !it->second.set) continue;  // cancelled or freed meanwhile
    it->second.set = false;
    const NDIS_TIMER_FUNCTION fn = it->second.c.TimerFunction;
    PVOID context = it->second.context;
    pullFromDevice();
    inDpc_ = true;  // timer functions run in DPC context: no DPC nested in them
    {
      ActiveScope scope(runtime_, &adapter_, "MiniportTimer");
      fn(nullptr, context, nullptr, nullptr);
    }
    inDpc_ = false;
    if (!pendingVectors_.empty()) runDpc();
  }
}

// ---- NBL pools ----------------------------------------------------------------------------------

NDIS_HANDLE TargetHardware::allocatePool() {
  HandleRecord* r = runtime_.newRecord(HandleKind::kPool, &adapter_, 0);
  pools_.insert(r);
  return r;
}

void TargetHardware::freePool(HandleRecord* pool) {
  if (pools_.erase(pool) == 0) {
    runtime_.misuse(&adapter_, 16, OffloadOp::kSend, nullptr,
                    "NdisFreeNetBufferListPool of a handle that is no pool");
  }
}

PNET_BUFFER_LIST TargetHardware::allocateNbl(HandleRecord* pool, PMDL mdl, ULONG offset,
                                             SIZE_T length) {
  if (pools_.count(pool) == 0 || length > 0xFFFFFFFFu) return nullptr;
  auto p = std::make_unique<PoolNbl>();
  p->hw = this;
  p->nbl.FirstNetBuffer = &p->nb;
  p->nbl.NdisPoolHandle = pool;
  p->nbl.NdisReserved[1] = p.get();
  p->nb.MdlChain = mdl;
  p->nb.CurrentMdl = mdl;
  p->nb.DataOffset = offset;
  p->nb.DataLength = static_cast<ULONG>(length);
  p->operation = runtime_.activeOperation();
  PNET_BUFFER_LIST nbl = &p->nbl;
  nbls_.emplace(p.get(), std::move(p));
  return nbl;
}

void TargetHardware::freeNbl(PoolNbl* nbl) {
  auto it = nbls_.find(nbl);
  if (it == nbls_.end()) return;
  runtime_.forgetForeign(&nbl->nbl);
  nbl->magic = 0;
  nbls_.erase(it);
}

// ---- What the checks see ------------------------------------------------------------------------

void TargetHardware::offloadCompleted(ConnectionId connection, bool success) {
  auto it = binds_.find(connection.value);
  if (it == binds_.end()) return;
  const Bind b = it->second;
  binds_.erase(it);
  if (!success) return;
  hwConns_[connection.value] = b.conn;
  if (runtime_.observer() != nullptr) {
    runtime_.observer()->onHardwareConnectionBound(connection, b.conn, b.qp);
  }
}

void TargetHardware::terminateCompleted(ConnectionId connection) {
  auto it = hwConns_.find(connection.value);
  if (it == hwConns_.end()) return;
  const uint16_t hw = it->second;
  hwConns_.erase(it);
  if (runtime_.observer() != nullptr) runtime_.observer()->onHardwareConnectionReleased(hw);
}

uint64_t TargetHardware::ringBase(unsigned q, bool sq) const {
  auto it = rings_.find(q);
  if (it == rings_.end()) return 0;
  return sq ? it->second.sqBase : it->second.cqBase;
}

std::vector<RingSnapshot> TargetHardware::ringSnapshots() {
  std::vector<RingSnapshot> out;
  if (device_ == nullptr) return out;
  for (const auto& [q, ring] : rings_) {
    RingSnapshot s;
    s.qp = q;
    s.driverSqTail = ring.sqTail;
    s.driverCqHead = ring.cqHead;
    s.hwSqHead = static_cast<uint16_t>(device_->read32(prm::reg::qp(q, prm::reg::kSqHead)).value);
    s.hwSqTail = static_cast<uint16_t>(device_->read32(prm::reg::qp(q, prm::reg::kSqTail)).value);
    s.hwCqHead = static_cast<uint16_t>(device_->read32(prm::reg::qp(q, prm::reg::kCqHead)).value);
    s.hwCqTail = static_cast<uint16_t>(device_->read32(prm::reg::qp(q, prm::reg::kCqTail)).value);
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> TargetHardware::leaks() const {
  std::vector<std::string> out;
  for (const auto& [key, s] : shared_) {
    out.push_back("still holds " + std::to_string(s.va.size()) +
                  " bytes of shared memory, allocated during " + s.operation);
  }
  for (const auto& [r, t] : timers_) {
    out.push_back("never freed a timer object, tag '" + tagText(t.c.AllocationTag) +
                  "', allocated during " + t.operation);
  }
  for (const auto& [key, p] : nbls_) {
    out.push_back("never freed an NBL of its pool, allocated during " + p->operation);
  }
  if (!pools_.empty()) {
    out.push_back("never freed " + std::to_string(pools_.size()) + " NBL pool(s)");
  }
  if (interrupt_ != nullptr) out.emplace_back("never deregistered its interrupt");
  if (mapping_ != nullptr) out.emplace_back("never unmapped its CSR space");
  return out;
}

}  // namespace chimney::abi
