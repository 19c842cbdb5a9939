#include "sq_writer.h"

namespace chimney {

namespace {
constexpr std::size_t kRingAlign = 4096;  // PRM: bases are 4 KiB aligned
}

SqWriter::SqWriter(DeviceInterface& device, unsigned qp, unsigned log2Entries)
    : device_(device),
      qp_(qp),
      log2Entries_(log2Entries),
      ring_(device.memory(), std::size_t{prm::kSqEntryBytes} << log2Entries, kRingAlign) {}

bool SqWriter::program() {
  const uint64_t b = ring_.busAddr();
  bool ok = device_.write32(reg(prm::reg::kSqBaseLo), uint32_t(b));
  ok = device_.write32(reg(prm::reg::kSqBaseHi), uint32_t(b >> 32)) && ok;
  ok = device_.write32(reg(prm::reg::kSqSize), log2Entries_) && ok;
  tail_ = head_ = doorbell_ = 0;
  return ok;
}

bool SqWriter::relocate() {
  DmaRegion fresh(device_.memory(), ring_.bytes(), kRingAlign);
  // Copy the whole ring: slots not yet fetched keep their place, so the
  // hardware pointers stay valid across the move.
  std::array<uint8_t, prm::kSqEntryBytes> entry{};
  for (uint32_t i = 0; i < entries(); ++i) {
    ring_.read(std::size_t{i} * prm::kSqEntryBytes, entry.data(), entry.size());
    fresh.write(std::size_t{i} * prm::kSqEntryBytes, entry.data(), entry.size());
  }
  const uint64_t b = fresh.busAddr();
  bool ok = device_.write32(reg(prm::reg::kSqBaseLo), uint32_t(b));
  ok = device_.write32(reg(prm::reg::kSqBaseHi), uint32_t(b >> 32)) && ok;
  if (ok) ring_ = std::move(fresh);  // else keep the old ring: the device still points at it
  return ok;
}

SqWriter::HeadRead SqWriter::refreshHead() {
  const RegRead r = device_.read32(reg(prm::reg::kSqHead));
  if (!r.ok) return HeadRead::kReadFailed;
  const uint16_t h = uint16_t(r.value);
  // The engine can only have fetched entries we announced, and never goes back.
  const uint16_t advance = uint16_t(h - head_);
  const uint16_t announced = uint16_t(doorbell_ - head_);
  if (advance > announced) return HeadRead::kOutOfRange;
  head_ = h;
  return HeadRead::kOk;
}

bool SqWriter::push(const prm::Request& request) {
  if (full()) return false;
  const auto bytes = prm::encodeRequest(request);
  const std::size_t slot = tail_ & (entries() - 1);
  ring_.write(slot * prm::kSqEntryBytes, bytes.data(), bytes.size());
  ++tail_;
  return true;
}

bool SqWriter::ringDoorbell(bool force) {
  if (!force && doorbell_ == tail_) return true;
  if (!device_.write32(reg(prm::reg::kSqTail), tail_)) return false;
  doorbell_ = tail_;
  return true;
}

prm::Request SqWriter::entryAt(uint16_t ptr) const {
  std::array<uint8_t, prm::kSqEntryBytes> bytes{};
  ring_.read(std::size_t(ptr & (entries() - 1)) * prm::kSqEntryBytes, bytes.data(), bytes.size());
  return prm::decodeRequest(bytes.data());
}

}  // namespace chimney
