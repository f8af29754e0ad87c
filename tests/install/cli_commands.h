// Test support for the install suite: the commands of the real slowscope binary, found by
// walking its --help (the "Subcommands:" list of each command, recursively) rather than
// from a list kept by hand, and the parts of a help text the tests compare. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/digest/digest_cli.h"

namespace slowscope::testing {

// A command's words below `slowscope`: {} for slowscope itself, {"release", "add"}.
using CommandPath = std::vector<std::string>;

inline std::string joined(const CommandPath& path) {
  std::string text;
  for (const std::string& word : path) text += (text.empty() ? "" : " ") + word;
  return text;
}

// `slowscope PATH --help`; fails the test unless it exits 0.
inline std::string help_of(const CommandPath& path) {
  const RunResult r = run_slowscope(joined(path) + " --help");
  EXPECT_EQ(r.exit_code, 0) << joined(path) << ": " << r.err;
  return r.out;
}

// The names listed under "Subcommands:" in `help`.
inline std::vector<std::string> subcommand_names(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help);
  std::string line;
  bool in_list = false;
  while (std::getline(lines, line)) {
    if (line == "Subcommands:") {
      in_list = true;
    } else if (in_list && line.empty()) {
      in_list = false;
    } else if (in_list && line.starts_with("  ") && line[2] != ' ') {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
  }
  return names;
}

// Every command below `slowscope`, depth first, in the order --help lists them.
inline std::vector<CommandPath> all_commands(const CommandPath& below = {}) {
  std::vector<CommandPath> commands;
  for (const std::string& name : subcommand_names(help_of(below))) {
    CommandPath path = below;
    path.push_back(name);
    commands.push_back(path);
    for (CommandPath& sub : all_commands(path)) commands.push_back(std::move(sub));
  }
  return commands;
}

// The text from the line that starts with "Exit status" to the end of `help`, or "".
inline std::string exit_status_of(const std::string& help) {
  const size_t at = help.starts_with("Exit status") ? 0 : help.find("\nExit status");
  if (at == std::string::npos) return "";
  return help.substr(at == 0 ? 0 : at + 1);
}

// `text` with every run of white space made one space, and no space at either end.
inline std::string collapsed(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace slowscope::testing
