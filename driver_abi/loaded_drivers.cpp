#include "loaded_drivers.h"

#include "driver_runtime.h"

namespace chimney::abi {

LoadedDrivers::LoadedDrivers() : runtime_(std::make_unique<DriverRuntime>()) {}
LoadedDrivers::~LoadedDrivers() = default;

void LoadedDrivers::loadIm(const std::string& path) {
  runtime_->loadIm(path);
}

void LoadedDrivers::attach(Ndis& ndis, StackObserver* observer) {
  runtime_->attach(ndis, observer);
}

NdisMiniportHandle LoadedDrivers::addIm(const std::string& path, NdisMiniportHandle below) {
  return runtime_->addIm(runtime_->loadIm(path), below);
}

void LoadedDrivers::checkAtEnd() {
  runtime_->checkAtEnd();
}

std::size_t LoadedDrivers::liveCallEntries() const {
  return runtime_->liveImBlocks();
}

}  // namespace chimney::abi
