#include "functional_coverage.h"

#include "engine_limits.h"

namespace chimney::tb {

namespace {

const char* const kKinds[] = {"send", "receive", "disconnect", "forward"};
const char* const kStatuses[] = {"SUCCESS", "REQUEST_ABORTED", "UPLOAD_IN_PROGRESS",
                                 "INVALID_STATE", "INVALID_PARAMETER"};

// Invariant 4 (docs/spec/DRIVER-MODEL.md) allows INVALID_STATE for receives
// only: the engine's INVALID_STATE on a send or disconnect reaches the host
// as INVALID_PARAMETER, and a forward never gets it. Those pairs are no
// coverage goal (the scoreboard reports them as violations).
bool allowedPair(const char* kind, const char* status) {
  return std::string(status) != "INVALID_STATE" || std::string(kind) == "receive";
}
constexpr unsigned kMaxIm = 8;

uint64_t counter(const RunReport& r, const char* name) {
  auto it = r.hardwareCounters.find(name);
  return it == r.hardwareCounters.end() ? 0 : it->second;
}

}  // namespace

std::vector<std::string> coverageBinNames() {
  std::vector<std::string> names;
  for (unsigned q = 0; q < kNumQp; ++q) {
    names.push_back("engine.sq_wrap.qp" + std::to_string(q));
    names.push_back("engine.cq_wrap.qp" + std::to_string(q));
  }
  for (const char* n : {"engine.cmd.offload.ok",
                        "engine.cmd.offload.error",
                        "engine.cmd.terminate.ok",
                        "engine.cmd.terminate.error",
                        "engine.cmd.rx_consumed.ok",
                        "engine.cmd.rx_consumed.bad_state",
                        "engine.cmd.rx_consumed.error",
                        "engine.event.peer_fin",
                        "engine.event.peer_rst",
                        "engine.event.late",
                        "engine.event.rx_indicate",
                        "engine.error.protocol",
                        "engine.error.dma",
                        "engine.error.dma_resume",
                        "engine.error.doorbell",
                        "engine.soft_reset",
                        "driver.indication.accepted",
                        "driver.indication.partly_accepted",
                        "driver.indication.refused",
                        "driver.indication.deferred",
                        "driver.chained_completions",
                        "driver.sq_full",
                        "driver.reap_while_busy",
                        "driver.dpc_budget_exhausted",
                        "driver.surprise_removal"})
    names.push_back(n);
  for (const char* k : kKinds)
    for (const char* s : kStatuses)
      if (allowedPair(k, s)) names.push_back(std::string("op.") + k + "." + s);
  for (unsigned d = 0; d <= kMaxIm; ++d) names.push_back("driver.im_depth." + std::to_string(d));
  return names;
}

CoverageBins collectCoverage(const CoverageObservation& seen) {
  CoverageBins bins;
  for (const std::string& n : coverageBinNames()) bins[n] = 0;
  const RunReport& r = *seen.report;
  const TargetCounters& t = seen.closing.target;
  if (seen.ringSize != 0) {
    for (const RingSnapshot& ring : seen.closing.rings) {
      if (ring.qp >= kNumQp) continue;
      bins["engine.sq_wrap.qp" + std::to_string(ring.qp)] = ring.hwSqHead / seen.ringSize;
      bins["engine.cq_wrap.qp" + std::to_string(ring.qp)] = ring.hwCqTail / seen.ringSize;
    }
  }
  bins["engine.cmd.offload.ok"] = r.options.connections;
  // Refused commands as the register layer saw them answered (the driver's
  // own and any other writer's of CONN_CMD through it).
  bins["engine.cmd.offload.error"] = seen.hw.offloadRefused;
  bins["engine.cmd.terminate.ok"] = t.terminates;
  bins["engine.cmd.terminate.error"] = seen.hw.terminateRefused;
  bins["engine.cmd.rx_consumed.ok"] = t.rxConsumedBytes != 0 ? 1 : 0;
  bins["engine.cmd.rx_consumed.bad_state"] = seen.hw.rxConsumedBadState;
  bins["engine.cmd.rx_consumed.error"] = seen.hw.rxConsumedRefused;
  bins["engine.event.peer_fin"] = r.eventCount("event", "peer-fin");
  bins["engine.event.peer_rst"] = r.eventCount("event", "peer-rst");
  bins["engine.event.late"] = counter(r, "CNT_EVT_LATE");
  bins["engine.event.rx_indicate"] = t.indications;
  bins["engine.error.protocol"] = counter(r, "CNT_PROTO_ERR");
  bins["engine.error.dma"] = counter(r, "CNT_DMA_ERR");
  bins["engine.error.dma_resume"] = t.recoveries;
  bins["engine.error.doorbell"] = seen.hw.doorbellErrors;
  bins["engine.soft_reset"] = seen.softResetAtStart ? 1 : 0;
  bins["driver.indication.accepted"] = t.indicationsAccepted;
  bins["driver.indication.partly_accepted"] = t.indicationsPartial;
  bins["driver.indication.refused"] = t.indicationsRefused;
  bins["driver.indication.deferred"] = t.indicationsDeferred;
  bins["driver.chained_completions"] =
      t.nblsCompleted > t.completionCalls ? t.nblsCompleted - t.completionCalls : 0;
  bins["driver.sq_full"] = t.sqFullStalls;
  bins["driver.reap_while_busy"] = t.reaps;
  bins["driver.dpc_budget_exhausted"] = t.dpcBudgetExhausted;
  bins["driver.surprise_removal"] = t.surpriseRemovals;
  for (const char* k : kKinds)
    for (const char* s : kStatuses)
      if (allowedPair(k, s)) bins[std::string("op.") + k + "." + s] = r.completedCount(k, s);
  if (seen.imLayers <= kMaxIm) bins["driver.im_depth." + std::to_string(seen.imLayers)] = 1;
  return bins;
}

std::vector<std::string> unhitBins(const CoverageBins& bins) {
  std::vector<std::string> out;
  for (const auto& [name, count] : bins)
    if (count == 0) out.push_back(name);
  return out;
}

void mergeCoverage(CoverageBins& into, const CoverageBins& more) {
  for (const auto& [name, count] : more) into[name] += count;
}

}  // namespace chimney::tb
