// Command-line options read by the rules slowscope.yaml's keys are read by
// (analyzer/config/setting_rules.h): `check --min-ratio 0.5` is refused in the words
// `detection.min_ratio: 0.5` is, and `--min-delta 1ms` is read as `min_delta: 1ms` is. A
// value the rule refuses is a usage error naming the option (exit 2), raised while the
// command line is parsed. Header-only; used while building the command line.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "analyzer/error/errors.h"

namespace slowscope {

// A number as --help shows a default: 1.5, 0.01, 30.
inline std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// Adds option `name` to `cmd`: its text goes through `rule` (text -> value, throwing
// InvalidInput for a bad one) into *value. `default_text` is shown in --help.
template <typename T, typename Rule>
CLI::Option* add_rule_option(CLI::App* cmd, const std::string& name, T* value, Rule rule,
                             const std::string& description, const std::string& default_text = "") {
  CLI::Option* option = cmd->add_option_function<std::string>(
      name, [value, rule](const std::string& text) { *value = static_cast<T>(rule(text)); },
      description);
  option->check(CLI::Validator(
      [rule](std::string& text) -> std::string {
        try {
          rule(text);
          return "";
        } catch (const InvalidInput& e) {
          return e.what();
        }
      },
      ""));
  if (!default_text.empty()) option->default_str(default_text);
  return option;
}

}  // namespace slowscope
