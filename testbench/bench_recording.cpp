// --txlog / --timeline: the recorder, the observer that feeds it, and the
// recording door to the device, put between the driver stack and the rest
// of the bench when either output is asked for.
#include <cmath>

#include "bench.h"

namespace chimney::tb {

StackObserver* Bench::stackObserver() const {
  return tx_ ? static_cast<StackObserver*>(tx_.get()) : observer_.get();
}

DeviceInterface& Bench::targetDevice() const {
  return recordingDevice_ ? *recordingDevice_ : engine_->device();
}

void Bench::setUpRecording() {
  if (options_.txlogFile.empty() && options_.timelineFile.empty()) return;
  const auto periodPs = uint32_t(std::llround(engine_->period().to_seconds() * 1e12));
  recorder_ = std::make_unique<RunRecorder>(options_.txlogFile, options_.timelineFile, periodPs);
  // Records of the engine come at its cycle, ahead of the driver's; the
  // recorder puts them in order up to the cycle nothing can come before.
  recorder_->setSettledClock([this] { return engine_->settledCycle(); });
  std::vector<std::string> layers = {"host"};
  for (unsigned i = options_.imLayers; i-- > 0;) layers.push_back("im" + std::to_string(i));
  layers.insert(layers.end(), {"ndis", "offload-target", "dpc"});
  recorder_->declareTracks(layers, options_.queues);
  if (!options_.traceFile.empty()) recorder_->setWindow(options_.traceFrom, options_.traceTo);
  tx_ =
      std::make_unique<TxObserver>(*observer_, scoreboard_, *recorder_, [this] { return cycle(); });
  recordingDevice_ = std::make_unique<RecordingDevice>(engine_->device(), *tx_);
  tx_->setRingLookup([this](uint64_t addr) -> std::optional<TxObserver::RingHit> {
    if (!target_ || target_->hardwareInitResult() != HwInitResult::kOk) return std::nullopt;
    for (unsigned q = 0; q < options_.queues; ++q) {
      const QueuePair& qp = target_->hardware().queuePair(q);
      const uint64_t sqBytes = uint64_t(qp.sq.entries()) * prm::kSqEntryBytes;
      const uint64_t cqBytes = uint64_t(qp.cq.entries()) * prm::kCqEntryBytes;
      if (addr >= qp.sq.base() && addr < qp.sq.base() + sqBytes) {
        return TxObserver::RingHit{q, true, uint32_t((addr - qp.sq.base()) / prm::kSqEntryBytes)};
      }
      if (addr >= qp.cq.base() && addr < qp.cq.base() + cqBytes) {
        return TxObserver::RingHit{q, false, uint32_t((addr - qp.cq.base()) / prm::kCqEntryBytes)};
      }
    }
    return std::nullopt;
  });
  engine_->setDmaTap([this](bool isWrite, uint64_t addr, const uint8_t* data, unsigned len,
                            bool ok) { tx_->recordDma(isWrite, addr, data, len, ok); });
}

void Bench::finishRecording() {
  if (recorder_ && !recorder_->finish()) {
    fail("--txlog/--timeline: writing the file failed");
  }
}

}  // namespace chimney::tb
