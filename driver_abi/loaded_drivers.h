// LoadedDrivers: the driver libraries of a run (chimney-cosim --im-driver),
// as the testbench sees them. Loading checks each library (it loads, exports
// DriverEntry, registers a complete handler set); attach() connects them to
// the run's NDIS, addIm() stacks one adapter of a library as an IM layer.
// The C side (wdk/include/ndis.h and DriverRuntime) stays behind this
// header.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ndis_types.h"
#include "stack_observer.h"

namespace chimney {
class Ndis;
class DeviceInterface;
}  // namespace chimney

namespace chimney::abi {

class DriverRuntime;

// A library that cannot be loaded or registers an incomplete handler set;
// what() is one line naming the library and the reason.
class DriverLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LoadedDrivers {
 public:
  LoadedDrivers();
  ~LoadedDrivers();
  LoadedDrivers(const LoadedDrivers&) = delete;
  LoadedDrivers& operator=(const LoadedDrivers&) = delete;

  // Loads an IM driver library (once per path). Throws DriverLoadError.
  void loadIm(const std::string& path);
  void attach(Ndis& ndis, StackObserver* observer);
  // One more adapter of the (loaded) library at `path` above `below`; returns
  // its miniport handle. Throws DriverLoadError when it fails to bind or
  // initialize.
  NdisMiniportHandle addIm(const std::string& path, NdisMiniportHandle below);
  // ---- An offload target library (chimney-cosim --target-driver)
  // Loads it and checks its handler set. Throws DriverLoadError.
  void loadTarget(const std::string& path);
  bool hasTarget() const;
  // Registers the target's miniport (after attach); returns its handle.
  NdisMiniportHandle addTarget(const std::string& path);
  // MiniportInitializeEx against `device`, DPCs through `dpcScheduler`.
  // Returns "" or a one-line reason it failed.
  // `keywords` are the adapter's configuration (NdisReadConfiguration).
  std::string initializeTarget(DeviceInterface& device,
                               std::function<void(std::function<void()>)> dpcScheduler,
                               std::map<std::string, uint32_t> keywords);
  void haltTarget();          // MiniportHaltEx (also done by checkAtEnd)
  void forgetTargetDevice();  // the device is gone: no register access from here on
  bool targetTimerSet() const;
  void runTargetTimers();
  std::vector<RingSnapshot> targetRings();
  uint64_t targetDescriptorsConsumed() const;
  uint64_t targetSqFullSeen() const;
  uint64_t targetRecoveries() const;
  uint64_t targetRingBase(unsigned q, bool sq) const;
  std::size_t targetLiveConnections() const;

  // Reports, through the observer, everything a driver still holds.
  void checkAtEnd();
  // Call entries (pool blocks made known through an NBL context) still held.
  std::size_t liveCallEntries() const;

 private:
  std::unique_ptr<DriverRuntime> runtime_;
};

}  // namespace chimney::abi
