// BehaviouralDevice: SQ fetch and the CQ writer, the two DMA paths.
//
// Both advance their ring pointer only over entries whose DMA succeeded, so a
// DMA error loses nothing: the queue pair halts with SQ_HEAD on the entry not
// fetched and CQ_TAIL on the descriptor not written, and carries on from
// there when the driver re-enables it.
#include "behavioural_device.h"

namespace chimney {

bool BehaviouralDevice::canFetch(unsigned q) const {
  const QueuePair& p = qps_[q];
  return p.enable && !p.halted && p.sqTail != p.sqHead && slotsInUse_ < config_.reqSlots;
}

void BehaviouralDevice::fetch(unsigned q) {
  QueuePair& p = qps_[q];
  unsigned n = 0;
  while (canFetch(q) && (config_.fetchPerStep == 0 || n < config_.fetchPerStep)) {
    const uint64_t slot = p.sqHead & ((1u << p.sqSize) - 1u);
    const uint64_t addr = p.sqBase + slot * prm::kSqEntryBytes;
    uint8_t raw[prm::kSqEntryBytes] = {};
    bool okay = true;
    if (p.failFetches != 0) {
      --p.failFetches;
      ++injectedFetchErrors_;
      okay = false;
    }
    okay = okay && !dmaBlocked(addr, sizeof raw);
    if (okay) okay = memory_.dmaRead(addr, raw, sizeof raw);
    if (dmaTap_) dmaTap_(false, addr, raw, sizeof raw, okay);
    if (!okay) {
      dmaError(q, prm::err::kDmaRd);
      return;
    }
    ++p.sqHead;
    ++counters_.reqFetched;
    ++slotsInUse_;
    ++n;
    acceptRequest(q, prm::decodeRequest(raw));
  }
}

bool BehaviouralDevice::canWriteCompletion(unsigned q) const {
  const QueuePair& p = qps_[q];
  const bool full = uint16_t(p.cqTail - p.cqHead) >= (1u << p.cqSize);
  return p.enable && !p.halted && !p.pending.empty() && !full;
}

void BehaviouralDevice::writeCompletions(unsigned q) {
  QueuePair& p = qps_[q];
  unsigned n = 0;
  while (canWriteCompletion(q) && (config_.cplPerStep == 0 || n < config_.cplPerStep)) {
    prm::Completion c = p.pending.front().cpl;
    c.phase = prm::phaseFor(p.cqTail, p.cqSize);
    const uint64_t slot = p.cqTail & ((1u << p.cqSize) - 1u);
    const uint64_t addr = p.cqBase + slot * prm::kCqEntryBytes;
    const auto bytes = prm::encodeCompletion(c);
    bool okay = true;
    if (p.failCplWrites != 0) {
      --p.failCplWrites;
      ++injectedCplWriteErrors_;
      okay = false;
    }
    okay = okay && !dmaBlocked(addr, bytes.size());
    if (okay) okay = memory_.dmaWrite(addr, bytes.data(), bytes.size());
    if (dmaTap_) dmaTap_(true, addr, bytes.data(), unsigned(bytes.size()), okay);
    if (!okay) {
      dmaError(q, prm::err::kDmaWr);
      return;
    }
    if (p.cqTail == p.signalledTail) p.firstUnsignalled = cycle_;
    ++p.cqTail;
    ++counters_.cplWritten;
    if (p.pending.front().holdsSlot) --slotsInUse_;
    p.pending.pop_front();
    ++n;
  }
}

void BehaviouralDevice::complete(unsigned q, const prm::Completion& c, bool holdsSlot) {
  qps_[q].pending.push_back(QueuePair::Pending{c, holdsSlot});
}

}  // namespace chimney
