// Applies the faults given with --inject (fault_injection.h): target knobs
// at construction (targetFaults), IM knobs and device faults once the stack
// is up (Bench::injectFaults); at the end, reads back how often each took
// effect (Bench::reportFaultsApplied).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

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
  // Queue pair 0's rings where they are at each access: the recovery from
  // one DMA error moves them, and a second fault still concerns them.
  const QueuePair& qp0 = target_->hardware().queuePair(0);
  if (has(o, "device.fail-sq-fetch")) {
    engine_->failNextFetch(0, [&qp0] {
      return std::make_pair(qp0.sq.base(), uint64_t(qp0.sq.entries()) * prm::kSqEntryBytes);
    });
  }
  if (has(o, "device.fail-cpl-write")) {
    engine_->failNextCompletionWrite(0, [&qp0] {
      return std::make_pair(qp0.cq.base(), uint64_t(qp0.cq.entries()) * prm::kCqEntryBytes);
    });
  }
}

// A fault's count is what its knob counted: calls it changed, entries it
// leaked, NBLs it dropped. The device faults count the DMA errors injected
// in that direction over the run (dma-error-recovery injects its own too).
void Bench::reportFaultsApplied() {
  std::vector<std::pair<std::string, uint64_t>> counts = {
      {"device.fail-sq-fetch", engine_->injectedFetchErrors()},
      {"device.fail-cpl-write", engine_->injectedCplWriteErrors()},
  };
  if (!ims_.empty()) {
    const ImFaults::Applied& a = ims_.front()->faults().applied;
    counts.insert(counts.end(), {
                                    {"im.fail-send-call-entries", a.failSendCallEntries},
                                    {"im.complete-failures-inline", a.completeFailuresInline},
                                    {"im.substitute-send-nbl", a.substituteSendNbl},
                                    {"im.leak-call-entries", a.leakCallEntries},
                                    {"im.leak-receive-call-entries", a.leakReceiveCallEntries},
                                    {"im.double-free-call-entries", a.doubleFreeCallEntries},
                                    {"im.keep-context-pushed", a.keepContextPushed},
                                    {"im.skip-source-handle-restore", a.skipSourceHandleRestore},
                                    {"im.misroute-completions", a.misrouteCompletions},
                                    {"im.keep-terminate-blocks", a.keepTerminateBlocks},
                                });
  }
  if (target_) {
    const TargetFaults::Applied& a = target_->faultsApplied();
    counts.insert(counts.end(),
                  {
                      {"target.complete-send-twice", a.completeSendTwice},
                      {"target.drop-send-completion", a.dropSendCompletion},
                      {"target.indicate-ahead-of-receives", a.indicateAheadOfReceives},
                      {"target.move-rings-under-dma", a.moveRingsUnderDma},
                  });
  }
  // A knob whose layer is absent (no IM, a loaded target) never took effect.
  for (const std::string& name : options_.injections) {
    const auto it = std::find_if(counts.begin(), counts.end(),
                                 [&name](const auto& c) { return c.first == name; });
    report_.faultsApplied.emplace_back(name, it == counts.end() ? 0 : it->second);
  }
}

}  // namespace chimney::tb
