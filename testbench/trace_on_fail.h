// The waveform side of a run: the GTKWave view written beside every trace
// (FILE.gtkw, FILE.tags.txt), and --trace-on-fail: a failing run replays
// itself in a child process (the same options and seed, so the same run)
// traced from N cycles before its first violation to M cycles after it, and
// the replay writes the FST, its view and the transaction log of that window.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

#include "run_report.h"

namespace chimney::tb {

// The file next to `traceFile` with its ".fst" replaced by `suffix`.
std::string besideTrace(const std::string& traceFile, const std::string& suffix);

// Writes FILE.gtkw and FILE.tags.txt beside the run's FST (markers at the
// run's violations, the view on the traced window). False (and a line on
// `err`) when a file cannot be written or the FST cannot be read.
bool writeWaveView(const RunReport& report, const std::map<uint64_t, std::string>& tagNames,
                   std::ostream& err);

// The cycle the failure is first seen: the earliest violation, or the end
// of the run when only closing checks or expectations failed.
uint64_t firstFailureCycle(const RunReport& report);

// --trace-on-fail: runs the replay and reports what it wrote on `out`.
// Returns false when the replay could not be run or did not fail the same way.
bool replayTraced(const RunReport& report, const std::string& program, std::ostream& out,
                  std::ostream& err);

}  // namespace chimney::tb
