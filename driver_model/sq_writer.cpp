#include "sq_writer.h"

namespace chimney {

bool SqWriter::program() {
  const bool ok = programRing();
  head_ = doorbell_ = 0;
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
  ring_.push(request);
  return true;
}

bool SqWriter::ringDoorbell(bool force) {
  if (!force && doorbell_ == tail()) return true;
  if (!device_.write32(reg(prm::reg::kSqTail), tail())) return false;
  doorbell_ = tail();
  return true;
}

}  // namespace chimney
