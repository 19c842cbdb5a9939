#include "cq_reader.h"

namespace chimney {

bool CqReader::program() {
  // allocate() zero-fills, but program() may also be called on a ring that
  // was used before (re-initialisation): phase 0 everywhere again.
  const bool ok = programRing();
  doorbell_ = 0;
  return ok;
}

bool CqReader::writeHead(bool arm, uint16_t value) {
  const uint32_t v = uint32_t{value} | (arm ? prm::kCqHeadArm : 0u);
  if (!device_.write32(reg(prm::reg::kCqHead), v)) return false;
  doorbell_ = value;
  return true;
}

}  // namespace chimney
