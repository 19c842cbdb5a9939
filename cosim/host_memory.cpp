#include "host_memory.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <iterator>

namespace chimney {

HostMemory::HostMemory(sc_core::sc_module_name name, const Config& config)
    : sc_core::sc_module(name), socket("socket"), config_(config) {
  socket.register_b_transport(this, &HostMemory::b_transport);
  socket.register_transport_dbg(this, &HostMemory::transport_dbg);
}

uint64_t HostMemory::allocate(std::size_t bytes, std::size_t align) {
  return storage_.allocate(bytes, align);
}
void HostMemory::release(uint64_t busAddr) {
  const uint64_t bytes = storage_.windowBytes(busAddr);
  if (releaseTap_) releaseTap_(busAddr, bytes);
  storage_.release(busAddr);
  released_.push_back({busAddr, bytes, sc_core::sc_time_stamp().value()});
  if (released_.size() > kReleasedKept) released_.pop_front();
}

void HostMemory::noteStray(bool isWrite, uint64_t addr, unsigned len, uint64_t at) {
  ++stats_.strayDma;
  stats_.lastStrayAddress = addr;
  if (firstStray_) return;
  Stray s{isWrite, addr, len, at, std::nullopt};
  // the newest release it overlaps (an address may have been handed out
  // and released more than once)
  for (auto r = released_.rbegin(); r != released_.rend(); ++r) {
    if (addr < r->base + r->bytes && addr + len > r->base) {
      s.inside = *r;
      break;
    }
  }
  firstStray_ = s;
}

std::string HostMemory::firstStrayDescription(const sc_core::sc_time& period) const {
  if (!firstStray_) return {};
  const Stray& s = *firstStray_;
  const uint64_t ticks = std::max<uint64_t>(1, period.value());
  char text[320];
  int n = std::snprintf(text, sizeof text,
                        "first stray DMA: a %s of %u bytes at 0x%" PRIx64 " in cycle %" PRIu64,
                        s.isWrite ? "write" : "read", s.len, s.addr, s.at / ticks);
  if (s.inside && n > 0 && std::size_t(n) < sizeof text) {
    std::snprintf(text + n, sizeof text - std::size_t(n),
                  ", into 0x%" PRIx64 "..0x%" PRIx64 " that the driver released in cycle %" PRIu64,
                  s.inside->base, s.inside->base + s.inside->bytes, s.inside->at / ticks);
  } else if (n > 0 && std::size_t(n) < sizeof text) {
    std::snprintf(text + n, sizeof text - std::size_t(n),
                  ", outside every window mapped now or among the last %zu released",
                  kReleasedKept);
  }
  return text;
}
void HostMemory::read(uint64_t busAddr, void* dst, std::size_t bytes) const {
  applyWrites(sc_core::sc_time_stamp().value());
  storage_.read(busAddr, dst, bytes);
}
void HostMemory::write(uint64_t busAddr, const void* src, std::size_t bytes) {
  applyWrites(sc_core::sc_time_stamp().value());
  storage_.write(busAddr, src, bytes);
}

void HostMemory::applyWrites(uint64_t time) const {
  while (pendingHead_ != pending_.size() && pending_[pendingHead_].at <= time) {
    const PendingWrite& w = pending_[pendingHead_];
    storage_.write(w.addr, w.data.data(), w.len);
    ++pendingHead_;
  }
  // Applied writes leave the front; the vector's room is kept.
  if (pendingHead_ == pending_.size()) {
    pending_.clear();
    pendingHead_ = 0;
  } else if (pendingHead_ >= 64 && 2 * pendingHead_ >= pending_.size()) {
    pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(pendingHead_));
    pendingHead_ = 0;
  }
}

void HostMemory::setLatency(const sc_core::sc_time& read, const sc_core::sc_time& write) {
  config_.readLatency = read;
  config_.writeLatency = write;
}

void HostMemory::failDma(uint64_t busAddr, uint64_t bytes, unsigned count, bool reads,
                         bool writes) {
  failDma([busAddr, bytes] { return std::make_pair(busAddr, bytes); }, count, reads, writes);
}

void HostMemory::failDma(Window window, unsigned count, bool reads, bool writes) {
  if (count != 0 && (reads || writes))
    faults_.push_back(Fault{std::move(window), count, reads, writes});
}

bool HostMemory::injectFault(bool isWrite, uint64_t addr, uint64_t bytes) {
  auto hit = std::find_if(faults_.begin(), faults_.end(), [&](const Fault& f) {
    if (!(isWrite ? f.writes : f.reads)) return false;
    const auto [base, size] = f.window();
    return addr + bytes > base && addr < base + size;
  });
  if (hit == faults_.end()) return false;
  if (--hit->count == 0) faults_.erase(hit);
  ++stats_.injectedErrors;
  ++(isWrite ? stats_.injectedWriteErrors : stats_.injectedReadErrors);
  return true;
}

void HostMemory::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const tlm::tlm_command cmd = trans.get_command();
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (cmd == tlm::TLM_IGNORE_COMMAND) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (trans.get_byte_enable_ptr() != nullptr) {
    ++stats_.refused;
    trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (trans.get_streaming_width() < len) {
    ++stats_.refused;
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  const bool isWrite = cmd == tlm::TLM_WRITE_COMMAND;
  const uint64_t start = (sc_core::sc_time_stamp() + delay).value();
  delay += isWrite ? config_.writeLatency : config_.readLatency;
  if (injectFault(isWrite, addr, len)) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    if (tap_) tap_(isWrite, addr, trans.get_data_ptr(), len, false);
    return;
  }
  applyWrites(start);
  bool ok = false;
  if (!isWrite) {
    ok = storage_.dmaRead(addr, trans.get_data_ptr(), len);
  } else if (len > PendingWrite{}.data.size() || !storage_.isMapped(addr, len)) {
    ok = storage_.dmaWrite(addr, trans.get_data_ptr(), len);  // at once; counts a stray
  } else {
    PendingWrite w{(sc_core::sc_time_stamp() + delay).value(), addr, len, {}};
    std::copy_n(trans.get_data_ptr(), len, w.data.begin());
    auto at = pending_.end();
    const auto first = pending_.begin() + std::ptrdiff_t(pendingHead_);
    while (at != first && std::prev(at)->at > w.at) --at;
    pending_.insert(at, w);
    ok = true;
  }
  if (!ok) {
    noteStray(isWrite, addr, len, start);
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    if (tap_) tap_(isWrite, addr, trans.get_data_ptr(), len, false);
    return;
  }
  if (isWrite) {
    ++stats_.writes;
    stats_.bytesWritten += len;
  } else {
    ++stats_.reads;
    stats_.bytesRead += len;
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  if (tap_) tap_(isWrite, addr, trans.get_data_ptr(), len, true);
}

// Debug access (no latency, no window check, not counted).
unsigned int HostMemory::transport_dbg(tlm::tlm_generic_payload& trans) {
  const unsigned len = trans.get_data_length();
  applyWrites(sc_core::sc_time_stamp().value());
  if (trans.get_command() == tlm::TLM_WRITE_COMMAND) {
    storage_.write(trans.get_address(), trans.get_data_ptr(), len);
  } else if (trans.get_command() == tlm::TLM_READ_COMMAND) {
    storage_.read(trans.get_address(), trans.get_data_ptr(), len);
  }
  return len;
}

}  // namespace chimney
