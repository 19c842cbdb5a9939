// One invariant violation of a run as the report carries it, and how a list
// of them is shown: root cause first. The readable summary leads with the
// earliest violation by simulated time and folds what followed it into
// groups ("and 183 more of invariant 5 SendCompletionOrder (layer target) on
// conn 3 after it"); the JSON report gives each violation as an object.
// Plain C++ (no SystemC, no driver models).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace chimney::tb {

struct ViolationRecord {
  int invariant = 0;        // 1..17 (docs/spec/DRIVER-MODEL.md numbering)
  std::string check;        // the check's name, e.g. "CompletedExactlyOnce"
  uint64_t cycle = 0;       // simulated time it was found, in clock cycles
  std::string layer;        // the driver the check blames: "target", "im0", "host", ...
  int64_t connection = -1;  // ConnectionId; -1: none
  std::string op;           // "send", "receive", ... (OffloadOp name)
  uint64_t nblId = 0;       // nbl#N; 0: none
  int64_t tag = -1;         // hardware tag the NBL was posted with; -1: unknown
  int64_t queuePair = -1;   // -1: unknown
  std::string message;      // the readable line
};

// The violations in order of simulated time (stable: equal times keep their
// order of detection).
std::vector<ViolationRecord> byTime(std::vector<ViolationRecord> list);

// "first violation" line, then one line per group of the violations after
// it (same invariant, check, layer and connection), at most `maxGroups`.
void printViolations(const std::vector<ViolationRecord>& list, std::ostream& out,
                     std::size_t maxGroups = 20);

// Lines that repeat are shown once with a count ("(x2)").
void printDeduplicated(const std::vector<std::string>& lines, std::ostream& out,
                       std::size_t maxShown = 20);

// The violations as a JSON array of objects (keys: invariant, check, cycle,
// layer, connection, op, nbl_id, nbl, tag, queue_pair, message; unknown
// values are null), in order of simulated time.
std::string violationsJson(const std::vector<ViolationRecord>& list, int indent = -1);

}  // namespace chimney::tb
