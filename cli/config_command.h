// `slowscope config check`: validates slowscope.yaml and lists its targets with their
// connection strings redacted and their regression detection settings.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers `config` and its `check` subcommand; the exit status goes to `*exit_code`
// (0 valid, 2 invalid).
void add_config_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
