#include "child_process.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

namespace chimney::bench {

ChildRun runChild(const std::vector<std::string>& argv, const std::string& logFile,
                  double timeoutSeconds) {
  ChildRun run;
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log < 0) {
    run.output = "cannot write " + logFile;
    return run;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::close(log);
    ::execvp(args[0], args.data());
    _exit(127);
  }
  ::close(log);
  if (pid < 0) {
    run.output = "fork failed";
    return run;
  }
  int status = 0;
  struct rusage usage {};
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  pid_t got;
  for (;;) {
    got = ::wait4(pid, &status, timeoutSeconds > 0 ? WNOHANG : 0, &usage);
    if (got < 0 && errno == EINTR) continue;
    if (got != 0) break;
    if (elapsed() > timeoutSeconds && !run.timedOut) {
      ::kill(pid, SIGKILL);
      run.timedOut = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.wallSeconds = elapsed();
  run.maxRssKb = usage.ru_maxrss;  // kilobytes on Linux
  if (got == pid && WIFEXITED(status)) run.exitCode = WEXITSTATUS(status);
  std::ifstream in(logFile);
  std::ostringstream text;
  text << in.rdbuf();
  run.output = text.str();
  return run;
}

std::string selfPath() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  return std::string(buf, size_t(n));
}

}  // namespace chimney::bench
