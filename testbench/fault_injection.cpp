#include "fault_injection.h"

#include <algorithm>
#include <ostream>

namespace chimney::tb {

const std::vector<FaultInfo>& faultRegistry() {
  static const std::vector<FaultInfo> kFaults = {
      {"im.fail-send-call-entries",
       "im0 cannot allocate call entries for the next 4 sends and uploads them (legal)",
       "expected counts: sends complete REQUEST_UPLOAD/UPLOAD_REQUESTED", true},
      {"im.complete-failures-inline",
       "im0 fails one send's call entry and completes it inside the send call",
       "invariant 3 InitiatingCallPends, layer im0", true},
      {"im.substitute-send-nbl", "im0 passes a copy of each send NBL down instead of the NBL",
       "invariant 13 ImSamePointer, layer im0", true},
      {"im.leak-call-entries", "im0 never frees its call entries",
       "invariant 14 ImCallEntryLifetime, layer im0", true},
      {"im.leak-receive-call-entries", "im0 never frees the call entries of receives",
       "invariant 14 ImCallEntryLifetime, layer im0, op receive", true},
      {"im.double-free-call-entries", "im0 frees each call entry twice",
       "invariant 14 ImCallEntryLifetime, layer im0", true},
      {"im.keep-context-pushed", "im0 leaves its NBL context pushed when completing up",
       "invariant 14 ImCallEntryLifetime, layer im0", true},
      {"im.skip-source-handle-restore",
       "im0 leaves SourceHandle naming its own lower binding when completing up",
       "invariant 15 ImRoutesToIssuer, layer im0", true},
      {"im.misroute-completions", "im0 routes completions to its own lower binding",
       "invariant 15 ImRoutesToIssuer, layer im0", true},
      {"im.keep-terminate-blocks",
       "im0 keeps the block entry of every terminate after it completed (its own table)",
       "closing check im0: offload block entries left at the end (a run with terminates)", true},
      {"target.complete-send-twice", "the target makes its next send completion call twice",
       "invariant 1 CompletedExactlyOnce, layer target", false},
      {"target.drop-send-completion", "the target loses the next send completion",
       "invariant 5 SendCompletionOrder, layer target (a later send of the connection came back "
       "first)",
       false},
      {"target.indicate-ahead-of-receives",
       "the target indicates received data before the receive completions read ahead of it in "
       "the same DPC (receive-overrun brings both together)",
       "invariant 6 ReceiveStreamOrder, layer target (indicated bytes ahead of a receive's)",
       false},
      {"target.move-rings-under-dma",
       "the target's DMA-error recovery moves a halted queue pair's rings without waiting for "
       "QP_STATUS.BUSY = 0 (dma-error-recovery with a slow DMA bus, e.g. --dma-ready 1, leaves "
       "a burst in flight then)",
       "invariant 17 DmaMemoryLifetime, layer target (released while a DMA burst into it was in "
       "flight)",
       false, true},
      {"device.fail-sq-fetch",
       "the device's next SQ fetch on queue pair 0 is answered SLVERR (DMA error, recovered)",
       "closing check engine: CNT_DMA_ERR vs expected", false},
      {"device.fail-cpl-write",
       "the device's next completion write on queue pair 0 is answered SLVERR (DMA error)",
       "closing check engine: CNT_DMA_ERR vs expected", false},
  };
  return kFaults;
}

const FaultInfo* findFault(const std::string& name) {
  const auto& all = faultRegistry();
  auto it =
      std::find_if(all.begin(), all.end(), [&](const FaultInfo& f) { return f.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::string faultNames() {
  std::string names;
  for (const FaultInfo& f : faultRegistry()) names += (names.empty() ? "" : ", ") + f.name;
  return names;
}

void listFaultsTo(std::ostream& out) {
  std::size_t width = 0;
  for (const FaultInfo& f : faultRegistry()) width = std::max(width, f.name.size());
  for (const FaultInfo& f : faultRegistry()) {
    out << "  " << f.name << std::string(width + 2 - f.name.size(), ' ') << f.description
        << " (first: " << f.firstEffect << ")\n";
  }
}

}  // namespace chimney::tb
