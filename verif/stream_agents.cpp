#include "stream_agents.h"

#include "Vcpl_engine.h"

namespace chimney::rtltest {

std::vector<prm::Work> WorkSink::workFor(uint16_t conn) const {
  std::vector<prm::Work> out;
  for (const WorkItem& w : items_)
    if (w.work.conn == conn) out.push_back(w.work);
  return out;
}

void WorkSink::drive(Vcpl_engine& io) const {
  io.m_work_ready = ready();
}

void WorkSink::sample(const Vcpl_engine& io, uint64_t cycle) {
  if (take(cycle, io.m_work_valid, io.m_work_data)) {
    const WorkItem item{prm::decodeWork(io.m_work_data), io.m_work_data, cycle};
    keep(item);
    if (hook_) hook_(item);
  }
}

void EventSource::drive(Vcpl_engine& io) {
  if (!offered_ && mayOffer_ && !queue_.empty()) offered_ = true;
  io.s_evt_valid = offered_;
  io.s_evt_data = offered_ ? queue_.front() : 0;
}

void EventSource::sample(const Vcpl_engine& io, uint64_t cycle) {
  if (offered_ && io.s_evt_ready) {
    if (record_) accepted_.push_back({queue_.front(), cycle});
    ++acceptedCount_;
    queue_.pop_front();
    offered_ = false;
  }
  mayOffer_ = chance(rng_, validPercent_);
}

size_t IrqSink::count(unsigned vector) const {
  size_t n = 0;
  for (const IrqMessage& m : items_) n += m.vector == vector ? 1 : 0;
  return n;
}

void IrqSink::drive(Vcpl_engine& io) const {
  io.m_irq_ready = ready();
}

void IrqSink::sample(const Vcpl_engine& io, uint64_t cycle) {
  if (take(cycle, io.m_irq_valid, io.m_irq_vector)) keep({io.m_irq_vector, cycle});
}

}  // namespace chimney::rtltest
