#include "child_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace chimney::regress {

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  std::size_t index = 0;
  pid_t pid = -1;
  Clock::time_point start;
  bool killed = false;
};

// posix_spawn attributes and file actions, released on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

pid_t start(const ChildSpec& spec, std::string& error) {
  SpawnSetup s;
  // Its own process group, so a timeout kills whatever it started too.
  posix_spawnattr_setpgroup(&s.attr, 0);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETPGROUP);
  posix_spawn_file_actions_addopen(&s.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&s.actions, STDOUT_FILENO,
                                   spec.logFile.empty() ? "/dev/null" : spec.logFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&s.actions, STDOUT_FILENO, STDERR_FILENO);
  if (!spec.workDir.empty()) posix_spawn_file_actions_addchdir_np(&s.actions, spec.workDir.c_str());
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &s.actions, &s.attr, argv.data(), environ);
  if (rc != 0) {
    error = spec.argv.empty() ? "empty command" : spec.argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

void runChildren(const std::vector<ChildSpec>& specs, unsigned jobs,
                 const std::function<void(std::size_t, const ChildOutcome&)>& done) {
  if (jobs == 0) jobs = 1;
  std::vector<Running> running;
  std::size_t next = 0;
  while (next < specs.size() || !running.empty()) {
    while (running.size() < jobs && next < specs.size()) {
      const std::size_t i = next++;
      std::string error;
      const Clock::time_point t0 = Clock::now();
      const pid_t pid = start(specs[i], error);
      if (pid < 0) {
        ChildOutcome o;
        o.startError = error;
        done(i, o);
        continue;
      }
      running.push_back({i, pid, t0, false});
    }
    bool reaped = false;
    for (std::size_t r = 0; r < running.size();) {
      Running& c = running[r];
      int status = 0;
      rusage usage{};
      const pid_t got = wait4(c.pid, &status, WNOHANG, &usage);
      if (got == c.pid) {
        ChildOutcome o;
        o.started = true;
        o.seconds = secondsSince(c.start);
        o.maxRssKb = usage.ru_maxrss;
        o.timedOut = c.killed;
        if (WIFEXITED(status)) o.exitCode = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
        const std::size_t index = c.index;
        running.erase(running.begin() + long(r));
        done(index, o);
        reaped = true;
        continue;
      }
      const double limit = specs[c.index].timeoutSeconds;
      if (!c.killed && limit > 0 && secondsSince(c.start) > limit) {
        kill(-c.pid, SIGKILL);
        c.killed = true;
      }
      ++r;
    }
    if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace chimney::regress
