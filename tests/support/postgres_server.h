// Test support shared by the suites that need a real PostgreSQL 15: a throwaway server per
// test process, started by scripts/lib/postgres.sh with pg_stat_statements preloaded, only
// when a test whose full name contains "Postgres" is going to run. Header-only because every
// test binary is built from *_test.cpp files alone.
//
// Not thread-safe: tests set things up from the main thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/server_environment.h"

namespace slowscope::testing {

// The text of a file the start-up scripts write (status, conninfo), without the trailing
// newline and spaces.
inline std::string read_trimmed(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// A PostgreSQL server in a temporary folder, started by scripts/lib/postgres.sh and kept
// alive by a shell that stops it as soon as its standard input closes — on our exit, even
// a crash, since the kernel closes the pipe then.
class PostgresServer {
 public:
  // Tests whose full name contains this get the server (see server_environment.h).
  static constexpr const char* kTestNameTag = "Postgres";

  PostgresServer() {
    char pattern[] = "/tmp/slowscope-pg-XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = pattern;
    const std::string script = std::string(SLOWSCOPE_SOURCE_DIR) + "/scripts/lib/postgres.sh";
    const std::string command =
        "exec bash -c 'export POSTGRES_QUIET=1; source \"$0\" && postgres_start \"$1\" "
        ">\"$1/start.log\" "
        "2>&1 && echo ready >\"$1/status\" || { echo failed >\"$1/status\"; exit 1; }; "
        "read -r _; postgres_stop \"$1\"' '" +
        script + "' '" + dir_.string() + "'";
    keeper_ = popen(command.c_str(), "we");  // not inherited by processes tests start
    if (keeper_ == nullptr) {
      error_ = "cannot run bash";
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string status = read_trimmed(dir_ / "status");
      if (status == "ready") {
        conninfo_ = read_trimmed(dir_ / "conninfo");
        return;
      }
      if (status == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    error_ = "PostgreSQL did not start: " + read_trimmed(dir_ / "start.log");
  }

  ~PostgresServer() {
    if (keeper_ != nullptr) pclose(keeper_);  // closes its stdin: the shell stops the server
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& conninfo() const { return conninfo_; }

  // The server as a postgresql:// URI (a store location) naming `database`.
  std::string uri(const std::string& database) const {
    std::map<std::string, std::string> fields;
    std::istringstream words(conninfo_);
    for (std::string word; words >> word;) {
      if (const size_t eq = word.find('='); eq != std::string::npos) {
        fields[word.substr(0, eq)] = word.substr(eq + 1);
      }
    }
    return "postgresql:///" + database + "?host=" + fields["host"] + "&port=" + fields["port"] +
           "&user=" + fields["user"];
  }

 private:
  std::filesystem::path dir_;
  FILE* keeper_ = nullptr;
  std::string conninfo_;
  std::string error_;
};

using PostgresEnvironment = ServerEnvironment<PostgresServer>;

inline ::testing::Environment* const kPostgresEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

}  // namespace slowscope::testing
