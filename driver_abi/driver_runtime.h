// DriverRuntime: NDIS as a C driver sees it. Loads driver libraries
// (dlopen, DriverEntry, the SetOptions handlers), checks each registered a
// complete handler set, creates one adapter per IM layer on top of the C++
// Ndis, and implements every call of wdk/include/ndis.h on top of the C++
// NDIS model (driver_model/): handles, NET_BUFFER_LIST shadows kept in step
// with the C++ NBLs at every crossing, NBL contexts, pool memory and work
// items, each counted per driver.
//
// What NDIS can see it reports to the StackObserver, so the scoreboard checks
// a loaded driver exactly as a built-in one: the calls it makes and receives
// (through Ndis), its NBL contexts (mirrored onto the C++ NBL's context
// stack), and its call entries: a pool block an IM allocates while handling
// a request, made known by the NBL context it pushes next (the call entry
// "lives in the NBL context"), is reported allocated then and freed when the
// IM frees the block. checkAtEnd() reports every block, context and work
// item a driver still holds, naming the driver, the tag and the operation.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "abi_records.h"
#include "loaded_drivers.h"
#include "ndis.h"
#include "ndis_types.h"
#include "stack_observer.h"

namespace chimney::abi {

// What one library registered (DriverEntry, SetOptions handlers).
struct DriverLibrary {
  std::string path;
  std::string name;  // file name without directory and extension
  void* dl = nullptr;
  HandleRecord* miniportDriverHandle = nullptr;
  HandleRecord* protocolDriverHandle = nullptr;
  NDIS_HANDLE miniportDriverContext = nullptr;
  NDIS_HANDLE protocolDriverContext = nullptr;
  bool hasMiniport = false;
  bool hasProtocol = false;
  NDIS_MINIPORT_DRIVER_CHARACTERISTICS miniport{};
  NDIS_PROTOCOL_DRIVER_CHARACTERISTICS protocol{};
  bool hasProviderGeneric = false, hasProviderTcp = false;
  bool hasClientGeneric = false, hasClientTcp = false;
  NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS providerGeneric{};
  NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS providerTcp{};
  NDIS_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS clientGeneric{};
  NDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS clientTcp{};
  unsigned adapters = 0;
};

class DriverRuntime {
 public:
  DriverRuntime();
  ~DriverRuntime();
  DriverRuntime(const DriverRuntime&) = delete;
  DriverRuntime& operator=(const DriverRuntime&) = delete;

  // Loads `path` as an IM driver (once per path) and checks its handler
  // set; throws DriverLoadError with a one-line reason.
  DriverLibrary& loadIm(const std::string& path);
  // Loads `path` as an offload target and checks its handler set.
  DriverLibrary& loadTarget(const std::string& path);

  // Connects the runtime to the C++ NDIS of a run.
  void attach(Ndis& ndis, StackObserver* observer);
  // Binds a new adapter of `library` (an IM) above `below`; returns its
  // miniport handle (what the next layer binds to). Throws DriverLoadError
  // when the driver fails to bind or initialize.
  NdisMiniportHandle addIm(DriverLibrary& library, NdisMiniportHandle below);

  // Registers the (one) offload target adapter of `library`; returns its
  // miniport handle, the bottom of the stack.
  NdisMiniportHandle addTarget(DriverLibrary& library);
  CAdapter* target() const { return target_; }

  // Reports what each driver still holds (call at quiescence).
  void checkAtEnd();
  // Live pool blocks held by IM adapters (for the closing checks).
  std::size_t liveImBlocks() const;

  // ---- Used by the C entry points and the adapters.
  Ndis& ndis() { return *ndis_; }
  StackObserver* observer() const { return observer_; }
  HandleRecord* newRecord(HandleKind kind, CAdapter* adapter, uint32_t value);
  HandleRecord* bindingRecord(NdisBindingHandle binding);
  NdisBindingHandle bindingOf(NDIS_HANDLE handle) const;
  HandleRecord* offloadRecord(NdisOffloadHandle handle, CAdapter* receiver);
  HandleRecord* findOffloadRecord(NdisOffloadHandle handle) const;

  // NBL crossings: C++ list -> C list (fields copied over) and back.
  NET_BUFFER_LIST* toC(NetBufferList* list);
  NetBufferList* fromC(NET_BUFFER_LIST* list);
  ShadowNbl* shadowOfC(NET_BUFFER_LIST* nbl);  // creates a foreign one for an unknown NBL
  // A driver freed an NBL of its own: NDIS forgets the C++ NBL it stood for.
  void forgetForeign(NET_BUFFER_LIST* nbl);

  // The C driver being executed (innermost), with the operation it handles.
  struct Active {
    CAdapter* adapter;
    const char* operation;
    OffloadOp op;
    bool request;  // a MiniportTcpOffloadXxx handler (call entries are allocated here)
  };
  void enter(CAdapter* adapter, const char* operation, OffloadOp op, bool request) {
    active_.push_back({adapter, operation, op, request});
  }
  void leave() { active_.pop_back(); }
  CAdapter* activeAdapter() const { return active_.empty() ? nullptr : active_.back().adapter; }
  const char* activeOperation() const;

  // Pool memory and NBL contexts (the C entry points land here).
  PVOID allocateMemory(HandleRecord* owner, UINT length, ULONG tag);
  void freeMemory(MemoryHeader* header, UINT length);
  NDIS_STATUS pushContext(NET_BUFFER_LIST* nbl, USHORT size, USHORT backFill);
  void popContext(NET_BUFFER_LIST* nbl, USHORT size);
  // Called by an adapter when a request it handled goes down/up.
  void requestHandled(CAdapter* adapter);

  // Reports a misuse NDIS detected (the observer's routing-error hook).
  // `invariant` numbers the rule of docs/spec/DRIVER-MODEL.md it breaks.
  void misuse(CAdapter* adapter, int invariant, OffloadOp op, NetBufferList* nbl,
              const std::string& what);

 private:
  struct Block {
    std::unique_ptr<unsigned char[]> storage;
    uint32_t length = 0;
    ULONG tag = 0;
    std::string owner;
    CAdapter* adapter = nullptr;
    std::string operation;
    bool callEntry = false;  // reported to the observer as a call entry
  };
  DriverLibrary& load(const std::string& path);
  ShadowNbl* shadowOf(NetBufferList* nbl);
  void syncToC(ShadowNbl& s);
  void syncFromC(ShadowNbl& s);

  Ndis* ndis_ = nullptr;
  StackObserver* observer_ = nullptr;
  friend class DriverLoader;
  std::deque<std::unique_ptr<DriverLibrary>> libraries_;
  std::deque<std::unique_ptr<CAdapter>> adapters_;
  std::deque<std::unique_ptr<HandleRecord>> records_;
  std::unordered_map<uint32_t, HandleRecord*> bindingRecords_;
  std::unordered_set<const void*> bindingPointers_;
  std::unordered_map<uint32_t, HandleRecord*> offloadRecords_;
  std::unordered_map<const NetBufferList*, std::unique_ptr<ShadowNbl>> shadows_;
  std::unordered_map<const NET_BUFFER_LIST*, std::unique_ptr<ShadowNbl>> foreign_;
  std::unordered_map<const NetBufferList*, ShadowNbl*> foreignTwins_;
  NetBufferListPool foreignPool_;
  std::unordered_map<uint64_t, Block> blocks_;
  uint64_t nextBlock_ = 1;
  // Blocks an adapter allocated while handling the current request, not yet
  // made known through an NBL context (newest last).
  std::unordered_map<const CAdapter*, std::vector<uint64_t>> unbound_;
  std::vector<Active> active_;
  CAdapter* target_ = nullptr;
};

// A pool tag as its four characters ('?' for one not printable).
std::string tagText(ULONG tag);

}  // namespace chimney::abi
