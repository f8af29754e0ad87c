// Test support for the install suite: a shell command run with its output and errors kept
// apart, and plain text replacement for adapting what users copy (paths, addresses) to a
// test's folder. Header-only.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "tests/digest/digest_cli.h"

namespace slowscope::testing {

struct ShellOutput {
  int exit_code = -1;  // -1 when the shell did not exit normally
  std::string out;
  std::string err;
};

// `command` run through /bin/sh, its standard output and errors apart.
inline ShellOutput run_shell(const std::string& command) {
  TempDir dir;
  const int status =
      std::system((command + " >'" + dir.file("out") + "' 2>'" + dir.file("err") + "'").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir.file("out")),
          read_file(dir.file("err"))};
}

// `text` with every `from` replaced by `to`; *count (when given) gets how many.
inline std::string replaced(std::string text, const std::string& from, const std::string& to,
                            int* count = nullptr) {
  int n = 0;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    ++n;
  }
  if (count != nullptr) *count = n;
  return text;
}

}  // namespace slowscope::testing
