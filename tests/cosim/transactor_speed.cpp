// Speed of the co-simulation loop against a bare C++ loop around the same
// Verilated model (not a test: wall-clock figures are printed, not asserted).
//   cosim_speed [cycles]
// Prints cycles per second for both loops and their ratio.
// The Verilated header first: after SystemC it would switch to SC mode.
#include "Vcpl_engine.h"
// clang-format off
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <systemc>

#include "engine_model.h"
#include "host_memory.h"
// clang-format on
#include "cosim_fixture.h"
#include "transactor.h"

namespace {

double seconds(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

// The baseline: the same model, every ready high, nothing else.
double bareLoop(uint64_t cycles) {
  chimney::EngineModel model;
  model.reset();
  Vcpl_engine& io = model.io();
  io.s_axil_bready = io.s_axil_rready = io.m_work_ready = io.m_irq_ready = 1;
  io.m_axi_arready = io.m_axi_awready = io.m_axi_wready = 1;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < cycles; ++i) {
    model.settle();
    model.tick();
  }
  return double(cycles) / seconds(start);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const uint64_t cycles = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  const double bare = bareLoop(cycles);

  chimney::Transactor::Config config;
  config.idleCycles = 0;
  config.maxCycles = cycles + config.resetCycles;
  chimney::HostMemory memory("memory");
  chimney::Transactor transactor("transactor", config);
  chimney::test::RawInitiator initiator("initiator");
  chimney::test::EchoPeer peer(100);
  transactor.dma.bind(memory.socket);
  initiator.socket.bind(transactor.regs);
  transactor.setPeer(&peer);
  const auto start = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double cosim = double(cycles) / seconds(start);

  std::printf("bare loop   %12.0f cycles/s\n", bare);
  std::printf("transactor  %12.0f cycles/s  (%.2fx of bare, %llu syncs)\n", cosim, cosim / bare,
              static_cast<unsigned long long>(transactor.stats().syncs));
  return 0;
}
