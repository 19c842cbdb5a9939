#include "engine_model.h"

#include <gtkwave/fstapi.h>
#include <verilated.h>
#include <verilated_fst_c.h>

#include "Vcpl_engine.h"
#include "port_log.h"

#ifdef CHIMNEY_VL_COVERAGE
#include <unistd.h>
#include <verilated_cov.h>

#include <cstdlib>
#include <vector>
#endif

namespace chimney {

std::vector<EngineModel::TraceSignal> EngineModel::traceSignals(const std::string& fstFile) {
  std::vector<TraceSignal> out;
  void* reader = fstReaderOpen(fstFile.c_str());
  if (reader == nullptr) return out;
  std::vector<std::string> scopes;
  while (const fstHier* h = fstReaderIterateHier(reader)) {
    if (h->htyp == FST_HT_SCOPE) {
      scopes.emplace_back(h->u.scope.name);
    } else if (h->htyp == FST_HT_UPSCOPE) {
      if (!scopes.empty()) scopes.pop_back();
    } else if (h->htyp == FST_HT_VAR) {
      std::string name;
      for (const std::string& sc : scopes) name += sc + ".";
      name += h->u.var.name;
      out.push_back(TraceSignal{name, h->u.var.length});
    }
  }
  fstReaderClose(reader);
  return out;
}

EngineModel::EngineModel() : EngineModel(Config{}) {}

EngineModel::EngineModel(const Config& config)
    : config_(config), context_(std::make_unique<VerilatedContext>()) {
  context_->traceEverOn(!config_.traceFile.empty());
  // One top scope in the trace: "TOP" holds the harness's view of the
  // ports and the design below it (TOP.cpl_engine.u_...), so the design's
  // name is not repeated under a scope of the same name.
  top_ = std::make_unique<Vcpl_engine>(context_.get(), "TOP");
  if (!config_.traceFile.empty()) {
    trace_ = std::make_unique<VerilatedFstC>();
    top_->trace(trace_.get(), 99);
    trace_->open(config_.traceFile.c_str());
  }
  if (!config_.portLog.empty()) portLog_ = std::make_unique<PortLog>(config_.portLog);
  Vcpl_engine& t = *top_;
  t.clk = 0;
  t.rst = 0;
  t.s_axil_awvalid = 0;
  t.s_axil_wvalid = 0;
  t.s_axil_bready = 0;
  t.s_axil_arvalid = 0;
  t.s_axil_rready = 0;
  t.m_axi_awready = 0;
  t.m_axi_wready = 0;
  t.m_axi_bvalid = 0;
  t.m_axi_arready = 0;
  t.m_axi_rvalid = 0;
  t.m_work_ready = 0;
  t.s_evt_valid = 0;
  t.m_irq_ready = 0;
  t.eval();
}

bool EngineModel::codeCoverageBuilt() {
#ifdef CHIMNEY_VL_COVERAGE
  return true;
#else
  return false;
#endif
}

EngineModel::~EngineModel() {
  top_->final();
  closeTrace();
#ifdef CHIMNEY_VL_COVERAGE
  writeCoverage();
#endif
}

void EngineModel::closeTrace() {
  if (trace_) trace_->close();
  trace_.reset();
}

#ifdef CHIMNEY_VL_COVERAGE
// The configured file, or else (for test executables that build many models)
// a new file in $CHIMNEY_COVERAGE_DIR when that is set.
void EngineModel::writeCoverage() {
  std::string file = config_.coverageFile;
  if (file.empty()) {
    const char* dir = std::getenv("CHIMNEY_COVERAGE_DIR");
    if (dir == nullptr || *dir == '\0') return;
    std::string pattern = std::string(dir) + "/model-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return;
    ::close(fd);
    file = name.data();
  }
  context_->coveragep()->write(file.c_str());
}
#endif

void EngineModel::reset(unsigned cycles) {
  top_->rst = 1;
  for (unsigned i = 0; i < cycles; ++i) {
    settle();
    tick();
  }
  top_->rst = 0;
  settle();
}

void EngineModel::settle() {
  top_->eval();
}

void EngineModel::dump(uint64_t timePs) {
  if (trace_ && cycle_ >= config_.traceFrom && cycle_ <= config_.traceTo) trace_->dump(timePs);
}

void EngineModel::tick() {
  // The caller has settled the inputs (settle()), so the clk=0 state is
  // already evaluated: dump it, evaluate the rising edge, and drop the clock
  // without another evaluation (the design has no falling-edge logic; the
  // next settle() evaluates clk=0 with the next inputs). Two evaluations per
  // cycle, not four: input-combinational logic runs on every eval().
  const uint64_t period = config_.clockPeriodPs;
  dump(cycle_ * period);
  top_->clk = 1;
  top_->eval();
  if (portLog_) portLog_->record(*top_);
  dump(cycle_ * period + period / 2);
  ++cycle_;
  context_->time(cycle_ * period);
  top_->clk = 0;
}

}  // namespace chimney
