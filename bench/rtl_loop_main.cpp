// chimney-rtl-loop: the bare Verilated loops of the benchmark, as a program
// of its own so that it can be built against another RTL source tree (the
// side-by-side comparison with an earlier RTL in scripts/bench.sh).
//
//   chimney-rtl-loop rtl --ops N [--seed S] [--json FILE]
//       the RTL-only workload (bench/rtl_workload.h)
//   chimney-rtl-loop replay FILE [--verify] [--min-seconds S] [--json FILE]
//       replays a port log of chimney-cosim --record-ports FILE (in passes
//       from reset until S seconds have passed)
//
// Each prints one JSON line: cycles, wall_seconds (the loop alone) and, for
// replay, mismatches (with --verify). Exit 0 when the run worked, 1 when it
// reported errors, 2 on bad arguments.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "guarded_main.h"
#include "port_log.h"
#include "rtl_workload.h"

namespace {

void emit(const std::string& text, const std::string& json) {
  std::cout << text;
  if (!json.empty()) std::ofstream(json) << text;
}

int run(int argc, char** argv) {
  CLI::App app{"chimney-rtl-loop: bare Verilated loops of the benchmark"};
  app.require_subcommand(1);
  std::string json;
  CLI::App* rtl = app.add_subcommand("rtl", "the RTL-only workload");
  unsigned ops = 2000;
  uint64_t seed = 1;
  rtl->add_option("--ops", ops, "sends of the workload")->check(CLI::Range(1u, 10000000u));
  rtl->add_option("--seed", seed, "seed of the workload");
  rtl->add_option("--json", json, "also write the figures to FILE");
  CLI::App* replay = app.add_subcommand("replay", "replay a port log");
  std::string file;
  bool verify = false;
  double minSeconds = 0;
  replay->add_option("file", file, "port log (chimney-cosim --record-ports)")->required();
  replay->add_option("--min-seconds", minSeconds, "replay in passes until this much time passed")
      ->check(CLI::Range(0.0, 3600.0));
  replay->add_flag("--verify", verify, "compare every cycle's outputs with the recording");
  replay->add_option("--json", json, "also write the figures to FILE");
  CLI11_PARSE(app, argc, argv);

  std::ostringstream text;
  if (rtl->parsed()) {
    chimney::bench::RtlWorkloadConfig config;
    config.ops = ops;
    config.seed = seed;
    const auto r = chimney::bench::runRtlWorkload(config);
    text << "{\"cycles\": " << r.cycles << ", \"wall_seconds\": " << r.wallSeconds
         << ", \"cpu_seconds\": " << r.cpuSeconds << ", \"completions\": " << r.completions
         << ", \"errors\": " << r.errors.size() << "}\n";
    emit(text.str(), json);
    for (const std::string& e : r.errors) std::cerr << "rtl run: " << e << "\n";
    return r.ok() ? 0 : 1;
  }
  const chimney::ReplayResult r = chimney::replayPortLog(file, verify, minSeconds);
  text << "{\"cycles\": " << r.cycles << ", \"wall_seconds\": " << r.wallSeconds
       << ", \"mismatches\": " << r.mismatches << "}\n";
  emit(text.str(), json);
  return r.mismatches == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return chimney::bench::guardedMain("chimney-rtl-loop", run, argc, argv);
}
