#include "run_sampler.h"

#include <array>

#include "prm.h"

namespace chimney::tb {

uint64_t cqOccupancy(OffloadTarget& target, const DmaMemory& memory) {
  OffloadHardware& hw = target.hardware();
  uint64_t total = 0;
  for (unsigned q = 0; q < hw.queuePairCount(); ++q) {
    const CqReader& cq = hw.queuePair(q).cq;
    if (cq.base() == 0) continue;
    const uint32_t entries = cq.entries();
    for (uint32_t k = 0; k < entries; ++k) {
      const uint16_t ptr = uint16_t(cq.head() + k);
      std::array<uint8_t, prm::kCqEntryBytes> bytes{};
      memory.read(cq.base() + uint64_t(ptr & (entries - 1)) * prm::kCqEntryBytes, bytes.data(),
                  bytes.size());
      if (prm::decodeCompletion(bytes.data()).phase != prm::phaseFor(ptr, cq.log2Entries())) break;
      ++total;
    }
  }
  return total;
}

}  // namespace chimney::tb
