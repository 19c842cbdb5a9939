// The PRM 8 throughput figures (RTL cycles, zero-latency memory), measured
// by the RTL harness's throughput routines.
#pragma once

#include <string>
#include <vector>

#include "results.h"

namespace chimney::bench {

// Fills `figures`; returns a note when some could not be measured.
std::string prm8Figures(std::vector<CycleFigure>& figures);

}  // namespace chimney::bench
