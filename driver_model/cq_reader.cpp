#include "cq_reader.h"

#include <array>
#include <vector>

namespace chimney {

namespace {
constexpr std::size_t kRingAlign = 4096;
}

CqReader::CqReader(DeviceInterface& device, unsigned qp, unsigned log2Entries)
    : device_(device),
      qp_(qp),
      log2Entries_(log2Entries),
      ring_(device.memory(), std::size_t{prm::kCqEntryBytes} << log2Entries, kRingAlign) {}

bool CqReader::program() {
  // allocate() zero-fills, but program() may also be called on a ring that
  // was used before (re-initialisation): phase 0 everywhere again.
  const std::vector<uint8_t> zeros(ring_.bytes(), 0);
  ring_.write(0, zeros.data(), zeros.size());
  const uint64_t b = ring_.busAddr();
  bool ok = device_.write32(reg(prm::reg::kCqBaseLo), uint32_t(b));
  ok = device_.write32(reg(prm::reg::kCqBaseHi), uint32_t(b >> 32)) && ok;
  ok = device_.write32(reg(prm::reg::kCqSize), log2Entries_) && ok;
  head_ = doorbell_ = 0;
  return ok;
}

bool CqReader::relocate() {
  DmaRegion fresh(device_.memory(), ring_.bytes(), kRingAlign);
  std::vector<uint8_t> copy(ring_.bytes());
  ring_.read(0, copy.data(), copy.size());
  fresh.write(0, copy.data(), copy.size());
  const uint64_t b = fresh.busAddr();
  bool ok = device_.write32(reg(prm::reg::kCqBaseLo), uint32_t(b));
  ok = device_.write32(reg(prm::reg::kCqBaseHi), uint32_t(b >> 32)) && ok;
  if (ok) ring_ = std::move(fresh);
  return ok;
}

std::optional<prm::Completion> CqReader::peek() const {
  std::array<uint8_t, prm::kCqEntryBytes> bytes{};
  const std::size_t slot = head_ & (entries() - 1);
  ring_.read(slot * prm::kCqEntryBytes, bytes.data(), bytes.size());
  const prm::Completion c = prm::decodeCompletion(bytes.data());
  if (c.phase != expectedPhase()) return std::nullopt;
  return c;
}

bool CqReader::writeHead(bool arm, uint16_t value) {
  const uint32_t v = uint32_t{value} | (arm ? prm::kCqHeadArm : 0u);
  if (!device_.write32(reg(prm::reg::kCqHead), v)) return false;
  doorbell_ = value;
  return true;
}

}  // namespace chimney
