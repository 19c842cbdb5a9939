#include "stream_agents.h"

#include "Vcpl_engine.h"

namespace chimney::rtltest {
namespace {
bool chance(std::mt19937_64& rng, unsigned percent) {
  if (percent >= 100) return true;
  return std::uniform_int_distribution<unsigned>(0, 99)(rng) < percent;
}
}  // namespace

std::vector<prm::Work> WorkSink::workFor(uint16_t conn) const {
  std::vector<prm::Work> out;
  for (const WorkItem& w : items_)
    if (w.work.conn == conn) out.push_back(w.work);
  return out;
}

void WorkSink::drive(Vcpl_engine& io) const {
  io.m_work_ready = ready_;
}

void WorkSink::sample(const Vcpl_engine& io, uint64_t cycle) {
  check_.observe(cycle, io.m_work_valid, ready_, io.m_work_data, log_);
  if (io.m_work_valid && ready_) {
    items_.push_back({prm::decodeWork(io.m_work_data), io.m_work_data, cycle});
    if (hook_) hook_(items_.back());
  }
  ready_ = chance(rng_, readyPercent_);
}

void EventSource::drive(Vcpl_engine& io) {
  if (!offered_ && mayOffer_ && !queue_.empty()) offered_ = true;
  io.s_evt_valid = offered_;
  io.s_evt_data = offered_ ? queue_.front() : 0;
}

void EventSource::sample(const Vcpl_engine& io, uint64_t cycle) {
  if (offered_ && io.s_evt_ready) {
    accepted_.push_back({queue_.front(), cycle});
    queue_.pop_front();
    offered_ = false;
  }
  mayOffer_ = chance(rng_, validPercent_);
}

size_t IrqSink::count(unsigned vector) const {
  size_t n = 0;
  for (const IrqMessage& m : messages_) n += m.vector == vector ? 1 : 0;
  return n;
}

void IrqSink::drive(Vcpl_engine& io) const {
  io.m_irq_ready = ready_;
}

void IrqSink::sample(const Vcpl_engine& io, uint64_t cycle) {
  check_.observe(cycle, io.m_irq_valid, ready_, io.m_irq_vector, log_);
  if (io.m_irq_valid && ready_) messages_.push_back({io.m_irq_vector, cycle});
  ready_ = chance(rng_, readyPercent_);
}

}  // namespace chimney::rtltest
