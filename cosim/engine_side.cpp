#include "engine_side.h"

#include <algorithm>

namespace chimney::tb {

RtlEngine::RtlEngine(const Transactor::Config& config)
    : transactor_("transactor", config),
      memory_("memory"),
      device_("device", transactor_, memory_) {
  device_.regs.bind(transactor_.regs);
  transactor_.dma.bind(memory_.socket);
}

void RtlEngine::setDmaLatency(unsigned cycles) {
  // The DMA port presents data max(1, latency) cycles after the accept, so
  // 1 and 0 answer alike; 0 also keeps a write's data visible from the
  // cycle it was carried out, as without the option.
  const sc_core::sc_time latency = cycles > 1 ? period() * double(cycles) : sc_core::SC_ZERO_TIME;
  memory_.setLatency(latency, latency);
}

void RtlEngine::onReleaseUnderDma(const ReleaseUnderDma& handler) {
  if (!handler) {
    memory_.setReleaseTap({});
    return;
  }
  memory_.setReleaseTap([this, handler](uint64_t base, uint64_t bytes) {
    const std::optional<InFlightBurst> b = transactor_.dmaInFlight(base, base + bytes);
    // The loop may have run ahead of the driver's time (temporal
    // decoupling): a burst first offered after the release is not one the
    // driver could have waited for; it shows as a stray DMA instead.
    const uint64_t now = sc_core::sc_time_stamp().value() / std::max<uint64_t>(1, period().value());
    if (b && b->offered <= now) handler(releaseUnderDmaText(base, bytes, *b));
  });
}

ModelEngine::ModelEngine(sc_core::sc_module_name name, uint64_t maxCycles)
    : sc_module(name),
      period_(sc_core::sc_time(double(EngineModel::Config{}.clockPeriodPs), sc_core::SC_PS)),
      maxCycles_(maxCycles) {
  model_.setInterruptHandler([this](unsigned vector) {
    if (handler_) {
      ++delivered_;
      handler_(vector);
    } else {
      ++dropped_;
    }
  });
  SC_THREAD(loop);
}

bool ModelEngine::write32(uint32_t offset, uint32_t value) {
  const bool ok = model_.write32(offset, value);
  // Not quiescent until the loop has looked: the write may have raised an
  // interrupt or started work that a drain must wait for.
  sleeping_ = false;
  wake_.notify(sc_core::SC_ZERO_TIME);
  return ok;
}

void ModelEngine::loop() {
  // Cycles per SystemC wait: short enough that the driver side sees
  // interrupts within a few cycles, long enough to keep waits rare.
  constexpr uint64_t kBatch = 8;
  for (;;) {
    const bool peerBusy = peer_ != nullptr && peer_->busy();
    if (model_.idle() && model_.workPending() == 0 && !peerBusy) {
      sleeping_ = true;
      wait(wake_);
      sleeping_ = false;
      continue;
    }
    for (uint64_t i = 0; i < kBatch; ++i) {
      model_.step();
      const uint64_t c = model_.cycle();
      while (auto w = model_.popWork()) {
        if (peer_ != nullptr) peer_->onWork(c, *w);
      }
      if (peer_ != nullptr) {
        while (auto e = peer_->nextEvent(c)) model_.pushEvent(*e);
      }
    }
    wait(period_ * double(kBatch));
    if (model_.cycle() >= maxCycles_) {
      sc_core::sc_stop();
      return;
    }
  }
}

std::unique_ptr<EngineSide> makeEngine(bool model, const Transactor::Config& config) {
  if (model) return std::make_unique<ModelEngine>("model", config.maxCycles);
  return std::make_unique<RtlEngine>(config);
}

}  // namespace chimney::tb
