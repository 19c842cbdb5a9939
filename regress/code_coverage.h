// Code coverage of the RTL merged over runs: each run's Verilator coverage
// file (chimney-cosim --coverage FILE) joined with verilator_coverage into
// one coverage.dat, with an lcov tracefile (coverage.info) for genhtml.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace chimney::regress {

// The points' coverage files (*.dat) in `dir`.
std::vector<std::string> pointCoverageFiles(const std::string& dir);

// Merges `files` into outDir/coverage.dat and writes outDir/coverage.info.
// Returns "coverage.dat" (relative to outDir), or "" when there was nothing
// to merge or verilator_coverage failed (said on `err`).
std::string mergeCodeCoverage(const std::vector<std::string>& files, const std::string& outDir,
                              std::ostream& err);

// "N of M lines hit (P %)" from the lcov tracefile outDir/coverage.info
// (its LF/LH records); "" when there is none.
std::string lineCoverageSummary(const std::string& outDir);

}  // namespace chimney::regress
