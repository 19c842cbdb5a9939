// chimney-cosim: runs one co-simulation scenario of the completion engine
// RTL under the NDIS TCP chimney driver models and reports the outcome.
// Exit codes: 0 clean, 1 invariant violation or expectation mismatch, 2 bad
// arguments (see run_options.h).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <systemc>

#include "bench.h"
#include "run_options.h"
#include "run_report.h"
#include "scenario_registry.h"
#include "trace_on_fail.h"

namespace {

int runCosim(const chimney::tb::RunOptions& options, const std::string& program) {
  using namespace chimney::tb;
  const ScenarioInfo* scenario = findScenario(options.scenario);
  if (scenario == nullptr) {  // parseCommandLine accepts registered names only
    std::cerr << "chimney-cosim: error: --scenario " << options.scenario << ": unknown\n";
    return kExitBadArgs;
  }
  // SystemC's own warnings (e.g. on sc_stop) are not the run's outcome.
  sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  // Driver libraries load (and are checked) before anything is simulated.
  chimney::abi::LoadedDrivers drivers;
  for (const std::string& d : options.imDrivers) {
    if (d != "builtin") drivers.loadIm(d);
  }
  if (!options.targetDriver.empty()) drivers.loadTarget(options.targetDriver);

  RunReport report;
  report.options = options;
  BenchConfig config;
  scenario->configure(config, options);
  Bench bench("bench", options, config, scenario->body, report, &drivers);
  sc_core::sc_start();
  if (!bench.finished()) {
    report.mismatches.push_back(
        "the simulation stopped before the scenario finished (hard cycle limit or starvation) at "
        "cycle " +
        std::to_string(bench.cycle()));
  }

  if (!options.quiet || !report.clean()) printSummary(report, std::cout);
  // Said also when --quiet keeps a clean run's summary back: the run says
  // nothing about a fault it never reached.
  for (const std::string& name : faultsNeverApplied(report)) {
    std::cerr << "chimney-cosim: warning: --inject " << name
              << " was never applied: this run did not reach it\n";
  }
  bool outputsOk = true;
  if (!options.traceFile.empty()) {
    bench.closeTrace();
    outputsOk = writeWaveView(report, bench.tagNames(), std::cerr);
  }
  if (!report.clean() && !options.traceOnFailDir.empty()) {
    outputsOk = replayTraced(report, program, std::cout, std::cerr) && outputsOk;
  }
  if (!options.jsonFile.empty()) {
    std::ofstream json(options.jsonFile);
    writeJson(report, json);
    if (!json) {
      std::cerr << "chimney-cosim: error: --json " << options.jsonFile << ": write failed\n";
      return kExitFailed;
    }
  }
  return report.clean() && outputsOk ? kExitClean : kExitFailed;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  chimney::tb::ParseOutcome parsed =
      chimney::tb::parseCommandLine(argc, argv, std::cout, std::cerr);
  if (!parsed.run) return parsed.exitCode;
  try {
    // The replay of --trace-on-fail runs this same program.
    return runCosim(parsed.options, "/proc/self/exe");
  } catch (const chimney::abi::DriverLoadError& e) {
    std::cerr << "chimney-cosim: error: driver library " << e.what() << "\n";
    return chimney::tb::kExitBadArgs;
  } catch (const std::exception& e) {
    std::cerr << "chimney-cosim: internal error: " << e.what()
              << "\nrepeat with: " << parsed.options.reproduceCommand() << "\n";
    return chimney::tb::kExitFailed;
  }
}

// Our own main so the SystemC banner stays off the summary.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "DISABLE", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
