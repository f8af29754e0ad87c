// Test support for the digest suite: runs the real slowscope binary and reads its JSON.
#pragma once

#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace slowscope::testing {

inline std::string data_path(const std::string& relative) {
  return std::string(SLOWSCOPE_TEST_DATA) + "/" + relative;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory for one test's outputs, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "slowscope-test-XXXXXX");
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `<launcher>slowscope <args>` through the shell (args are quoted by the caller), its
// standard input `stdin_path` or /dev/null.
inline RunResult run_slowscope_as(const std::string& launcher, const std::string& args,
                                  const std::string& stdin_path = "") {
  TempDir dir;
  const std::string command = launcher + "'" + SLOWSCOPE_BINARY + "' " + args + " >" +
                              dir.file("out") + " 2>" + dir.file("err") +
                              (stdin_path.empty() ? " </dev/null" : " <'" + stdin_path + "'");
  const int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(dir.file("out"));
  r.err = read_file(dir.file("err"));
  return r;
}

// Runs `slowscope <args>` through the shell (args are quoted by the caller).
inline RunResult run_slowscope(const std::string& args, const std::string& stdin_path = "") {
  return run_slowscope_as("", args, stdin_path);
}

// Runs `slowscope <args>` as user nobody when this process is root (through setpriv), else
// as this user: for tests of files and folders slowscope may not read or write, which root
// always may. `available` is false, and nothing runs, as root without setpriv.
inline RunResult run_slowscope_unprivileged(const std::string& args, bool* available = nullptr) {
  if (available != nullptr) *available = true;
  if (::geteuid() != 0) return run_slowscope(args);
  if (!std::filesystem::exists("/usr/bin/setpriv")) {
    if (available != nullptr) *available = false;
    return {};
  }
  return run_slowscope_as("setpriv --reuid=65534 --regid=65534 --clear-groups ", args);
}

// Runs `slowscope <args>` with a terminal as its standard output and error (as a user at a
// terminal sees them, interleaved) and returns what it wrote; expects exit status 0.
inline std::string run_on_terminal(const std::string& args) {
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    const std::string command = std::string("exec '") + SLOWSCOPE_BINARY + "' " + args;
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child has closed its side
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(terminal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  return out;
}

// Runs digest with `args` in JSON to a file and returns the parsed document.
inline nlohmann::json digest_json(const std::string& args) {
  TempDir dir;
  const std::string out = dir.file("digest.json");
  const RunResult r = run_slowscope("digest " + args + " --format json --output " + out);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(read_file(out));
}

// Validates `document` against a schema file of the repository with the JSON Schema tool.
inline ::testing::AssertionResult matches_schema(const nlohmann::json& document,
                                                 const std::string& schema_relative) {
  TempDir dir;
  const std::string instance = dir.file("instance.json");
  std::ofstream(instance) << document.dump();
  const std::string command = std::string("/usr/bin/python3 '") + SLOWSCOPE_SOURCE_DIR +
                              "/tests/tools/validate_json.py' '" + SLOWSCOPE_SOURCE_DIR + "/" +
                              schema_relative + "' '" + instance + "' 2>" + dir.file("err");
  if (std::system(command.c_str()) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << read_file(dir.file("err"));
}

}  // namespace slowscope::testing
