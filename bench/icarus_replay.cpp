#include "icarus_replay.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "child_process.h"

namespace chimney::bench {

std::vector<std::string> rtlSources(const std::string& sourceDir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(sourceDir + "/rtl")) {
    if (e.path().extension() == ".sv") files.push_back(e.path().string());
  }
  // Packages (*_pkg.sv) first: a package must be compiled before its users.
  const auto isPackage = [](const std::string& f) {
    return f.size() >= 7 && f.compare(f.size() - 7, 7, "_pkg.sv") == 0;
  };
  std::sort(files.begin(), files.end(), [&](const std::string& a, const std::string& b) {
    if (isPackage(a) != isPackage(b)) return isPackage(a);
    return a < b;
  });
  return files;
}

ReplayOutcome compileReplay(const std::string& iverilog, const std::string& sourceDir,
                            const std::string& vvpFile) {
  std::vector<std::string> argv = {
      iverilog,    "-g2012", "-I" + sourceDir, "-s",
      "replay_tb", "-o",     vvpFile,          sourceDir + "/bench/replay_tb.sv"};
  for (const std::string& f : rtlSources(sourceDir)) argv.push_back(f);
  const std::string log = vvpFile + ".log";
  const ChildRun c = runChild(argv, log);
  ReplayOutcome out;
  out.seconds = c.wallSeconds;
  out.output = c.output;
  out.ok = c.exitCode == 0;
  if (!out.ok) out.error = "iverilog failed (" + log + ")";
  return out;
}

ReplayOutcome runReplay(const std::string& vvp, const std::string& vvpFile,
                        const std::string& recording, const std::string& logFile,
                        double timeoutSeconds) {
  const ChildRun c = runChild({vvp, "-n", vvpFile, "+rec=" + recording}, logFile, timeoutSeconds);
  ReplayOutcome out;
  out.seconds = c.wallSeconds;
  out.maxRssKb = c.maxRssKb;
  out.timedOut = c.timedOut;
  out.output = c.output;
  const size_t at = c.output.find("replay: cycles ");
  if (c.timedOut) {
    out.error = "vvp did not finish within " + std::to_string(int(timeoutSeconds)) + " s";
    return out;
  }
  unsigned long long cycles = 0, bad = 0;
  if (c.exitCode != 0 || at == std::string::npos ||
      std::sscanf(c.output.c_str() + at, "replay: cycles %llu mismatches %llu", &cycles, &bad) !=
          2) {
    out.error = "vvp failed (" + logFile + ")";
    return out;
  }
  out.ok = true;
  out.cycles = cycles;
  out.mismatches = bad;
  return out;
}

}  // namespace chimney::bench
