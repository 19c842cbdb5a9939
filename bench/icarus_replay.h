// The Icarus Verilog side of the replay: compiles bench/replay_tb.sv with the
// RTL sources and replays a port recording (port_recorder.h) on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chimney::bench {

struct ReplayOutcome {
  bool ok = false;  // compiled, ran to the end and printed its summary
  bool timedOut = false;
  uint64_t cycles = 0;
  uint64_t mismatches = 0;
  double seconds = 0;  // wall time of the step (compile or replay)
  long maxRssKb = 0;
  std::string error;   // what went wrong, with the log file to read
  std::string output;  // the tool's output
};

// rtl/*.sv under `sourceDir`, sorted.
std::vector<std::string> rtlSources(const std::string& sourceDir);

// iverilog -g2012 into `vvpFile`; the log goes next to it (.log).
ReplayOutcome compileReplay(const std::string& iverilog, const std::string& sourceDir,
                            const std::string& vvpFile);
// vvp -n vvpFile +rec=recording; stops it after timeoutSeconds (0: never).
ReplayOutcome runReplay(const std::string& vvp, const std::string& vvpFile,
                        const std::string& recording, const std::string& logFile,
                        double timeoutSeconds);

}  // namespace chimney::bench
