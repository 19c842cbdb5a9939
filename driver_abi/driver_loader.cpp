// Loading a driver library: dlopen, DriverEntry, the SetOptions handlers,
// and the check that the driver registered every handler NDIS will call.
#include <dlfcn.h>

#include <sstream>

#include "c_adapter.h"
#include "c_api_support.h"
#include "driver_runtime.h"

namespace chimney::abi {

namespace {

std::string baseName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (name.rfind("lib", 0) == 0) name = name.substr(3);
  return name.substr(0, name.find('.'));
}

std::string status(NDIS_STATUS s) {
  std::ostringstream out;
  out << "0x" << std::hex << static_cast<uint32_t>(s);
  return out.str();
}

// The names of the handlers a driver failed to register, in checking order.
struct Missing {
  std::vector<std::string> names;
  void need(bool present, const char* what) {
    if (!present) names.emplace_back(what);
  }
};

// Appends the name of every handler of the provider (upper edge) chimney
// characteristics a driver registered that is missing.
void needProviderHandlers(const DriverLibrary& lib, Missing& m) {
  const auto& pg = lib.providerGeneric;
  const auto& pt = lib.providerTcp;
  if (lib.hasProviderGeneric) {
    m.need(pg.InitiateOffloadHandler != nullptr, "InitiateOffloadHandler");
    m.need(pg.TerminateOffloadHandler != nullptr, "TerminateOffloadHandler");
  }
  if (lib.hasProviderTcp) {
    m.need(pt.TcpOffloadSendHandler != nullptr, "TcpOffloadSendHandler");
    m.need(pt.TcpOffloadReceiveHandler != nullptr, "TcpOffloadReceiveHandler");
    m.need(pt.TcpOffloadReceiveReturnHandler != nullptr, "TcpOffloadReceiveReturnHandler");
    m.need(pt.TcpOffloadDisconnectHandler != nullptr, "TcpOffloadDisconnectHandler");
    m.need(pt.TcpOffloadForwardHandler != nullptr, "TcpOffloadForwardHandler");
  }
}

// Names every handler of an IM's handler set that is missing.
std::vector<std::string> missingImHandlers(const DriverLibrary& lib) {
  Missing m;
  m.need(lib.hasMiniport, "NdisMRegisterMiniportDriver");
  m.need(lib.hasProtocol, "NdisRegisterProtocolDriver");
  m.need(!lib.hasMiniport || lib.miniport.SetOptionsHandler != nullptr,
         "SetOptionsHandler (miniport)");
  m.need(!lib.hasMiniport || lib.miniport.InitializeHandlerEx != nullptr, "InitializeHandlerEx");
  m.need(!lib.hasProtocol || lib.protocol.SetOptionsHandler != nullptr,
         "SetOptionsHandler (protocol)");
  m.need(!lib.hasProtocol || lib.protocol.BindAdapterHandlerEx != nullptr, "BindAdapterHandlerEx");
  m.need(lib.hasProviderGeneric, "NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS");
  m.need(lib.hasProviderTcp, "NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS");
  m.need(lib.hasClientGeneric, "NDIS_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS");
  m.need(lib.hasClientTcp, "NDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS");
  const auto& cg = lib.clientGeneric;
  const auto& ct = lib.clientTcp;
  needProviderHandlers(lib, m);
  if (lib.hasClientGeneric) {
    m.need(cg.InitiateOffloadCompleteHandler != nullptr, "InitiateOffloadCompleteHandler");
    m.need(cg.TerminateOffloadCompleteHandler != nullptr, "TerminateOffloadCompleteHandler");
  }
  if (lib.hasClientTcp) {
    m.need(ct.SendCompleteHandler != nullptr, "SendCompleteHandler");
    m.need(ct.ReceiveCompleteHandler != nullptr, "ReceiveCompleteHandler");
    m.need(ct.DisconnectCompleteHandler != nullptr, "DisconnectCompleteHandler");
    m.need(ct.ForwardCompleteHandler != nullptr, "ForwardCompleteHandler");
    m.need(ct.ReceiveIndicateHandler != nullptr, "ReceiveIndicateHandler");
    m.need(ct.TcpOffloadEventHandler != nullptr, "TcpOffloadEventHandler");
  }
  return m.names;
}

// Names every handler of an offload target's handler set that is missing.
std::vector<std::string> missingTargetHandlers(const DriverLibrary& lib) {
  Missing m;
  m.need(lib.hasMiniport, "NdisMRegisterMiniportDriver");
  m.need(!lib.hasMiniport || lib.miniport.SetOptionsHandler != nullptr, "SetOptionsHandler");
  m.need(!lib.hasMiniport || lib.miniport.InitializeHandlerEx != nullptr, "InitializeHandlerEx");
  m.need(!lib.hasMiniport || lib.miniport.HaltHandlerEx != nullptr, "HaltHandlerEx");
  m.need(lib.hasProviderGeneric, "NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS");
  m.need(lib.hasProviderTcp, "NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS");
  needProviderHandlers(lib, m);
  return m.names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& m : names) list += (list.empty() ? "" : ", ") + m;
  return list;
}

}  // namespace

DriverLibrary& DriverRuntime::loadIm(const std::string& path) {
  DriverLibrary& l = load(path);
  std::vector<std::string> missing = missingImHandlers(l);
  if (!missing.empty()) {
    throw DriverLoadError(path + ": incomplete handler set for an IM driver: missing " +
                          joined(missing));
  }
  return l;
}

bool targetEntryPointsLinked();  // c_api_target.cpp

DriverLibrary& DriverRuntime::loadTarget(const std::string& path) {
  if (!targetEntryPointsLinked()) throw DriverLoadError(path + ": no offload-target interface");
  DriverLibrary& l = load(path);
  if (l.hasProtocol) {
    throw DriverLoadError(path +
                          ": registers a protocol driver (an IM driver), not an offload target");
  }
  std::vector<std::string> missing = missingTargetHandlers(l);
  if (!missing.empty()) {
    throw DriverLoadError(path + ": incomplete handler set for an offload target: missing " +
                          joined(missing));
  }
  return l;
}

DriverLibrary& DriverRuntime::load(const std::string& path) {
  for (auto& lib : libraries_) {
    if (lib->path == path) return *lib;
  }
  auto lib = std::make_unique<DriverLibrary>();
  lib->path = path;
  lib->name = baseName(path);
  lib->dl = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib->dl == nullptr) {
    const char* why = dlerror();
    throw DriverLoadError(path + ": cannot be loaded: " + (why == nullptr ? "unknown" : why));
  }
  DriverLibrary& l = *lib;
  libraries_.push_back(std::move(lib));
  void* entry = dlsym(l.dl, "DriverEntry");
  if (entry == nullptr) throw DriverLoadError(path + ": exports no DriverEntry");
  auto driverEntry = reinterpret_cast<DRIVER_INITIALIZE>(entry);

  records_.push_back(std::make_unique<HandleRecord>());
  HandleRecord* object = records_.back().get();
  object->kind = HandleKind::kMiniportDriver;
  object->runtime = this;
  object->library = &l;
  l.miniportDriverHandle = object;

  NDIS_STATUS st = NDIS_STATUS_FAILURE;
  {
    LoadingScope loading(*this, l);
    UNICODE_STRING registry{};
    st = driverEntry(reinterpret_cast<PDRIVER_OBJECT>(object), &registry);
  }
  if (st != NDIS_STATUS_SUCCESS) {
    throw DriverLoadError(path + ": DriverEntry failed with status " + status(st));
  }
  if (l.hasMiniport && l.miniport.SetOptionsHandler != nullptr) {
    st = l.miniport.SetOptionsHandler(l.miniportDriverHandle, l.miniportDriverContext);
    if (st != NDIS_STATUS_SUCCESS) {
      throw DriverLoadError(path + ": miniport SetOptionsHandler failed with status " + status(st));
    }
  }
  if (l.hasProtocol && l.protocol.SetOptionsHandler != nullptr) {
    st = l.protocol.SetOptionsHandler(l.protocolDriverHandle, l.protocolDriverContext);
    if (st != NDIS_STATUS_SUCCESS) {
      throw DriverLoadError(path + ": protocol SetOptionsHandler failed with status " + status(st));
    }
  }
  return l;
}

}  // namespace chimney::abi

namespace chimney::abi {

DriverRuntime::~DriverRuntime() {
  adapters_.clear();
  for (auto& lib : libraries_) {
    if (lib->dl != nullptr) dlclose(lib->dl);
  }
}

}  // namespace chimney::abi
