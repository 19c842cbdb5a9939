// Runs a program as a child process and measures it: exit status, wall time
// and peak resident set size (getrusage of the child: ru_maxrss), with its
// standard output and error captured in a file.
#pragma once

#include <string>
#include <vector>

namespace chimney::bench {

struct ChildRun {
  int exitCode = -1;  // -1: could not start or killed by a signal
  double wallSeconds = 0;
  long maxRssKb = 0;
  bool timedOut = false;
  std::string output;  // stdout and stderr, interleaved
};

// argv[0] is looked up in PATH when it has no slash. Output goes to
// `logFile` (also returned in ChildRun::output). A child still running after
// `timeoutSeconds` (0: no limit) is killed and reported with timedOut set.
ChildRun runChild(const std::vector<std::string>& argv, const std::string& logFile,
                  double timeoutSeconds = 0);

// Path of the running executable (/proc/self/exe).
std::string selfPath();

}  // namespace chimney::bench
