#include "loaded_drivers.h"

#include "c_adapter.h"
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

void LoadedDrivers::loadTarget(const std::string& path) {
  runtime_->loadTarget(path);
}

bool LoadedDrivers::hasTarget() const {
  return runtime_->target() != nullptr;
}

NdisMiniportHandle LoadedDrivers::addTarget(const std::string& path) {
  return runtime_->addTarget(runtime_->loadTarget(path));
}

std::string LoadedDrivers::initializeTarget(DeviceInterface& device,
                                            std::function<void(std::function<void()>)> dpcScheduler,
                                            std::map<std::string, uint32_t> keywords) {
  CAdapter* t = runtime_->target();
  if (t == nullptr) return "no offload target library";
  t->targetHardware()->setConfiguration(std::move(keywords));
  const NDIS_STATUS st = t->initializeTarget(device, std::move(dpcScheduler));
  if (st == NDIS_STATUS_SUCCESS) return "";
  return t->library().path + ": MiniportInitializeEx failed (status " +
         toString(static_cast<NdisStatus>(static_cast<uint32_t>(st))) + ")";
}

void LoadedDrivers::haltTarget() {
  if (CAdapter* t = runtime_->target()) t->halt();
}

void LoadedDrivers::forgetTargetDevice() {
  if (CAdapter* t = runtime_->target()) t->targetHardware()->forgetDevice();
}

bool LoadedDrivers::targetTimerSet() const {
  CAdapter* t = runtime_->target();
  return t != nullptr && t->targetHardware()->timerSet();
}

void LoadedDrivers::runTargetTimers() {
  if (CAdapter* t = runtime_->target()) t->targetHardware()->runTimers();
}

std::vector<RingSnapshot> LoadedDrivers::targetRings() {
  CAdapter* t = runtime_->target();
  return t == nullptr ? std::vector<RingSnapshot>{} : t->targetHardware()->ringSnapshots();
}

uint64_t LoadedDrivers::targetDescriptorsConsumed() const {
  CAdapter* t = runtime_->target();
  return t == nullptr ? 0 : t->targetHardware()->descriptorsConsumed();
}

uint64_t LoadedDrivers::targetSqFullSeen() const {
  CAdapter* t = runtime_->target();
  return t == nullptr ? 0 : t->targetHardware()->sqFullSeen();
}

uint64_t LoadedDrivers::targetRecoveries() const {
  CAdapter* t = runtime_->target();
  return t == nullptr ? 0 : t->targetHardware()->recoveries();
}

uint64_t LoadedDrivers::targetRingBase(unsigned q, bool sq) const {
  CAdapter* t = runtime_->target();
  return t == nullptr ? 0 : t->targetHardware()->ringBase(q, sq);
}

std::size_t LoadedDrivers::targetLiveConnections() const {
  CAdapter* t = runtime_->target();
  return t == nullptr ? 0 : t->targetHardware()->liveConnections();
}

void LoadedDrivers::checkAtEnd() {
  runtime_->checkAtEnd();
}

std::size_t LoadedDrivers::liveCallEntries() const {
  return runtime_->liveImBlocks();
}

}  // namespace chimney::abi
