// Applies the faults given with --inject (fault_injection.h): target knobs
// at construction (targetFaults), IM knobs and device faults once the stack
// is up (Bench::injectFaults).
#include <algorithm>

#include "bench.h"

namespace chimney::tb {

namespace {
bool has(const RunOptions& o, const char* name) {
  return std::find(o.injections.begin(), o.injections.end(), name) != o.injections.end();
}
}  // namespace

TargetFaults targetFaults(const RunOptions& o) {
  TargetFaults f;
  f.completeSendTwice = has(o, "target.complete-send-twice");
  f.dropSendCompletion = has(o, "target.drop-send-completion");
  f.indicateAheadOfReceives = has(o, "target.indicate-ahead-of-receives");
  f.moveRingsUnderDma = has(o, "target.move-rings-under-dma");
  return f;
}

void Bench::injectFaults() {
  const RunOptions& o = options_;
  if (!ims_.empty()) {
    ImDriver& im = *ims_.front();  // im0: right above the target
    ImFaults& f = im.faults();
    if (has(o, "im.fail-send-call-entries")) f.failSendCallEntries = 4;
    if (has(o, "im.complete-failures-inline")) {
      f.completeFailuresInline = true;
      f.failSendCallEntries = std::max(f.failSendCallEntries, 1u);
    }
    f.substituteSendNbl = has(o, "im.substitute-send-nbl");
    f.leakCallEntries = has(o, "im.leak-call-entries");
    f.leakReceiveCallEntries = has(o, "im.leak-receive-call-entries");
    f.doubleFreeCallEntries = has(o, "im.double-free-call-entries");
    f.keepContextPushed = has(o, "im.keep-context-pushed");
    f.skipSourceHandleRestore = has(o, "im.skip-source-handle-restore");
    if (has(o, "im.misroute-completions")) f.misrouteCompletionsTo = im.lowerBinding();
    f.keepTerminateBlocks = has(o, "im.keep-terminate-blocks");
  }
  if (!target_) return;  // target and device faults act on the built-in target
  QueuePair& qp0 = target_->hardware().queuePair(0);
  if (has(o, "device.fail-sq-fetch")) {
    engine_->failNextFetch(0, qp0.sq.base(), uint64_t(qp0.sq.entries()) * prm::kSqEntryBytes);
  }
  if (has(o, "device.fail-cpl-write")) {
    engine_->failNextCompletionWrite(0, qp0.cq.base(),
                                     uint64_t(qp0.cq.entries()) * prm::kCqEntryBytes);
  }
}

}  // namespace chimney::tb
