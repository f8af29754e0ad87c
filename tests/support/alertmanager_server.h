// Test support: a real Prometheus Alertmanager (Debian's prometheus-alertmanager) on
// loopback, in a temporary folder, clustering off, one receiver that sends nowhere — for
// tests that deliver alerts to it and read them back through its API v2. Header-only.
//
// Not thread-safe: one owner. Stopped (SIGTERM, then SIGKILL) when destroyed.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/http_receiver.h"

namespace slowscope::testing {

inline constexpr const char* kAlertmanagerBinary = "/usr/bin/prometheus-alertmanager";

class AlertmanagerServer {
 public:
  // Starts it in `dir` on a free loopback port and waits until its API answers; ok() says
  // whether it did, error() why not.
  explicit AlertmanagerServer(const std::filesystem::path& dir) {
    if (access(kAlertmanagerBinary, X_OK) != 0) {
      error_ = std::string(kAlertmanagerBinary) +
               " is missing: install prometheus-alertmanager (scripts/test does)";
      return;
    }
    std::filesystem::create_directories(dir / "data");
    std::ofstream(dir / "alertmanager.yml") << "route:\n  receiver: nowhere\n"
                                               "receivers:\n  - name: nowhere\n";
    port_ = unused_loopback_port();
    const std::string log = (dir / "alertmanager.log").string();
    pid_ = fork();
    if (pid_ == 0) {
      for (int fd = 3; fd < 1024; ++fd) close(fd);
      const std::string config = "--config.file=" + (dir / "alertmanager.yml").string();
      const std::string storage = "--storage.path=" + (dir / "data").string();
      const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
      if (freopen(log.c_str(), "a", stdout) == nullptr || dup2(1, 2) < 0) _exit(126);
      execl(kAlertmanagerBinary, kAlertmanagerBinary, config.c_str(), storage.c_str(),
            listen.c_str(), "--cluster.listen-address=", static_cast<char*>(nullptr));
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (http_get(url() + "/api/v2/status")) {
        ok_ = true;
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    error_ = "Alertmanager did not answer on " + url() + "; its log: " + log;
  }

  ~AlertmanagerServer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  AlertmanagerServer(const AlertmanagerServer&) = delete;
  AlertmanagerServer& operator=(const AlertmanagerServer&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

  // "http://127.0.0.1:PORT".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool ok_ = false;
  std::string error_;
};

}  // namespace slowscope::testing
