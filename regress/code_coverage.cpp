#include "code_coverage.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "child_pool.h"

namespace chimney::regress {

namespace fs = std::filesystem;

namespace {

bool run(const std::vector<std::string>& argv, const std::string& log) {
  bool ok = false;
  runChildren({{argv, log, "", 3600}}, 1,
              [&](std::size_t, const ChildOutcome& o) { ok = o.started && o.exitCode == 0; });
  return ok;
}

std::string tool() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin"}) {
    const fs::path p = fs::path(dir) / "verilator_coverage";
    if (fs::exists(p)) return p.string();
  }
  return "";
}

}  // namespace

std::string lineCoverageSummary(const std::string& outDir) {
  std::ifstream in(fs::path(outDir) / "coverage.info");
  uint64_t found = 0, hit = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("LF:", 0) == 0) found += std::stoull(line.substr(3));
    if (line.rfind("LH:", 0) == 0) hit += std::stoull(line.substr(3));
  }
  if (found == 0) return "";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%llu of %llu lines hit (%.1f %%)", (unsigned long long)hit,
                (unsigned long long)found, 100.0 * double(hit) / double(found));
  return buf;
}

std::vector<std::string> pointCoverageFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".dat") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string mergeCodeCoverage(const std::vector<std::string>& files, const std::string& outDir,
                              std::ostream& err) {
  if (files.empty()) return "";
  const std::string vc = tool();
  if (vc.empty()) {
    err << "chimney-regress: warning: verilator_coverage not found; code coverage not merged\n";
    return "";
  }
  const std::string merged = (fs::path(outDir) / "coverage.dat").string();
  const std::string log = (fs::path(outDir) / "coverage.log").string();
  // In batches, so the command line stays short whatever the number of runs.
  const std::string partial = merged + ".part";
  bool have = false;
  for (std::size_t i = 0; i < files.size(); i += 200) {
    std::vector<std::string> argv = {vc, "--write", partial + ".new"};
    if (have) argv.push_back(partial);
    argv.insert(argv.end(), files.begin() + long(i),
                files.begin() + long(std::min(files.size(), i + 200)));
    if (!run(argv, log)) {
      err << "chimney-regress: warning: verilator_coverage failed (" << log << ")\n";
      return "";
    }
    fs::rename(partial + ".new", partial);
    have = true;
  }
  fs::rename(partial, merged);
  if (!run({vc, "--write-info", (fs::path(outDir) / "coverage.info").string(), merged}, log)) {
    err << "chimney-regress: warning: verilator_coverage --write-info failed (" << log << ")\n";
  }
  return "coverage.dat";
}

}  // namespace chimney::regress
