// Runs child processes, at most `jobs` at a time, each with its own time
// limit. A child that outlives its limit is killed (its whole process
// group) and reported as timed out; the pool itself never waits forever.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace chimney::regress {

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0]: a path (no PATH lookup)
  std::string logFile;            // stdout and stderr
  std::string workDir;            // the child's working directory ("": ours)
  double timeoutSeconds = 0;      // 0: no limit
};

struct ChildOutcome {
  bool started = false;
  int exitCode = -1;  // when it exited
  int signal = 0;     // when a signal ended it (SIGKILL after a timeout)
  bool timedOut = false;
  double seconds = 0;
  long maxRssKb = 0;
  std::string startError;  // why it could not start
};

// Runs `specs` with up to `jobs` children at once; `done(i, outcome)` is
// called in the order the children end.
void runChildren(const std::vector<ChildSpec>& specs, unsigned jobs,
                 const std::function<void(std::size_t, const ChildOutcome&)>& done);

}  // namespace chimney::regress
