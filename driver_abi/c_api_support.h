// Shared by the C entry points and the loader: the runtime and library a
// DriverEntry runs in. NdisRegisterProtocolDriver takes no argument NDIS
// issued, so the loader names the library being loaded for the length of
// DriverEntry (a scoped, thread-local pointer; nothing outlives the call).
#pragma once

#include "driver_runtime.h"

namespace chimney::abi {

struct Loading {
  DriverRuntime* runtime = nullptr;
  DriverLibrary* library = nullptr;
};
// The library whose DriverEntry runs on this thread (null fields outside).
Loading currentLoading();

class LoadingScope {
 public:
  LoadingScope(DriverRuntime& runtime, DriverLibrary& library);
  ~LoadingScope();
  LoadingScope(const LoadingScope&) = delete;
  LoadingScope& operator=(const LoadingScope&) = delete;

 private:
  Loading saved_;
};

}  // namespace chimney::abi
