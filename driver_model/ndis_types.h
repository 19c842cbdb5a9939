// NDIS data structures of the TCP chimney offload path, modelled (not copied
// from a header): status codes, typed handles, MDL / NET_BUFFER /
// NET_BUFFER_LIST with the fields docs/spec/DRIVER-MODEL.md names, the NBL context
// stack, and an NBL pool that owns NBL storage.
//
// Invariants: an NBL has exactly one NET_BUFFER (send and receive use one per
// NBL); handles are typed and 0 means "none"; NBL pointers handed out by a
// pool stay valid until the pool frees them or is destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace chimney {

// ---- Status codes (docs/spec/DRIVER-MODEL.md "Status codes") ------------------------
enum class NdisStatus : uint32_t {
  kSuccess = 0x00000000,
  kPending = 0x00000103,
  kRequestAborted = 0xC001000C,
  kUploadInProgress = 0xC0231001,
  kInvalidState = 0xC0000184,
  kInvalidParameter = 0xC000000D,
  kRequestUpload = 0xC0231002,
  kUploadRequested = 0xC0231003,
  kOffloadDataNotAccepted = 0xC023100E,
  kOffloadDataPartiallyAccepted = 0xC0231010,
  kResources = 0xC000009A,  // allocation failure inside a model (never on the wire)
};
const char* toString(NdisStatus status);

// ---- Typed handles ------------------------------------------------------------
// A handle is an opaque number issued by NDIS (or, for ProtocolBindingContext,
// chosen by the protocol). 0 is "no handle".
template <typename Tag>
struct Handle {
  uint32_t value = 0;
  constexpr bool valid() const { return value != 0; }
  constexpr bool operator==(const Handle& o) const { return value == o.value; }
  constexpr bool operator!=(const Handle& o) const { return value != o.value; }
  constexpr bool operator<(const Handle& o) const { return value < o.value; }
};
struct HandleHash {
  template <typename Tag>
  std::size_t operator()(const Handle<Tag>& h) const {
    return std::hash<uint32_t>()(h.value);
  }
};

using DriverId = Handle<struct DriverIdTag>;                      // a registered driver
using NdisMiniportHandle = Handle<struct MiniportHandleTag>;      // one per miniport edge
using NdisBindingHandle = Handle<struct BindingHandleTag>;        // one per binding (NDIS side)
using ProtocolBindingContext = Handle<struct BindingContextTag>;  // one per binding (protocol side)
using NdisOffloadHandle = Handle<struct OffloadHandleTag>;        // per connection per layer
// The host's name for an offloaded connection; stands for the TCP state
// (4-tuple, sequence numbers) carried in the offload block. Never reused.
using ConnectionId = Handle<struct ConnectionIdTag>;

enum class DriverKind : uint8_t { kHostStack, kIntermediate, kOffloadTarget };
const char* toString(DriverKind kind);

// ---- MDL / NET_BUFFER / NET_BUFFER_LIST -----------------------------------------
struct Mdl {
  uint64_t address = 0;  // host (bus) address of the piece
  uint32_t byteCount = 0;
};

struct NetBuffer {
  uint32_t dataOffset = 0;  // start of the data within the MDL chain
  uint32_t dataLength = 0;  // bytes from dataOffset on
  std::vector<Mdl> mdlChain;
  // Bus address of the byte at dataOffset (0 when the chain does not reach it).
  uint64_t currentAddress() const;
};

// One entry of the NBL context stack (NdisAllocateNetBufferListContext):
// who pushed it and the value it holds (an IM stores its call-entry id).
struct NblContext {
  DriverId owner;
  uint64_t value = 0;
};

// Disconnect flags of NdisOffloadTcpDisconnect.
constexpr uint32_t kTcpDisconnectGraceful = 0x01;
constexpr uint32_t kTcpDisconnectAbortive = 0x02;

struct NetBufferList {
  NetBufferList* next = nullptr;  // a completion call takes a linked list
  NetBuffer* firstNetBuffer = nullptr;
  NdisStatus status = NdisStatus::kSuccess;
  // Per-NBL info (NET_BUFFER_LIST_INFO).
  uint32_t tcpOffloadBytesTransferred = 0;
  bool tcpReceiveNoPush = false;
  // Owner-scoped fields.
  std::array<uint64_t, 4> protocolReserved{};  // the allocator's
  std::array<uint64_t, 2> miniportReserved{};  // the target's while it owns the NBL
  uint64_t scratch = 0;                        // the current owner's
  NdisBindingHandle sourceHandle;              // routing of completions (set by NDIS)
  std::vector<NblContext> contextStack;        // top is back()

  NetBuffer netBuffer;  // storage behind firstNetBuffer (one NB per NBL)
  NetBufferList() : firstNetBuffer(&netBuffer) {}
  NetBufferList(const NetBufferList&) = delete;
  NetBufferList& operator=(const NetBufferList&) = delete;
};

// NBL context stack, as NdisAllocateNetBufferListContext /
// NdisFreeNetBufferListContext. Free pops the top entry and returns it;
// it returns an entry with an invalid owner when the stack is empty or the
// top belongs to another driver (the stack is then left unchanged).
void NdisAllocateNetBufferListContext(NetBufferList* nbl, DriverId owner, uint64_t value);
NblContext NdisFreeNetBufferListContext(NetBufferList* nbl, DriverId owner);

// Linked-list helpers over NetBufferList::next.
std::size_t nblListLength(const NetBufferList* head);
std::vector<NetBufferList*> nblListToVector(NetBufferList* head);
// Links the NBLs in order (last->next = nullptr) and returns the head.
NetBufferList* nblListFromVector(const std::vector<NetBufferList*>& nbls);
// Builds a list by appending at its tail, without a vector: head is the
// list, count its length.
struct NblListBuilder {
  NetBufferList* head = nullptr;
  NetBufferList* tail = nullptr;
  uint32_t count = 0;
  void append(NetBufferList* nbl) {
    nbl->next = nullptr;
    (tail == nullptr ? head : tail->next) = nbl;
    tail = nbl;
    ++count;
  }
};

// Owns NBL storage (NdisAllocateNetBufferListPool / NdisAllocateNetBufferAndNetBufferList).
// Every NBL comes with one NET_BUFFER described by one MDL.
class NetBufferListPool {
 public:
  explicit NetBufferListPool(DriverId owner = {}) : owner_(owner) {}
  // A fresh NBL: dataOffset 0, dataLength = length, one MDL (address, length).
  NetBufferList* allocate(uint32_t length, uint64_t address = 0);
  void free(NetBufferList* nbl);
  bool owns(const NetBufferList* nbl) const;
  std::size_t allocated() const { return allocated_; }
  DriverId owner() const { return owner_; }

 private:
  DriverId owner_;
  std::vector<std::unique_ptr<NetBufferList>> storage_;
  std::deque<NetBufferList*> freeList_;  // oldest freed is reused first
  std::unordered_set<const NetBufferList*> owned_;
  std::size_t allocated_ = 0;
};

}  // namespace chimney
