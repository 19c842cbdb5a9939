// The PRM 8 throughput figures (RTL cycles, zero-latency memory). They are
// measured by the RTL tests' throughput suite (tests/rtl/throughput_test.cpp,
// on the RTL harness), which prints each figure as
//   "[ PRM 8    ] <name>: <value> <unit>"
// The benchmark runs that executable and collects those lines rather than
// measuring the same things a second way.
#pragma once

#include <string>
#include <vector>

#include "results.h"

namespace chimney::bench {

// Parses the figure lines of the throughput suite's output and attaches the
// PRM 8 target of each known figure (figures without one are informative).
std::vector<CycleFigure> parsePrm8Figures(const std::string& output);

// Runs the suite; fills `figures`, returns a note when it failed or some
// figure is missing (empty when all is well).
std::string prm8Figures(const std::string& throughputTest, const std::string& logFile,
                        std::vector<CycleFigure>& figures);

}  // namespace chimney::bench
