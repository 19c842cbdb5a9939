#include "axi_memory_responder.h"

#include "Vcpl_engine.h"

namespace chimney::rtltest {

void AxiMemoryResponder::drive(Vcpl_engine& io, uint64_t cycle) {
  AxiDmaSlave::drive(io, cycle);
}

void AxiMemoryResponder::sample(const Vcpl_engine& io, uint64_t cycle) {
  AxiDmaSlave::sample(io, cycle);
}

}  // namespace chimney::rtltest
