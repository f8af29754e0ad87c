// Test support: `slowscope` run as a background process (a collector the test stops or kills
// at a moment it chooses), output appended to a log file. Header-only (see postgres_server.h).
//
// Not thread-safe: one owner.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace slowscope::testing {

class SlowscopeProcess {
 public:
  // Starts `slowscope ARGS` (ARGS as a shell would split them).
  SlowscopeProcess(const std::string& args, const std::filesystem::path& log) {
    pid_ = fork();
    if (pid_ == 0) {
      // Only the standard streams: a pipe the test holds open (a server keeper's input, the
      // test's own output) must not outlive the test in a stray collector.
      for (int fd = 3; fd < 1024; ++fd) close(fd);
      const std::string command = std::string("exec '") + SLOWSCOPE_BINARY + "' " + args + " >>'" +
                                  log.string() + "' 2>&1 </dev/null";
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~SlowscopeProcess() {
    if (pid_ > 0) stop(SIGKILL);
  }
  SlowscopeProcess(const SlowscopeProcess&) = delete;
  SlowscopeProcess& operator=(const SlowscopeProcess&) = delete;

  // The process id (the shell execs slowscope, so it is slowscope's); -1 once it ended.
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits; returns the raw wait status.
  int stop(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  // Waits for the process to end by itself; returns its exit code (-1 if killed).
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace slowscope::testing
