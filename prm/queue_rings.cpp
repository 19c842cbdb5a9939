#include "queue_rings.h"

#include <array>
#include <vector>

namespace chimney {

uint16_t SqRing::push(const prm::Request& r) {
  const auto bytes = prm::encodeRequest(r);
  memory().write(slotAddr(tail_), bytes.data(), bytes.size());
  return tail_++;
}

prm::Request SqRing::at(uint16_t ptr) const {
  std::array<uint8_t, kEntryBytes> bytes{};
  memory().read(slotAddr(ptr), bytes.data(), bytes.size());
  return prm::decodeRequest(bytes.data());
}

void CqRing::restart() {
  const std::vector<uint8_t> zeros(bytes(), 0);
  memory().write(base(), zeros.data(), zeros.size());
  head_ = 0;
}

std::optional<prm::Completion> CqRing::peek() const {
  std::array<uint8_t, kEntryBytes> bytes{};
  memory().read(slotAddr(head_), bytes.data(), bytes.size());
  const prm::Completion c = prm::decodeCompletion(bytes.data());
  if (c.phase != expectedPhase()) return std::nullopt;
  return c;
}

}  // namespace chimney
