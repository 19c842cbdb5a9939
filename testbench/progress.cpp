#include "progress.h"

#include <sstream>

namespace chimney::tb {

ProgressLine::ProgressLine(bool enabled, uint64_t opsPlanned, std::FILE* out)
    : enabled_(enabled),
      planned_(opsPlanned),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressLine::~ProgressLine() {
  finish();
}

std::string ProgressLine::format(uint64_t cycle, uint64_t completed, uint64_t posted,
                                 uint64_t planned, double seconds) {
  std::ostringstream s;
  s << "cycle " << cycle << ", " << completed << " of " << posted << " posted ops completed";
  if (planned > 0) s << " (" << planned << " planned)";
  const double rate = seconds > 0 ? double(completed) / seconds : 0;
  s << ", " << uint64_t(rate) << " ops/s";
  if (rate > 0 && planned > completed) {
    s << ", about " << uint64_t(double(planned - completed) / rate + 0.5) << " s left";
  }
  return s.str();
}

void ProgressLine::update(uint64_t cycle, uint64_t completed, uint64_t posted) {
  if (!enabled_ || (++calls_ & 63u) != 0) return;  // the clock is read every 64th call
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::fprintf(out_, "\r%s\033[K", format(cycle, completed, posted, planned_, seconds).c_str());
  std::fflush(out_);
  shown_ = true;
}

void ProgressLine::finish() {
  if (shown_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
    shown_ = false;
  }
}

}  // namespace chimney::tb
