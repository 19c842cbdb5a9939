// The Verilated model's headers come first: included after SystemC they
// switch to Verilator's SystemC mode, which this plain C++ model is not.
#include "Vcpl_engine.h"
// clang-format off
#include "transactor.h"
// clang-format on

#include <algorithm>
#include <cstdio>

namespace chimney {
namespace {

constexpr uint64_t kCsrSpace = 0x10000;  // 16-bit AXI4-Lite address
constexpr uint8_t kRespSlvErr = 2;
constexpr uint8_t kRespDecErr = 3;

}  // namespace

// One register access, owned by the calling thread's b_transport frame.
struct Transactor::RegAccess {
  bool write = false;
  uint16_t addr = 0;
  uint32_t wdata = 0;
  uint8_t wstrb = 0;
  uint32_t rdata = 0;
  uint8_t resp = 0;
  uint64_t notBefore = 0;  // the cycle of the caller's time: never started earlier
  bool done = false;       // set when the caller may return (after synchronisation)
};

Transactor::Transactor(sc_core::sc_module_name name, const Config& config)
    : sc_core::sc_module(name),
      regs("regs"),
      dma("dma"),
      config_(config),
      period_(double(config.engine.clockPeriodPs), sc_core::SC_PS),
      model_(std::make_unique<EngineModel>(config.engine)),
      dmaPort_(period_) {
  if (config_.quantumCycles == 0) config_.quantumCycles = 1;
  idleCycles_ = config_.idleCycles == 0 ? std::numeric_limits<uint64_t>::max() : config_.idleCycles;
  if (config_.csrReadyPercent < 100) {
    csr_.setResponseReadyPercent(config_.csrReadyPercent,
                                 config_.readySeed ^ 0x6373722d72656479ull);
  }
  workReady_.set(config_.workReadyPercent, config_.readySeed ^ 0x776f726b2d726479ull);
  irqReady_.set(config_.irqReadyPercent, config_.readySeed ^ 0x6972712d72656479ull);
  if (config_.dmaReadyPercent < 100) {
    dmaPort_.setBackPressure(config_.dmaReadyPercent, config_.readySeed ^ 0x646d612d72656479ull);
  }
  regs.register_b_transport(this, &Transactor::b_transport);
  SC_HAS_PROCESS(Transactor);
  SC_THREAD(loop);
}

Transactor::~Transactor() = default;

void Transactor::kick() {
  if (sc_core::sc_is_running()) wakeEvent_.notify();
}

std::optional<unsigned> Transactor::popInterrupt() {
  if (irqQueue_.empty()) return std::nullopt;
  const unsigned v = irqQueue_.front();
  irqQueue_.pop_front();
  return v;
}

// ---- register target --------------------------------------------------------

void Transactor::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  // The caller's local time offset is honoured before the access starts.
  if (delay != sc_core::SC_ZERO_TIME) {
    wait(delay);
    delay = sc_core::SC_ZERO_TIME;
  }
  const tlm::tlm_command cmd = trans.get_command();
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  unsigned char* data = trans.get_data_ptr();
  if (cmd == tlm::TLM_IGNORE_COMMAND) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (addr >= kCsrSpace || addr + len > kCsrSpace) {
    ++stats_.regRejected;
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  // Byte lanes of the 32-bit word the access starts in; what does not fit in
  // one AXI4-Lite transfer is refused here, everything else (misaligned
  // addresses, partial strobes) goes to the engine, which answers SLVERR.
  unsigned lanes = 0;
  for (unsigned i = 0; i < len; ++i) {
    const bool enabled = trans.get_byte_enable_ptr() == nullptr ||
                         trans.get_byte_enable_ptr()[i % trans.get_byte_enable_length()] != 0;
    if (enabled) lanes |= 1u << ((addr & 3) + i);
  }
  lanes &= 0xF;
  const bool isWrite = cmd == tlm::TLM_WRITE_COMMAND;
  const bool expressible = len >= 1 && len <= 4 && trans.get_streaming_width() >= len &&
                           (isWrite || (len == 4 && trans.get_byte_enable_ptr() == nullptr));
  if (!expressible) {
    ++stats_.regRejected;
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }

  RegAccess access;
  access.write = isWrite;
  access.addr = uint16_t(addr);
  if (isWrite) {
    for (unsigned i = 0; i < len && (addr & 3) + i < 4; ++i) {
      access.wdata |= uint32_t(data[i]) << (8 * ((addr & 3) + i));
    }
    access.wstrb = uint8_t(lanes);
  }
  const uint64_t ticks = period_.value();
  access.notBefore = (sc_core::sc_time_stamp().value() + ticks - 1) / ticks;
  regQueue_.push_back(&access);
  wakeEvent_.notify();
  while (!access.done) wait(regDoneEvent_);

  if (isWrite) {
    ++stats_.regWrites;
  } else {
    ++stats_.regReads;
    for (unsigned i = 0; i < 4; ++i) data[i] = uint8_t(access.rdata >> (8 * i));
  }
  if (access.resp == kRespSlvErr) {
    ++stats_.regErrors;
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
  } else if (access.resp == kRespDecErr) {
    ++stats_.regErrors;
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  } else {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
}

void Transactor::startRegAccess() {
  regActive_ = regQueue_.front();
  regQueue_.pop_front();
  if (regActive_->write) {
    csr_.startWrite(regActive_->addr, regActive_->wdata, regActive_->wstrb);
  } else {
    csr_.startRead(regActive_->addr);
  }
  regStartCycle_ = model_->cycle();
}

// ---- the cycle loop -----------------------------------------------------------

void Transactor::stepCycle() {
  Vcpl_engine& io = model_->io();
  const uint64_t c = model_->cycle();

  // Inputs, from state registered before this cycle.
  if (regActive_ == nullptr && !regQueue_.empty() && regQueue_.front()->notBefore <= c) {
    startRegAccess();
  }
  csr_.drive(io);
  dmaPort_.drive(io, c);
  if (!evtPending_ && peer_ != nullptr) {
    if (const std::optional<prm::Event> e = peer_->nextEvent(c)) {
      evtPending_ = true;
      evtData_ = prm::encodeEvent(*e);
    }
  }
  io.s_evt_valid = evtPending_;
  io.s_evt_data = evtData_;
  io.m_work_ready = workReady_.draw();
  io.m_irq_ready = irqReady_.draw();

  model_->settle();

  // Handshakes that fire at this rising edge.
  bool fired = dmaPort_.sample(io, c);
  const bool answered = csr_.sample(io, c);
  if (regActive_ != nullptr) {
    fired = true;
    RegAccess& a = *regActive_;
    if (answered) {
      a.resp = csr_.result().resp;
      if (!a.write) a.rdata = csr_.result().data;
      regDone_.push_back(regActive_);
      regActive_ = nullptr;
      syncNow_ = true;
    } else if (c - regStartCycle_ > config_.regTimeoutCycles) {
      char msg[128];
      std::snprintf(msg, sizeof msg, "AXI4-Lite %s of 0x%04x not answered within %llu cycles",
                    a.write ? "write" : "read", unsigned(a.addr),
                    static_cast<unsigned long long>(config_.regTimeoutCycles));
      SC_REPORT_ERROR("chimney/transactor", msg);
    }
  }
  if (io.s_evt_valid && io.s_evt_ready) {
    evtPending_ = false;
    ++stats_.events;
    fired = true;
  }
  // A word or message held back is activity too: the engine is not idle.
  workHeld_.observe(c, io.m_work_valid, io.m_work_ready, io.m_work_data, streamLog_);
  irqHeld_.observe(c, io.m_irq_valid, io.m_irq_ready, io.m_irq_vector, streamLog_);
  if (io.m_work_valid) {
    fired = true;
    if (io.m_work_ready) {
      ++stats_.work;
      if (peer_ != nullptr) peer_->onWork(c, prm::decodeWork(io.m_work_data));
    }
  }
  if (io.m_irq_valid) {
    fired = true;
    if (io.m_irq_ready) {
      ++stats_.interrupts;
      irqNew_.push_back(io.m_irq_vector);
      syncNow_ = true;
    }
  }
  if (fired) lastActivity_ = c + 1;

  model_->tick();
}

bool Transactor::idleNow() const {
  const uint64_t c = model_->cycle();
  return c >= lastActivity_ && c - lastActivity_ >= idleCycles_ && regActive_ == nullptr &&
         regQueue_.empty() && !evtPending_ && !dmaPort_.busy() &&
         (peer_ == nullptr || !peer_->busy());
}

uint64_t Transactor::runLimit() const {
  const uint64_t ticks = period_.value();
  const uint64_t now = sc_core::sc_time_stamp().value();
  const uint64_t nowCycle = (now + ticks - 1) / ticks;
  const uint64_t from = std::max(model_->cycle(), nowCycle);
  // Run ahead no further than the next activity another process has
  // scheduled, so that a thread waking from a timed wait finds the model at
  // its time (at most one cycle ahead).
  const uint64_t toNext = sc_core::sc_time_to_pending_activity().value();
  uint64_t end = from + config_.quantumCycles;
  if (toNext == 0) {
    end = from;  // other processes run at this time first
  } else if (toNext / ticks < config_.quantumCycles) {
    end = std::min(end, std::max((now + toNext + ticks - 1) / ticks, from + 1));
  }
  return std::min(end, config_.maxCycles);
}

uint64_t Transactor::now() const {
  return stepping_ ? model_->cycle() : sc_core::sc_time_stamp().value() / period_.value();
}

uint64_t Transactor::settled() const {
  return std::min<uint64_t>(model_->cycle(), sc_core::sc_time_stamp().value() / period_.value());
}

void Transactor::synchronise() {
  const sc_core::sc_time modelTime =
      sc_core::sc_time::from_value(model_->cycle() * period_.value());
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (modelTime > now) {
    ++stats_.syncs;
    wait(modelTime - now);
  }
}

void Transactor::publish() {
  bool woke = false;
  if (!regDone_.empty()) {
    for (RegAccess* a : regDone_) a->done = true;
    regDone_.clear();
    regDoneEvent_.notify();
    woke = true;
  }
  if (!irqNew_.empty()) {
    irqQueue_.insert(irqQueue_.end(), irqNew_.begin(), irqNew_.end());
    irqNew_.clear();
    irqEvent_.notify();
    woke = true;
  }
  // Let the woken threads run (and queue their next access) before the
  // loop goes on.
  if (woke) wait(sc_core::SC_ZERO_TIME);
}

void Transactor::loop() {
  dmaPort_.setTarget(dma.operator->());
  model_->reset(config_.resetCycles);
  lastActivity_ = model_->cycle();
  synchronise();

  while (model_->cycle() < config_.maxCycles) {
    const uint64_t ticks = period_.value();
    const uint64_t nowCycle = (sc_core::sc_time_stamp().value() + ticks - 1) / ticks;
    if (model_->cycle() >= nowCycle && idleNow()) {
      sleeping_ = true;
      wait(wakeEvent_);
      sleeping_ = false;
      // The clock kept running while asleep: the idle cycles are caught up
      // below, and the system gets a fresh idle window from now on.
      lastActivity_ = (sc_core::sc_time_stamp().value() + ticks - 1) / ticks;
      continue;
    }
    const uint64_t end = runLimit();
    if (end <= model_->cycle()) {
      wait(sc_core::SC_ZERO_TIME);
      continue;
    }
    syncNow_ = false;
    stepping_ = true;
    while (model_->cycle() < end) {
      stepCycle();
      if (syncNow_) break;
      if (model_->cycle() >= nowCycle && idleNow()) break;
    }
    stepping_ = false;
    synchronise();
    publish();
  }
  sc_core::sc_stop();
}

}  // namespace chimney
