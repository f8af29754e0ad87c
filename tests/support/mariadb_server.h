// Test support shared by the suites that need a real MariaDB 10.11: a throwaway server per
// test process, started by scripts/lib/mariadb.sh (slow log on with long_query_time=0 and
// log_output=FILE,TABLE, performance_schema on), only when a test whose full name contains
// "Mariadb" is going to run. The server can be stopped and started again (same data, port
// and socket) to test outages. Header-only because every test binary is built from
// *_test.cpp files alone.
//
// Not thread-safe, except sql(), which threads of a test may call at once.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/support/server_environment.h"

namespace slowscope::testing {

// A MariaDB server in a temporary folder, run by a keeper shell that takes "stop" and
// "start" lines on its standard input and stops the server when that input closes — on
// our exit, even a crash, since the kernel closes the pipe then.
class MariadbServer {
 public:
  // Tests whose full name contains this get the server (see server_environment.h).
  static constexpr const char* kTestNameTag = "Mariadb";

  static constexpr const char* kUser = "bench";  // scripts/lib/mariadb.sh's client user
  static constexpr const char* kPassword = "bench";

  MariadbServer() {
    char pattern[] = "/tmp/slowscope-my-XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = pattern;
    const std::string script = std::string(SLOWSCOPE_SOURCE_DIR) + "/scripts/lib/mariadb.sh";
    const std::string command =
        "exec bash -c 'export MARIADB_QUIET=1; source \"$0\"; d=\"$1\"; "
        "start() { mariadb_start \"$d\" --log-output=FILE,TABLE >>\"$d/start.log\" 2>&1 "
        "&& echo ready >\"$d/status\" || echo failed >\"$d/status\"; }; start; "
        "while read -r c; do case \"$c\" in "
        "stop) mariadb_stop \"$d\" >>\"$d/start.log\" 2>&1; echo stopped >\"$d/status\";; "
        "start) start;; esac; done; mariadb_stop_all' '" +
        script + "' '" + dir_.string() + "'";
    keeper_ = popen(command.c_str(), "we");  // not inherited by processes tests start
    if (keeper_ == nullptr) {
      error_ = "cannot run bash";
      return;
    }
    if (!await_status("ready")) error_ = "MariaDB did not start: " + read(dir_ / "start.log");
  }

  ~MariadbServer() {
    if (keeper_ != nullptr) pclose(keeper_);  // closes its stdin: the shell stops the server
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  MariadbServer(const MariadbServer&) = delete;
  MariadbServer& operator=(const MariadbServer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  const std::filesystem::path& dir() const { return dir_; }
  std::string socket() const { return (dir_ / "mariadb.sock").string(); }
  std::filesystem::path slow_log() const { return dir_ / "slow.log"; }
  int port() const { return std::stoi(read(dir_ / "port")); }

  // Shuts the server down cleanly; returns when it is gone.
  void stop() { command("stop", "stopped"); }
  // Starts it again on the same data, port and socket; returns when it accepts clients.
  void start() { command("start", "ready"); }

  // Runs `statements` (each ended by ';') as root through the mariadb client; returns their
  // tab-separated output without column names, once every statement's slow-log entry is
  // written. Throws std::runtime_error with the client's message on failure.
  std::string sql(const std::string& statements) const {
    // One input file per call: tests run statements from several threads at once.
    static std::atomic<int> calls{0};
    const std::filesystem::path input = dir_ / ("sql." + std::to_string(++calls) + ".in");
    {
      std::ofstream out(input);
      // The server answers a statement before it logs it, so the client could be gone
      // while the last entry is still unwritten. The session thread runs statements one
      // by one: a last statement that logs nothing is answered only after the others'
      // entries are written.
      out << statements << "\nSET SESSION slow_query_log = 0;\n";
    }
    const std::string command = "mariadb --no-defaults --socket='" + socket() +
                                "' --user=root --batch --skip-column-names <'" + input.string() +
                                "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run the mariadb client");
    std::string output;
    std::array<char, 4096> buffer{};
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
    const int status = pclose(pipe);
    std::filesystem::remove(input);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      throw std::runtime_error("mariadb client failed: " + output);
    }
    return output;
  }

 private:
  static std::string read(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  bool await_status(const std::string& wanted) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string status = read(dir_ / "status");
      if (status == wanted) return true;
      if (status == "failed") return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void command(const std::string& line, const std::string& wanted) {
    std::filesystem::remove(dir_ / "status");
    fprintf(keeper_, "%s\n", line.c_str());
    fflush(keeper_);
    if (!await_status(wanted)) {
      throw std::runtime_error("MariaDB " + line + " failed: " + read(dir_ / "start.log"));
    }
  }

  std::filesystem::path dir_;
  FILE* keeper_ = nullptr;
  std::string error_;
};

using MariadbEnvironment = ServerEnvironment<MariadbServer>;

inline ::testing::Environment* const kMariadbEnvironment =
    ::testing::AddGlobalTestEnvironment(new MariadbEnvironment);

}  // namespace slowscope::testing
