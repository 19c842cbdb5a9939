// The checkers are bound into the Verilated engine every build links: an
// environment that breaks the valid/ready rule on an engine port stops the
// simulation with the checker's message (Verilator's default on a failed
// assertion), while a legal environment runs on.
#include <gtest/gtest.h>
#include <unistd.h>

#include "Vcpl_engine.h"
#include "engine_model.h"

namespace {

// Verilator prints the assertion message on stdout; the death test reads
// stderr.
void stdoutToStderr() {
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
}

// Settles and clocks the engine n times with the inputs as they are.
void runCycles(chimney::EngineModel& model, int n) {
  for (int i = 0; i < n; ++i) {
    model.settle();
    model.tick();
  }
}

// An engine just out of reset, and its ports.
struct ResetEngine {
  chimney::EngineModel model;
  Vcpl_engine& io = model.io();
  ResetEngine() { model.reset(); }
};

// Keeps offering CSR writes without taking the write response: the first
// write is taken, checked and answered (cycles 1 to 3), the second fills the
// engine's address and data holding registers (cycle 4: awready falls and
// stays low, the response is not taken), and the third address, offered at
// cycle 5, is withdrawn before awready: the AXI4-Lite rule is broken.
void withdrawWriteAddress() {
  stdoutToStderr();
  ResetEngine e;
  e.io.s_axil_bready = 0;
  e.io.s_axil_rready = 1;
  e.io.s_axil_awaddr = 0x0000;
  e.io.s_axil_awvalid = 1;
  e.io.s_axil_wvalid = 1;
  e.io.s_axil_wstrb = 0xF;
  runCycles(e.model, 5);
  e.io.s_axil_awvalid = 0;
  runCycles(e.model, 4);
}

// Keeps offering events while the engine is disabled: its one-entry input
// register fills, and the next event's payload changes while it is stalled.
void changeStalledEvent() {
  stdoutToStderr();
  ResetEngine e;
  e.io.s_evt_valid = 1;
  for (uint64_t i = 0; i < 8; ++i) {
    e.io.s_evt_data = 0x1111 + i;
    runCycles(e.model, 1);
  }
}

TEST(SvaEngineBind, LegalEnvironmentRunsOn) {
  ResetEngine e;
  e.io.s_evt_valid = 1;
  e.io.s_evt_data = 0x1111;  // held while stalled
  runCycles(e.model, 20);
  EXPECT_EQ(e.model.cycle(), 24u);
}

TEST(SvaEngineBindDeathTest, WriteAddressWithdrawnBeforeReadyStopsTheRun) {
  EXPECT_DEATH(withdrawWriteAddress(), "SVA s_axil AW: valid dropped before ready");
}

TEST(SvaEngineBindDeathTest, EventChangedWhileStalledStopsTheRun) {
  EXPECT_DEATH(changeStalledEvent(), "SVA s_evt: payload changed while stalled");
}

}  // namespace
